package store

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/wismo/wismo/carriers"
)

// benchStore holds n orders of one parcel, a tenth of them with an open
// exception, written in batches as the tracker writes.
func benchStore(b *testing.B, n int) *Store {
	b.Helper()
	s, err := Open(filepath.Join(b.TempDir(), "bench.db"), Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	for start := 0; start < n; start += 1000 {
		err := s.Update(func(tx *Tx) error {
			for i := start; i < min(start+1000, n); i++ {
				if err := benchOrder(tx, i); err != nil {
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

func benchOrder(tx *Tx, i int) error {
	p := Parcel{Carrier: "dhl", TrackingNumber: fmt.Sprintf("00340434%012d", i), Order: fmt.Sprint(100000 + i),
		Status: carriers.StatusInTransit, LastEventAt: t0}
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
	return tx.PutOrder(Order{Number: p.Order, Customer: Customer{Name: "Anna Müller"}, Parcels: []ParcelID{p.ID}})
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
