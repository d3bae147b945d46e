package tracker

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cenkalti/backoff/v5"
	"github.com/sony/gobreaker/v2"
	"golang.org/x/time/rate"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/store"
)

// FeedConfig tunes how the tracker talks to one carrier feed.
type FeedConfig struct {
	// Rate is how many requests a second the carrier allows; zero means
	// no limit. Burst is how many may go at once after a quiet spell.
	Rate  float64
	Burst int
	// Workers is how many requests to this feed run at once.
	Workers int
	// Timeout bounds one request.
	Timeout time.Duration
	// Tries is how many times one batch is asked before the round gives
	// up on it: a 429 or 5xx is tried again after an exponential backoff
	// with jitter, or after the carrier's Retry-After when it sent one.
	Tries int
	// BreakAfter consecutive failed requests open the feed's circuit
	// breaker; BreakFor later one trial request is let through, and its
	// success closes the breaker again.
	BreakAfter int
	BreakFor   time.Duration
}

// DefaultFeedConfig suits a carrier API that states no limits.
func DefaultFeedConfig() FeedConfig {
	return FeedConfig{Workers: 4, Timeout: 15 * time.Second, Tries: 3, BreakAfter: 5, BreakFor: 30 * time.Second}
}

// withDefaults fills zero fields from DefaultFeedConfig.
func (c FeedConfig) withDefaults() FeedConfig {
	d := DefaultFeedConfig()
	c.Workers = positive(c.Workers, d.Workers)
	c.Timeout = positive(c.Timeout, d.Timeout)
	c.Tries = positive(c.Tries, d.Tries)
	c.BreakAfter = positive(c.BreakAfter, d.BreakAfter)
	c.BreakFor = positive(c.BreakFor, d.BreakFor)
	return c
}

// positive is v, or def when v is zero or negative.
func positive[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// FeedHealth is how one carrier feed is doing, as data the desk can show.
// Times are wall-clock.
type FeedHealth struct {
	Feed string
	// Poll and Push say how the feed reaches the desk: asked by the
	// tracker, posted to the webhook receiver, or both.
	Poll, Push  bool
	LastSuccess time.Time
	LastFailure time.Time
	// LastError is the newest failure's text; it stays after a success so
	// the desk can show what went wrong last, with LastFailure to date it.
	LastError           string
	ConsecutiveFailures int
	// Breaker is the circuit breaker's state: closed, open or half-open.
	Breaker string
	// Lag is how overdue the most overdue parcel of the feed's last poll
	// round was: how far the feed is behind its cadence.
	Lag time.Duration
	// Requests and Failures count poll requests; Deliveries and Rejected
	// count signed webhook calls applied and refused, Unverified the calls
	// refused before a signature vouched for them (unsigned, wrongly
	// signed, oversized).
	Requests, Failures               int
	Deliveries, Rejected, Unverified int
	// Held counts webhook calls turned away, to be sent again, while the
	// feed was paused.
	Held int
	// Pause is a supervisor's pause of the feed, when it is paused.
	Pause store.FeedPause
}

// Paused reports whether a supervisor paused the feed.
func (h FeedHealth) Paused() bool { return h.Pause.Feed != "" }

// feed wraps one carrier with what every carrier needs: a rate limit,
// retries, a circuit breaker and a health record.
type feed struct {
	carrier carriers.Tracker
	cfg     FeedConfig
	limiter *rate.Limiter
	breaker *gobreaker.CircuitBreaker[[]carriers.Result]

	mu     sync.Mutex
	health FeedHealth
	// pauseUntil is when the carrier's last Retry-After ends: no request
	// of any worker goes out before it.
	pauseUntil time.Time
}

func newFeed(c carriers.Tracker, cfg FeedConfig) *feed {
	cfg = cfg.withDefaults()
	limit, burst := rate.Inf, cfg.Burst
	if cfg.Rate > 0 {
		limit, burst = rate.Limit(cfg.Rate), max(burst, 1)
	}
	f := &feed{carrier: c, cfg: cfg, limiter: rate.NewLimiter(limit, burst),
		health: FeedHealth{Feed: c.Carrier(), Poll: true}}
	f.breaker = gobreaker.NewCircuitBreaker[[]carriers.Result](gobreaker.Settings{
		Name:        c.Carrier(),
		MaxRequests: 1,
		Timeout:     cfg.BreakFor,
		ReadyToTrip: func(n gobreaker.Counts) bool { return n.ConsecutiveFailures >= uint32(cfg.BreakAfter) },
		// A request the desk itself cancelled says nothing about the
		// carrier.
		IsExcluded: func(err error) bool { return errors.Is(err, context.Canceled) },
	})
	return f
}

// roundBudget is about how long one poll round may spend on a rate-limited
// feed.
const roundBudget = 10 * time.Second

// roundShare is how many parcels one poll round gives the feed: none while
// its breaker is open or it waits out a carrier's Retry-After (its parcels
// stay due, unwritten, for a later round), one batch for the breaker's
// trial request, else unlimited without a rate limit and otherwise as many
// as the limit lets through in roundBudget, a whole batch at least.
func (f *feed) roundShare() int {
	batch := max(f.carrier.MaxBatch(), 1)
	f.mu.Lock()
	held := time.Until(f.pauseUntil) > 0
	f.mu.Unlock()
	switch {
	case held || f.breaker.State() == gobreaker.StateOpen:
		return 0
	case f.breaker.State() == gobreaker.StateHalfOpen:
		return batch
	case f.cfg.Rate <= 0:
		return math.MaxInt
	}
	return max(int(f.cfg.Rate*roundBudget.Seconds()), 1) * batch
}

// maxHold is the longest a worker waits, inside a poll round, for a
// carrier's Retry-After. A longer wait would hold the round, and with it
// every other feed's answers, so the feed's parcels are deferred instead.
const maxHold = roundBudget

// errPaused reports a batch not asked about because the feed is paused:
// its breaker is open, or the carrier asked to wait longer than maxHold.
// Its parcels wait and are asked again; it is no failure of theirs.
var errPaused = errors.New("feed paused")

// track asks the carrier about numbers, within the feed's limits, trying
// a temporary failure again. The error wraps errPaused when the feed is
// paused.
func (f *feed) track(ctx context.Context, numbers []string) ([]carriers.Result, error) {
	res, err := backoff.Retry(ctx, func() ([]carriers.Result, error) {
		return f.attempt(ctx, numbers)
	}, backoff.WithMaxTries(uint(f.cfg.Tries)), backoff.WithMaxElapsedTime(0))
	if errors.Is(err, gobreaker.ErrOpenState) || errors.Is(err, gobreaker.ErrTooManyRequests) {
		return nil, fmt.Errorf("%w: circuit breaker open after repeated failures", errPaused)
	}
	var he *carriers.HTTPError
	if !errors.Is(err, errPaused) || errors.As(err, &he) {
		f.record(err) // a request went out: its outcome is the feed's
	}
	return res, err
}

// attempt makes one request, and tells backoff.Retry what to do next:
// nothing after a success or a permanent error, wait the carrier's
// Retry-After, or back off.
func (f *feed) attempt(ctx context.Context, numbers []string) ([]carriers.Result, error) {
	if err := f.wait(ctx); err != nil {
		return nil, backoff.Permanent(err)
	}
	res, err := f.breaker.Execute(func() ([]carriers.Result, error) {
		ctx, cancel := context.WithTimeout(ctx, f.cfg.Timeout)
		defer cancel()
		return f.carrier.Track(ctx, numbers)
	})
	f.count(err)
	var he *carriers.HTTPError
	switch {
	case err == nil:
		return res, nil
	case errors.As(err, &he) && he.Temporary():
		if he.RetryAfter > maxHold {
			f.pause(he.RetryAfter)
			return nil, backoff.Permanent(fmt.Errorf("%w: the carrier asked to wait %s: %w", errPaused, he.RetryAfter, err))
		}
		if he.RetryAfter > 0 {
			f.pause(he.RetryAfter)
			return nil, retryAfter{err, he.RetryAfter}
		}
		return nil, err
	case errors.As(err, &he), errors.Is(err, gobreaker.ErrOpenState), errors.Is(err, gobreaker.ErrTooManyRequests):
		return nil, backoff.Permanent(err)
	}
	return nil, err // transport failures and timeouts: try again
}

// retryAfter is a failure the carrier said to retry after a given wait. It
// reads as the carrier's error and, to backoff.Retry, as its RetryAfterError.
type retryAfter struct {
	err  error
	wait time.Duration
}

func (r retryAfter) Error() string { return r.err.Error() }
func (r retryAfter) Unwrap() error { return r.err }

// As lets backoff.Retry find the wait the carrier asked for.
func (r retryAfter) As(target any) bool {
	t, ok := target.(**backoff.RetryAfterError)
	if ok {
		*t = &backoff.RetryAfterError{Duration: r.wait}
	}
	return ok
}

// wait holds a request until the carrier's Retry-After has passed and the
// rate limit allows it; a Retry-After reaching past maxHold pauses the
// batch instead.
func (f *feed) wait(ctx context.Context) error {
	f.mu.Lock()
	until := f.pauseUntil
	f.mu.Unlock()
	d := time.Until(until)
	if d > maxHold {
		return fmt.Errorf("%w: the carrier asked to wait until %s", errPaused, until.UTC().Format(time.RFC3339))
	}
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
	return f.limiter.Wait(ctx)
}

func (f *feed) pause(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if until := time.Now().Add(d); until.After(f.pauseUntil) {
		f.pauseUntil = until
	}
}

// count records one request in the totals.
func (f *feed) count(err error) {
	if errors.Is(err, gobreaker.ErrOpenState) || errors.Is(err, gobreaker.ErrTooManyRequests) {
		return // not sent
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.health.Requests++
	if err != nil && !errors.Is(err, context.Canceled) {
		f.health.Failures++
	}
}

// record notes how a batch ended, after its retries.
func (f *feed) record(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	noteOutcome(&f.health, err)
}

// noteOutcome updates a health record with one outcome, success when err is
// nil. A cancelled request is no outcome.
func noteOutcome(h *FeedHealth, err error) {
	switch {
	case errors.Is(err, context.Canceled):
	case err == nil:
		h.LastSuccess, h.ConsecutiveFailures = time.Now(), 0
	default:
		h.LastFailure, h.LastError = time.Now(), err.Error()
		h.ConsecutiveFailures++
	}
}

// noteLag records how overdue the feed's last round was.
func (f *feed) noteLag(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.health.Lag = max(d, 0)
}

// snapshot is the feed's health now.
func (f *feed) snapshot() FeedHealth {
	f.mu.Lock()
	defer f.mu.Unlock()
	h := f.health
	h.Breaker = f.breaker.State().String()
	return h
}

// Health reports every feed's health, polled and pushed, by name.
func (t *Tracker) Health() []FeedHealth {
	byName := map[string]FeedHealth{}
	for name, f := range t.feeds {
		byName[name] = f.snapshot()
	}
	t.pushMu.Lock()
	for name, h := range t.push {
		got := byName[name]
		got.Feed, got.Push = name, true
		got.Deliveries, got.Rejected, got.Unverified, got.Held = h.Deliveries, h.Rejected, h.Unverified, h.Held
		if h.LastSuccess.After(got.LastSuccess) {
			got.LastSuccess = h.LastSuccess
		}
		if h.LastFailure.After(got.LastFailure) {
			got.LastFailure, got.LastError = h.LastFailure, h.LastError
		}
		got.ConsecutiveFailures += h.ConsecutiveFailures
		if got.Breaker == "" {
			got.Breaker = "n/a"
		}
		byName[name] = got
	}
	t.pushMu.Unlock()
	paused := t.pauses()
	out := make([]FeedHealth, 0, len(byName))
	for _, h := range byName {
		h.Pause = paused[h.Feed]
		out = append(out, h)
	}
	slices.SortFunc(out, func(a, b FeedHealth) int { return strings.Compare(a.Feed, b.Feed) })
	return out
}
