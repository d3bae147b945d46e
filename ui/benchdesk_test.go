package ui

import (
	"fmt"
	"path/filepath"
	"runtime/debug"
	"testing"
	"time"

	"github.com/wismo/wismo/store"
)

// A benchmark desk's store: n orders of one parcel with one scan each,
// placed in order over two weeks; one order in exceptionEvery has an open
// exception (5 %), of every kind in turn, some of them assigned,
// acknowledged or snoozed as a working desk's are.
const exceptionEvery = 20

var (
	benchCarriers = []string{"dhl", "ups", "dpd", "gls", "fedex", "usps"}
	benchAgents   = []string{"ana", "bob", "cem"}
	benchFirst    = []string{"Anna", "Jonas", "Zoë", "Karl", "Olivia", "Mehmet", "Lena", "Paul"}
	benchLast     = []string{"Müller", "Weber", "Dubois", "Schröder", "Jones", "Yılmaz", "Fischer", "Nowak", "Rossi", "Becker"}
)

// seedTxOrders is how many orders one write transaction takes. bbolt
// splits a node only at commit, so an index that takes keys at several
// places slows down within a huge transaction; a few thousand keep every
// node small and the commits few.
const seedTxOrders = 5000

// openBenchStore writes a store of n orders under dir. Building the
// largest takes about a minute: benchmarks share one per size.
func openBenchStore(tb testing.TB, dir string, n int) *store.Store {
	tb.Helper()
	st, err := store.Open(filepath.Join(dir, fmt.Sprintf("desk-%d.db", n)), store.Options{NoSync: true, InitialMmapSize: 4 << 30})
	if err != nil {
		tb.Fatal(err)
	}
	// Seeding makes many short-lived values and keeps few: collecting
	// less often cuts the build by about a third.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	for from := 0; from < n; from += seedTxOrders {
		err := st.Update(func(tx *store.Tx) error {
			for i := from; i < min(from+seedTxOrders, n); i++ {
				if err := seedBenchOrder(tx, i, n); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			st.Close()
			tb.Fatalf("seeding order %d of %d: %v", from, n, err)
		}
	}
	return st
}

// benchNumber is the number of the benchmark store's order i: seven
// digits, so numbers sort as they are written and every index is appended
// to.
func benchNumber(i int) string { return fmt.Sprint(1_000_000 + i) }

// seedBenchOrder writes order i of n with its parcel, its scan and, for
// one in exceptionEvery, its exception.
func seedBenchOrder(tx *store.Tx, i, n int) error {
	placed := now.Add(-15*24*time.Hour + time.Duration(i)*(14*24*time.Hour)/time.Duration(n))
	scan := store.Event{
		Time: placed.Add(6 * time.Hour), LocalTime: placed.Add(6 * time.Hour).Format("2006-01-02T15:04:05"),
		RawCode: "transit", RawText: "The shipment has been processed in the parcel center",
		Status: store.StatusInTransit, Rule: "dhl/transit", Location: store.Location{City: "Bochum", Country: "DE"},
	}
	p := store.Parcel{
		Carrier: benchCarriers[i%len(benchCarriers)], TrackingNumber: fmt.Sprintf("00340434%012d", i), Order: benchNumber(i),
		Status: store.StatusInTransit, StatusText: scan.RawText, StatusAt: scan.Time, LastEventAt: scan.Time,
		ShippedAt: placed.Add(2 * time.Hour), CreatedAt: placed,
	}
	if err := tx.CreateParcel(&p); err != nil {
		return err
	}
	if _, err := tx.AddEvents(p.ID, store.SourcePoll, []store.Event{scan}); err != nil {
		return err
	}
	if err := tx.PutOrder(benchOrder(i, placed, p.ID)); err != nil {
		return err
	}
	if i%exceptionEvery != 0 {
		return nil
	}
	return seedBenchException(tx, i/exceptionEvery, p, placed.Add(12*time.Hour))
}

// benchOrder is order i: one of 80 names, an email and a phone of its
// own, a postcode shared with its neighbours.
func benchOrder(i int, placed time.Time, parcel store.ParcelID) store.Order {
	return store.Order{
		Number: benchNumber(i), PlacedAt: placed,
		Customer: store.Customer{
			Name:  benchFirst[i%len(benchFirst)] + " " + benchLast[i/len(benchFirst)%len(benchLast)],
			Email: fmt.Sprintf("customer%07d@example.com", i), Phone: fmt.Sprintf("+49 170 %07d", i),
		},
		ShipTo:  store.Address{Line1: "Hauptstraße 1", City: "Berlin", PostalCode: fmt.Sprint(10_000 + i/50), Country: "DE"},
		Lines:   []store.Line{{SKU: "MUG", Title: "Ceramic mug", Qty: 1}},
		Parcels: []store.ParcelID{parcel},
	}
}

// seedBenchException opens the j-th exception on p; one in five is
// assigned, one in seven acknowledged, one in fifty snoozed.
func seedBenchException(tx *store.Tx, j int, p store.Parcel, opened time.Time) error {
	e := store.Exception{Parcel: p.ID, Kind: store.Kinds[j%len(store.Kinds)], OpenedAt: opened,
		Detail: "No scan for 49 h; last: processed in parcel center", Rule: "bench"}
	if err := tx.OpenException(&e); err != nil {
		return err
	}
	if j%5 == 1 {
		if err := tx.AssignException(e.ID, benchAgents[j%len(benchAgents)]); err != nil {
			return err
		}
	}
	switch {
	case j%50 == 3:
		return tx.SetExceptionState(e.ID, store.StateSnoozed)
	case j%7 == 2:
		return tx.SetExceptionState(e.ID, store.StateAcknowledged)
	}
	return nil
}
