package tracker

import (
	"testing"
	"time"

	"github.com/wismo/wismo/carriers/sim"
	"github.com/wismo/wismo/store"
)

func TestSeedDemoIsIdempotentAndSearchable(t *testing.T) {
	st := openStore(t)
	w := sim.NewWorld(5, 12, t0)
	if n, err := SeedDemo(st, w, t0); err != nil || n != 12 {
		t.Fatalf("first SeedDemo = %d, %v; want 12", n, err)
	}
	if n, err := SeedDemo(st, w, t0.Add(time.Hour)); err != nil || n != 0 {
		t.Fatalf("second SeedDemo = %d, %v; want 0", n, err)
	}
	parcels := 0
	for _, o := range w.Orders {
		parcels += len(o.Parcels)
	}
	var due []store.ParcelID
	st.View(func(tx *store.Tx) error { due = tx.ParcelsDue(t0, 1000); return nil })
	if len(due) != parcels {
		t.Errorf("%d parcels due at the seed time, want all %d once", len(due), parcels)
	}

	o := w.Orders[7]
	tracking := o.Parcels[len(o.Parcels)-1].TrackingNumber
	for query, field := range map[string]string{o.Number: "order number", tracking: "tracking number"} {
		hits, err := st.Search(query, 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) == 0 || hits[0].Number != o.Number || hits[0].Field != field || !hits[0].Exact {
			t.Errorf("Search(%q) = %+v, want order %s by %s first", query, hits, o.Number, field)
			continue
		}
		got, err := st.Order(o.Number)
		if err != nil || len(got.Parcels) != len(o.Parcels) || got.Order.Customer.Name != o.Customer.Name {
			t.Errorf("order %s = %+v, %v", o.Number, got, err)
		}
	}
}
