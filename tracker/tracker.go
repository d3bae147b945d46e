package tracker

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/store"
)

// Config tunes the tracker. Durations named "after" or "cadence" are in the
// tracker's clock (simulated time in the demo); Tick and SweepEvery are
// wall-clock. A field left zero takes its DefaultConfig value.
type Config struct {
	// Workers is how many carrier requests run at once.
	Workers int
	// Batch is how many due parcels one poll round takes.
	Batch int
	// Tick is how often the scheduler looks for due parcels when idle.
	Tick time.Duration
	// SweepEvery is how often the stall rule runs.
	SweepEvery time.Duration
	// StallAfter is how long a moving parcel may go without a scan before
	// it is flagged stalled.
	StallAfter time.Duration
	// RetainFor is how long a finished order (every parcel delivered,
	// returned or expired, every exception resolved) stays in the hot
	// store after its last activity before it moves to the archive.
	RetainFor time.Duration
}

// DefaultConfig is a sensible production configuration.
func DefaultConfig() Config {
	return Config{
		Workers:    8,
		Batch:      1024,
		Tick:       250 * time.Millisecond,
		SweepEvery: time.Second,
		StallAfter: 48 * time.Hour,
		RetainFor:  90 * 24 * time.Hour,
	}
}

// Tracker keeps the store in step with the carriers.
type Tracker struct {
	store    *store.Store
	carriers map[string]carriers.Tracker
	now      func() time.Time
	cfg      Config
	log      *slog.Logger

	mu     sync.Mutex
	inHand map[store.ParcelID]struct{} // parcels a poll round is working on
}

// New returns a tracker over st that asks the given carriers, reading time
// from now. A nil log discards.
func New(st *store.Store, trackers []carriers.Tracker, now func() time.Time, cfg Config, log *slog.Logger) *Tracker {
	byName := make(map[string]carriers.Tracker, len(trackers))
	for _, c := range trackers {
		byName[c.Carrier()] = c
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Tracker{store: st, carriers: byName, now: now, cfg: cfg.withDefaults(), log: log,
		inHand: map[store.ParcelID]struct{}{}}
}

// withDefaults fills zero fields from DefaultConfig: zero Workers would
// block every poll round, zero Batch poll nothing, and a zero Tick or
// SweepEvery make Run panic.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.Workers <= 0 {
		c.Workers = d.Workers
	}
	if c.Batch <= 0 {
		c.Batch = d.Batch
	}
	if c.Tick <= 0 {
		c.Tick = d.Tick
	}
	if c.SweepEvery <= 0 {
		c.SweepEvery = d.SweepEvery
	}
	if c.StallAfter <= 0 {
		c.StallAfter = d.StallAfter
	}
	if c.RetainFor <= 0 {
		c.RetainFor = d.RetainFor
	}
	return c
}

// Run polls and sweeps until ctx ends. Failures of single rounds are logged
// and the work goes on: a broken feed must not stop the desk.
func (t *Tracker) Run(ctx context.Context) {
	var wg sync.WaitGroup
	wg.Go(func() {
		t.every(ctx, t.cfg.SweepEvery, func() {
			if err := t.Sweep(); err != nil {
				t.log.Error("sweep", "err", err)
			}
			if err := t.Retire(); err != nil {
				t.log.Error("archive", "err", err)
			}
		})
	})
	// Two poll loops: while one round's answers wait for their commit, the
	// other's requests are out, so neither the carriers nor the store's
	// writer sit idle.
	for range 2 {
		wg.Go(func() { t.pollLoop(ctx) })
	}
	wg.Wait()
}

// pollLoop runs poll rounds back to back while parcels are due and rests a
// tick when none are.
func (t *Tracker) pollLoop(ctx context.Context) {
	for ctx.Err() == nil {
		n, err := t.PollDue(ctx)
		if err != nil && ctx.Err() == nil {
			t.log.Error("poll round", "err", err)
		}
		if n < t.cfg.Batch || err != nil {
			sleep(ctx, t.cfg.Tick)
		}
	}
}

func (t *Tracker) every(ctx context.Context, d time.Duration, fn func()) {
	tick := time.NewTicker(d)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			fn()
		}
	}
}

func sleep(ctx context.Context, d time.Duration) {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
	case <-timer.C:
	}
}
