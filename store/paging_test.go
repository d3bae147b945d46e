package store

import (
	"cmp"
	"fmt"
	"slices"
	"testing"
	"time"
)

// pageOrders reads the orders list n at a time, each page from the last
// row of the one before, and returns the order numbers.
func pageOrders(t *testing.T, s *Store, n int) []string {
	t.Helper()
	var numbers []string
	var from Cursor
	for {
		rows, err := s.OrdersBefore(from, n)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) > n {
			t.Fatalf("a page of %d holds %d orders", n, len(rows))
		}
		if len(rows) == 0 {
			return numbers
		}
		for _, r := range rows {
			numbers = append(numbers, r.Order.Number)
		}
		from = rows[len(rows)-1].Cursor
	}
}

// Orders list newest first; an order without a placing time is not in
// the list at all (it has no place in it), though search still finds it.
func TestOrdersBeforeNewestFirstLeavesOutUndated(t *testing.T) {
	s := openTemp(t)
	type placed struct {
		number string
		at     time.Time
	}
	var dated []placed
	for i := range 25 {
		// Written in scrambled order; #O03 and #O13 share an instant.
		h := (i * 11) % 25
		if i == 13 {
			h = (3 * 11) % 25
		}
		p := placed{fmt.Sprintf("#O%02d", i), t0.Add(time.Duration(h) * time.Hour)}
		dated = append(dated, p)
		storeOrder(t, s, "dhl", Order{Number: p.number, PlacedAt: p.at})
	}
	for i := range 3 {
		storeOrder(t, s, "dhl", Order{Number: fmt.Sprintf("#U%d", i), Customer: Customer{Name: "Undated"}})
	}
	slices.SortFunc(dated, func(a, b placed) int { return cmp.Or(b.at.Compare(a.at), cmp.Compare(b.number, a.number)) })
	var want []string
	for _, p := range dated {
		want = append(want, p.number)
	}
	for _, n := range []int{1, 4, 25, 100} {
		if got := pageOrders(t, s, n); !slices.Equal(got, want) {
			t.Errorf("pages of %d: %v, want %v", n, got, want)
		}
	}
	if got, _ := findOrders(t, s, "undated", 10); len(got) != 3 {
		t.Errorf("undated orders found by name: %v", got)
	}

	// Moving an order's placing time moves it in the list; clearing it
	// takes it out, and dating an undated order puts it in.
	o := Order{Number: want[len(want)-1], PlacedAt: t0.Add(100 * time.Hour)}
	mustUpdate(t, s, func(tx *Tx) error { return tx.PutOrder(o) })
	mustUpdate(t, s, func(tx *Tx) error { return tx.PutOrder(Order{Number: want[0]}) })
	mustUpdate(t, s, func(tx *Tx) error { return tx.PutOrder(Order{Number: "#U0", PlacedAt: t0.Add(-time.Hour)}) })
	want = slices.Concat([]string{o.Number}, want[1:len(want)-1], []string{"#U0"})
	if got := pageOrders(t, s, 3); !slices.Equal(got, want) {
		t.Errorf("after moves: %v, want %v", got, want)
	}
	if rows, err := s.OrdersBefore(nil, 0); err != nil || len(rows) != 0 {
		t.Errorf("a page of 0: %d rows, %v", len(rows), err)
	}
}

func TestEventsPageOldestFirst(t *testing.T) {
	s := openTemp(t)
	ids := seed(t, s, "T1", "T2", "T3")
	scan := func(id ParcelID, i int) Event {
		return Event{Time: t0.Add(time.Duration(i) * time.Hour), RawCode: "transit",
			RawText: fmt.Sprintf("scan %d of %d", i, id), Status: StatusInTransit}
	}
	for _, c := range []struct {
		id     ParcelID
		events int
	}{{ids[0], 9}, {ids[1], 10}, {ids[2], 1}} {
		var events []Event
		for i := c.events - 1; i >= 0; i-- {
			events = append(events, scan(c.id, i))
		}
		mustUpdate(t, s, func(tx *Tx) error { _, err := tx.AddEvents(c.id, SourcePoll, events); return err })
	}

	for _, c := range []struct {
		id    ParcelID
		n     int
		pages []int
	}{
		{ids[1], 3, []int{3, 3, 3, 1}},
		{ids[0], 3, []int{3, 3, 3}},
		{ids[1], 10, []int{10}},
		{ids[1], 100, []int{10}},
		{ids[2], 3, []int{1}},
		{ids[1], 0, []int{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
		{99, 3, []int{0}},
	} {
		var sizes []int
		var texts []string
		var from Cursor
		for range 20 {
			page, next, err := s.Events(c.id, from, c.n)
			if err != nil {
				t.Fatal(err)
			}
			sizes = append(sizes, len(page))
			for _, e := range page {
				if e.Parcel != c.id {
					t.Errorf("parcel %d's page holds an event of parcel %d", c.id, e.Parcel)
				}
				texts = append(texts, e.RawText)
			}
			if from = next; next == nil {
				break
			}
		}
		if !slices.Equal(sizes, c.pages) {
			t.Errorf("parcel %d in pages of %d: sizes %v, want %v", c.id, c.n, sizes, c.pages)
		}
		var want []string
		for i := range len(texts) {
			want = append(want, scan(c.id, i).RawText)
		}
		if !slices.Equal(texts, want) {
			t.Errorf("parcel %d in pages of %d: %v", c.id, c.n, texts)
		}
	}
}
