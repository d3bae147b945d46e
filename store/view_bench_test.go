package store

import "testing"

// openExceptionsStore holds n orders of one parcel, every one with an open
// exception: the desk on a very bad day.
func openExceptionsStore(b *testing.B, n int) *Store {
	// benchOrder opens an exception on every tenth order.
	return benchStoreOf(b, n, func(tx *Tx, i int) error { return benchOrder(tx, 10*i) })
}

// BenchmarkExceptionOrder sorts and filters a view of 50,000 open
// exceptions, as the desk does once when an agent picks a column or types
// a filter: by the index's own order, by a text column, by a parcel's
// column (every row's parcel read too), and with a filter text.
func BenchmarkExceptionOrder(b *testing.B) {
	s := openExceptionsStore(b, 50_000)
	all := ExceptionFilter{States: []ExceptionState{StateOpen, StateAcknowledged}}
	for _, c := range []struct {
		name  string
		by    SortKey
		match string
	}{
		{"severity", SortSeverity, ""},
		{"customer", SortCustomer, ""},
		{"silent", SortSilent, ""},
		{"match", SortSeverity, "müller"},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				ids, total, err := s.ExceptionOrder(all, c.by, true, c.match, 1000)
				if err != nil || len(ids) != 1000 || total < 1000 {
					b.Fatal(len(ids), total, err)
				}
			}
		})
	}
}

// BenchmarkViewPage reads one screen of a view that merges four index
// ranges (two kinds, two states) from the middle of 50,000 open
// exceptions, and counts every tab: the desk's refresh on a store change.
func BenchmarkViewPage(b *testing.B) {
	s := openExceptionsStore(b, 50_000)
	views := Views("ana")
	lost := views[6].Filter
	mid, err := s.ExceptionsAfter(lost, nil, 2000)
	if err != nil || len(mid) != 2000 {
		b.Fatal(len(mid), err)
	}
	from := mid[len(mid)-1].Cursor
	fs := make([]ExceptionFilter, len(views))
	for i, v := range views {
		fs[i] = v.Filter
	}
	b.Run("page", func(b *testing.B) {
		for b.Loop() {
			if rows, err := s.ExceptionsAfter(lost, from, 40); err != nil || len(rows) != 40 {
				b.Fatal(len(rows), err)
			}
		}
	})
	b.Run("counts", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.CountExceptions(fs); err != nil {
				b.Fatal(err)
			}
		}
	})
}
