package store

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 5, 8, 0, 0, 0, time.UTC)

// seed stores one order per tracking number with one parcel each and
// returns the parcel ids in order.
func seed(t *testing.T, s *Store, tracking ...string) []ParcelID {
	t.Helper()
	var ids []ParcelID
	err := s.Update(func(tx *Tx) error {
		for i, tn := range tracking {
			p := Parcel{Carrier: "dhl", TrackingNumber: tn, Order: fmt.Sprintf("#%d", 1001+i), Status: StatusPending}
			if err := tx.CreateParcel(&p); err != nil {
				return err
			}
			ids = append(ids, p.ID)
			o := Order{Number: p.Order, Customer: Customer{Name: fmt.Sprintf("Customer %d", i)}, Parcels: []ParcelID{p.ID}}
			if err := tx.PutOrder(o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func TestSearchByOrderAndTracking(t *testing.T) {
	s := openTemp(t)
	seed(t, s, "00340434161234567890", "JVGL0612345678", "00340434169999999999")
	cases := []struct {
		query string
		want  []string // order numbers, in rank order
	}{
		{"#1001", []string{"#1001"}},
		{"1002", []string{"#1002"}},
		{"100", []string{"#1001", "#1002", "#1003"}},
		{"jvgl 0612 345678", []string{"#1002"}},
		{"0034 0434 16", []string{"#1001", "#1003"}},
		{"003404341699", []string{"#1003"}},
		{"nothing", nil},
		{"", nil},
	}
	for _, c := range cases {
		hits, err := s.Search(c.query, 10)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range hits {
			got = append(got, h.Number)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("Search(%q) = %v, want %v", c.query, got, c.want)
		}
	}
	hits, _ := s.Search("00340434161234567890", 10)
	if len(hits) != 1 || !hits[0].Exact || hits[0].Field != "tracking number" {
		t.Errorf("exact tracking hit = %+v", hits)
	}
	if hits, _ := s.Search("100", 2); len(hits) != 2 {
		t.Errorf("limit 2 returned %d hits", len(hits))
	}
}

func TestCreateParcelRefusesDuplicateTracking(t *testing.T) {
	s := openTemp(t)
	seed(t, s, "JVGL1")
	err := s.Update(func(tx *Tx) error {
		return tx.CreateParcel(&Parcel{Carrier: "dhl", TrackingNumber: "jvgl 1"})
	})
	if err == nil {
		t.Fatal("duplicate tracking number stored twice")
	}
	err = s.Update(func(tx *Tx) error {
		return tx.CreateParcel(&Parcel{Carrier: "ups", TrackingNumber: "JVGL1"})
	})
	if err != nil {
		t.Fatalf("same number at another carrier: %v", err)
	}
}

func TestEventsDedupeAndSort(t *testing.T) {
	s := openTemp(t)
	id := seed(t, s, "T1")[0]
	ev := func(h int, text string) Event {
		return Event{Parcel: id, Source: SourcePoll,
			Time: t0.Add(time.Duration(h) * time.Hour), RawCode: "transit", RawText: text, Status: StatusInTransit,
		}
	}
	added := addEvents(t, s, ev(3, "c"), ev(1, "a"), ev(2, "b"), ev(1, "a"), ev(1, "A "))
	if want := []bool{true, true, true, false, false}; !slices.Equal(added, want) {
		t.Errorf("added = %v, want %v", added, want)
	}
	d, err := s.Parcel(id)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, e := range d.Events {
		texts = append(texts, e.RawText)
	}
	if !slices.Equal(texts, []string{"a", "b", "c"}) {
		t.Errorf("timeline = %v", texts)
	}
}

func TestDueAndSilentIndexesFollowTheParcel(t *testing.T) {
	s := openTemp(t)
	ids := seed(t, s, "A", "B", "C")
	update := func(id ParcelID, f func(*Parcel)) {
		t.Helper()
		err := s.Update(func(tx *Tx) error {
			p, err := tx.Parcel(id)
			if err != nil {
				return err
			}
			f(&p)
			return tx.PutParcel(p)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	update(ids[0], func(p *Parcel) { p.NextPollAt = t0.Add(2 * time.Hour) })
	update(ids[1], func(p *Parcel) { p.NextPollAt = t0.Add(time.Hour) })
	update(ids[2], func(p *Parcel) { p.NextPollAt = t0.Add(5 * time.Hour) })
	update(ids[0], func(p *Parcel) { p.NextPollAt = t0.Add(3 * time.Hour) }) // moved, old entry gone
	var due []ParcelID
	s.View(func(tx *Tx) error { due = tx.ParcelsDue(t0.Add(4*time.Hour), 10); return nil })
	if want := []ParcelID{ids[1], ids[0]}; !slices.Equal(due, want) {
		t.Errorf("due = %v, want %v", due, want)
	}

	update(ids[0], func(p *Parcel) { p.Status, p.LastEventAt = StatusInTransit, t0 })
	update(ids[1], func(p *Parcel) { p.Status, p.LastEventAt = StatusInTransit, t0.Add(time.Hour) })
	update(ids[1], func(p *Parcel) { p.Status = StatusDelivered })                             // finished: no longer watched
	update(ids[2], func(p *Parcel) { p.Status, p.LastEventAt = StatusAvailableForPickup, t0 }) // waits, by design
	var silent []ParcelID
	tenHours := func(string) time.Time { return t0.Add(10 * time.Hour) } // every carrier's cutoff
	s.View(func(tx *Tx) error { silent = tx.ParcelsSilent(tenHours, 10); return nil })
	if want := []ParcelID{ids[0]}; !slices.Equal(silent, want) {
		t.Errorf("silent = %v, want %v", silent, want)
	}

	// An open exception takes the parcel off the stall watch; resolving it,
	// or a caller's PutParcel with a stale copy, must not lose track.
	var stale Parcel
	err := s.Update(func(tx *Tx) error {
		var err error
		if stale, err = tx.Parcel(ids[0]); err != nil {
			return err
		}
		e := Exception{Parcel: ids[0], Kind: KindStalled, OpenedAt: t0}
		if err := tx.OpenException(&e); err != nil {
			return err
		}
		return tx.PutParcel(stale)
	})
	if err != nil {
		t.Fatal(err)
	}
	s.View(func(tx *Tx) error { silent = tx.ParcelsSilent(tenHours, 10); return nil })
	if len(silent) != 0 {
		t.Errorf("parcel with an open exception still watched: %v", silent)
	}
	err = s.Update(func(tx *Tx) error {
		e, err := tx.OpenExceptionOf(ids[0])
		if err != nil {
			return err
		}
		return tx.ResolveException(e.ID, t0, "scanned")
	})
	if err != nil {
		t.Fatal(err)
	}
	s.View(func(tx *Tx) error { silent = tx.ParcelsSilent(tenHours, 10); return nil })
	if want := []ParcelID{ids[0]}; !slices.Equal(silent, want) {
		t.Errorf("after resolve silent = %v, want %v", silent, want)
	}
}

func TestExceptionsWorstThenOldestFirst(t *testing.T) {
	s := openTemp(t)
	ids := seed(t, s, "A", "B", "C", "D", "E")
	open := []struct {
		kind ExceptionKind
		at   int
	}{
		{KindStalled, 1}, {KindLost, 5}, {KindAttemptFailed, 3}, {KindLost, 2}, {KindWeather, 0},
	}
	err := s.Update(func(tx *Tx) error {
		for i, o := range open {
			e := Exception{Parcel: ids[i], Order: fmt.Sprintf("#%d", 1001+i), Kind: o.kind, OpenedAt: t0.Add(time.Duration(o.at) * time.Hour)}
			if err := tx.OpenException(&e); err != nil {
				return err
			}
		}
		// A second open exception for the same parcel fails the whole
		// transaction: nothing above it is kept.
		return tx.OpenException(&Exception{Parcel: ids[0], Kind: KindLost})
	})
	if err == nil {
		t.Fatal("second open exception for one parcel accepted")
	}
	err = s.Update(func(tx *Tx) error {
		for i, o := range open {
			e := Exception{Parcel: ids[i], Order: fmt.Sprintf("#%d", 1001+i), Kind: o.kind, OpenedAt: t0.Add(time.Duration(o.at) * time.Hour)}
			if err := tx.OpenException(&e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := s.ExceptionsAfter(ExceptionFilter{}, nil, 10)
	if err != nil {
		t.Fatal(err)
	}
	want := []ParcelID{ids[3], ids[1], ids[2], ids[0], ids[4]}
	if got := parcelsOf(rows); !slices.Equal(got, want) {
		t.Fatalf("order = %v, want %v", got, want)
	}
	if rows[0].Exception.Customer != "Customer 3" || rows[0].Parcel.TrackingNumber != "D" {
		t.Errorf("row not joined: %+v", rows[0])
	}

	// Paging: from the third row forward, and backward from it.
	page, _ := s.ExceptionsAfter(ExceptionFilter{}, rows[2].Cursor, 2)
	if got := parcelsOf(page); !slices.Equal(got, want[2:4]) {
		t.Errorf("after = %v, want %v", got, want[2:4])
	}
	page, _ = s.ExceptionsBefore(ExceptionFilter{}, rows[2].Cursor, 5)
	if got := parcelsOf(page); !slices.Equal(got, want[:2]) {
		t.Errorf("before = %v, want %v", got, want[:2])
	}
	page, _ = s.ExceptionsBefore(ExceptionFilter{}, nil, 2)
	if got := parcelsOf(page); !slices.Equal(got, want[3:]) {
		t.Errorf("last page = %v, want %v", got, want[3:])
	}

	counts, _ := s.ExceptionCounts()
	if counts[KindLost] != 2 || counts[KindStalled] != 1 {
		t.Errorf("counts = %v", counts)
	}
	err = s.Update(func(tx *Tx) error { return tx.ResolveException(rows[0].Exception.ID, t0, "delivered") })
	if err != nil {
		t.Fatal(err)
	}
	counts, _ = s.ExceptionCounts()
	rows, _ = s.ExceptionsAfter(ExceptionFilter{}, nil, 10)
	if counts[KindLost] != 1 || len(rows) != 4 {
		t.Errorf("after resolve: counts %v, %d rows", counts, len(rows))
	}
	err = s.View(func(tx *Tx) error { _, err := tx.OpenExceptionOf(ids[3]); return err })
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("resolved exception still open for its parcel: %v", err)
	}
}

func parcelsOf(rows []ExceptionRow) []ParcelID {
	var out []ParcelID
	for _, r := range rows {
		out = append(out, r.Parcel.ID)
	}
	return out
}

// A naive carrier time resolved in another zone on a later poll is still
// the same scan.
func TestDedupeSurvivesAZoneReguess(t *testing.T) {
	s := openTemp(t)
	id := seed(t, s, "T1")[0]
	scan := Event{Parcel: id, Time: t0, LocalTime: "2026-03-05T09:00:00", RawCode: "transit", RawText: "processed"}
	reguessed := scan
	reguessed.Time = t0.Add(time.Hour)
	added := addEvents(t, s, scan, reguessed)
	if !slices.Equal(added, []bool{true, false}) {
		t.Errorf("added = %v, want the re-guessed copy dropped", added)
	}
}

func TestParcelIdentityCannotChange(t *testing.T) {
	s := openTemp(t)
	id := seed(t, s, "T1")[0]
	for name, change := range map[string]func(*Parcel){
		"carrier":  func(p *Parcel) { p.Carrier = "ups" },
		"tracking": func(p *Parcel) { p.TrackingNumber = "T2" },
		"order":    func(p *Parcel) { p.Order = "#9" },
	} {
		err := s.Update(func(tx *Tx) error {
			p, err := tx.Parcel(id)
			if err != nil {
				return err
			}
			change(&p)
			return tx.PutParcel(p)
		})
		if err == nil {
			t.Errorf("changing the %s was accepted", name)
		}
	}
	if hits, _ := s.Search("T1", 5); len(hits) != 1 {
		t.Errorf("tracking index disturbed: %d hits", len(hits))
	}
}

// addEvents adds events one transaction each and reports which were new.
func addEvents(t *testing.T, s *Store, events ...Event) []bool {
	t.Helper()
	var added []bool
	err := s.Update(func(tx *Tx) error {
		for _, e := range events {
			fresh, err := tx.AddEvents(e.Parcel, e.Source, []Event{e})
			if err != nil {
				return err
			}
			added = append(added, len(fresh) == 1)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return added
}

// The exceptions list shows the customer without reading each order: the
// name is copied onto the open exception, whether the order was stored
// before the exception opened or after, and follows a correction.
func TestExceptionRowFollowsTheCustomerName(t *testing.T) {
	s := openTemp(t)
	var id ParcelID
	err := s.Update(func(tx *Tx) error {
		p := Parcel{Carrier: "dhl", TrackingNumber: "T1", Order: "#1"}
		if err := tx.CreateParcel(&p); err != nil {
			return err
		}
		id = p.ID
		// The carrier reports trouble before the shop's order arrives.
		return tx.OpenException(&Exception{Parcel: id, Kind: KindLost, OpenedAt: time.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Anna Mueller", "Anna Müller"} {
		err := s.Update(func(tx *Tx) error {
			return tx.PutOrder(Order{Number: "#1", Customer: Customer{Name: name}, Parcels: []ParcelID{id}})
		})
		if err != nil {
			t.Fatal(err)
		}
		rows, err := s.ExceptionsAfter(ExceptionFilter{}, nil, 5)
		if err != nil || len(rows) != 1 {
			t.Fatalf("rows %v, %v", rows, err)
		}
		if got := rows[0].Exception.Customer; got != name {
			t.Errorf("exception row shows customer %q, the order says %q", got, name)
		}
	}
}

// An order lists only its own parcels: a parcel that is not stored, or
// that belongs to another order, is refused, so archiving one order can
// never take another's parcel with it.
func TestPutOrderRefusesParcelsNotItsOwn(t *testing.T) {
	s := openTemp(t)
	ids := seed(t, s, "T1")
	for name, o := range map[string]Order{
		"missing parcel":         {Number: "#2", Parcels: []ParcelID{999}},
		"another order's parcel": {Number: "#2", Parcels: ids},
	} {
		if err := s.Update(func(tx *Tx) error { return tx.PutOrder(o) }); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := s.Order("#2"); !errors.Is(err, ErrNotFound) {
		t.Errorf("refused order stored: %v", err)
	}
}
