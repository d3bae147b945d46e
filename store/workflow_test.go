package store

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestCountsFollowRandomWork runs a few hundred random changes of the kinds
// agents and carriers make (open, assign, acknowledge, snooze, wake,
// resolve, reopen) and after each batch compares every view's count, page
// and the snooze index with the exceptions read one by one.
func TestCountsFollowRandomWork(t *testing.T) {
	s := openTemp(t)
	r := rand.New(rand.NewPCG(6, 6))
	var parcels []ParcelID
	for i := range 16 {
		number := fmt.Sprintf("#R%02d", i)
		carrier := []string{"dhl", "ups", "fedex"}[i%3]
		parcels = append(parcels, storeOrder(t, s, carrier, Order{Number: number, Customer: Customer{Name: "Customer " + number}}, "T"+number)[0])
	}
	for batch := range 30 {
		mustUpdate(t, s, func(tx *Tx) error {
			for range 8 {
				if err := randomChange(tx, r, parcels, t0.Add(time.Duration(batch)*time.Hour)); err != nil {
					return err
				}
			}
			return nil
		})
		all := unresolved(t, s)
		checkExceptionCounts(t, s, all)
		checkSnoozeIndex(t, s, all)
	}
	checkExceptionPages(t, s)
}

// randomChange makes one change an agent or a carrier could make to a
// random parcel's exception, opening one where there is none.
func randomChange(tx *Tx, r *rand.Rand, parcels []ParcelID, now time.Time) error {
	parcel := parcels[r.IntN(len(parcels))]
	e, err := tx.OpenExceptionOf(parcel)
	if errors.Is(err, ErrNotFound) {
		e = Exception{Parcel: parcel, Kind: Kinds[r.IntN(len(Kinds))], OpenedAt: now.Add(-time.Duration(r.IntN(48)) * time.Hour)}
		return tx.OpenException(&e)
	}
	if err != nil {
		return err
	}
	agent := []string{"", "ana", "ben", "cem"}[r.IntN(4)]
	switch r.IntN(6) {
	case 0:
		_, err = tx.ReworkException(e.ID, "ana", now, func(e *Exception) { e.Assignee = agent })
	case 1:
		_, err = tx.ReworkException(e.ID, "ben", now, func(e *Exception) { e.State = StateAcknowledged })
	case 2:
		until := now.Add(time.Duration(r.IntN(5)) * time.Hour)
		_, err = tx.ReworkException(e.ID, "cem", now, func(e *Exception) { e.State, e.SnoozedUntil = StateSnoozed, until })
	case 3:
		_, err = tx.ReopenException(e.ID, "ana", now)
		if e.State == StateOpen {
			err = nil // refused, as it must be: already open
		}
	case 4:
		_, err = tx.ResolveExceptionBy(e.ID, "ben", now, "sorted out")
		if err == nil && r.IntN(2) == 0 {
			_, err = tx.ReopenException(e.ID, "ben", now)
		}
	default:
		err = tx.ResolveException(e.ID, now, "carrier reported delivered")
	}
	return err
}

// checkSnoozeIndex compares idx_snooze, read through SnoozedDue, with the
// snoozed exceptions that have an end.
func checkSnoozeIndex(t *testing.T, s *Store, all []Exception) {
	t.Helper()
	var want []ExceptionID
	for _, e := range all {
		if e.State == StateSnoozed && !e.SnoozedUntil.IsZero() {
			want = append(want, e.ID)
		}
	}
	var got []ExceptionID
	err := s.View(func(tx *Tx) error {
		got = tx.SnoozedDue(t0.Add(1000*time.Hour), 1000)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("snooze index %v, snoozed exceptions %v", got, want)
	}
}

func TestReworkChangesOnlyTheWorkflow(t *testing.T) {
	s, ids := excFixture(t)
	before := readException(t, s, ids[4])
	var after Exception
	mustUpdate(t, s, func(tx *Tx) (err error) {
		after, err = tx.ReworkException(ids[4], "ana", t0.Add(time.Hour), func(e *Exception) {
			e.State, e.SnoozedUntil = StateSnoozed, t0.Add(3*time.Hour)
			e.Kind, e.Severity, e.OpenedAt, e.Detail, e.Version = KindLost, SeverityCritical, t0, "rewritten", 99
		})
		return err
	})
	if after.Kind != before.Kind || after.Severity != before.Severity || !after.OpenedAt.Equal(before.OpenedAt) ||
		after.Detail != before.Detail || after.Version != before.Version+1 {
		t.Errorf("rework changed what is not the workflow's: %+v", after)
	}
	if after.State != StateSnoozed || !after.SnoozedUntil.Equal(t0.Add(3*time.Hour)) || after.UpdatedBy != "ana" ||
		!after.UpdatedAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("rework did not record the snooze by ana: %+v", after)
	}
	if got := readException(t, s, ids[4]); got.Version != after.Version {
		t.Errorf("stored version %d, returned %d", got.Version, after.Version)
	}

	// Moving out of snoozed drops the end, so the snooze index forgets it.
	mustUpdate(t, s, func(tx *Tx) (err error) {
		after, err = tx.ReworkException(ids[4], "ben", t0.Add(2*time.Hour), func(e *Exception) { e.State = StateAcknowledged })
		return err
	})
	if !after.SnoozedUntil.IsZero() {
		t.Errorf("acknowledged, still snoozed until %v", after.SnoozedUntil)
	}
	checkSnoozeIndex(t, s, unresolved(t, s))
}

func TestReopenBringsAResolvedExceptionBack(t *testing.T) {
	s, ids := excFixture(t)
	e := readException(t, s, ids[2])
	mustUpdate(t, s, func(tx *Tx) error {
		_, err := tx.ResolveExceptionBy(e.ID, "ana", t0.Add(time.Hour), "paid by phone")
		return err
	})
	var reopened Exception
	mustUpdate(t, s, func(tx *Tx) (err error) {
		reopened, err = tx.ReopenException(e.ID, "ben", t0.Add(2*time.Hour))
		return err
	})
	d, err := s.Parcel(e.Parcel)
	if err != nil {
		t.Fatal(err)
	}
	if reopened.State != StateOpen || !reopened.ResolvedAt.IsZero() || d.Exception == nil || d.Exception.ID != e.ID {
		t.Errorf("reopened %+v; parcel's open exception %+v", reopened, d.Exception)
	}
	if !d.Parcel.ClearedAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("the parcel forgot when ana cleared it: %v", d.Parcel.ClearedAt)
	}
	checkExceptionPages(t, s)

	// Once the parcel has opened another, the old one stays history.
	mustUpdate(t, s, func(tx *Tx) error { return tx.ResolveException(e.ID, t0.Add(3*time.Hour), "delivered") })
	next := Exception{Parcel: e.Parcel, Kind: KindDelayed, OpenedAt: t0.Add(4 * time.Hour)}
	mustUpdate(t, s, func(tx *Tx) error { return tx.OpenException(&next) })
	err = s.Update(func(tx *Tx) error {
		_, err := tx.ReopenException(e.ID, "ben", t0.Add(5*time.Hour))
		return err
	})
	if err == nil {
		t.Error("reopened an exception whose parcel has opened another since")
	}
}

func TestAuditHistoriesArePrefixesOfTheirOwn(t *testing.T) {
	s := openTemp(t)
	mustUpdate(t, s, func(tx *Tx) error {
		for i, e := range []AuditEntry{
			{Agent: "ana", Action: "note", Order: "#1", Parcel: 1},
			{Agent: "ben", Action: "note", Order: "#10", Parcel: 10},
			{Agent: "ana", Action: "resend", Order: "#1"},
			{Agent: "cem", Action: "note", Order: "#1", Parcel: 2},
			{Agent: "ana", Action: "note"},
		} {
			e.At, e.Target = t0.Add(time.Duration(i)*time.Minute), fmt.Sprint("entry ", i)
			if err := tx.Audit(e); err != nil {
				return err
			}
		}
		return nil
	})
	targets := func(es []AuditEntry) []string {
		var out []string
		for _, e := range es {
			out = append(out, e.Target)
		}
		return out
	}
	for _, c := range []struct {
		name string
		read func() ([]AuditEntry, error)
		want []string
	}{
		{"order #1", func() ([]AuditEntry, error) { return s.OrderAudit("#1", 10) }, []string{"entry 3", "entry 2", "entry 0"}},
		{"order #1, two", func() ([]AuditEntry, error) { return s.OrderAudit("#1", 2) }, []string{"entry 3", "entry 2"}},
		{"order #10", func() ([]AuditEntry, error) { return s.OrderAudit("#10", 10) }, []string{"entry 1"}},
		{"order #", func() ([]AuditEntry, error) { return s.OrderAudit("#", 10) }, nil},
		{"parcel 1", func() ([]AuditEntry, error) { return s.ParcelAudit(1, 10) }, []string{"entry 0"}},
		{"parcel 2", func() ([]AuditEntry, error) { return s.ParcelAudit(2, 10) }, []string{"entry 3"}},
		{"parcel 3", func() ([]AuditEntry, error) { return s.ParcelAudit(3, 10) }, nil},
	} {
		got, err := c.read()
		if err != nil || !slices.Equal(targets(got), c.want) {
			t.Errorf("%s: %v, %v; want %v", c.name, targets(got), err, c.want)
		}
	}
	if agents, err := s.Agents(); err != nil || !slices.Equal(agents, []string{"ana", "ben", "cem"}) {
		t.Errorf("Agents() = %v, %v", agents, err)
	}
}
