// Package bench is `wismo bench`: it builds a realistic synthetic store at a
// chosen scale through the desk's own intake and ingest paths, and measures
// what agents and operators feel: ingest throughput against raw bbolt puts
// of the same keys, search and exceptions-page latency, the time from
// opening the store to the first page, Go heap, and file size per event.
package bench

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/store"
	"github.com/wismo/wismo/tracker"
)

// Config is one run's scale and place.
type Config struct {
	Orders  int    // orders to generate; parcels and events follow from them
	Rounds  int    // polls over which each journey unfolds
	Queries int    // samples per latency measurement
	Dir     string // where the store files go; "" for a temporary directory
	Seed    uint64
	// CPUProfile, if set, is where the ingest phase's CPU profile goes.
	CPUProfile string
	// Weeks, if set, makes the run a lifecycle run of that many weeks of
	// Orders orders each, finished orders retained in the hot file for
	// Retain (see lifecycle.go).
	Weeks  int
	Retain time.Duration
}

// DefaultConfig is the run `wismo bench` makes without flags: a few
// minutes on two cores.
func DefaultConfig() Config {
	return Config{Orders: 100_000, Rounds: 4, Queries: 2000, Seed: 1, Retain: 3 * week}
}

// Run parses the bench command's flags, runs it and prints the report.
func Run(args []string, stdout, stderr io.Writer) error {
	cfg := DefaultConfig()
	flags := flag.NewFlagSet("bench", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.IntVar(&cfg.Orders, "orders", cfg.Orders, "orders to generate (about 3 parcels and 30 events each); 1000000 is the full-size run")
	flags.IntVar(&cfg.Rounds, "rounds", cfg.Rounds, "polls over which each parcel's journey unfolds")
	flags.IntVar(&cfg.Queries, "queries", cfg.Queries, "samples per latency figure")
	flags.StringVar(&cfg.Dir, "dir", "", "keep the store files in `DIR` (default: a temporary directory, removed after)")
	flags.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "seed of the generated data")
	flags.StringVar(&cfg.CPUProfile, "cpuprofile", "", "write the ingest phase's CPU profile (the whole lifecycle run's, with --weeks) to `FILE` (for go tool pprof)")
	flags.IntVar(&cfg.Weeks, "weeks", 0, "run `N` weeks of --orders orders each, archiving as the desk does, and print each week (the lifecycle run)")
	retain := flags.String("retain", "3w", "with --weeks: how long finished orders stay in the hot file (21d, 3w, 504h)")
	if err := flags.Parse(args); err != nil {
		return err
	}
	switch {
	case flags.NArg() > 0:
		return fmt.Errorf("bench takes no arguments, got %q", flags.Arg(0))
	case cfg.Orders < 10 || cfg.Orders > 10_000_000:
		return fmt.Errorf("--orders must be between 10 and 10000000, got %d", cfg.Orders)
	case cfg.Rounds < 1 || cfg.Rounds > 20:
		return fmt.Errorf("--rounds must be between 1 and 20, got %d", cfg.Rounds)
	case cfg.Queries < 10:
		return fmt.Errorf("--queries must be at least 10, got %d", cfg.Queries)
	case cfg.Weeks < 0 || cfg.Weeks > 104:
		return fmt.Errorf("--weeks must be between 1 and 104, got %d", cfg.Weeks)
	}
	var err error
	if cfg.Retain, err = parseRetain(*retain); err != nil {
		return err
	}
	dir := cfg.Dir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "wismo-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if cfg.Weeks > 0 {
		fmt.Fprintf(stdout, "wismo bench: %d weeks of %d orders, finished orders kept hot for %s, %d poll rounds, %d samples per figure, in %s (%d CPUs, %s)\n",
			cfg.Weeks, cfg.Orders, cfg.Retain, cfg.Rounds, cfg.Queries, dir, runtime.NumCPU(), runtime.Version())
		stop, err := startProfile(cfg.CPUProfile)
		if err != nil {
			return err
		}
		defer stop()
		return lifecycle(cfg, dir, stdout)
	}
	fmt.Fprintf(stdout, "wismo bench: %d orders, %d poll rounds, %d samples per figure, in %s (%d CPUs, %s)\n\n",
		cfg.Orders, cfg.Rounds, cfg.Queries, dir, runtime.NumCPU(), runtime.Version())
	r, err := run(cfg, dir, stdout)
	if err != nil {
		return err
	}
	r.print(stdout)
	return nil
}

// report is what a run measured.
type report struct {
	orders, parcels, events, exceptions int

	intake     time.Duration
	ingest     time.Duration
	commits    int
	raw        time.Duration
	rawCommits int

	search     []latency // per key kind
	pages      []latency // per filter
	parcelView latency
	start      startTimes
	coldSearch []latency // per key kind, right after opening a cold file
	cold       string    // how the file was taken out of the page cache
	check      checkFigures

	peakLive, peakHeap, liveHeap uint64
	fileSize                     int64
}

// latency is one figure's name and its percentiles.
type latency struct {
	name     string
	p50, p99 time.Duration
}

// benchStart is when the dataset's first order is placed.
var benchStart = time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)

func run(cfg Config, dir string, progress io.Writer) (*report, error) {
	// A tenth more orders than measured: the ingest that runs beside the
	// background check adds them.
	extra := max(cfg.Orders/10, 10)
	d := newDataset(cfg.Seed, cfg.Orders+extra, benchStart)
	main, more := span{0, cfg.Orders}, span{cfg.Orders, cfg.Orders + extra}
	lo, hi := main.parcels(d)
	rep := &report{orders: cfg.Orders, parcels: hi - lo}
	path := filepath.Join(dir, "wismo.db")
	if err := removeStore(dir); err != nil {
		return nil, err
	}
	st, err := store.Open(path, store.Options{})
	if err != nil {
		return nil, err
	}
	defer func() {
		if st != nil {
			st.Close()
		}
	}()

	step(progress, "intake: orders and parcels")
	now := d.placedAt(cfg.Orders).Add(time.Hour)
	t0 := time.Now()
	if err := intake(st, d, main, now); err != nil {
		return nil, fmt.Errorf("intake: %w", err)
	}
	rep.intake = time.Since(t0)

	step(progress, "ingest: polls through the tracker and the store's writer")
	heap := watchHeap()
	stopProfile, err := startProfile(cfg.CPUProfile)
	if err != nil {
		return nil, err
	}
	t0 = time.Now()
	before := st.WriterStats()
	err = ingest(st, d, cfg.Rounds, now, progress)
	stopProfile()
	if err != nil {
		return nil, fmt.Errorf("ingest: %w", err)
	}
	rep.ingest = time.Since(t0)
	rep.peakLive, rep.peakHeap = heap.stop()
	rep.commits = st.WriterStats().Commits - before.Commits
	rep.events = d.events(main)

	step(progress, "baseline: raw bbolt puts of the same parcel records")
	perCommit := max(1, rep.events/max(rep.commits, 1))
	rawPath := filepath.Join(dir, "raw.db")
	if rep.raw, rep.rawCommits, err = rawPuts(rawPath, d, main, cfg.Rounds, perCommit); err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	// The desk's machine would not hold the baseline's file, and its pages
	// would crowd the store's out of the page cache for the queries.
	if err := os.Remove(rawPath); err != nil {
		return nil, err
	}

	step(progress, "queries")
	if rep.search, err = searchLatency(st, d, main, cfg.Queries); err != nil {
		return nil, err
	}
	if rep.pages, rep.exceptions, err = pageLatency(st, cfg.Queries); err != nil {
		return nil, err
	}
	if rep.parcelView, err = parcelLatency(st, d, main, cfg.Queries); err != nil {
		return nil, err
	}
	rep.liveHeap = liveHeap()
	if err := st.Close(); err != nil {
		return nil, err
	}
	st = nil
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	rep.fileSize = fi.Size()

	step(progress, "open to first page, warm and cold")
	if rep.start, err = measureStart(dir); err != nil {
		return nil, err
	}
	step(progress, "search right after opening a cold file")
	if rep.coldSearch, rep.cold, err = coldSearch(dir, d, main, cfg.Queries); err != nil {
		return nil, err
	}
	step(progress, "background check, alone and beside ingest")
	if rep.check, err = checkBesideIngest(path, d, more, cfg.Rounds); err != nil {
		return nil, err
	}
	return rep, nil
}

// removeStore clears what an earlier run left in dir: the store, its
// archives and the baseline's file.
func removeStore(dir string) error {
	for _, p := range []string{"wismo.db", "raw.db", "archive"} {
		if err := os.RemoveAll(filepath.Join(dir, p)); err != nil {
			return err
		}
	}
	return nil
}

// startProfile starts a CPU profile to path, if one is asked for, and
// returns what stops it.
func startProfile(path string) (func(), error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

func step(w io.Writer, what string) { fmt.Fprintf(w, "  %s %s\n", time.Now().Format("15:04:05"), what) }

// intake stores a span's orders and their parcels, a few thousand orders
// per transaction, each parcel due for its first poll at now.
func intake(st *store.Store, d *dataset, s span, now time.Time) error {
	const perTx = 5000
	for lo := s.lo; lo < s.hi; lo += perTx {
		err := st.Update(func(tx *store.Tx) error {
			for i := lo; i < min(lo+perTx, s.hi); i++ {
				o := d.order(i)
				for j := int(d.firsts[i]); j < int(d.firsts[i+1]); j++ {
					p := d.parcel(i, j)
					p.NextPollAt = now
					if err := tx.CreateParcel(&p); err != nil {
						return err
					}
					o.Parcels = append(o.Parcels, p.ID)
				}
				if err := tx.PutOrder(o); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// ingest runs the desk's tracker over the dataset's carriers: each round
// moves the clock on until every parcel still travelling is due, and polls
// until none is.
func ingest(st *store.Store, d *dataset, rounds int, now time.Time, progress io.Writer) error {
	var round atomic.Int32
	var feeds []carriers.Tracker
	for _, name := range carrierNames {
		feeds = append(feeds, feed{name: name, data: d, rounds: rounds, round: &round})
	}
	var clock atomic.Int64
	clock.Store(now.UnixNano())
	tr := tracker.New(st, feeds, func() time.Time { return time.Unix(0, clock.Load()).UTC() }, tracker.DefaultConfig(), nil)
	for r := range rounds {
		step(progress, fmt.Sprintf("  poll round %d of %d", r+1, rounds))
		round.Store(int32(r))
		// Two loops, as the tracker's Run has: one round's requests are out
		// while the other's answers are committed.
		var g errgroup.Group
		for range 2 {
			g.Go(func() error {
				for {
					n, err := tr.PollDue(context.Background())
					if err != nil || n == 0 {
						return err
					}
				}
			})
		}
		if err := g.Wait(); err != nil {
			return err
		}
		clock.Add(int64(6 * time.Hour)) // past every cadence, so all travelling parcels are due
	}
	return nil
}

// heapWatch samples the Go heap while work runs and keeps two peaks: the
// live heap (what the last collection kept) and the heap with the garbage
// not yet collected, which the collector lets grow to twice the live heap.
type heapWatch struct {
	done       chan struct{}
	wg         sync.WaitGroup
	live, peak uint64
}

func watchHeap() *heapWatch {
	h := &heapWatch{done: make(chan struct{})}
	h.wg.Go(func() {
		samples := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/heap/objects:bytes"}}
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(samples)
			h.live = max(h.live, samples[0].Value.Uint64())
			h.peak = max(h.peak, samples[1].Value.Uint64())
			select {
			case <-h.done:
				return
			case <-tick.C:
			}
		}
	})
	return h
}

func (h *heapWatch) stop() (live, peak uint64) {
	close(h.done)
	h.wg.Wait()
	return h.live, h.peak
}

// liveHeap is the heap still in use after a collection.
func liveHeap() uint64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	return sample[0].Value.Uint64()
}
