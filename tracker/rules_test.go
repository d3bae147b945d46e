package tracker

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/wismo/wismo/carriers/dhl"
	"github.com/wismo/wismo/store"
)

// step is one scan reaching the parcel and the exception open after it
// ("" for none), with the rule that must have opened it.
type step struct {
	at         time.Duration
	code, text string
	open       store.ExceptionKind
	rule       string
}

const (
	textCustoms  = "The shipment is being held by customs. Import duties must be paid"
	textAddress  = "The recipient could not be found at the address given"
	textDamaged  = "The shipment was damaged in transit and is being repacked"
	textReturned = "The shipment is being returned to the sender"
)

func TestExceptionRules(t *testing.T) {
	tests := []struct {
		name  string
		steps []step
	}{
		{"customs hold, cleared by a good scan", []step{
			{1 * time.Hour, "transit", "The shipment has been picked up", "", ""},
			{20 * time.Hour, "failure", textCustoms, store.KindCustomsHold, "dhl/failure+customs"},
			{50 * time.Hour, "transit", "Customs clearance completed", "", ""},
		}},
		{"address issue", []step{
			{20 * time.Hour, "failure", textAddress, store.KindAddressIssue, "dhl/failure+address"},
		}},
		{"another kind replaces the open one", []step{
			{20 * time.Hour, "failure", textAddress, store.KindAddressIssue, "dhl/failure+address"},
			{30 * time.Hour, "failure", textDamaged, store.KindDamaged, "dhl/failure+damaged"},
			{40 * time.Hour, "failure", textReturned, store.KindReturningToSender, "dhl/failure+returned"},
		}},
		{"same kind again keeps the open one", []step{
			{20 * time.Hour, "failure", textAddress, store.KindAddressIssue, "dhl/failure+address"},
			{21 * time.Hour, "failure", "Address incomplete", store.KindAddressIssue, "dhl/failure+address"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := openStore(t)
			clk := newClock(t0)
			tr, _ := newTracker(st, clk)
			id := addParcel(t, st, "T1", t0)
			var opened []step
			for i, s := range tt.steps {
				clk.Set(t0.Add(s.at + time.Hour))
				ingest(t, tr, id, normalize(t, scan(s.at, s.code, s.text)))
				if s.open != "" && (i == 0 || tt.steps[i-1].open != s.open) {
					opened = append(opened, s)
				}
				checkOpen(t, st, id, s)
			}
			checkHistory(t, st, opened, tt.steps[len(tt.steps)-1].open != "")
		})
	}
}

// checkOpen checks the parcel's open exception, and the counts, after s.
func checkOpen(t *testing.T, st *store.Store, id store.ParcelID, s step) {
	t.Helper()
	counts, err := st.ExceptionCounts()
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	e := detail(t, st, id).Exception
	if s.open == "" {
		if e != nil || total != 0 {
			t.Errorf("after %q: open %+v, counts %v; want none", s.text, e, counts)
		}
		return
	}
	if e == nil || total != 1 || counts[s.open] != 1 {
		t.Fatalf("after %q: open %+v, counts %v; want one %s", s.text, e, counts, s.open)
	}
	if e.Kind != s.open || e.Severity != s.open.Severity() || e.State != store.StateOpen || e.Rule != s.rule {
		t.Errorf("after %q: exception %s/%d/%s rule %q, want %s/%d/open rule %q",
			s.text, e.Kind, e.Severity, e.State, e.Rule, s.open, s.open.Severity(), s.rule)
	}
}

// checkHistory checks that exactly the expected exceptions were opened,
// each with its carrier event's time, text and rule, and that all but an
// open last one were resolved.
func checkHistory(t *testing.T, st *store.Store, opened []step, lastOpen bool) {
	t.Helper()
	all := allExceptions(t, st)
	if len(all) != len(opened) {
		t.Fatalf("%d exceptions opened, want %d: %+v", len(all), len(opened), all)
	}
	for i, e := range all {
		s := opened[i]
		if e.Kind != s.open || !e.OpenedAt.Equal(t0.Add(s.at)) || e.Detail != s.text || e.Rule != s.rule {
			t.Errorf("exception %d = %s at %v %q %s, want %s at t0+%v %q %s",
				i, e.Kind, e.OpenedAt, e.Detail, e.Rule, s.open, s.at, s.text, s.rule)
		}
		wantOpen := i == len(all)-1 && lastOpen
		if (e.State == store.StateOpen) != wantOpen {
			t.Errorf("exception %d %s is %s", i, e.Kind, e.State)
		}
		if !wantOpen && (e.ResolvedAt.IsZero() || e.Resolution == "") {
			t.Errorf("exception %d resolved without time or reason: %+v", i, e)
		}
	}
}

// The customs case in detail: what an agent reads on the exception.
func TestCustomsExceptionCarriesTheEvent(t *testing.T) {
	st := openStore(t)
	tr, _ := newTracker(st, newClock(t0.Add(30*time.Hour)))
	id := addParcel(t, st, "T1", t0)
	ingest(t, tr, id, normalize(t, scan(20*time.Hour, "failure", textCustoms)))
	e := detail(t, st, id).Exception
	if e == nil {
		t.Fatal("no exception opened")
	}
	if !e.OpenedAt.Equal(t0.Add(20*time.Hour)) || e.Detail != textCustoms || e.Order != "#T1" ||
		e.Severity != store.SeverityHigh || e.Rule != "dhl/failure+customs" {
		t.Errorf("exception = %+v", *e)
	}
}

// stallSetup is one parcel moving (in transit since t0) and one delivered
// at t0+2h, both polled from a real DHL endpoint at t0+3h.
func stallSetup(t *testing.T) (*Tracker, *store.Store, *clock, *dhlFeed, [2]store.ParcelID) {
	t.Helper()
	st := openStore(t)
	f, clk, tr, _ := polling(t, st, t0.Add(3*time.Hour))
	tr.cfg.StallAfter = 48 * time.Hour
	moving, done := addParcel(t, st, "MOVING", t0), addParcel(t, st, "DONE", t0)
	picked := scan(0, "transit", "The shipment has been picked up")
	f.set("MOVING", http.StatusOK, dhlBody(t, "MOVING", picked))
	f.set("DONE", http.StatusOK, dhlBody(t, "DONE", picked, scan(2*time.Hour, "delivered", "Delivered")))
	if n, err := tr.PollDue(context.Background()); n != 2 || err != nil {
		t.Fatalf("PollDue = %d, %v", n, err)
	}
	return tr, st, clk, f, [2]store.ParcelID{moving, done}
}

func TestSweepFlagsStalledParcels(t *testing.T) {
	tr, st, clk, f, ids := stallSetup(t)
	moving, done := ids[0], ids[1]
	changed, stop := st.Subscribe()
	defer stop()

	clk.Set(t0.Add(47 * time.Hour)) // silent 47 h: not yet
	sweepQuietly(t, tr, st, changed)

	clk.Set(t0.Add(49 * time.Hour))
	if err := tr.Sweep(); err != nil {
		t.Fatal(err)
	}
	e := detail(t, st, moving).Exception
	if e == nil || e.Kind != store.KindStalled || e.Rule != ruleStalled || !e.OpenedAt.Equal(clk.Now()) ||
		!strings.Contains(e.Detail, "49 h") {
		t.Fatalf("after 49 h silent: exception %+v, want stalled opened now", e)
	}
	if d := detail(t, st, done); d.Exception != nil || d.Parcel.Status != "delivered" {
		t.Errorf("delivered parcel: %s, exception %+v", d.Parcel.Status, d.Exception)
	}
	signals(changed)

	clk.Add(time.Hour) // a second sweep finds nothing new
	sweepQuietly(t, tr, st, changed)
	if n := len(allExceptions(t, st)); n != 1 {
		t.Errorf("%d exceptions after two sweeps, want 1", n)
	}

	// A new scan resolves it.
	f.set("MOVING", http.StatusOK, dhlBody(t, "MOVING",
		scan(0, "transit", "The shipment has been picked up"),
		scan(50*time.Hour, "transit", "The shipment has been processed in the parcel center")))
	clk.Set(t0.Add(51 * time.Hour))
	if _, err := tr.PollDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	all := allExceptions(t, st)
	if detail(t, st, moving).Exception != nil || len(all) != 1 || all[0].State != store.StateResolved {
		t.Errorf("after a new scan: exceptions %+v, want the stall resolved", all)
	}
}

// sweepQuietly runs a sweep that must find nothing and so commit nothing.
func sweepQuietly(t *testing.T, tr *Tracker, st *store.Store, changed <-chan struct{}) {
	t.Helper()
	signals(changed)
	before := commits(t, st)
	if err := tr.Sweep(); err != nil {
		t.Fatal(err)
	}
	if signals(changed) != 0 || commits(t, st) != before {
		t.Errorf("sweep at %v with nothing to flag committed", tr.now())
	}
}

// A parcel that has never been scanned is not stalled, however long it
// waits: it is the never-scanned rule's.
func TestSweepIgnoresUnscannedParcels(t *testing.T) {
	r := newRig(t)
	r.tr.cfg.NeverScannedAfter = moreThanMonth
	id := labelled(t, r.st, "dhl", "NEW", t0, time.Time{}, time.Time{})
	r.quietAt(t, t0.Add(30*24*time.Hour))
	r.noneOpen(t, id, "unscanned for 30 days")
}

// A late copy of history is not news: it must neither clear a stall the
// parcel has not left nor reopen what an agent resolved. A newer scan, even
// one that says nothing, is news: the parcel moved.
func TestOnlyNewsRerunsTheRules(t *testing.T) {
	lateOld := scan(-time.Hour, "transit", "The shipment has been processed in the parcel center of origin")
	newerUnknown := scan(70*time.Hour, "unknown", "Shipment data updated")
	tests := []struct {
		name     string
		setup    func(t *testing.T, tr *Tracker, clk *clock, id store.ParcelID)
		arrives  dhl.Event
		wantOpen store.ExceptionKind
	}{
		{"late old event keeps the stall", stall, lateOld, store.KindStalled},
		{"newer unknown scan clears the stall", stall, newerUnknown, ""},
		{"late old event does not reopen", agentResolvedCustoms, lateOld, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := openStore(t)
			clk := newClock(t0.Add(time.Hour))
			tr, _ := newTracker(st, clk)
			tr.cfg.StallAfter = 48 * time.Hour
			id := addParcel(t, st, "T1", t0)
			tt.setup(t, tr, clk, id)
			before := detail(t, st, id).Exception
			ingest(t, tr, id, normalize(t, tt.arrives))

			after := detail(t, st, id).Exception
			switch {
			case tt.wantOpen == "" && after != nil:
				t.Errorf("open after: %+v, want none", *after)
			case tt.wantOpen != "" && (after == nil || before == nil || after.ID != before.ID):
				t.Errorf("open after: %+v, want the same %s as before (%+v)", after, tt.wantOpen, before)
			}
			if n := len(allExceptions(t, st)); n != 1 {
				t.Errorf("%d exceptions in all, want the 1 from setup", n)
			}
		})
	}
}

// stall moves the parcel into transit at t0 and lets the sweep flag it.
func stall(t *testing.T, tr *Tracker, clk *clock, id store.ParcelID) {
	ingest(t, tr, id, normalize(t, scan(0, "transit", "The shipment has been picked up")))
	clk.Set(t0.Add(60 * time.Hour))
	if err := tr.Sweep(); err != nil {
		t.Fatal(err)
	}
	if detail(t, tr.store, id).Exception == nil {
		t.Fatal("sweep flagged nothing")
	}
}

// agentResolvedCustoms holds the parcel in customs and has an agent resolve
// the exception while the carrier still says held.
func agentResolvedCustoms(t *testing.T, tr *Tracker, _ *clock, id store.ParcelID) {
	ingest(t, tr, id, normalize(t, scan(0, "failure", textCustoms)))
	err := tr.store.Update(func(tx *store.Tx) error {
		e, err := tx.OpenExceptionOf(id)
		if err != nil {
			return err
		}
		return tx.ResolveException(e.ID, t0.Add(time.Hour), "agent: duties paid by phone")
	})
	if err != nil {
		t.Fatal(err)
	}
}
