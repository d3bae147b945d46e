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
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/wismo/wismo/carriers/sim"
	"github.com/wismo/wismo/store"
	"github.com/wismo/wismo/tracker"
	"github.com/wismo/wismo/ui"
)

// demoFlags are the demo's settings.
type demoFlags struct {
	data   string
	orders int
	speed  float64
	seed   uint64
	faults bool
}

func parseDemoFlags(args []string, stderr io.Writer) (demoFlags, error) {
	var f demoFlags
	flags := flag.NewFlagSet("demo", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.StringVar(&f.data, "data", "", "keep the store and log in `DIR` (default: a temporary directory, removed on exit)")
	flags.IntVar(&f.orders, "orders", 2000, "how many orders to seed")
	flags.Float64Var(&f.speed, "speed", 600, "simulated seconds per real second")
	flags.Uint64Var(&f.seed, "seed", 1, "seed of the simulated world")
	flags.BoolVar(&f.faults, "faults", true, "let the simulated carriers fail now and then (429s, 500s, timeouts, broken bodies, repeated and late events)")
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
	return f, nil
}

// runDemo wires the whole desk on loopback: store, simulated carriers,
// tracker, webhook receiver, and the UI in this terminal. Each part is closed in reverse order.
func runDemo(args []string, stderr io.Writer) error {
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

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	clock, tr, stopWorld, err := startWorld(ctx, dir, f, st, log)
	if err != nil {
		return err
	}
	defer stopWorld()

	changes, unsubscribe := st.Subscribe()
	defer unsubscribe()
	_, err = tea.NewProgram(ui.New(st, clock.Now, changes).WithFeeds(tr.Health), tea.WithContext(ctx)).Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil // a signal asked us to stop: not an error
	}
	return err
}

// Demo credentials: the simulated carriers expect them, and the demo's
// configuration reads them from this stand-in for the environment.
var demoEnv = map[string]string{
	"DEMO_API_KEY":   "demo-key",
	"DEMO_CLIENT_ID": "demo-client",
	// The secrets the simulator signs webhooks with.
	"DEMO_EASYPOST_SECRET":  "demo-easypost-secret",
	"DEMO_AFTERSHIP_SECRET": "demo-aftership-secret",
}

// demoConfig is the configuration of a desk whose every carrier is the
// simulator at url: the same path from configuration to feeds a real desk
// takes.
func demoConfig(url string) Config {
	polled := feed{BaseURL: url, APIKeyEnv: "DEMO_API_KEY", ClientIDEnv: "DEMO_CLIENT_ID", ClientSecretEnv: "DEMO_API_KEY"}
	easypost := polled
	easypost.WebhookSecretEnvs = []string{"DEMO_EASYPOST_SECRET"}
	return Config{Carriers: map[string]feed{
		"dhl": polled, "ups": polled, "fedex": polled, "usps": polled, "easypost": easypost,
		"aftership": {WebhookSecretEnvs: []string{"DEMO_AFTERSHIP_SECRET"}},
	}}
}

func demoLookup(name string) (string, bool) {
	v, ok := demoEnv[name]
	return v, ok
}

// startWorld starts the simulated carriers, the tracker and the webhook
// receiver on the demo's world, seeding its orders. The returned stop ends
// them all, waits for the tracker, and records how far simulated time got.
func startWorld(ctx context.Context, dir string, f demoFlags, st *store.Store, log *slog.Logger) (*sim.Clock, *tracker.Tracker, func(), error) {
	state, err := loadDemoState(dir, f)
	if err != nil {
		return nil, nil, nil, err
	}
	clock := sim.NewClock(state.SimNow, f.speed)
	world := sim.NewWorld(state.Seed, state.Orders, state.Epoch)
	// The receiver's port opens first: the simulator pushes to it.
	hooksAt, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, nil, fmt.Errorf("webhook receiver: %w", err)
	}
	opts := sim.Options{APIKey: demoEnv["DEMO_API_KEY"], ClientID: demoEnv["DEMO_CLIENT_ID"],
		PushURL: "http://" + hooksAt.Addr().String(), Log: log.With("component", "simulator"),
		PushSecrets: map[string]string{"easypost": demoEnv["DEMO_EASYPOST_SECRET"], "aftership": demoEnv["DEMO_AFTERSHIP_SECRET"]}}
	if f.faults {
		opts.Faults = sim.DemoFaults()
	}
	simulator := sim.NewServer(world, clock.Now, opts)
	if err := simulator.Start(ctx); err != nil {
		hooksAt.Close()
		return nil, nil, nil, err
	}
	added, err := tracker.SeedDemo(st, world, clock.Now())
	if err != nil {
		simulator.Close()
		hooksAt.Close()
		return nil, nil, nil, fmt.Errorf("seed demo orders: %w", err)
	}
	log.Info("demo started", "dir", dir, "orders_added", added, "simulator", simulator.URL(), "speed", f.speed, "faults", f.faults)
	cfg := demoConfig(simulator.URL())
	polls, hooks, err := cfg.feeds(demoLookup, nil)
	if err != nil {
		simulator.Close()
		hooksAt.Close()
		return nil, nil, nil, err
	}
	tr, stopTracker := startTracker(ctx, st, clock.Now, cfg.trackerConfig(), polls, hooks, hooksAt, log)
	stop := func() {
		stopTracker()
		simulator.Close()
		if err := state.save(dir, clock.Now()); err != nil {
			log.Error("save demo state", "err", err)
		}
	}
	return clock, tr, stop, nil
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
