package store

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// benchStore holds n orders of one parcel, a tenth of them with an open
// exception, written in batches as the tracker writes.
func benchStore(b *testing.B, n int) *Store { return benchStoreOf(b, n, benchOrder) }

// benchStoreOf holds what add writes for 0 to n-1, a thousand to a
// transaction.
func benchStoreOf(b *testing.B, n int, add func(tx *Tx, i int) error) *Store {
	b.Helper()
	s, err := Open(filepath.Join(b.TempDir(), "bench.db"), Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	for start := 0; start < n; start += 1000 {
		err := s.Update(func(tx *Tx) error {
			for i := start; i < min(start+1000, n); i++ {
				if err := add(tx, i); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	return s
}

// Bench customers: 80 names, each shared by one order in 80; a unique
// email and phone each; a postcode shared by every 10,000th order.
var (
	benchFirst = []string{"Anna", "Jonas", "Lena", "Lukas", "Mia", "Paul", "Emma", "Ben"}
	benchLast  = []string{"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann"}
)

func benchCustomer(i int) (Customer, Address) {
	return Customer{
		Name:  benchFirst[i%len(benchFirst)] + " " + benchLast[i/len(benchFirst)%len(benchLast)],
		Email: fmt.Sprintf("customer%d@example.com", i),
		Phone: fmt.Sprintf("+49 170 %d", 1_000_000+i),
	}, Address{PostalCode: fmt.Sprint(60_000 + i%10_000)}
}

func benchOrder(tx *Tx, i int) error {
	p := Parcel{Carrier: []string{"dhl", "ups", "dpd"}[i%3], TrackingNumber: fmt.Sprintf("00340434%012d", i),
		Order: fmt.Sprint(100000 + i), Status: StatusInTransit, LastEventAt: t0}
	if err := tx.CreateParcel(&p); err != nil {
		return err
	}
	if i%10 == 0 {
		kind := Kinds[i%len(Kinds)]
		e := Exception{Parcel: p.ID, Order: p.Order, Kind: kind, OpenedAt: t0.Add(time.Duration(i) * time.Second)}
		if err := tx.OpenException(&e); err != nil {
			return err
		}
	}
	customer, shipTo := benchCustomer(i)
	return tx.PutOrder(Order{Number: p.Order, Customer: customer, ShipTo: shipTo, Parcels: []ParcelID{p.ID}})
}

// BenchmarkExceptionsPage reads one screen of the exceptions pane from the
// middle of the list: the pane's refresh on every store change.
func BenchmarkExceptionsPage(b *testing.B) {
	s := benchStore(b, 50_000)
	mid, err := s.ExceptionsAfter(ExceptionFilter{}, nil, 2500)
	if err != nil {
		b.Fatal(err)
	}
	from := mid[len(mid)-1].Cursor
	b.ResetTimer()
	for b.Loop() {
		rows, err := s.ExceptionsAfter(ExceptionFilter{}, from, 40)
		if err != nil || len(rows) != 40 {
			b.Fatal(len(rows), err)
		}
	}
}

// BenchmarkExceptionsFilteredPage reads one screen of the exceptions pane
// filtered on a kind and a carrier, from inside that list of about 60. A
// page costs the same per row whatever the store's size, so a smaller
// store keeps the setup short.
func BenchmarkExceptionsFilteredPage(b *testing.B) {
	s := benchStore(b, 20_000)
	f := ExceptionFilter{Kinds: []ExceptionKind{KindLost}, Carrier: "ups"}
	mid, err := s.ExceptionsAfter(f, nil, 10)
	if err != nil || len(mid) != 10 {
		b.Fatal(len(mid), err)
	}
	from := mid[len(mid)-1].Cursor
	b.ResetTimer()
	for b.Loop() {
		rows, err := s.ExceptionsAfter(f, from, 40)
		if err != nil || len(rows) != 40 {
			b.Fatal(len(rows), err)
		}
	}
}

// BenchmarkSearchCustomer is an agent typing what a caller gives: one
// store, a query per key kind, each with the hits it must find. A lookup
// costs a few seeks whatever the store's size and then grows with the hits
// it reads, so a smaller store keeps the setup short.
func BenchmarkSearchCustomer(b *testing.B) {
	const n = 20_000
	s := benchStore(b, n)
	for _, c := range []struct {
		name  string
		query func(i int) string
		hits  int
	}{
		{"email", func(i int) string { return fmt.Sprintf("Customer%d@Example.com", i%n) }, 1},
		{"phone-suffix", func(i int) string { return fmt.Sprint(1_000_000 + i%n) }, 1},
		{"name-prefix", func(i int) string { return []string{"mül", "schn", "hoff", "we"}[i%4] }, 20},
		{"name-two-words", func(i int) string { return []string{"anna mü", "ben hoff", "lena we"}[i%3] }, 20},
		{"postcode", func(i int) string { return fmt.Sprint(60_000 + i%10_000) }, n / 10_000},
	} {
		b.Run(c.name, func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				hits, err := s.Search(c.query(i), 20)
				if err != nil || len(hits) != c.hits {
					b.Fatal(c.query(i), len(hits), err)
				}
			}
		})
	}
}

// BenchmarkSearchTracking is an agent pasting a full tracking number.
func BenchmarkSearchTracking(b *testing.B) {
	s := benchStore(b, 50_000)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		hits, err := s.Search(fmt.Sprintf("00340434%012d", i%50_000), 20)
		if err != nil || len(hits) != 1 {
			b.Fatal(len(hits), err)
		}
	}
}

// BenchmarkOpenFirstPage is what an agent waits for when the desk starts:
// the store opened, the first screen of exceptions and the header's counts.
func BenchmarkOpenFirstPage(b *testing.B) {
	built := benchStore(b, 20_000)
	path := built.Path()
	if err := built.Close(); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		s, err := Open(path, Options{Timeout: time.Second})
		if err != nil {
			b.Fatal(err)
		}
		rows, err := s.ExceptionsAfter(ExceptionFilter{}, nil, 40)
		if err != nil || len(rows) != 40 {
			b.Fatal(len(rows), err)
		}
		if _, err := s.ExceptionCounts(); err != nil {
			b.Fatal(err)
		}
		if _, err := s.CarrierExceptionCounts(); err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}
