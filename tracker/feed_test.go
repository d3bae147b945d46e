package tracker

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/store"
)

// scripted is a carrier whose answers a test lays out in advance: the nth
// request gets errs[n] (nil for a good answer; past the end, good answers).
// It records when each request came, on the test's clock.
type scripted struct {
	name string
	// batch is MaxBatch; zero means 30.
	batch int
	mu    sync.Mutex
	errs  []error
	at    []time.Time
}

func (s *scripted) Carrier() string { return s.name }
func (s *scripted) MaxBatch() int   { return cmp.Or(s.batch, 30) }

func (s *scripted) Track(_ context.Context, numbers []string) ([]carriers.Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.at)
	s.at = append(s.at, time.Now())
	if n < len(s.errs) && s.errs[n] != nil {
		return nil, s.errs[n]
	}
	out := make([]carriers.Result, len(numbers))
	for i, tn := range numbers {
		out[i] = carriers.Result{TrackingNumber: tn, Shipments: []carriers.Shipment{{Carrier: s.name, TrackingNumber: tn}}}
	}
	return out, nil
}

func (s *scripted) requests() []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Time(nil), s.at...)
}

func httpErr(code int, retryAfter time.Duration) error {
	return &carriers.HTTPError{Code: code, RetryAfter: retryAfter}
}

// Each test runs in a synctest bubble: time there is a fake clock that
// jumps ahead whenever every goroutine waits, so backoffs, Retry-After and
// the breaker's timeout are checked to the nanosecond and take no real time.

func TestFeedRetriesTemporaryFailuresWithBackoff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := &scripted{name: "ups", errs: []error{httpErr(503, 0), errors.New("connection reset"), nil}}
		f := newFeed(c, FeedConfig{Tries: 3})
		res, err := f.track(context.Background(), []string{"1Z1"})
		if err != nil || len(res) != 1 {
			t.Fatalf("track = %v, %v; want the third try's answer", res, err)
		}
		at := c.requests()
		if len(at) != 3 {
			t.Fatalf("%d requests, want 3", len(at))
		}
		// The default backoff starts near 500 ms with ±50% jitter, then
		// grows by 1.5.
		if d := at[1].Sub(at[0]); d < 250*time.Millisecond || d > 750*time.Millisecond {
			t.Errorf("first backoff %v, want 500ms ± 50%%", d)
		}
		h := f.snapshot()
		if h.Requests != 3 || h.Failures != 2 || h.ConsecutiveFailures != 0 || h.LastSuccess.IsZero() {
			t.Errorf("health = %+v, want 3 requests, 2 failures, and a success last", h)
		}
	})
}

func TestFeedWaitsWhatRetryAfterAsks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := &scripted{name: "usps", errs: []error{httpErr(http.StatusTooManyRequests, 7*time.Second)}}
		f := newFeed(c, FeedConfig{Tries: 2})
		if _, err := f.track(context.Background(), []string{"94001"}); err != nil {
			t.Fatal(err)
		}
		at := c.requests()
		if len(at) != 2 || at[1].Sub(at[0]) != 7*time.Second {
			t.Errorf("requests at %v, want the second exactly 7s after the first", at)
		}
		// Other workers of the feed wait out the same pause.
		c.errs = append(c.errs, nil, httpErr(http.StatusTooManyRequests, 3*time.Second))
		start := time.Now()
		var wg sync.WaitGroup
		for range 2 {
			wg.Go(func() { f.track(context.Background(), []string{"94002"}) })
		}
		wg.Wait()
		if d := time.Since(start); d < 3*time.Second {
			t.Errorf("a 429 with Retry-After 3 held the feed %v", d)
		}
	})
}

func TestFeedDoesNotRetryPermanentErrors(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := &scripted{name: "fedex", errs: []error{httpErr(http.StatusBadRequest, 0)}}
		f := newFeed(c, FeedConfig{Tries: 5})
		_, err := f.track(context.Background(), []string{"7777"})
		var he *carriers.HTTPError
		if !errors.As(err, &he) || he.Code != 400 || len(c.requests()) != 1 {
			t.Errorf("err = %v after %d requests; want the 400 after one", err, len(c.requests()))
		}
		if h := f.snapshot(); h.ConsecutiveFailures != 1 || !strings.Contains(h.LastError, "400") {
			t.Errorf("health = %+v, want the 400 recorded", h)
		}
	})
}

func TestBreakerOpensThenLetsOneTrialThrough(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		down := httpErr(http.StatusBadGateway, 0)
		c := &scripted{name: "dhl", errs: []error{down, down, down}}
		f := newFeed(c, FeedConfig{Tries: 1, BreakAfter: 3, BreakFor: time.Minute})
		for range 3 {
			f.track(context.Background(), []string{"JJD1"})
		}
		if _, err := f.track(context.Background(), []string{"JJD1"}); !errors.Is(err, errPaused) {
			t.Fatalf("fourth track: err = %v, want errPaused", err)
		}
		if n := len(c.requests()); n != 3 {
			t.Errorf("%d requests reached the carrier, want 3: an open breaker sends none", n)
		}
		if h := f.snapshot(); h.Breaker != "open" || h.ConsecutiveFailures != 3 || !strings.Contains(h.LastError, "502") {
			t.Errorf("health = %+v, want the breaker open after 3 failed requests, the 502 still the last error", h)
		}
		if f.roundShare() != 0 {
			t.Error("an open breaker's feed still takes a share of poll rounds")
		}
		time.Sleep(time.Minute + time.Second)
		if _, err := f.track(context.Background(), []string{"JJD1"}); err != nil {
			t.Fatalf("trial after BreakFor: %v", err)
		}
		if h := f.snapshot(); h.Breaker != "closed" || h.ConsecutiveFailures != 0 {
			t.Errorf("health = %+v, want the breaker closed by the good trial", h)
		}
	})
}

func TestFeedKeepsItsRateLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := &scripted{name: "dhl"}
		f := newFeed(c, FeedConfig{Rate: 2, Burst: 1, Workers: 4})
		start := time.Now()
		var wg sync.WaitGroup
		for range 5 {
			wg.Go(func() { f.track(context.Background(), []string{"JJD1"}) })
		}
		wg.Wait()
		// One at once, then one every 500 ms.
		if d := time.Since(start); d != 2*time.Second {
			t.Errorf("5 requests at 2/s took %v, want 2s", d)
		}
	})
}

func TestPausedFeedDefersParcelsWithoutCountingFailures(t *testing.T) {
	st := openStore(t)
	first := addParcel(t, st, "JJD1", t0)
	second := addParcel(t, st, "JJD2", t0.Add(time.Minute))
	down := httpErr(http.StatusServiceUnavailable, 0)
	c := &scripted{name: "dhl", batch: 1, errs: []error{down}}
	clk := newClock(t0.Add(time.Hour))
	cfg := DefaultConfig()
	cfg.Feed = FeedConfig{Tries: 1, Workers: 1, BreakAfter: 1, BreakFor: time.Hour}
	tr := New(st, []carriers.Tracker{c}, clk.Now, cfg, nil)
	// One worker: the first parcel's request fails and opens the breaker,
	// so the second is never asked.
	if n, err := tr.PollDue(context.Background()); n != 2 || err != nil {
		t.Fatalf("PollDue = %d, %v", n, err)
	}
	if p := detail(t, st, first).Parcel; p.PollFailures != 1 {
		t.Errorf("the failed parcel has %d failures, want 1", p.PollFailures)
	}
	p := detail(t, st, second).Parcel
	if p.PollFailures != 0 || !strings.Contains(p.LastError, "paused") || !p.NextPollAt.Equal(clk.Now().Add(cfg.Defer)) {
		t.Errorf("paused parcel = failures %d, error %q, next %v; want no failure, the pause named, next poll after Defer",
			p.PollFailures, p.LastError, p.NextPollAt)
	}
	// While the breaker is open its feed's parcels are not taken at all.
	clk.Add(24 * time.Hour)
	if n, err := tr.PollDue(context.Background()); n != 0 || err != nil || len(c.requests()) != 1 {
		t.Errorf("PollDue with the breaker open = %d, %v after %d requests; want nothing taken", n, err, len(c.requests()))
	}
}

func TestChooseFollowsTheParcelsShipment(t *testing.T) {
	at := func(h int) []carriers.Event { return []carriers.Event{{Time: t0.Add(time.Duration(h) * time.Hour)}} }
	old := carriers.Shipment{TrackingNumber: "7001", Ref: "2024~7001", Events: at(1)}
	recent := carriers.Shipment{TrackingNumber: "7001", Ref: "2026~7001", Events: at(5)}
	piece := carriers.Shipment{TrackingNumber: "1ZPIECE2", Ref: "1ZPIECE2", Events: at(9)}
	tests := []struct {
		name      string
		p         store.Parcel
		shipments []carriers.Shipment
		want      string
		notFound  bool
	}{
		{"unbound takes the newest", store.Parcel{TrackingNumber: "7001"}, []carriers.Shipment{old, recent}, "2026~7001", false},
		{"bound keeps its own", store.Parcel{TrackingNumber: "7001", CarrierRef: "2024~7001"}, []carriers.Shipment{old, recent}, "2024~7001", false},
		{"bound shipment gone", store.Parcel{TrackingNumber: "7001", CarrierRef: "2020~7001"}, []carriers.Shipment{old, recent}, "", true},
		{"multi-piece takes its own number", store.Parcel{TrackingNumber: "7001"}, []carriers.Shipment{piece, old}, "2024~7001", false},
		{"nothing reported", store.Parcel{TrackingNumber: "7001"}, nil, "", true},
	}
	for _, tt := range tests {
		s, err := choose(tt.p, tt.shipments)
		if tt.notFound != errors.Is(err, carriers.ErrNotFound) || s.Ref != tt.want {
			t.Errorf("%s: %q, %v; want %q (not found %v)", tt.name, s.Ref, err, tt.want, tt.notFound)
		}
	}
}

func TestCadenceFollowsTheParcelsStatus(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Cadence = map[store.Status]time.Duration{store.StatusOutForDelivery: 10 * time.Minute}
	tr := New(openStore(t), []carriers.Tracker{&scripted{name: "dhl"}}, time.Now, cfg, nil)
	tr.Webhooks(Hook{Webhook: signedPush{}})
	now := t0
	tests := []struct {
		p    store.Parcel
		want time.Time
	}{
		{store.Parcel{Carrier: "dhl", Status: store.StatusOutForDelivery}, now.Add(10 * time.Minute)},
		{store.Parcel{Carrier: "dhl", Status: store.StatusInTransit}, now.Add(time.Hour)},
		{store.Parcel{Carrier: "dhl", Status: store.StatusPending}, now.Add(2 * time.Hour)},
		{store.Parcel{Carrier: "dhl", Status: store.StatusDelivered}, time.Time{}},
		{store.Parcel{Carrier: "dhl", Status: store.StatusReturned}, time.Time{}},
		{store.Parcel{Carrier: "dpd", Feed: "pushco", Status: store.StatusInTransit}, time.Time{}},
	}
	for _, tt := range tests {
		if got := tr.nextPoll(tt.p, now); !got.Equal(tt.want) {
			t.Errorf("%s/%s %s: next poll %v, want %v", tt.p.Carrier, tt.p.Feed, tt.p.Status, got, tt.want)
		}
	}
}

// A rate-limited feed takes only what it can answer in about roundBudget
// of a round; the rest of the round goes to the other feeds' parcels.
func TestRateLimitedFeedTakesItsShareOfARound(t *testing.T) {
	// The store lives in the bubble too: its writer answers on channels
	// the bubble's goroutines wait on.
	synctest.Test(t, func(t *testing.T) {
		st := openStore(t)
		for i := range 30 {
			addParcel(t, st, fmt.Sprintf("JJD%02d", i), t0)
		}
		for i := range 5 {
			addFeedParcel(t, st, "ups", "", fmt.Sprintf("1Z%02d", i), t0.Add(time.Minute))
		}
		cfg := DefaultConfig()
		cfg.Feeds = map[string]FeedConfig{"dhl": {Rate: 0.2, Burst: 1}}
		slow, fast := &scripted{name: "dhl", batch: 1}, &scripted{name: "ups"}
		tr := New(st, []carriers.Tracker{slow, fast}, newClock(t0.Add(time.Hour)).Now, cfg, nil)
		if n, err := tr.PollDue(context.Background()); n != 2+5 || err != nil {
			t.Errorf("PollDue = %d, %v; want DHL's 2 (0.2/s for 10 s) and all 5 UPS parcels", n, err)
		}
		if len(slow.requests()) != 2 || len(fast.requests()) != 1 {
			t.Errorf("%d DHL and %d UPS requests; want 2 and one batch", len(slow.requests()), len(fast.requests()))
		}
	})
}

// An event whose code no table knows is kept, changes nothing, and is
// counted under its feed, once however often it is reported.
func TestUnmappedCodesAreCountedOnce(t *testing.T) {
	st := openStore(t)
	id := addParcel(t, st, "JJD1", t0)
	tr, _ := newTracker(st, newClock(t0.Add(time.Hour)))
	odd := carriers.Event{Time: t0, LocalTime: "2026-11-02T09:00:00", RawCode: "ZZ", RawSubcode: "Q",
		RawText: "Held at hub", Status: carriers.StatusUnknown, Rule: "dhl/unrecognized-code", Unmapped: true}
	moving := carriers.Event{Time: t0.Add(-time.Hour), LocalTime: "2026-11-02T08:00:00", RawCode: "transit",
		Status: carriers.StatusInTransit, Rule: "dhl/transit"}
	ingest(t, tr, id, []carriers.Event{moving, odd}, []carriers.Event{odd})
	got, err := st.UnmappedCodes()
	if err != nil || len(got) != 1 || got[0] != (store.CodeCount{Carrier: "dhl", Code: "ZZ/Q", Events: 1}) {
		t.Errorf("UnmappedCodes = %v, %v; want dhl ZZ/Q once", got, err)
	}
	if d := detail(t, st, id); d.Parcel.Status != store.StatusInTransit || len(d.Events) != 2 {
		t.Errorf("parcel %s with %d events; want in_transit, the odd event kept", d.Parcel.Status, len(d.Events))
	}
}

// A Retry-After longer than a round can hold pauses the feed at once: no
// worker sleeps it out inside the round, no request goes out until it has
// passed, and the feed takes no share of poll rounds meanwhile.
func TestLongRetryAfterPausesTheFeed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := &scripted{name: "ups", errs: []error{httpErr(http.StatusTooManyRequests, time.Hour)}}
		f := newFeed(c, FeedConfig{Tries: 3})
		start := time.Now()
		_, err := f.track(context.Background(), []string{"1Z1"})
		if !errors.Is(err, errPaused) || time.Since(start) != 0 || !strings.Contains(err.Error(), "429") {
			t.Fatalf("track = %v after %v; want errPaused naming the 429, at once", err, time.Since(start))
		}
		if _, err := f.track(context.Background(), []string{"1Z2"}); !errors.Is(err, errPaused) || len(c.requests()) != 1 {
			t.Errorf("during the wait: %v after %d requests; want paused with no new request", err, len(c.requests()))
		}
		if f.roundShare() != 0 {
			t.Error("a paused feed still takes a share of poll rounds")
		}
		if h := f.snapshot(); h.ConsecutiveFailures != 1 || !strings.Contains(h.LastError, "429") {
			t.Errorf("health = %+v; want the 429 recorded once", h)
		}
		time.Sleep(time.Hour)
		if _, err := f.track(context.Background(), []string{"1Z3"}); err != nil || f.roundShare() == 0 {
			t.Errorf("after the wait: %v, share %d; want the feed back", err, f.roundShare())
		}
	})
}
