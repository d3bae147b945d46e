package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/wismo/wismo/carriers/sim"
	"github.com/wismo/wismo/store"
	"github.com/wismo/wismo/tracker"
	"github.com/wismo/wismo/tracker/notify"
	"github.com/wismo/wismo/tracker/notify/mailbox"
	"github.com/wismo/wismo/ui"
)

// demoFlags are the demo's settings.
type demoFlags struct {
	data   string
	orders int
	speed  float64
	seed   uint64
	faults bool
	seat   seat
	// serve opens the SSH door on listen as well.
	serve  bool
	listen string
}

func parseDemoFlags(args []string, stderr io.Writer) (demoFlags, error) {
	var f demoFlags
	flags := flag.NewFlagSet("demo", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.StringVar(&f.data, "data", "", "keep the store and log in `DIR` (default: a temporary directory, removed on exit)")
	flags.IntVar(&f.orders, "orders", 2000, "how many orders to seed")
	flags.Float64Var(&f.speed, "speed", 600, "simulated seconds per real second")
	flags.Uint64Var(&f.seed, "seed", 1, "seed of the simulated world")
	seatFlags(flags, &f.seat)
	flags.BoolVar(&f.faults, "faults", true, "let the simulated carriers fail now and then (429s, 500s, timeouts, broken bodies, repeated and late events)")
	flags.BoolVar(&f.serve, "serve", false, "open the desk's SSH door too, with a key made for a newcomer to try")
	flags.StringVar(&f.listen, "listen", "127.0.0.1:23234", "the SSH door's `ADDRESS` with --serve")
	if err := flags.Parse(args); err != nil {
		return f, err
	}
	switch {
	case flags.NArg() > 0:
		return f, fmt.Errorf("demo takes no arguments, got %q", flags.Arg(0))
	case f.orders < 1 || f.orders > 1_000_000:
		return f, fmt.Errorf("--orders must be between 1 and 1000000, got %d", f.orders)
	case f.speed <= 0:
		return f, fmt.Errorf("--speed must be positive, got %g", f.speed)
	}
	var err error
	f.seat, err = f.seat.resolve("")
	return f, err
}

// runDemo wires the whole desk on loopback: store, simulated carriers,
// tracker, webhook receiver, the UI in this terminal and, with --serve,
// the SSH door. Each part is closed in reverse order.
func runDemo(args []string, stdout, stderr io.Writer) error {
	f, err := parseDemoFlags(args, stderr)
	if err != nil {
		return err
	}
	dir, cleanup, err := dataDir(f.data)
	if err != nil {
		return err
	}
	defer cleanup()
	log, closeLog, err := openLog(dir)
	if err != nil {
		return err
	}
	defer closeLog()
	st, err := openDesk(dir, f.data == "")
	if err != nil {
		return err
	}
	defer st.Close()
	defer serveControl(dir, st, log)()

	ctx, stop := signalled()
	defer stop()
	world, stopWorld, err := startWorld(ctx, dir, f, st, log)
	if err != nil {
		return err
	}
	defer stopWorld()
	d := &runningDesk{st: st, tr: world.tracker, log: log, ctx: ctx, now: world.clock.Now, inbox: world.box}
	m := f.seat.seated(d.model(ctx))
	if f.serve {
		// The door closes when this terminal's desk does, telling the
		// newcomer why.
		door, err := openDemoDoor(d, dir, f.listen)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "The desk's SSH door is open on %s. From another terminal, come in as %q (a supervisor):\n\n  %s\n\n",
			door.addr, newcomer, door.command)
		m = m.WithNotice(door.hint)
		defer door.close()
	}
	_, err = tea.NewProgram(m, tea.WithContext(ctx)).Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil // a signal asked us to stop: not an error
	}
	return err
}

// demoDoor is the demo's SSH door, open.
type demoDoor struct {
	addr    net.Addr
	command string // how the newcomer comes in
	hint    string // the same, for the desk's status line
	close   func() // shuts the door, ending the newcomer's sessions
}

// openDemoDoor opens the demo's SSH door on listen, for a newcomer with a
// key made for them in dir.
func openDemoDoor(d *runningDesk, dir, listen string) (demoDoor, error) {
	ln, err := listenDoor(listen)
	if err != nil {
		return demoDoor{}, err
	}
	fail := func(err error) (demoDoor, error) {
		ln.Close()
		return demoDoor{}, err
	}
	agents, config, err := newcomerFiles(dir, ln.Addr())
	if err != nil {
		return fail(err)
	}
	keys, err := ui.LoadAgentKeys(agents)
	if err != nil {
		return fail(err)
	}
	ctx, shut := context.WithCancel(d.ctx)
	open := *d
	open.ctx = ctx
	srv, err := open.door(serveSection{Listen: ln.Addr().String()}, dir, keys)
	if err != nil {
		shut()
		return fail(err)
	}
	served := make(chan error, 1)
	go func() { served <- serveUntilDone(ctx, srv, ln, d.log) }()
	command := "ssh -F " + config + " desk"
	return demoDoor{addr: ln.Addr(), command: command, hint: "SSH door open: from another terminal, " + command,
		close: func() {
			shut()
			if err := <-served; err != nil {
				d.log.Error("ssh door", "err", err)
			}
		}}, nil
}

// Demo credentials: the simulated carriers expect them, and the demo's
// configuration reads them from this stand-in for the environment.
var demoEnv = map[string]string{
	"DEMO_API_KEY":   "demo-key",
	"DEMO_CLIENT_ID": "demo-client",
	// The secrets the simulator signs webhooks with.
	"DEMO_EASYPOST_SECRET":  "demo-easypost-secret",
	"DEMO_AFTERSHIP_SECRET": "demo-aftership-secret",
	// The demo mailbox's Messages API account.
	"DEMO_SMS_SID":   "ACdemo",
	"DEMO_SMS_TOKEN": "demo-sms-token",
}

// demoConfig is the configuration of a desk whose every carrier is the
// simulator at url and whose customers' mail and texts go to box: the same
// path from configuration to a running desk a real one takes.
func demoConfig(url string, box *mailbox.Box) Config {
	polled := feed{BaseURL: url, APIKeyEnv: "DEMO_API_KEY", ClientIDEnv: "DEMO_CLIENT_ID", ClientSecretEnv: "DEMO_API_KEY"}
	easypost := polled
	easypost.WebhookSecretEnvs = []string{"DEMO_EASYPOST_SECRET"}
	host, port, _ := net.SplitHostPort(box.SMTPAddr())
	smtpPort, _ := strconv.Atoi(port)
	return Config{
		Carriers: map[string]feed{
			"dhl": polled, "ups": polled, "fedex": polled, "usps": polled, "easypost": easypost,
			"aftership": {WebhookSecretEnvs: []string{"DEMO_AFTERSHIP_SECRET"}},
		},
		Shop: shopSection{Name: "Tee & Becher"},
		// The simulated warehouse hands every parcel over within about a
		// day and a half of its label; a day without a first scan flags the
		// slowest of them, so the never-scanned rule shows in the demo.
		Tracker: trackerSection{NeverScannedAfter: 24 * time.Hour},
		Notify: notifySection{
			Channels: []string{"email", "sms"},
			Email:    &emailConfig{Host: host, Port: smtpPort, TLS: string(notify.TLSNone), From: "Tee & Becher <care@tee-und-becher.example>"},
			SMS: &smsConfig{BaseURL: box.APIURL(), AccountSIDEnv: "DEMO_SMS_SID", AuthTokenEnv: "DEMO_SMS_TOKEN",
				From: "+4915100000000", WhatsAppFrom: "+4915100000001"},
		},
	}
}

func demoLookup(name string) (string, bool) {
	v, ok := demoEnv[name]
	return v, ok
}

// demoDesk is a running demo: its clock, tracker and mailbox.
type demoDesk struct {
	clock   *sim.Clock
	tracker *tracker.Tracker
	box     *mailbox.Box
}

// startWorld starts the simulated carriers, the mailbox customers' messages
// go to, the tracker, the outbox and the webhook receiver on the demo's
// world, seeding its orders. The returned stop ends them all, waits for the
// tracker, and records how far simulated time got.
func startWorld(ctx context.Context, dir string, f demoFlags, st *store.Store, log *slog.Logger) (demoDesk, func(), error) {
	var undo []func()
	fail := func(err error) (demoDesk, func(), error) {
		slices.Reverse(undo)
		for _, u := range undo {
			u()
		}
		return demoDesk{}, nil, err
	}
	state, err := loadDemoState(dir, f)
	if err != nil {
		return fail(err)
	}
	d := demoDesk{clock: sim.NewClock(state.SimNow, f.speed),
		box: &mailbox.Box{AccountSID: demoEnv["DEMO_SMS_SID"], AuthToken: demoEnv["DEMO_SMS_TOKEN"]}}
	d.box.Now = d.clock.Now
	if err := d.box.Start(ctx); err != nil {
		return fail(err)
	}
	undo = append(undo, d.box.Close)
	// The receiver's port opens before the simulator starts: it pushes to it.
	hooksAt, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fail(fmt.Errorf("webhook receiver: %w", err))
	}
	undo = append(undo, func() { hooksAt.Close() })
	world := sim.NewWorld(state.Seed, state.Orders, state.Epoch)
	simulator := sim.NewServer(world, d.clock.Now, simOptions(f, "http://"+hooksAt.Addr().String(), log))
	if err := simulator.Start(ctx); err != nil {
		return fail(err)
	}
	undo = append(undo, func() { simulator.Close() })
	added, err := tracker.SeedDemo(st, world, d.clock.Now())
	if err != nil {
		return fail(fmt.Errorf("seed demo orders: %w", err))
	}
	log.Info("demo started", "dir", dir, "orders_added", added, "simulator", simulator.URL(), "speed", f.speed, "faults", f.faults)
	cfg := demoConfig(simulator.URL(), d.box)
	p, err := cfg.parts(demoLookup)
	if err != nil {
		return fail(err)
	}
	var stopTracker func()
	d.tracker, stopTracker = startTracker(ctx, st, d.clock.Now, cfg.trackerConfig(), p, hooksAt, log)
	return d, func() {
		stopTracker()
		simulator.Close()
		d.box.Close()
		if err := state.save(dir, d.clock.Now()); err != nil {
			log.Error("save demo state", "err", err)
		}
	}, nil
}

// simOptions are the simulator's: the demo's credentials, where to push,
// and the faults the flags ask for.
func simOptions(f demoFlags, pushURL string, log *slog.Logger) sim.Options {
	opts := sim.Options{APIKey: demoEnv["DEMO_API_KEY"], ClientID: demoEnv["DEMO_CLIENT_ID"],
		PushURL: pushURL, Log: log.With("component", "simulator"),
		PushSecrets: map[string]string{"easypost": demoEnv["DEMO_EASYPOST_SECRET"], "aftership": demoEnv["DEMO_AFTERSHIP_SECRET"]}}
	if f.faults {
		opts.Faults = sim.DemoFaults()
	}
	return opts
}

// dataDir returns the directory to keep the store in, creating it, and
// what to do with it on exit: a temporary one is removed.
func dataDir(flagDir string) (string, func(), error) {
	if flagDir == "" {
		dir, err := os.MkdirTemp("", "wismo-demo-")
		if err != nil {
			return "", nil, fmt.Errorf("temporary directory: %w", err)
		}
		return dir, func() { os.RemoveAll(dir) }, nil
	}
	if err := os.MkdirAll(flagDir, 0o700); err != nil {
		return "", nil, fmt.Errorf("data directory: %w", err)
	}
	return flagDir, func() {}, nil
}

// demoState lets a demo kept with --data resume where it stopped: the same
// world (seed, size, epoch) at the simulated time it had reached. Polling
// the same world again yields the same events, which the store dedupes.
type demoState struct {
	Seed   uint64    `json:"seed"`
	Orders int       `json:"orders"`
	Epoch  time.Time `json:"epoch"`
	SimNow time.Time `json:"sim_now"`
}

const demoStateFile = "demo.json"

// loadDemoState reads the directory's demo state, or starts a new one from
// the flags and writes it at once, so a demo killed before it saves still
// resumes the same world.
func loadDemoState(dir string, f demoFlags) (demoState, error) {
	path := filepath.Join(dir, demoStateFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		now := time.Now().UTC()
		s := demoState{Seed: f.seed, Orders: f.orders, Epoch: now, SimNow: now}
		return s, s.save(dir, now)
	}
	if err != nil {
		return demoState{}, err
	}
	var s demoState
	if err := json.Unmarshal(b, &s); err != nil || s.Epoch.IsZero() || s.Orders < 1 {
		return demoState{}, fmt.Errorf("%s is not a wismo demo state file; move it away or use another --data", path)
	}
	return s, nil
}

// save records the simulated time reached.
func (s demoState) save(dir string, simNow time.Time) error {
	s.SimNow = simNow
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, demoStateFile), b, 0o600)
}
