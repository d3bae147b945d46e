package store

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"
)

// The values the exceptions desk is filtered on in these tests: sets of
// kinds and states that overlap, repeat a value, hold an empty value or
// match nothing, and single carriers and assignees, one of which nobody has.
var (
	testKinds = [][]ExceptionKind{nil, {KindLost}, {KindDamaged, KindLost}, {KindDelayed, KindWeather, KindDelayed},
		{KindAttemptFailed, ""}, {KindCustomsHold}}
	testCarriers = []string{"", "dhl", "ups", "fedex"}
	testStates   = [][]ExceptionState{nil, {StateOpen}, {StateOpen, StateAcknowledged}, {StateSnoozed},
		{StateResolved}, {StateAcknowledged, StateSnoozed, StateOpen}}
	testAssignees = []string{"", "ana", "ben", "cem"}
)

// excFixture opens 24 exceptions on parcels of dhl and ups across five
// kinds, some opened at the same instant, assigns some and moves some to
// acknowledged or snoozed. It returns their ids in opening order.
func excFixture(t *testing.T) (*Store, []ExceptionID) {
	s := openTemp(t)
	kinds := []ExceptionKind{KindLost, KindDamaged, KindAttemptFailed, KindDelayed, KindWeather}
	var ids []ExceptionID
	for i := range 24 {
		carrier := []string{"dhl", "ups"}[i%2]
		number := fmt.Sprintf("#E%02d", i)
		parcel := storeOrder(t, s, carrier, Order{Number: number, Customer: Customer{Name: "Customer " + number}}, "T"+number)[0]
		e := Exception{Parcel: parcel, Kind: kinds[i%len(kinds)], OpenedAt: t0.Add(time.Duration(i*7%11) * time.Hour)}
		mustUpdate(t, s, func(tx *Tx) error { return tx.OpenException(&e) })
		ids = append(ids, e.ID)
	}
	mustUpdate(t, s, func(tx *Tx) error {
		for i, id := range ids {
			switch {
			case i%3 == 0:
				if err := tx.AssignException(id, "ana"); err != nil {
					return err
				}
			case i%4 == 1:
				if err := tx.AssignException(id, "ben"); err != nil {
					return err
				}
			}
			switch {
			case i%5 == 2:
				if err := tx.SetExceptionState(id, StateAcknowledged); err != nil {
					return err
				}
			case i%6 == 3:
				if err := tx.SetExceptionState(id, StateSnoozed); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return s, ids
}

// mustUpdate runs fn in one write transaction and fails the test if it
// fails.
func mustUpdate(t *testing.T, s *Store, fn func(*Tx) error) {
	t.Helper()
	if err := s.Update(fn); err != nil {
		t.Fatal(err)
	}
}

// unresolved reads every exception from its bucket, not from the index,
// and returns the unresolved ones worst first, then oldest, then first
// opened: the list every filter must be a part of.
func unresolved(t *testing.T, s *Store) []Exception {
	t.Helper()
	var out []Exception
	err := s.View(func(tx *Tx) error {
		return tx.bucket(bucketExceptions).ForEach(func(_, v []byte) error {
			var e Exception
			if err := decode(v, &e); err != nil {
				return err
			}
			if e.State != StateResolved {
				out = append(out, e)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(out, compareExceptions)
	return out
}

// compareExceptions is the desk's order: worst, then oldest, then first
// opened.
func compareExceptions(a, b Exception) int {
	return cmp.Or(cmp.Compare(b.Severity, a.Severity), a.OpenedAt.Compare(b.OpenedAt), cmp.Compare(a.ID, b.ID))
}

// filterMatches is the filter applied by hand.
func filterMatches(f ExceptionFilter, e Exception) bool {
	return (len(f.Kinds) == 0 || slices.Contains(f.Kinds, e.Kind)) && (f.Carrier == "" || f.Carrier == e.Carrier) &&
		(len(f.States) == 0 || slices.Contains(f.States, e.State)) && (f.Assignee == "" || f.Assignee == e.Assignee)
}

func filtered(all []Exception, f ExceptionFilter) []ExceptionID {
	var ids []ExceptionID
	for _, e := range all {
		if filterMatches(f, e) {
			ids = append(ids, e.ID)
		}
	}
	return ids
}

func idsOf(rows []ExceptionRow) []ExceptionID {
	var ids []ExceptionID
	for _, r := range rows {
		ids = append(ids, r.Exception.ID)
	}
	return ids
}

// allFilters is every combination of the test values.
func allFilters() []ExceptionFilter {
	var out []ExceptionFilter
	for _, k := range testKinds {
		for _, c := range testCarriers {
			for _, st := range testStates {
				for _, a := range testAssignees {
					out = append(out, ExceptionFilter{Kinds: k, Carrier: c, States: st, Assignee: a})
				}
			}
		}
	}
	return out
}

// pageForward reads a filter's rows n at a time as the pane scrolls down:
// each page starts at the last row of the one before, which
// ExceptionsAfter includes.
func pageForward(t *testing.T, s *Store, f ExceptionFilter, n int) []ExceptionRow {
	t.Helper()
	rows, err := s.ExceptionsAfter(f, nil, n)
	if err != nil {
		t.Fatal(err)
	}
	all := rows
	for len(rows) == n {
		last := rows[n-1]
		next, err := s.ExceptionsAfter(f, last.Cursor, n+1)
		if err != nil {
			t.Fatal(err)
		}
		if len(next) == 0 || next[0].Exception.ID != last.Exception.ID {
			t.Fatalf("%+v: page from exception %d starts at %v", f, last.Exception.ID, idsOf(next))
		}
		rows = next[1:]
		all = append(all, rows...)
	}
	return all
}

// pageBackward reads a filter's rows n at a time from the bottom up.
func pageBackward(t *testing.T, s *Store, f ExceptionFilter, n int) []ExceptionRow {
	t.Helper()
	var all, rows []ExceptionRow
	var from Cursor
	for {
		var err error
		if rows, err = s.ExceptionsBefore(f, from, n); err != nil {
			t.Fatal(err)
		}
		if len(rows) > n {
			t.Fatalf("%+v: a page of %d holds %d rows", f, n, len(rows))
		}
		if len(rows) == 0 {
			return all
		}
		all, from = slices.Concat(rows, all), rows[0].Cursor
	}
}

// checkExceptionPages pages every filter both ways in pages of 1, 2 and 5
// and compares the rows with the unresolved exceptions filtered by hand,
// then checks the counts.
func checkExceptionPages(t *testing.T, s *Store) {
	t.Helper()
	all := unresolved(t, s)
	top, err := s.ExceptionsAfter(ExceptionFilter{}, nil, 100)
	if err != nil {
		t.Fatal(err)
	}
	cursors := map[ExceptionID]string{}
	for _, r := range top {
		cursors[r.Exception.ID] = string(r.Cursor)
	}
	for _, f := range allFilters() {
		want := filtered(all, f)
		for _, n := range []int{1, 2, 5} {
			for dir, rows := range map[string][]ExceptionRow{
				"forward": pageForward(t, s, f, n), "backward": pageBackward(t, s, f, n),
			} {
				if got := idsOf(rows); !slices.Equal(got, want) {
					t.Fatalf("%+v paged %s by %d = %v, want %v", f, dir, n, got, want)
				}
				for _, r := range rows {
					if string(r.Cursor) != cursors[r.Exception.ID] || r.Parcel.ID != r.Exception.Parcel ||
						r.Exception.Customer != "Customer "+r.Exception.Order {
						t.Fatalf("%+v: row %+v not joined, or its cursor differs from the unfiltered one", f, r)
					}
				}
			}
		}
	}
	checkExceptionCounts(t, s, all)
}

// checkExceptionCounts compares the header's counts and every filter's
// count with the unresolved exceptions counted by hand, and the filter
// index's size with sixteen entries for each.
func checkExceptionCounts(t *testing.T, s *Store, all []Exception) {
	t.Helper()
	kinds, carriers := map[ExceptionKind]int{}, map[string]int{}
	for _, k := range Kinds {
		kinds[k] = 0
	}
	for _, e := range all {
		kinds[e.Kind]++
		carriers[e.Carrier]++
	}
	gotKinds, err := s.ExceptionCounts()
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(gotKinds, kinds) {
		t.Errorf("kind counts %v, want %v", gotKinds, kinds)
	}
	gotCarriers, err := s.CarrierExceptionCounts()
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(gotCarriers, carriers) {
		t.Errorf("carrier counts %v, want %v", gotCarriers, carriers)
	}
	fs := allFilters()
	counts, err := s.CountExceptions(fs)
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range fs {
		if want := len(filtered(all, f)); counts[i] != want {
			t.Errorf("%+v counted %d, want %d", f, counts[i], want)
		}
	}
	err = s.View(func(tx *Tx) error {
		if n := tx.bucket(bucketIdxExc).Stats().KeyN; n != 8*len(all) {
			t.Errorf("filter index holds %d entries for %d unresolved exceptions", n, len(all))
		}
		c := tx.bucket(bucketStats).Cursor()
		prefix := []byte(rangeCountPrefix)
		for k, v := c.Seek(prefix); withinPrefix(k, prefix); k, v = c.Next() {
			if n := counter(v); n < 0 || n > len(all) {
				t.Errorf("counter %q = %d with %d unresolved exceptions", k, n, len(all))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestExceptionFiltersPageLikeAScan(t *testing.T) {
	s, ids := excFixture(t)
	checkExceptionPages(t, s)

	// Each change moves the counts at once.
	change := func(fn func(*Tx) error) {
		t.Helper()
		mustUpdate(t, s, fn)
		checkExceptionCounts(t, s, unresolved(t, s))
	}
	for i, id := range ids {
		switch i % 7 {
		case 0:
			change(func(tx *Tx) error { return tx.AssignException(id, "ben") })
		case 1:
			change(func(tx *Tx) error { return tx.AssignException(id, "") })
		case 2:
			change(func(tx *Tx) error { return tx.SetExceptionState(id, StateOpen) })
		case 3:
			change(func(tx *Tx) error { return tx.SetExceptionState(id, StateSnoozed) })
		case 4:
			change(func(tx *Tx) error { return tx.SetExceptionState(id, StateAcknowledged) })
		case 5:
			change(func(tx *Tx) error { return tx.SetExceptionState(id, StateSnoozed) })
			change(func(tx *Tx) error { return tx.SetExceptionState(id, StateSnoozed) })
		}
	}
	checkExceptionPages(t, s)

	for _, id := range ids[:12] {
		change(func(tx *Tx) error { return tx.ResolveException(id, t0, "delivered") })
	}
	checkExceptionPages(t, s)

	for _, id := range ids[12:] {
		change(func(tx *Tx) error { return tx.ResolveException(id, t0, "delivered") })
	}
	checkExceptionPages(t, s)
	for _, f := range []ExceptionFilter{{}, {Carrier: "dhl"}, {Kinds: []ExceptionKind{KindLost}, Assignee: "ana"}} {
		if rows, _ := s.ExceptionsAfter(f, nil, 10); len(rows) != 0 {
			t.Errorf("%+v lists %d resolved exceptions", f, len(rows))
		}
	}
}

// A row's cursor is its place in the desk's order, so it continues a list
// under another filter from the same place, even once that row is
// resolved.
func TestExceptionCursorCarriesAcrossFilters(t *testing.T) {
	s, ids := excFixture(t)
	mustUpdate(t, s, func(tx *Tx) error { return tx.ResolveException(ids[5], t0, "delivered") })
	byDHL, err := s.ExceptionsAfter(ExceptionFilter{Carrier: "dhl"}, nil, 100)
	if err != nil {
		t.Fatal(err)
	}
	var resolved Exception
	mustUpdate(t, s, func(tx *Tx) error {
		if err := tx.ResolveException(byDHL[4].Exception.ID, t0, "delivered"); err != nil {
			return err
		}
		resolved, err = tx.Exception(byDHL[4].Exception.ID)
		return err
	})
	all := unresolved(t, s)
	for _, from := range byDHL {
		for _, f := range []ExceptionFilter{{}, {Kinds: []ExceptionKind{KindLost}}, {Carrier: "ups"},
			{States: []ExceptionState{StateAcknowledged}}, {Assignee: "ana", Carrier: "ups"},
			{Kinds: []ExceptionKind{KindWeather}, Carrier: "dhl"}, {Kinds: []ExceptionKind{KindLost, KindWeather, KindDelayed}},
			{States: []ExceptionState{StateSnoozed, StateAcknowledged}, Kinds: []ExceptionKind{KindDamaged, KindAttemptFailed}}} {
			mark := from.Exception
			if mark.ID == resolved.ID {
				mark = resolved
			}
			var below, above []ExceptionID
			for _, e := range all {
				if !filterMatches(f, e) {
					continue
				}
				if compareExceptions(e, mark) < 0 {
					above = append(above, e.ID)
				} else {
					below = append(below, e.ID)
				}
			}
			after, err := s.ExceptionsAfter(f, from.Cursor, 100)
			if err != nil {
				t.Fatal(err)
			}
			before, err := s.ExceptionsBefore(f, from.Cursor, 100)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(idsOf(after), below) || !slices.Equal(idsOf(before), above) {
				t.Errorf("%+v from exception %d: after %v, before %v; want %v and %v",
					f, mark.ID, idsOf(after), idsOf(before), below, above)
			}
		}
	}
}

func TestExceptionWorkflowRefusals(t *testing.T) {
	s, ids := excFixture(t)
	before := unresolved(t, s)
	for _, state := range []ExceptionState{StateResolved, "paused", "", "OPEN"} {
		if err := s.Update(func(tx *Tx) error { return tx.SetExceptionState(ids[1], state) }); err == nil {
			t.Errorf("state %q accepted", state)
		}
	}
	for name, act := range map[string]func(*Tx) error{
		"assign":  func(tx *Tx) error { return tx.AssignException(999, "ana") },
		"state":   func(tx *Tx) error { return tx.SetExceptionState(999, StateOpen) },
		"resolve": func(tx *Tx) error { return tx.ResolveException(999, t0, "x") },
	} {
		if err := s.Update(act); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s on an unknown exception: %v, want ErrNotFound", name, err)
		}
	}
	if after := unresolved(t, s); !slices.EqualFunc(after, before, exceptionsEqual) {
		t.Errorf("refused changes changed exceptions")
	}

	mustUpdate(t, s, func(tx *Tx) error { return tx.ResolveException(ids[1], t0, "delivered") })
	resolvedBefore := readException(t, s, ids[1])
	for name, act := range map[string]func(*Tx) error{
		"assign":   func(tx *Tx) error { return tx.AssignException(ids[1], "ana") },
		"unassign": func(tx *Tx) error { return tx.AssignException(ids[1], "") },
		"open":     func(tx *Tx) error { return tx.SetExceptionState(ids[1], StateOpen) },
		"snooze":   func(tx *Tx) error { return tx.SetExceptionState(ids[1], StateSnoozed) },
		"resolve":  func(tx *Tx) error { return tx.ResolveException(ids[1], t0.Add(time.Hour), "again") },
	} {
		if err := s.Update(act); err == nil {
			t.Errorf("%s on a resolved exception accepted", name)
		}
	}
	if got := readException(t, s, ids[1]); !exceptionsEqual(got, resolvedBefore) {
		t.Errorf("resolved exception changed: %+v", got)
	}
	checkExceptionPages(t, s)
}

func exceptionsEqual(a, b Exception) bool {
	return a.ID == b.ID && a.State == b.State && a.Assignee == b.Assignee && a.Resolution == b.Resolution &&
		a.ResolvedAt.Equal(b.ResolvedAt)
}

func readException(t *testing.T, s *Store, id ExceptionID) Exception {
	t.Helper()
	var e Exception
	err := s.View(func(tx *Tx) (err error) {
		e, err = tx.Exception(id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}
