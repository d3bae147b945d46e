package tracker

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wismo/wismo/store"
)

// actionDesk is a tracker at t0 over a store with one DHL parcel of order
// #JJD1 held in customs: the exception agents act on.
func actionDesk(t *testing.T) (*store.Store, *clock, *Tracker, store.Exception) {
	t.Helper()
	st := openStore(t)
	clk := newClock(t0)
	tr, _ := newTracker(st, clk)
	id := addParcel(t, st, "JJD1", time.Time{})
	e := store.Exception{Parcel: id, Kind: store.KindCustomsHold, OpenedAt: t0, Detail: "Held at customs"}
	if err := st.Update(func(tx *store.Tx) error { return tx.OpenException(&e) }); err != nil {
		t.Fatal(err)
	}
	return st, clk, tr, e
}

// readException reads an exception as it is stored.
func readException(t *testing.T, st *store.Store, id store.ExceptionID) store.Exception {
	t.Helper()
	var e store.Exception
	err := st.View(func(tx *store.Tx) (err error) {
		e, err = tx.Exception(id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// lastAudit is the parcel's newest audit entry, failing the test if there
// is none.
func lastAudit(t *testing.T, st *store.Store, parcel store.ParcelID) store.AuditEntry {
	t.Helper()
	trail, err := st.ParcelAudit(parcel, 1)
	if err != nil || len(trail) != 1 {
		t.Fatalf("parcel %d audit = %v, %v", parcel, trail, err)
	}
	return trail[0]
}

func TestEveryActionIsAppliedAndAudited(t *testing.T) {
	st, clk, tr, e := actionDesk(t)
	steps := []struct {
		act    Act
		check  func(store.Exception) bool
		detail string
	}{
		{Act{Action: Acknowledge, Agent: "ana"},
			func(e store.Exception) bool { return e.State == store.StateAcknowledged }, "customs_hold, was open"},
		{Act{Action: Assign, Agent: "ana", Assignee: " ben "},
			func(e store.Exception) bool { return e.Assignee == "ben" }, "assigned to ben, was unassigned"},
		{Act{Action: Snooze, Agent: "ben", Until: t0.Add(5 * time.Hour), Note: "customer pays duties tomorrow"},
			func(e store.Exception) bool {
				return e.State == store.StateSnoozed && e.SnoozedUntil.Equal(t0.Add(5*time.Hour))
			}, "until 2026-03-05 13:00 UTC: customer pays duties tomorrow"},
		{Act{Action: Reopen, Agent: "ben"},
			func(e store.Exception) bool { return e.State == store.StateOpen && e.SnoozedUntil.IsZero() }, "was snoozed"},
		{Act{Action: Assign, Agent: "ben", Assignee: ""},
			func(e store.Exception) bool { return e.Assignee == "" }, "unassigned, was assigned to ben"},
		{Act{Action: Resolve, Agent: "ana", Note: "duties paid by phone"},
			func(e store.Exception) bool {
				return e.State == store.StateResolved && e.Resolution == "duties paid by phone"
			}, "duties paid by phone"},
		{Act{Action: Reopen, Agent: "ana"},
			func(e store.Exception) bool { return e.State == store.StateOpen && e.Resolution == "" }, "was resolved"},
	}
	version := e.Version
	for _, s := range steps {
		clk.Add(time.Minute)
		a := s.act
		a.Exception, a.Seen = e.ID, version
		got, err := tr.Act(a)
		if err != nil {
			t.Fatalf("%s: %v", a.Action, err)
		}
		if !s.check(got) || got.Version != version+1 || got.UpdatedBy != a.Agent || !got.UpdatedAt.Equal(clk.Now()) {
			t.Fatalf("after %s: %+v", a.Action, got)
		}
		if stored := readException(t, st, e.ID); stored.Version != got.Version || stored.State != got.State {
			t.Fatalf("after %s the store holds %+v, Act returned %+v", a.Action, stored, got)
		}
		want := store.AuditEntry{At: clk.Now(), Agent: a.Agent, Action: string(a.Action), Target: "exception 1",
			Detail: s.detail, Order: "#JJD1", Parcel: e.Parcel}
		if entry := lastAudit(t, st, e.Parcel); entry != want {
			t.Fatalf("after %s the audit says %+v, want %+v", a.Action, entry, want)
		}
		version = got.Version
	}
	trail, err := st.OrderAudit("#JJD1", 100)
	if err != nil || len(trail) != len(steps) || trail[0].Action != "reopen" || trail[len(steps)-1].Action != "acknowledge" {
		t.Errorf("the order's history = %+v, %v; want every action, newest first", trail, err)
	}
	if agents, err := st.Agents(); err != nil || strings.Join(agents, ",") != "ana,ben" {
		t.Errorf("Agents() = %v, %v; want ana and ben", agents, err)
	}
}

func TestAnAgentsResolutionClearsTheParcel(t *testing.T) {
	st, clk, tr, e := actionDesk(t)
	clk.Add(time.Hour)
	if _, err := tr.Act(Act{Exception: e.ID, Seen: e.Version, Agent: "ana", Action: Resolve, Note: "delivered to a neighbour"}); err != nil {
		t.Fatal(err)
	}
	p := detail(t, st, e.Parcel).Parcel
	if !p.ClearedAt.Equal(t0.Add(time.Hour)) || p.Exception != 0 {
		t.Errorf("parcel after an agent's resolution: cleared at %v, exception %d", p.ClearedAt, p.Exception)
	}

	// The carrier resolving does not clear the parcel, and says who it was.
	other := addParcel(t, st, "JJD2", time.Time{})
	byCarrier := store.Exception{Parcel: other, Kind: store.KindDelayed, OpenedAt: t0}
	err := st.Update(func(tx *store.Tx) error {
		if err := tx.OpenException(&byCarrier); err != nil {
			return err
		}
		return tx.ResolveException(byCarrier.ID, t0.Add(2*time.Hour), "carrier reported delivered")
	})
	if err != nil {
		t.Fatal(err)
	}
	got := readException(t, st, byCarrier.ID)
	if got.UpdatedBy != store.UpdatedByCarrier || got.Version != 2 || !detail(t, st, other).Parcel.ClearedAt.IsZero() {
		t.Errorf("carrier's resolution: %+v, parcel cleared at %v", got, detail(t, st, other).Parcel.ClearedAt)
	}
}

func TestANoteIsHistoryAndNeverConflicts(t *testing.T) {
	st, clk, tr, e := actionDesk(t)
	ack, err := tr.Act(Act{Exception: e.ID, Seen: e.Version, Agent: "ana", Action: Acknowledge})
	if err != nil {
		t.Fatal(err)
	}
	clk.Add(time.Minute)
	// bob read the exception before ana acknowledged it.
	got, err := tr.Act(Act{Exception: e.ID, Seen: e.Version, Agent: "bob", Action: Note, Note: "customer called again"})
	if err != nil {
		t.Fatalf("a note on a version since changed: %v", err)
	}
	if got.Version != ack.Version || readException(t, st, e.ID).Version != ack.Version {
		t.Errorf("a note moved the version from %d to %d", ack.Version, got.Version)
	}
	if entry := lastAudit(t, st, e.Parcel); entry.Agent != "bob" || entry.Action != "note" || entry.Detail != "customer called again" {
		t.Errorf("note audited as %+v", entry)
	}
	if _, err := tr.Act(Act{Exception: e.ID, Seen: ack.Version, Agent: "ana", Action: Resolve, Note: "paid"}); err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Act(Act{Exception: e.ID, Agent: "bob", Action: Note, Note: "refund issued as goodwill"}); err != nil {
		t.Errorf("a note on a resolved exception: %v", err)
	}
}

// actTrace is what an action could have written: the exception and the
// whole audit log.
type actTrace struct {
	exception store.Exception
	audit     []store.AuditEntry
}

func traceOf(t *testing.T, st *store.Store, id store.ExceptionID) actTrace {
	t.Helper()
	audit, err := st.AuditTrail("", 1000)
	if err != nil {
		t.Fatal(err)
	}
	return actTrace{readException(t, st, id), audit}
}

func (a actTrace) same(b actTrace) bool {
	return a.exception.Version == b.exception.Version && a.exception.State == b.exception.State &&
		a.exception.Assignee == b.exception.Assignee && len(a.audit) == len(b.audit)
}

func TestActRefusesBadInputAndWritesNothing(t *testing.T) {
	st, _, tr, e := actionDesk(t)
	if _, err := tr.Act(Act{Exception: e.ID, Seen: e.Version, Agent: "ana", Action: Acknowledge}); err != nil {
		t.Fatal(err)
	}
	seen := e.Version + 1
	ok := Act{Exception: e.ID, Seen: seen, Agent: "ana"}
	with := func(change func(*Act)) Act {
		a := ok
		change(&a)
		return a
	}
	for _, c := range []struct {
		act  Act
		says string
	}{
		{with(func(a *Act) { a.Action = "escalate" }), `unknown action "escalate"`},
		{with(func(a *Act) { a.Action = "" }), "unknown action"},
		{with(func(a *Act) { a.Action, a.Agent = Acknowledge, "" }), "agent's name"},
		{with(func(a *Act) { a.Action, a.Agent = Reopen, "   " }), "agent's name"},
		{with(func(a *Act) { a.Action, a.Agent = Reopen, store.SystemAgent }), "the desk's own"},
		{with(func(a *Act) { a.Action, a.Agent = Reopen, "ana\x1b[31m" }), "not text"},
		{with(func(a *Act) { a.Action, a.Agent = Reopen, strings.Repeat("a", 65) }), "longer than 64"},
		{with(func(a *Act) { a.Action, a.Assignee = Assign, store.UpdatedByCarrier }), "the desk's own"},
		{with(func(a *Act) { a.Action = Snooze }), "needs the time it ends"},
		{with(func(a *Act) { a.Action, a.Until = Snooze, t0 }), "not in the future"},
		{with(func(a *Act) { a.Action, a.Until = Snooze, t0.Add(-time.Hour) }), "not in the future"},
		{with(func(a *Act) { a.Action, a.Until = Snooze, t0.Add(30*24*time.Hour+time.Second) }), "more than 30 days"},
		{with(func(a *Act) { a.Action = Resolve }), "a resolve needs a note"},
		{with(func(a *Act) { a.Action, a.Note = Resolve, " \n\t " }), "a resolve needs a note"},
		{with(func(a *Act) { a.Action = Note }), "a note needs a note"},
		{with(func(a *Act) { a.Action, a.Note = Note, strings.Repeat("é", 2001) }), "2001 characters; at most 2000"},
		{with(func(a *Act) { a.Action, a.Note = Note, "bad \xff byte" }), "not valid text"},
		{with(func(a *Act) { a.Action, a.Exception = Acknowledge, 0 }), "names no exception"},
		{with(func(a *Act) { a.Action, a.Exception = Acknowledge, 999 }), "exception 999: not found"},
		{with(func(a *Act) { a.Action = Acknowledge }), "already acknowledged"},
		{with(func(a *Act) { a.Action = Assign }), "already unassigned"},
	} {
		before := traceOf(t, st, e.ID)
		if _, err := tr.Act(c.act); err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%+v: error %v, want one saying %q", c.act, err, c.says)
		}
		if after := traceOf(t, st, e.ID); !after.same(before) {
			t.Errorf("%+v was refused but wrote: %+v", c.act, after.exception)
		}
	}
	long := with(func(a *Act) { a.Action, a.Note = Note, strings.Repeat("é", 2000) })
	if _, err := tr.Act(long); err != nil {
		t.Errorf("a note of 2000 characters: %v", err)
	}
	open := with(func(a *Act) { a.Action = Reopen })
	if _, err := tr.Act(open); err != nil {
		t.Fatal(err)
	}
	open.Seen++
	if _, err := tr.Act(open); err == nil || !strings.Contains(err.Error(), "already open") {
		t.Errorf("reopening an open exception: %v", err)
	}
}

func TestTheSecondOfTwoAgentsIsToldWhatChanged(t *testing.T) {
	st, clk, tr, e := actionDesk(t)
	// ana and bob both read version 1; ana acknowledges first.
	if _, err := tr.Act(Act{Exception: e.ID, Seen: e.Version, Agent: "ana", Action: Acknowledge}); err != nil {
		t.Fatal(err)
	}
	clk.Add(3 * time.Minute)
	before := traceOf(t, st, e.ID)
	_, err := tr.Act(Act{Exception: e.ID, Seen: e.Version, Agent: "bob", Action: Acknowledge})
	var changed *ChangedError
	if !errors.Is(err, ErrChanged) || !errors.As(err, &changed) {
		t.Fatalf("bob's stale acknowledge: %v, want a ChangedError", err)
	}
	if changed.Now.UpdatedBy != "ana" || changed.Now.State != store.StateAcknowledged {
		t.Errorf("the error carries %+v, want the exception as ana left it", changed.Now)
	}
	want := "exception 1 was changed by ana 3m ago: it is now acknowledged, unassigned; your acknowledge was not applied"
	if err.Error() != want {
		t.Errorf("message %q\nwant    %q", err, want)
	}
	if after := traceOf(t, st, e.ID); !after.same(before) {
		t.Errorf("the refused action wrote: %+v", after.exception)
	}

	// The carrier resolves it; an agent acting on what they saw before is
	// told so, and so is one who saw it resolved.
	err = st.Update(func(tx *store.Tx) error {
		return tx.ResolveException(e.ID, clk.Now(), "carrier reported delivered: Zugestellt")
	})
	if err != nil {
		t.Fatal(err)
	}
	clk.Add(2 * time.Hour)
	now := readException(t, st, e.ID)
	for _, seen := range []uint64{e.Version + 1, now.Version} {
		_, err = tr.Act(Act{Exception: e.ID, Seen: seen, Agent: "bob", Action: Snooze, Until: clk.Now().Add(time.Hour)})
		want = "exception 1 was resolved by the carrier 2h ago (carrier reported delivered: Zugestellt); your snooze was not applied"
		if !errors.Is(err, ErrChanged) || err.Error() != want {
			t.Errorf("snooze of a resolved exception seen at version %d: %v", seen, err)
		}
	}
}

func TestConcurrentActionsOnOneVersionApplyOnce(t *testing.T) {
	_, _, tr, e := actionDesk(t)
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() {
			_, errs[i] = tr.Act(Act{Exception: e.ID, Seen: e.Version, Agent: "agent" + string(rune('a'+i)), Action: Acknowledge})
		})
	}
	wg.Wait()
	applied := 0
	for _, err := range errs {
		switch {
		case err == nil:
			applied++
		case !errors.Is(err, ErrChanged):
			t.Errorf("unexpected error: %v", err)
		}
	}
	if applied != 1 {
		t.Errorf("%d of 8 acknowledges of one version applied, want 1", applied)
	}
}

func TestSnoozeWakesOnTheTrackersClock(t *testing.T) {
	st, clk, tr, e := actionDesk(t)
	until := t0.Add(2 * time.Hour)
	snoozed, err := tr.Act(Act{Exception: e.ID, Seen: e.Version, Agent: "ana", Action: Snooze, Until: until})
	if err != nil {
		t.Fatal(err)
	}
	clk.Set(until.Add(-time.Second))
	if err := tr.WakeSnoozed(); err != nil {
		t.Fatal(err)
	}
	if got := readException(t, st, e.ID); got.State != store.StateSnoozed || got.Version != snoozed.Version {
		t.Fatalf("a second before its end the snooze is %+v", got)
	}
	clk.Set(until)
	if err := tr.WakeSnoozed(); err != nil {
		t.Fatal(err)
	}
	woke := readException(t, st, e.ID)
	if woke.State != store.StateOpen || !woke.SnoozedUntil.IsZero() || woke.UpdatedBy != store.SystemAgent {
		t.Errorf("at its end the snooze is %+v", woke)
	}
	want := store.AuditEntry{At: until, Agent: store.SystemAgent, Action: "wake", Target: "exception 1",
		Detail: "snoozed until 2026-03-05 10:00 UTC", Order: "#JJD1", Parcel: e.Parcel}
	if entry := lastAudit(t, st, e.Parcel); entry != want {
		t.Errorf("wake audited as %+v, want %+v", entry, want)
	}
	if agents, _ := st.Agents(); strings.Join(agents, ",") != "ana" {
		t.Errorf("Agents() = %v: the desk's own name is nobody to assign to", agents)
	}

	// A snooze an agent ended early is not woken again.
	resnoozed, err := tr.Act(Act{Exception: e.ID, Seen: woke.Version, Agent: "ana", Action: Snooze, Until: until.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Act(Act{Exception: e.ID, Seen: resnoozed.Version, Agent: "ana", Action: Acknowledge}); err != nil {
		t.Fatal(err)
	}
	clk.Add(2 * time.Hour)
	before := traceOf(t, st, e.ID)
	if err := tr.WakeSnoozed(); err != nil {
		t.Fatal(err)
	}
	if after := traceOf(t, st, e.ID); !after.same(before) || after.exception.State != store.StateAcknowledged {
		t.Errorf("an acknowledged exception woke: %+v", after.exception)
	}
}

func TestRunWakesSnoozesInItsSweep(t *testing.T) {
	st, clk, _, e := actionDesk(t)
	cfg := DefaultConfig()
	cfg.SweepEvery = 5 * time.Millisecond
	tr := New(st, nil, clk.Now, cfg, nil)
	if _, err := tr.Act(Act{Exception: e.ID, Seen: e.Version, Agent: "ana", Action: Snooze, Until: t0.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	clk.Set(t0.Add(time.Hour))
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() {
		tr.Run(ctx)
		close(done)
	}()
	defer func() {
		cancel()
		<-done
	}()
	deadline := time.After(10 * time.Second)
	for readException(t, st, e.ID).State != store.StateOpen {
		select {
		case <-deadline:
			t.Fatal("Run's sweep did not wake the snooze")
		case <-time.After(5 * time.Millisecond):
		}
	}
}
