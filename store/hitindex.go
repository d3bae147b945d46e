package store

import (
	"bytes"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
	"google.golang.org/protobuf/encoding/protowire"
)

// The search indexes (idx_order, idx_tracking, idx_search, in the hot file
// and in each archive) keep in each entry's value what a hit shows: the
// order's number, its customer's name, when it was placed, and the value
// that matched as stored. A search then reads its hits off one run of
// index keys, never an order: on a file not in the page cache, twenty
// hits are a page or two, where reading their orders was twenty pages
// anywhere in the file. An entry written before values were kept has
// none, and its order is read instead.
//
// A hit value is a record (record.go) of these fields.
const (
	hvNumber   protowire.Number = 1
	hvCustomer protowire.Number = 2
	hvValue    protowire.Number = 3
	hvPlacedAt protowire.Number = 4
	hvWhole    protowire.Number = 5 // set when the order's fields are there, not only the number
)

// hitValue is what an index entry says of its order. An entry a parcel's
// creation wrote knows only the order's number (whole is false) until the
// order is written.
type hitValue struct {
	number, customer, value string
	placedAt                time.Time
	whole                   bool
}

func (h hitValue) encode() []byte {
	w := recordWriter{}
	w.str(hvNumber, h.number)
	w.str(hvCustomer, h.customer)
	w.str(hvValue, h.value)
	w.time(hvPlacedAt, h.placedAt)
	if h.whole {
		w.uint(hvWhole, 1)
	}
	return w.b
}

// decodeHitValue reads an entry's value; false for an entry without one
// (or one that does not decode: its order is read instead).
func decodeHitValue(b []byte) (hitValue, bool) {
	var h hitValue
	if len(b) == 0 {
		return h, false
	}
	err := eachField(b, func(f recordField) error {
		switch f.num {
		case hvNumber:
			h.number = string(f.bytes)
		case hvCustomer:
			h.customer = string(f.bytes)
		case hvValue:
			h.value = string(f.bytes)
		case hvWhole:
			h.whole = f.v != 0
		default:
			takeTime(f, func(n protowire.Number) *time.Time {
				if n == hvPlacedAt {
					return &h.placedAt
				}
				return nil
			})
		}
		return nil
	})
	return h, err == nil
}

// indexEntry is one entry of a search index.
type indexEntry struct {
	bucket     []byte
	key, value []byte
}

// searchEntries are the search index entries of order o, whose parcels'
// ids and tracking numbers are parcels: its number, each customer key and
// each parcel's tracking number, each with its hit value.
func searchEntries(o Order, parcels []Parcel) []indexEntry {
	if o.Number == "" {
		return nil
	}
	hit := hitValue{customer: o.Customer.Name, placedAt: o.PlacedAt, whole: true}
	number := []byte(o.Number)
	out := []indexEntry{{bucketIdxOrder, indexKey(foldOrderNumber(o.Number), number), hit.encode()}}
	for _, k := range searchKeys(o) {
		h := hit
		h.value = storedValue(k[0], o)
		out = append(out, indexEntry{bucketIdxSearch, k, h.encode()})
	}
	for _, p := range parcels {
		h := hit
		h.number = o.Number
		if tn := p.TrackingNumber; string(foldTracking(tn)) != tn {
			h.value = tn
		}
		out = append(out, indexEntry{bucketIdxTracking, indexKey(foldTracking(p.TrackingNumber), u64(uint64(p.ID))), h.encode()})
	}
	return out
}

// storedValue is the value a customer key of kind matches as the order
// stores it, or "" where the key holds it as stored already (an email in
// lower case, a postcode without spaces) or the hit shows another field
// (a name word's hit shows the name): an entry keeps a value only where
// the key cannot give it.
func storedValue(kind byte, o Order) string {
	switch kind {
	case keyEmail:
		if e := o.Customer.Email; foldEmail(e) != e {
			return e
		}
	case keyPostcode:
		if pc := o.ShipTo.PostalCode; string(foldTracking(pc)) != pc {
			return pc
		}
	case keyPhone:
		return o.Customer.Phone
	}
	return ""
}

// moveEntries puts the entries of now that are new or changed and deletes
// those of was that now lacks, in the buckets bucket names. was is what
// the index holds: an entry the same in both is left as it is, unread.
func moveEntries(bucket func([]byte) *bolt.Bucket, was, now []indexEntry) error {
	for _, e := range was {
		if find(now, e) < 0 {
			if err := bucket(e.bucket).Delete(e.key); err != nil {
				return err
			}
		}
	}
	for _, e := range now {
		if i := find(was, e); i >= 0 && bytes.Equal(was[i].value, e.value) {
			continue
		}
		if err := bucket(e.bucket).Put(e.key, e.value); err != nil {
			return err
		}
	}
	return nil
}

// orderEntries are a hot order's search index entries, its parcels read
// from the transaction.
func (t *Tx) orderEntries(o Order) ([]indexEntry, error) {
	parcels := make([]Parcel, 0, len(o.Parcels))
	for _, id := range o.Parcels {
		p, err := t.Parcel(id)
		if err != nil {
			return nil, fmt.Errorf("order %s parcel %d: %w", o.Number, id, err)
		}
		parcels = append(parcels, p)
	}
	return searchEntries(o, parcels), nil
}

// find is the place in entries of the entry with e's bucket and key, -1
// if there is none.
func find(entries []indexEntry, e indexEntry) int {
	for i, n := range entries {
		if bytes.Equal(n.bucket, e.bucket) && bytes.Equal(n.key, e.key) {
			return i
		}
	}
	return -1
}
