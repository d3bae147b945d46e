// Command wismo is a terminal desk for customer-care agents answering
// "where is my order?": live carrier exceptions, order search, and each
// parcel's timeline.
//
//	wismo demo [--data DIR] [--orders N] [--speed X] [--seed N]
//	wismo check [--data DIR]
//	wismo compact [--data DIR]
//	wismo backup [--data DIR] FILE
//	wismo bench [--orders N] [--rounds N] [--queries N] [--dir DIR] [--seed N]
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
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/wismo/wismo/bench"
	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/carriers/dhl"
	"github.com/wismo/wismo/carriers/sim"
	"github.com/wismo/wismo/store"
	"github.com/wismo/wismo/tracker"
	"github.com/wismo/wismo/ui"
)

const usage = `wismo — the "where is my order?" desk

Usage:
  wismo demo [flags]              run the desk on simulated carriers and seeded orders
  wismo bench [flags]             measure the store at scale against raw bbolt
  wismo check [--data DIR]        check the store file for damaged pages
  wismo compact [--data DIR]      give the space freed by archiving back to the disk
  wismo backup [--data DIR] FILE  copy the store to FILE, while the desk runs too

--data defaults to the current directory for check, compact and backup.

Run "wismo demo -h" for the demo's flags.
`

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "wismo:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	switch args[0] {
	case "demo":
		return runDemo(args[1:], stderr)
	case "bench":
		return bench.Run(args[1:], stdout, stderr)
	case "check":
		return runCheck(args[1:], stdout, stderr)
	case "compact":
		return runCompact(args[1:], stdout, stderr)
	case "backup":
		return runBackup(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// demoFlags are the demo's settings.
type demoFlags struct {
	data   string
	orders int
	speed  float64
	seed   uint64
}

func parseDemoFlags(args []string, stderr io.Writer) (demoFlags, error) {
	var f demoFlags
	flags := flag.NewFlagSet("demo", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.StringVar(&f.data, "data", "", "keep the store and log in `DIR` (default: a temporary directory, removed on exit)")
	flags.IntVar(&f.orders, "orders", 2000, "how many orders to seed")
	flags.Float64Var(&f.speed, "speed", 600, "simulated seconds per real second")
	flags.Uint64Var(&f.seed, "seed", 1, "seed of the simulated world")
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

// runDemo wires the whole desk on loopback: store, simulated DHL, tracker,
// and the UI in this terminal. Each part is closed in reverse order.
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
	clock, stopWorld, err := startWorld(ctx, dir, f, st, log)
	if err != nil {
		return err
	}
	defer stopWorld()

	changes, unsubscribe := st.Subscribe()
	defer unsubscribe()
	_, err = tea.NewProgram(ui.New(st, clock.Now, changes), tea.WithContext(ctx)).Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil // a signal asked us to stop: not an error
	}
	return err
}

// openDesk opens the store in dir for the desk, checking an existing file
// for damage first: a damaged store is refused before anything reads it.
func openDesk(dir string, throwaway bool) (*store.Store, error) {
	st, err := store.Open(filepath.Join(dir, storeFile), store.Options{NoSync: throwaway, Verify: true})
	if errors.Is(err, store.ErrDamaged) {
		return nil, fmt.Errorf("%w — the desk will not serve it: wismo check --data %s lists every problem; restore a backup", err, dir)
	}
	return st, err
}

// openLog opens the log file in dir: logs never go to the terminal the desk
// draws on.
func openLog(dir string) (*slog.Logger, func(), error) {
	f, err := os.OpenFile(filepath.Join(dir, "wismo.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("data directory %s is not writable: %w", dir, err)
	}
	return slog.New(slog.NewTextHandler(f, nil)), func() { f.Close() }, nil
}

// startWorld starts the simulated carrier and the tracker on the demo's
// world, seeding its orders. The returned stop ends both, waits for the
// tracker, and records how far simulated time got.
func startWorld(ctx context.Context, dir string, f demoFlags, st *store.Store, log *slog.Logger) (*sim.Clock, func(), error) {
	state, err := loadDemoState(dir, f)
	if err != nil {
		return nil, nil, err
	}
	clock := sim.NewClock(state.SimNow, f.speed)
	world := sim.NewWorld(state.Seed, state.Orders, state.Epoch)
	const apiKey = "demo-key"
	carrier := sim.NewServer(world, clock.Now, sim.Options{APIKey: apiKey, ErrorRate: 0.005, Log: log.With("component", "simulator")})
	if err := carrier.Start(ctx); err != nil {
		return nil, nil, err
	}
	added, err := tracker.SeedDemo(st, world, clock.Now())
	if err != nil {
		carrier.Close()
		return nil, nil, fmt.Errorf("seed demo orders: %w", err)
	}
	log.Info("demo started", "dir", dir, "orders_added", added, "simulator", carrier.URL(), "speed", f.speed)

	ctx, cancel := context.WithCancel(ctx)
	feeds := []carriers.Tracker{dhl.New(carrier.URL(), apiKey, nil)}
	tr := tracker.New(st, feeds, clock.Now, tracker.DefaultConfig(), log)
	done := make(chan struct{})
	go func() {
		defer close(done)
		tr.Run(ctx)
	}()
	stop := func() {
		cancel()
		<-done
		carrier.Close()
		if err := state.save(dir, clock.Now()); err != nil {
			log.Error("save demo state", "err", err)
		}
	}
	return clock, stop, nil
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
