package tracker

import (
	"context"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/carriers/aftership"
	"github.com/wismo/wismo/carriers/carrierstest"
	"github.com/wismo/wismo/carriers/dhl"
	"github.com/wismo/wismo/carriers/easypost"
	"github.com/wismo/wismo/carriers/fedex"
	"github.com/wismo/wismo/carriers/sim"
	"github.com/wismo/wismo/carriers/ups"
	"github.com/wismo/wismo/carriers/usps"
	"github.com/wismo/wismo/store"
)

// simEpoch is the simulated world's "now": parcels ship from five days
// before it to a day after.
var simEpoch = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// troubleKinds is the exception each trouble must have raised on the way.
var troubleKinds = map[sim.Trouble]store.ExceptionKind{
	sim.TroubleAddress:  store.KindAddressIssue,
	sim.TroubleNotHome:  store.KindAttemptFailed,
	sim.TroubleCustoms:  store.KindCustomsHold,
	sim.TroubleStall:    store.KindStalled,
	sim.TroubleLost:     store.KindStalled,
	sim.TroubleDamaged:  store.KindDamaged,
	sim.TroubleRefused:  store.KindRefused,
	sim.TroubleNoPickup: store.KindCarrierException,
}

// simRun is a tracker following the simulated carriers over real HTTP:
// DHL, UPS, FedEx, USPS and EasyPost polled through their real clients,
// EasyPost and AfterShip pushed to the real webhook receiver.
type simRun struct {
	world   *sim.World
	clk     *clock
	st      *store.Store
	tr      *Tracker
	sim     *sim.Server
	clients map[string]carriers.Tracker // by feed name
}

const simClient = "sim-client"

var simSecrets = map[string]string{"easypost": "easypost-secret", "aftership": "aftership-secret"}

func startSim(t *testing.T, seed uint64, orders int) *simRun {
	t.Helper()
	r := &simRun{world: sim.NewWorld(seed, orders, simEpoch), st: openStore(t)}
	r.clk = newClock(firstStep(r.world).Add(-time.Hour))
	// The receiver's address goes to the simulator, whose address goes to
	// the tracker's clients, whose tracker serves the receiver: the
	// receiver's handler is set last.
	var hooks http.Handler
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) { hooks.ServeHTTP(w, req) }))
	t.Cleanup(receiver.Close)
	r.sim = sim.NewServer(r.world, r.clk.Now, sim.Options{APIKey: apiKey, ClientID: simClient,
		PushURL: receiver.URL, PushSecrets: simSecrets})
	srv := httptest.NewServer(r.sim.Handler())
	t.Cleanup(srv.Close)
	r.clients = map[string]carriers.Tracker{
		"dhl":      dhl.New(srv.URL, apiKey, srv.Client()),
		"ups":      ups.New(ups.Config{BaseURL: srv.URL, ClientID: simClient, ClientSecret: apiKey}, srv.Client()),
		"fedex":    fedex.New(fedex.Config{BaseURL: srv.URL, ClientID: simClient, ClientSecret: apiKey}, srv.Client()),
		"usps":     usps.New(usps.Config{BaseURL: srv.URL, ClientID: simClient, ClientSecret: apiKey}, srv.Client()),
		"easypost": easypost.New(easypost.Config{BaseURL: srv.URL, APIKey: apiKey}, srv.Client()),
	}
	r.tr, _ = newTracker(r.st, r.clk, slices.Collect(maps.Values(r.clients))...)
	r.tr.cfg.StallAfter = 48 * time.Hour
	hooks = r.tr.Webhooks(
		Hook{Webhook: easypost.Webhook{}, Secrets: []string{simSecrets["easypost"]}},
		Hook{Webhook: aftership.Webhook{}, Secrets: []string{simSecrets["aftership"]}})
	if n, err := SeedDemo(r.st, r.world, r.clk.Now()); err != nil || n != orders {
		t.Fatalf("SeedDemo = %d, %v", n, err)
	}
	return r
}

// step moves the clock on, delivers the pushes now due and runs a poll
// round, returning how many parcels it polled.
func (r *simRun) step(t *testing.T, d time.Duration) int {
	t.Helper()
	r.clk.Add(d)
	r.sim.Push(context.Background())
	return poll(t, r.tr)
}

func TestPollRoundsFollowTheSimulator(t *testing.T) {
	r := startSim(t, 2, 30)
	changed, stop := r.st.Subscribe()
	defer stop()
	end := lastStep(r.world).Add(6 * time.Hour)
	for rounds := 0; r.clk.Now().Before(end); rounds++ {
		r.clk.Add(2 * time.Hour)
		r.sim.Push(context.Background())
		signals(changed)
		before := commits(t, r.st)
		n := poll(t, r.tr)
		if n == r.tr.cfg.Batch {
			t.Fatal("batch full: the test world outgrew one round per step")
		}
		// A round's results go through the store's writer, which groups
		// them; their change signals coalesce into one wake-up.
		if got, sig := commits(t, r.st)-before, signals(changed); n > 0 && (got < 1 || got > uint64(n) || sig != 1) {
			t.Fatalf("round %d polled %d parcels in %d commits, %d signals; want 1 to %d commits and 1 signal", rounds, n, got, sig, n)
		}
		if err := r.tr.Sweep(); err != nil {
			t.Fatal(err)
		}
	}
	r.checkEndings(t)
}

// checkEndings compares every parcel with what its carrier's own client
// reads from the simulator for the whole journey (for a pushed parcel: one
// event per step, the last at the journey's end), and its exceptions with
// its trouble.
func (r *simRun) checkEndings(t *testing.T) {
	excs := map[store.ParcelID][]store.Exception{}
	for _, e := range allExceptions(t, r.st) {
		excs[e.Parcel] = append(excs[e.Parcel], e)
	}
	troubles, feeds := map[sim.Trouble]bool{}, map[string]bool{}
	for _, o := range r.world.Orders {
		for _, sp := range o.Parcels {
			troubles[sp.Trouble], feeds[sp.Carrier+"/"+sp.Feed] = true, true
			p := r.parcel(t, sp)
			d := detail(t, r.st, p.ID)
			last := sp.Steps[len(sp.Steps)-1]
			if client, polled := r.clients[p.FeedName()]; polled {
				want, err := carrierstest.TrackOne(context.Background(), client, sp.TrackingNumber)
				if err != nil {
					t.Fatal(err)
				}
				informational := slices.DeleteFunc(want.Events, func(e carriers.Event) bool { return e.Status == carriers.StatusUnknown })
				end := informational[len(informational)-1]
				if p.Status != store.Status(end.Status) || !p.StatusAt.Equal(end.Time) {
					t.Errorf("%s %s (%q): %s at %v; its client says %s at %v", sp.Carrier, sp.TrackingNumber, sp.Trouble, p.Status, p.StatusAt, end.Status, end.Time)
				}
			}
			if len(d.Events) != len(sp.Steps) || !p.LastEventAt.Equal(last.At) {
				t.Errorf("%s/%s %s (%q): %d events, last at %v; the journey has %d, the last at %v",
					sp.Carrier, sp.Feed, sp.TrackingNumber, sp.Trouble, len(d.Events), p.LastEventAt, len(sp.Steps), last.At)
			}
			checkParcelExceptions(t, sp, p, excs[p.ID], r.clients)
		}
	}
	if len(troubles) < 6 || len(feeds) < 6 {
		t.Errorf("world has only troubles %v over %v; pick a seed that exercises more", troubles, feeds)
	}
}

func checkParcelExceptions(t *testing.T, sp *sim.Parcel, p store.Parcel, excs []store.Exception, pollers map[string]carriers.Tracker) {
	t.Helper()
	kinds := make([]store.ExceptionKind, 0, len(excs))
	for _, e := range excs {
		kinds = append(kinds, e.Kind)
	}
	if p.Status == store.StatusDelivered {
		if !p.NextPollAt.IsZero() || p.Exception != 0 {
			t.Errorf("%s delivered but next poll %v, open exception %d", sp.TrackingNumber, p.NextPollAt, p.Exception)
		}
	} else if _, polled := pollers[p.FeedName()]; polled && p.NextPollAt.IsZero() {
		t.Errorf("%s %s but never polled again", sp.TrackingNumber, p.Status)
	} else if !polled && !p.NextPollAt.IsZero() {
		t.Errorf("%s is reported by webhook alone but due for a poll at %v", sp.TrackingNumber, p.NextPollAt)
	}
	if want, ok := troubleKinds[sp.Trouble]; ok && !slices.Contains(kinds, want) {
		t.Errorf("%s (%q): exceptions %v, want a %s among them", sp.TrackingNumber, sp.Trouble, kinds, want)
	}
	if sp.Trouble == sim.TroubleNone && len(excs) > 0 {
		t.Errorf("%s had a clean journey but exceptions %v", sp.TrackingNumber, kinds)
	}
}

func (r *simRun) parcel(t *testing.T, sp *sim.Parcel) store.Parcel {
	t.Helper()
	var p store.Parcel
	err := r.st.View(func(tx *store.Tx) error {
		var err error
		p, err = tx.ParcelByTracking(sp.Carrier, sp.TrackingNumber)
		return err
	})
	if err != nil {
		t.Fatalf("parcel %s %s: %v", sp.Carrier, sp.TrackingNumber, err)
	}
	return p
}

// firstStep and lastStep bound every journey in the world.
func firstStep(w *sim.World) time.Time { return stepBound(w, 0, time.Time.Before) }

func lastStep(w *sim.World) time.Time { return stepBound(w, -1, time.Time.After) }

func stepBound(w *sim.World, i int, better func(time.Time, time.Time) bool) time.Time {
	var bound time.Time
	for _, o := range w.Orders {
		for _, p := range o.Parcels {
			at := p.Steps[(i+len(p.Steps))%len(p.Steps)].At
			if bound.IsZero() || better(at, bound) {
				bound = at
			}
		}
	}
	return bound
}

// Once journeys end, an order whose parcels all finished with nothing left
// open moves to the archive when its last scan is RetainFor old; the rest
// stay hot, and every order still opens.
func TestRetireArchivesFinishedOrders(t *testing.T) {
	r := startSim(t, 2, 30)
	end := lastStep(r.world).Add(6 * time.Hour)
	for r.clk.Now().Before(end) {
		r.step(t, 2*time.Hour)
	}
	// Halfway through the world's span past RetainFor some finished orders
	// are old enough and some not; at the end all are.
	span := end.Sub(firstStep(r.world))
	for _, at := range []time.Time{end.Add(r.tr.cfg.RetainFor - span/2), end.Add(r.tr.cfg.RetainFor)} {
		r.clk.Set(at)
		for range len(r.world.Orders) { // each call moves a few orders
			if err := r.tr.Retire(); err != nil {
				t.Fatal(err)
			}
		}
		archived := 0
		for _, o := range r.world.Orders {
			d, err := r.st.Order(o.Number)
			if err != nil {
				t.Fatalf("order %s: %v", o.Number, err)
			}
			finished, last := true, time.Time{}
			for _, p := range d.Parcels {
				finished = finished && p.Status.Terminal() && p.Exception == 0
				last = latest(last, p.LastEventAt)
			}
			if want := finished && last.Before(at.Add(-r.tr.cfg.RetainFor)); d.Archived != want {
				t.Errorf("at %v order %s (finished %v, last scan %v): archived %v, want %v", at, o.Number, finished, last, d.Archived, want)
			}
			if d.Archived {
				archived++
			}
		}
		if archived == 0 || archived == len(r.world.Orders) {
			t.Errorf("at %v %d of %d orders archived; the world has clean and troubled journeys", at, archived, len(r.world.Orders))
		}
	}
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
