package tracker

import (
	"testing"
	"time"

	"github.com/wismo/wismo/store"
)

// promise is a promised delivery day: Tuesday 10 March, given as the
// evening the shop promised; it has passed when that day ends.
var (
	promise       = time.Date(2026, 3, 10, 18, 0, 0, 0, time.UTC)
	promiseEnded  = time.Date(2026, 3, 11, 0, 0, 0, 0, time.UTC)
	pickedUp      = scan(0, "transit", "The shipment has been picked up")
	moreThanMonth = 40 * 24 * time.Hour
)

// labelled stores an order with one outbound parcel of a carrier whose
// label was made at created, promised for promised (zero: no promise),
// shipped at shipped (zero: not known to have shipped).
func labelled(t *testing.T, st *store.Store, carrier, tracking string, created, promised, shipped time.Time) store.ParcelID {
	t.Helper()
	return createParcel(t, st, store.Parcel{Carrier: carrier, TrackingNumber: tracking, Order: "#" + tracking,
		Direction: store.Outbound, Status: store.StatusPending, CreatedAt: created, PromisedBy: promised, ShippedAt: shipped,
		LastPolledAt: created}) // asked once, answered with no scan
}

// rig is a tracker over a fresh store, its clock at t0, and the store's
// change signal for sweepQuietly.
type rig struct {
	tr      *Tracker
	st      *store.Store
	clk     *clock
	changed <-chan struct{}
}

func newRig(t *testing.T) *rig {
	st := openStore(t)
	clk := newClock(t0)
	tr, _ := newTracker(st, clk)
	changed, stop := st.Subscribe()
	t.Cleanup(stop)
	return &rig{tr, st, clk, changed}
}

// quietAt sweeps at a time when nothing is due: nothing may be written.
func (r *rig) quietAt(t *testing.T, at time.Time) {
	t.Helper()
	r.clk.Set(at)
	sweepQuietly(t, r.tr, r.st, r.changed)
}

// flagsAt sweeps at a time when parcel id is due for rule and checks the
// exception opened: its kind, rule, time and text.
func (r *rig) flagsAt(t *testing.T, at time.Time, id store.ParcelID, kind store.ExceptionKind, rule, text string) store.Exception {
	t.Helper()
	r.clk.Set(at)
	if err := r.tr.Sweep(); err != nil {
		t.Fatal(err)
	}
	return r.opened(t, id, kind, rule, text)
}

// opened checks parcel id's open exception.
func (r *rig) opened(t *testing.T, id store.ParcelID, kind store.ExceptionKind, rule, text string) store.Exception {
	t.Helper()
	e := detail(t, r.st, id).Exception
	if e == nil || e.Kind != kind || e.Rule != rule || !e.OpenedAt.Equal(r.clk.Now()) || e.Detail != text {
		t.Fatalf("at %v: open %+v, want %s by %s opened now: %q", r.clk.Now(), e, kind, rule, text)
	}
	return *e
}

// agentResolves resolves parcel id's open exception as an agent, now.
func (r *rig) agentResolves(t *testing.T, id store.ParcelID) {
	t.Helper()
	err := r.st.Update(func(tx *store.Tx) error {
		e, err := tx.OpenExceptionOf(id)
		if err != nil {
			return err
		}
		_, err = tx.ResolveExceptionBy(e.ID, "ana", r.clk.Now(), "called the depot")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// noneOpen checks that parcel id has no open exception.
func (r *rig) noneOpen(t *testing.T, id store.ParcelID, why string) {
	t.Helper()
	if e := detail(t, r.st, id).Exception; e != nil {
		t.Errorf("%s: open %+v, want none", why, *e)
	}
}

// Each carrier's parcels are flagged at its own threshold, and not a
// second before; a carrier with a longer one is left alone meanwhile.
func TestStallThresholdPerCarrier(t *testing.T) {
	r := newRig(t)
	r.tr.cfg.StallAfterByCarrier = map[string]time.Duration{"ups": 72 * time.Hour}
	dhl := labelled(t, r.st, "dhl", "D1", t0, time.Time{}, time.Time{})
	ups := labelled(t, r.st, "ups", "U1", t0, time.Time{}, time.Time{})
	ingest(t, r.tr, dhl, normalize(t, pickedUp))
	ingest(t, r.tr, ups, normalize(t, pickedUp))

	r.quietAt(t, t0.Add(48*time.Hour-time.Second))
	r.flagsAt(t, t0.Add(48*time.Hour), dhl, store.KindStalled, ruleStalled, "No scan for 48 h; last: The shipment has been picked up")
	r.noneOpen(t, ups, "ups at 48 h")
	r.quietAt(t, t0.Add(72*time.Hour-time.Second))
	r.flagsAt(t, t0.Add(72*time.Hour), ups, store.KindStalled, ruleStalled, "No scan for 72 h; last: The shipment has been picked up")
}

// A label nobody handed over is flagged NeverScannedAfter after it was
// made; the carrier's label data does not end that, its first scan does.
func TestNeverScannedAfterTheLabel(t *testing.T) {
	r := newRig(t)
	id := labelled(t, r.st, "dhl", "D1", t0, time.Time{}, time.Time{})
	r.quietAt(t, t0.Add(48*time.Hour-time.Second))
	e := r.flagsAt(t, t0.Add(48*time.Hour), id, store.KindStalled, ruleNeverScanned, "Label created 2 days ago, never scanned by DHL")

	r.clk.Add(time.Hour)
	ingest(t, r.tr, id, normalize(t, scan(48*time.Hour, "pre-transit", "The instruction data for this shipment have been provided")))
	if now := detail(t, r.st, id).Exception; now == nil || now.ID != e.ID {
		t.Fatalf("after the label data: open %+v, want the never-scanned exception still", now)
	}
	ingest(t, r.tr, id, normalize(t, scan(49*time.Hour, "transit", "The shipment has been picked up")))
	r.noneOpen(t, id, "after the first scan")
}

// A parcel the desk has not yet asked its carrier about (a desk just
// started, a slow or paused feed) is neither forgotten nor late: there is
// nothing to judge by. The first answer starts both watches.
func TestUnaskedParcelsAreNotJudged(t *testing.T) {
	r := newRig(t)
	id := createParcel(t, r.st, store.Parcel{Carrier: "dhl", TrackingNumber: "D9", Order: "#D9",
		Direction: store.Outbound, Status: store.StatusPending, CreatedAt: t0, PromisedBy: t0.Add(24 * time.Hour)})
	r.quietAt(t, t0.Add(96*time.Hour))
	err := r.st.Update(func(tx *store.Tx) error {
		p, err := tx.Parcel(id)
		if err != nil {
			return err
		}
		p.LastPolledAt = t0.Add(96 * time.Hour)
		return tx.PutParcel(p)
	})
	if err != nil {
		t.Fatal(err)
	}
	r.flagsAt(t, t0.Add(96*time.Hour), id, store.KindStalled, ruleNeverScanned, "Label created 4 days ago, never scanned by DHL")
}

// A parcel known to have shipped counts from then, and says so.
func TestNeverScannedCountsFromTheShipping(t *testing.T) {
	r := newRig(t)
	id := labelled(t, r.st, "ups", "U1", t0.Add(-24*time.Hour), time.Time{}, t0)
	r.quietAt(t, t0.Add(48*time.Hour-time.Second))
	r.flagsAt(t, t0.Add(72*time.Hour), id, store.KindStalled, ruleNeverScanned, "Shipped 3 days ago, never scanned by UPS")
}

// An outbound parcel still on its way when its promised day (plus
// LateGrace) is over is late; a scan on the way does not change that, its
// delivery does.
func TestLateAgainstThePromise(t *testing.T) {
	for _, grace := range []time.Duration{0, 12 * time.Hour} {
		r := newRig(t)
		r.tr.cfg.LateGrace, r.tr.cfg.StallAfter = grace, moreThanMonth
		id := labelled(t, r.st, "dhl", "D1", t0, promise, time.Time{})
		ingest(t, r.tr, id, normalize(t, pickedUp))

		r.quietAt(t, promiseEnded.Add(grace-time.Second))
		e := r.flagsAt(t, promiseEnded.Add(grace), id, store.KindDelayed, ruleLate, "Promised Tue 10 Mar, not delivered")
		r.clk.Add(time.Hour)
		ingest(t, r.tr, id, normalize(t, scan(r.clk.Now().Sub(t0), "transit", "The shipment has arrived in the delivery base")))
		if now := detail(t, r.st, id).Exception; now == nil || now.ID != e.ID {
			t.Fatalf("grace %v, after a scan on the way: open %+v, want the late one still", grace, now)
		}
		ingest(t, r.tr, id, normalize(t, scan(r.clk.Now().Sub(t0), "delivered", "Delivered")))
		r.noneOpen(t, id, "after delivery")
	}
}

// What an agent resolved is not flagged again by the same rule until
// something newer happens: another full stall after the clear, a first
// scan, a new promise.
func TestClearedParcelsAreNotFlaggedAgain(t *testing.T) {
	t.Run("stalled", func(t *testing.T) {
		r := newRig(t)
		id := labelled(t, r.st, "dhl", "D1", t0, time.Time{}, time.Time{})
		ingest(t, r.tr, id, normalize(t, pickedUp))
		r.flagsAt(t, t0.Add(50*time.Hour), id, store.KindStalled, ruleStalled, "No scan for 50 h; last: The shipment has been picked up")
		r.agentResolves(t, id)
		r.quietAt(t, t0.Add(98*time.Hour-time.Second))
		r.flagsAt(t, t0.Add(98*time.Hour), id, store.KindStalled, ruleStalled, "No scan for 98 h; last: The shipment has been picked up")
	})
	t.Run("never scanned", func(t *testing.T) {
		r := newRig(t)
		id := labelled(t, r.st, "dhl", "D1", t0, time.Time{}, time.Time{})
		r.flagsAt(t, t0.Add(48*time.Hour), id, store.KindStalled, ruleNeverScanned, "Label created 2 days ago, never scanned by DHL")
		r.agentResolves(t, id)
		r.quietAt(t, t0.Add(30*24*time.Hour))
	})
	t.Run("late", func(t *testing.T) {
		r := newRig(t)
		r.tr.cfg.StallAfter = moreThanMonth
		id := labelled(t, r.st, "dhl", "D1", t0, promise, time.Time{})
		ingest(t, r.tr, id, normalize(t, pickedUp))
		r.flagsAt(t, promiseEnded, id, store.KindDelayed, ruleLate, "Promised Tue 10 Mar, not delivered")
		r.agentResolves(t, id)
		r.quietAt(t, promiseEnded.Add(10*24*time.Hour))
		promiseAgain(t, r.st, id, promise.Add(14*24*time.Hour)) // the shop promised the customer a new day
		r.quietAt(t, promiseEnded.Add(14*24*time.Hour-time.Second))
		r.flagsAt(t, promiseEnded.Add(14*24*time.Hour), id, store.KindDelayed, ruleLate, "Promised Tue 24 Mar, not delivered")
	})
}

// promiseAgain gives parcel id a new promised day.
func promiseAgain(t *testing.T, st *store.Store, id store.ParcelID, day time.Time) {
	t.Helper()
	err := st.Update(func(tx *store.Tx) error {
		p, err := tx.Parcel(id)
		if err != nil {
			return err
		}
		p.PromisedBy = day
		return tx.PutParcel(p)
	})
	if err != nil {
		t.Fatal(err)
	}
}
