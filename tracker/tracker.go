package tracker

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/store"
)

// Config tunes the tracker. The rules' thresholds, RetainFor and Cadence
// are in the tracker's clock (simulated time in the demo); Tick and
// SweepEvery are wall-clock. A field left zero takes its DefaultConfig
// value, LateGrace's being zero.
type Config struct {
	// Batch is how many due parcels one poll round takes.
	Batch int
	// Tick is how often the scheduler looks for due parcels when idle.
	Tick time.Duration
	// SweepEvery is how often the time rules (stalled, never scanned,
	// late) run.
	SweepEvery time.Duration
	// StallAfter is how long a moving parcel may go without a scan before
	// it is flagged stalled; StallAfterByCarrier sets it for the carriers
	// it names (one that scans seldom at night or on weekends, say).
	StallAfter          time.Duration
	StallAfterByCarrier map[string]time.Duration
	// NeverScannedAfter is how long a parcel may wait for the carrier's
	// first scan after its label was made (it shipped, or was stored)
	// before it is flagged: the parcel nobody handed over.
	NeverScannedAfter time.Duration
	// LateGrace is how long after its promised day ends an undelivered
	// parcel may go before it is flagged late; zero flags it as the day
	// ends.
	LateGrace time.Duration
	// ETASlip is how far past the first ETA the carrier gave a new one may
	// move before the parcel is flagged delayed; a move of exactly ETASlip
	// is tolerated, so by default a date-only ETA may move one day.
	ETASlip time.Duration
	// RetainFor is how long a finished order (every parcel delivered,
	// returned or expired, every exception resolved) stays in the hot
	// store after its last activity before it moves to the archive.
	RetainFor time.Duration
	// Cadence is how long to wait before asking again about a parcel in
	// each status; a status left out keeps its default, and a terminal
	// status is never asked about again.
	Cadence map[store.Status]time.Duration
	// Defer is how long parcels wait when their feed is paused or its
	// breaker is open.
	Defer time.Duration
	// Feeds tunes each feed by name; a feed not listed gets Feed.
	Feeds map[string]FeedConfig
	Feed  FeedConfig
	// CheckEvery is how often the store's file is checked for damage in
	// the background (wall-clock); it is checked at once, too, when the
	// process before did not close it.
	CheckEvery time.Duration
}

// DefaultConfig is a sensible production configuration.
func DefaultConfig() Config {
	return Config{
		Batch:             1024,
		Tick:              250 * time.Millisecond,
		SweepEvery:        time.Second,
		StallAfter:        48 * time.Hour,
		NeverScannedAfter: 48 * time.Hour,
		ETASlip:           24 * time.Hour,
		RetainFor:         90 * 24 * time.Hour,
		Cadence:           defaultCadence(),
		Defer:             5 * time.Minute,
		Feed:              DefaultFeedConfig(),
		CheckEvery:        24 * time.Hour,
	}
}

// defaultCadence asks often when something is about to happen, rarely when
// nothing will.
func defaultCadence() map[store.Status]time.Duration {
	return map[store.Status]time.Duration{
		store.StatusPending:            2 * time.Hour,
		store.StatusInfoReceived:       2 * time.Hour,
		store.StatusUnknown:            2 * time.Hour,
		store.StatusInTransit:          time.Hour,
		store.StatusOutForDelivery:     30 * time.Minute,
		store.StatusAttemptFailed:      time.Hour,
		store.StatusException:          time.Hour,
		store.StatusAvailableForPickup: 4 * time.Hour,
		store.StatusReturning:          4 * time.Hour,
	}
}

// Tracker keeps the store in step with the carriers.
type Tracker struct {
	store *store.Store
	feeds map[string]*feed
	now   func() time.Time
	cfg   Config
	log   *slog.Logger

	mu     sync.Mutex
	inHand map[store.ParcelID]struct{} // parcels a poll round is working on

	notifier *Notifier // nil: customers are not told automatically

	// pushMu guards push apart from mu: the writer reads push while a poll
	// round may hold mu across a read transaction.
	pushMu sync.Mutex
	push   map[string]*FeedHealth // webhook providers, by name

	// pauseWrite orders pauses and resumes, each its store write and then
	// paused; pauseMu guards paused, the feeds a supervisor paused, by
	// name, for a moment only.
	pauseWrite sync.Mutex
	pauseMu    sync.Mutex
	paused     map[string]store.FeedPause
}

// New returns a tracker over st that asks the given carriers, reading time
// from now. A nil log discards.
func New(st *store.Store, trackers []carriers.Tracker, now func() time.Time, cfg Config, log *slog.Logger) *Tracker {
	cfg = cfg.withDefaults()
	feeds := make(map[string]*feed, len(trackers))
	for _, c := range trackers {
		fc, ok := cfg.Feeds[c.Carrier()]
		if !ok {
			fc = cfg.Feed
		}
		feeds[c.Carrier()] = newFeed(c, fc)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Tracker{store: st, feeds: feeds, now: now, cfg: cfg, log: log,
		inHand: map[store.ParcelID]struct{}{}, push: map[string]*FeedHealth{}, paused: loadPauses(st, log)}
}

// withDefaults fills zero fields from DefaultConfig: zero Batch would poll
// nothing, and a zero Tick or SweepEvery make Run panic.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	c.Batch = positive(c.Batch, d.Batch)
	c.Tick = positive(c.Tick, d.Tick)
	c.SweepEvery = positive(c.SweepEvery, d.SweepEvery)
	c.StallAfter = positive(c.StallAfter, d.StallAfter)
	c.StallAfterByCarrier = positiveOnly(c.StallAfterByCarrier)
	c.NeverScannedAfter = positive(c.NeverScannedAfter, d.NeverScannedAfter)
	c.LateGrace = max(c.LateGrace, 0)
	c.ETASlip = positive(c.ETASlip, d.ETASlip)
	c.RetainFor = positive(c.RetainFor, d.RetainFor)
	c.Defer = positive(c.Defer, d.Defer)
	c.CheckEvery = positive(c.CheckEvery, d.CheckEvery)
	cadence := d.Cadence
	for s, every := range c.Cadence {
		if every > 0 {
			cadence[s] = every
		}
	}
	c.Cadence = cadence
	c.Feed = c.Feed.withDefaults()
	return c
}

// positiveOnly copies the thresholds that are set; a zero one falls back
// to the default rather than flag every parcel at once.
func positiveOnly(m map[string]time.Duration) map[string]time.Duration {
	if m == nil {
		return nil
	}
	out := make(map[string]time.Duration, len(m))
	for k, d := range m {
		if d > 0 {
			out[k] = d
		}
	}
	return out
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
			if err := t.WakeSnoozed(); err != nil {
				t.log.Error("wake snoozed exceptions", "err", err)
			}
			if err := t.Retire(); err != nil {
				t.log.Error("archive", "err", err)
			}
			if err := t.forgetDeliveries(); err != nil {
				t.log.Error("forget webhook deliveries", "err", err)
			}
		})
	})
	wg.Go(func() { t.checkLoop(ctx) })
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
