package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"unicode"

	bolt "go.etcd.io/bbolt"
)

// foldTracking normalizes a tracking number as agents type it: any case,
// with or without spaces and dashes.
func foldTracking(s string) []byte {
	return []byte(strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r), r == '-', r == 0:
			return -1
		}
		return unicode.ToUpper(r)
	}, s))
}

// foldOrderNumber normalizes an order number: as foldTracking, and without
// the "#" shops print in front of it.
func foldOrderNumber(s string) []byte {
	return foldTracking(strings.TrimLeft(strings.TrimSpace(s), "#"))
}

// indexKey is a secondary index entry: the folded value, a zero byte, then
// the primary key. Exact lookups seek "value\0", prefix lookups "value".
func indexKey(value, primary []byte) []byte {
	return join(value, []byte{0}, primary)
}

// scanIndex calls fn with the primary key of each entry of index whose value
// is q (exact) or starts with q, in key order, until fn returns false.
func scanIndex(c *bolt.Cursor, q []byte, exact bool, fn func(value, primary []byte) bool) {
	if len(q) == 0 {
		return
	}
	prefix := q
	if exact {
		prefix = join(q, []byte{0})
	}
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		i := bytes.IndexByte(k, 0)
		if i < 0 || !fn(k[:i], k[i+1:]) {
			return
		}
	}
}

// parcelsByTracking returns parcel ids whose folded tracking number is q or,
// unless exact, starts with q; limit 0 means no limit.
func (t *Tx) parcelsByTracking(q []byte, exact bool, limit int) []ParcelID {
	var ids []ParcelID
	scanIndex(t.bucket(bucketIdxTracking).Cursor(), q, exact, func(_, primary []byte) bool {
		if len(primary) == 8 {
			ids = append(ids, ParcelID(binary.BigEndian.Uint64(primary)))
		}
		return limit == 0 || len(ids) < limit
	})
	return ids
}

// ordersByNumber returns order numbers whose folded form is q or starts
// with q.
func (t *Tx) ordersByNumber(q []byte, exact bool, limit int) []string {
	var out []string
	scanIndex(t.bucket(bucketIdxOrder).Cursor(), q, exact, func(_, primary []byte) bool {
		out = append(out, string(primary))
		return len(out) < limit
	})
	return out
}

// SearchHit is an order found by a search, with what matched.
type SearchHit struct {
	Order Order
	// Field is the key that matched ("order number", "tracking number")
	// and Value the matching value as stored.
	Field string
	Value string
	Exact bool
}

// Search finds orders by order number or tracking number, exact matches
// first, then prefix matches, at most limit hits and each order once.
func (s *Store) Search(query string, limit int) ([]SearchHit, error) {
	r := hitList{limit: limit, seen: map[string]bool{}}
	err := s.View(func(tx *Tx) error {
		for _, exact := range []bool{true, false} {
			if err := tx.searchOrders(foldOrderNumber(query), exact, &r); err != nil || r.full() {
				return err
			}
			if err := tx.searchTracking(foldTracking(query), exact, &r); err != nil || r.full() {
				return err
			}
		}
		return nil
	})
	return r.hits, err
}

// hitList collects search hits, each order once, up to a limit.
type hitList struct {
	limit int
	seen  map[string]bool
	hits  []SearchHit
}

func (r *hitList) add(h SearchHit) {
	if !r.seen[h.Order.Number] && !r.full() {
		r.seen[h.Order.Number] = true
		r.hits = append(r.hits, h)
	}
}

func (r *hitList) full() bool { return len(r.hits) >= r.limit }

// searchOrders adds the orders whose number matches q.
func (t *Tx) searchOrders(q []byte, exact bool, r *hitList) error {
	for _, n := range t.ordersByNumber(q, exact, r.limit) {
		o, err := t.Order(n)
		if err != nil {
			return fmt.Errorf("order index entry %q: %w", n, err)
		}
		r.add(SearchHit{Order: o, Field: "order number", Value: n, Exact: exact})
	}
	return nil
}

// searchTracking adds the orders of parcels whose tracking number matches q.
func (t *Tx) searchTracking(q []byte, exact bool, r *hitList) error {
	for _, id := range t.parcelsByTracking(q, exact, r.limit) {
		p, err := t.Parcel(id)
		if err != nil {
			return fmt.Errorf("tracking index entry %d: %w", id, err)
		}
		o, err := t.Order(p.Order)
		if err != nil {
			return fmt.Errorf("parcel %s order %q: %w", p.TrackingNumber, p.Order, err)
		}
		r.add(SearchHit{Order: o, Field: "tracking number", Value: p.TrackingNumber, Exact: exact})
	}
	return nil
}
