package tracker

import (
	"context"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/carriers/dhl"
	"github.com/wismo/wismo/carriers/sim"
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

// simRun is a tracker polling the DHL simulator over real HTTP.
type simRun struct {
	world  *sim.World
	clk    *clock
	st     *store.Store
	tr     *Tracker
	client *dhl.Client
}

func startSim(t *testing.T, seed uint64, orders int) *simRun {
	t.Helper()
	r := &simRun{world: sim.NewWorld(seed, orders, simEpoch), st: openStore(t)}
	r.clk = newClock(firstStep(r.world).Add(-time.Hour))
	srv := httptest.NewServer(sim.NewServer(r.world, r.clk.Now, sim.Options{APIKey: apiKey}).Handler())
	t.Cleanup(srv.Close)
	r.client = dhl.New(srv.URL, apiKey, srv.Client())
	r.tr, _ = newTracker(r.st, r.clk, r.client)
	r.tr.cfg.StallAfter = 48 * time.Hour
	if n, err := SeedDemo(r.st, r.world, r.clk.Now()); err != nil || n != orders {
		t.Fatalf("SeedDemo = %d, %v", n, err)
	}
	return r
}

func TestPollRoundsFollowTheSimulator(t *testing.T) {
	r := startSim(t, 2, 60)
	changed, stop := r.st.Subscribe()
	defer stop()
	end := lastStep(r.world).Add(6 * time.Hour)
	for rounds := 0; r.clk.Now().Before(end); rounds++ {
		r.clk.Add(2 * time.Hour)
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

// checkEndings compares every parcel with what the DHL parser reads from
// the simulator for its whole journey, and its exceptions with its trouble.
func (r *simRun) checkEndings(t *testing.T) {
	excs := map[store.ParcelID][]store.Exception{}
	for _, e := range allExceptions(t, r.st) {
		excs[e.Parcel] = append(excs[e.Parcel], e)
	}
	troubles := map[sim.Trouble]bool{}
	for _, o := range r.world.Orders {
		for _, sp := range o.Parcels {
			if sp.Carrier != dhl.Carrier || sp.Feed != "" {
				continue // the simulator speaks only DHL's format so far
			}
			troubles[sp.Trouble] = true
			p := r.parcel(t, sp.TrackingNumber)
			d := detail(t, r.st, p.ID)
			want, err := carriers.TrackOne(context.Background(), r.client, sp.TrackingNumber)
			if err != nil {
				t.Fatal(err)
			}
			last := want.Events[len(want.Events)-1]
			if p.Status != last.Status || !p.StatusAt.Equal(last.Time) || len(d.Events) != len(want.Events) {
				t.Errorf("%s (%q): %s at %v with %d events; parser says %s at %v with %d",
					sp.TrackingNumber, sp.Trouble, p.Status, p.StatusAt, len(d.Events), last.Status, last.Time, len(want.Events))
			}
			checkParcelExceptions(t, sp, p, excs[p.ID])
		}
	}
	if len(troubles) < 6 {
		t.Errorf("world has only troubles %v; pick a seed that exercises more", troubles)
	}
}

func checkParcelExceptions(t *testing.T, sp *sim.Parcel, p store.Parcel, excs []store.Exception) {
	t.Helper()
	kinds := make([]store.ExceptionKind, 0, len(excs))
	for _, e := range excs {
		kinds = append(kinds, e.Kind)
	}
	if p.Status == carriers.StatusDelivered {
		if !p.NextPollAt.IsZero() || p.Exception != 0 {
			t.Errorf("%s delivered but next poll %v, open exception %d", sp.TrackingNumber, p.NextPollAt, p.Exception)
		}
	} else if p.NextPollAt.IsZero() {
		t.Errorf("%s %s but never polled again", sp.TrackingNumber, p.Status)
	}
	if want, ok := troubleKinds[sp.Trouble]; ok && !slices.Contains(kinds, want) {
		t.Errorf("%s (%q): exceptions %v, want a %s among them", sp.TrackingNumber, sp.Trouble, kinds, want)
	}
	if sp.Trouble == sim.TroubleNone && len(excs) > 0 {
		t.Errorf("%s had a clean journey but exceptions %v", sp.TrackingNumber, kinds)
	}
}

func (r *simRun) parcel(t *testing.T, tracking string) store.Parcel {
	t.Helper()
	var p store.Parcel
	err := r.st.View(func(tx *store.Tx) error {
		var err error
		p, err = tx.ParcelByTracking(dhl.Carrier, tracking)
		return err
	})
	if err != nil {
		t.Fatalf("parcel %s: %v", tracking, err)
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
	r := startSim(t, 2, 60)
	end := lastStep(r.world).Add(6 * time.Hour)
	for ; r.clk.Now().Before(end); r.clk.Add(2 * time.Hour) {
		poll(t, r.tr)
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
