package tracker

import (
	"testing"
	"time"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/carriers/dhl"
	"github.com/wismo/wismo/store"
)

// ETAs the carrier gives in these tests: the evening of each day.
var (
	mon9  = time.Date(2026, 3, 9, 18, 0, 0, 0, time.UTC)
	tue10 = mon9.Add(24 * time.Hour)
	wed11 = mon9.Add(48 * time.Hour)
	thu12 = mon9.Add(72 * time.Hour)
	fri13 = mon9.Add(96 * time.Hour)
)

// report records one carrier report on parcel id an hour after the last:
// its events, if any, and its ETA.
func (r *rig) report(t *testing.T, id store.ParcelID, eta time.Time, events ...dhl.Event) {
	t.Helper()
	r.clk.Add(time.Hour)
	var evs []carriers.Event
	if len(events) > 0 {
		evs = normalize(t, events...)
	}
	err := r.st.Update(func(tx *store.Tx) error {
		return r.tr.apply(tx, pollResult{parcel: id, news: newsOf(carriers.Shipment{Events: evs, EstimatedDelivery: eta})}, r.tr.now())
	})
	if err != nil {
		t.Fatal(err)
	}
}

// The first ETA is kept; a later one more than ETASlip past it opens a
// delayed exception as the report is taken, which a scan on the way does
// not end. Once an agent resolved it, only a further move later opens it
// again.
func TestETASlipAtIngest(t *testing.T) {
	r := newRig(t)
	id := labelled(t, r.st, "dhl", "D1", t0, time.Time{}, time.Time{})
	r.report(t, id, mon9, pickedUp)
	r.report(t, id, tue10) // a day late: within ETASlip
	r.noneOpen(t, id, "ETA moved by exactly ETASlip")

	r.report(t, id, thu12)
	e := r.opened(t, id, store.KindDelayed, ruleETASlipped, "ETA moved from Mon 9 to Thu 12 Mar")
	if p := detail(t, r.st, id).Parcel; !p.OriginalEstimate.Equal(mon9) || !p.EstimatedDelivery.Equal(thu12) {
		t.Errorf("ETA %v, first %v; want %v, first %v", p.EstimatedDelivery, p.OriginalEstimate, thu12, mon9)
	}
	r.report(t, id, thu12, scan(30*time.Hour, "transit", "The shipment has arrived in the delivery base"))
	if now := detail(t, r.st, id).Exception; now == nil || now.ID != e.ID {
		t.Fatalf("after a scan on the way: open %+v, want the slip still", now)
	}

	r.agentResolves(t, id)
	r.report(t, id, thu12)
	r.report(t, id, wed11) // better news is no slip
	r.noneOpen(t, id, "after the agent's clear, the ETA unmoved or earlier")
	r.report(t, id, fri13)
	r.opened(t, id, store.KindDelayed, ruleETASlipped, "ETA moved from Mon 9 to Fri 13 Mar")
}

// A report that brings the carrier's own trouble leaves the parcel to it;
// once that is over, the next report flags the slip still standing. A
// delivery ends it.
func TestETASlipWaitsForTheCarriersOwnNews(t *testing.T) {
	r := newRig(t)
	id := labelled(t, r.st, "dhl", "D1", t0, time.Time{}, time.Time{})
	r.report(t, id, mon9, pickedUp)
	r.report(t, id, thu12, scan(2*time.Hour, "failure", textCustoms))
	if e := detail(t, r.st, id).Exception; e == nil || e.Kind != store.KindCustomsHold || len(allExceptions(t, r.st)) != 1 {
		t.Fatalf("held by customs with a slipped ETA: open %+v, all %+v; want the customs hold alone", e, allExceptions(t, r.st))
	}
	r.report(t, id, thu12, scan(3*time.Hour, "transit", "Customs clearance completed"))
	r.noneOpen(t, id, "the report that ends the hold")
	r.report(t, id, thu12)
	r.opened(t, id, store.KindDelayed, ruleETASlipped, "ETA moved from Mon 9 to Thu 12 Mar")
	r.report(t, id, thu12, scan(5*time.Hour, "delivered", "Delivered"))
	r.noneOpen(t, id, "after delivery")
	if n := len(allExceptions(t, r.st)); n != 2 {
		t.Errorf("%d exceptions, want the customs hold and the slip", n)
	}
}
