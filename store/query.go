package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// Cursor marks a row's place in a paged query. It is opaque to callers:
// pass a row's Cursor back to continue from it.
type Cursor []byte

// ExceptionRow is one line of the exceptions pane: the exception with the
// parcel and customer it concerns.
type ExceptionRow struct {
	Cursor    Cursor
	Exception Exception
	Parcel    Parcel
}

// ExceptionsAfter returns up to n unresolved exceptions matching f, worst
// then oldest first, starting at from (inclusive); a nil from starts at the
// top. A row's Cursor is the same under every filter, so a selection can be
// kept when the filter changes.
func (s *Store) ExceptionsAfter(f ExceptionFilter, from Cursor, n int) ([]ExceptionRow, error) {
	return s.exceptionsPage(f, from, n, false)
}

// ExceptionsBefore returns up to n unresolved exceptions matching f that
// come just before from (exclusive), in the same order as ExceptionsAfter; a
// nil from ends at the bottom.
func (s *Store) ExceptionsBefore(f ExceptionFilter, from Cursor, n int) ([]ExceptionRow, error) {
	return s.exceptionsPage(f, from, n, true)
}

// exceptionsPage reads a page of f's rows: a merge of its ranges in
// idx_exc by their shared order key, in one read transaction. Each row
// costs one step of one cursor and a comparison per range, whatever the
// store's size.
func (s *Store) exceptionsPage(f ExceptionFilter, from Cursor, n int, backward bool) ([]ExceptionRow, error) {
	var rows []ExceptionRow
	err := s.View(func(tx *Tx) error {
		m := tx.mergeRanges(f.prefixes(), from, backward)
		for order := m.next(); order != nil && len(rows) < n; order = m.next() {
			row, err := tx.exceptionRow(orderKeyID(order))
			if err != nil {
				return err
			}
			rows = append(rows, row)
		}
		return nil
	})
	if backward {
		slices.Reverse(rows)
	}
	return rows, err
}

// rangeMerge walks several idx_exc ranges at once, forward or backward, in
// the order their keys' common tail (the order key) gives. The ranges of
// one filter are disjoint, so no row comes twice.
type rangeMerge struct {
	heads    []rangeHead
	backward bool
}

// rangeHead is one range's cursor and the key it stands on.
type rangeHead struct {
	c      *bolt.Cursor
	prefix []byte
	k      []byte
}

// mergeRanges starts a merge of the ranges under prefixes at from, as
// seekPage starts one range.
func (t *Tx) mergeRanges(prefixes [][]byte, from Cursor, backward bool) *rangeMerge {
	m := &rangeMerge{heads: make([]rangeHead, 0, len(prefixes)), backward: backward}
	for _, p := range prefixes {
		c := t.bucket(bucketIdxExc).Cursor()
		m.heads = append(m.heads, rangeHead{c: c, prefix: p, k: seekPage(c, p, from, backward)})
	}
	return m
}

// next returns the order key of the merge's next row, nil when every range
// is done. The key is valid until the transaction ends.
func (m *rangeMerge) next() []byte {
	best := -1
	for i, h := range m.heads {
		if !withinPrefix(h.k, h.prefix) {
			continue
		}
		if best < 0 || m.first(orderKeyOf(h.k), orderKeyOf(m.heads[best].k)) {
			best = i
		}
	}
	if best < 0 {
		return nil
	}
	h := &m.heads[best]
	order := orderKeyOf(h.k)
	h.k = step(h.c, m.backward)
	return order
}

// first reports whether order key a comes out of the merge before b.
func (m *rangeMerge) first(a, b []byte) bool {
	if m.backward {
		return bytes.Compare(a, b) > 0
	}
	return bytes.Compare(a, b) < 0
}

// orderKeyOf is the order key that ends an idx_exc key.
func orderKeyOf(k []byte) []byte { return k[len(k)-openKeyLen:] }

// seekPage positions c on the first key of a page within prefix's range:
// forward from the cursor (or the range's start), or backward from just
// before it (or the range's end).
func seekPage(c *bolt.Cursor, prefix []byte, from Cursor, backward bool) []byte {
	if !backward {
		k, _ := c.Seek(append(slices.Clip(prefix), from...))
		return k
	}
	var k []byte
	if from != nil {
		k, _ = c.Seek(append(slices.Clip(prefix), from...))
	} else {
		k = seekPastPrefix(c, prefix)
	}
	if k == nil {
		k, _ = c.Last()
		return k
	}
	k, _ = c.Prev()
	return k
}

// seekPastPrefix positions c on the first key after every key that starts
// with prefix, or returns nil if there is none.
func seekPastPrefix(c *bolt.Cursor, prefix []byte) []byte {
	end := slices.Clone(prefix)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			k, _ := c.Seek(end[:i+1])
			return k
		}
	}
	return nil
}

func step(c *bolt.Cursor, backward bool) []byte {
	var k []byte
	if backward {
		k, _ = c.Prev()
	} else {
		k, _ = c.Next()
	}
	return k
}

// exceptionRow joins an exception with its parcel, under the cursor of its
// place in the desk's order.
func (t *Tx) exceptionRow(id ExceptionID) (ExceptionRow, error) {
	e, err := t.Exception(id)
	if err != nil {
		return ExceptionRow{}, fmt.Errorf("exception %d: %w", id, err)
	}
	p, err := t.Parcel(e.Parcel)
	if err != nil {
		return ExceptionRow{}, fmt.Errorf("exception %d parcel %d: %w", id, e.Parcel, err)
	}
	return ExceptionRow{Cursor: openKey(e), Exception: e, Parcel: p}, nil
}

// ExceptionID is the exception an exceptions row's cursor stands for, 0 for
// a cursor too short to be one. A row keeps its cursor while it is open,
// under every filter and order, so a list sorted another way can find the
// row by it.
func (c Cursor) ExceptionID() ExceptionID {
	if len(c) < 8 {
		return 0
	}
	return orderKeyID(c)
}

// orderKeyID is the exception id that ends an order key.
func orderKeyID(order []byte) ExceptionID {
	return ExceptionID(binary.BigEndian.Uint64(order[len(order)-8:]))
}

// CountExceptions counts the unresolved exceptions of each filter, in one
// read transaction, by adding the counters of each filter's ranges: the
// views' tabs are counted without reading a row.
func (s *Store) CountExceptions(fs []ExceptionFilter) ([]int, error) {
	counts := make([]int, len(fs))
	err := s.View(func(tx *Tx) error {
		for i, f := range fs {
			counts[i] = tx.countFilter(f)
		}
		return nil
	})
	return counts, err
}

// ExceptionCounts returns the number of unresolved exceptions of each kind.
func (s *Store) ExceptionCounts() (map[ExceptionKind]int, error) {
	counts := make(map[ExceptionKind]int, len(Kinds))
	err := s.View(func(tx *Tx) error {
		for _, k := range Kinds {
			counts[k] = tx.countFilter(ExceptionFilter{Kinds: []ExceptionKind{k}})
		}
		return nil
	})
	return counts, err
}

// CarrierExceptionCounts returns the number of unresolved exceptions of
// each carrier that has any.
func (s *Store) CarrierExceptionCounts() (map[string]int, error) {
	counts := map[string]int{}
	err := s.View(func(tx *Tx) error {
		byCarrierState := byte(1<<1 | dimState)
		prefix := rangeCountKey([]byte{byCarrierState})
		c := tx.bucket(bucketStats).Cursor()
		for k, v := c.Seek(prefix); withinPrefix(k, prefix); k, v = c.Next() {
			carrier, _, _ := bytes.Cut(k[len(prefix):], []byte{0})
			if n := counter(v); n > 0 {
				counts[string(carrier)] += n
			}
		}
		return nil
	})
	return counts, err
}

// OrderDetail is an order with its parcels and their open exceptions.
type OrderDetail struct {
	Order      Order
	Parcels    []Parcel
	Exceptions map[ParcelID]Exception
	// Archived is true for an order read from the archive: finished long
	// ago and kept read-only.
	Archived bool
}

// Order reads an order and its parcels, from the archive once archived.
func (s *Store) Order(number string) (OrderDetail, error) {
	var d OrderDetail
	err := s.View(func(tx *Tx) error {
		o, err := tx.Order(number)
		if err != nil {
			return err
		}
		d.Order, d.Exceptions = o, map[ParcelID]Exception{}
		for _, id := range o.Parcels {
			p, err := tx.Parcel(id)
			if err != nil {
				return fmt.Errorf("order %s parcel %d: %w", number, id, err)
			}
			d.Parcels = append(d.Parcels, p)
			if p.Exception == 0 {
				continue
			}
			if d.Exceptions[id], err = tx.Exception(p.Exception); err != nil {
				return fmt.Errorf("order %s parcel %d exception: %w", number, id, err)
			}
		}
		return nil
	})
	if errors.Is(err, ErrNotFound) {
		return s.archivedOrderDetail(number)
	}
	return d, err
}

// ParcelDetail is a parcel with its timeline and open exception, if any.
type ParcelDetail struct {
	Parcel    Parcel
	Events    []Event
	Exception *Exception
	// Archived is true for a parcel of an archived order.
	Archived bool
}

// Parcel reads a parcel with its events, oldest first, from the archive
// once its order is archived.
func (s *Store) Parcel(id ParcelID) (ParcelDetail, error) {
	var d ParcelDetail
	err := s.View(func(tx *Tx) error {
		p, err := tx.Parcel(id)
		if err != nil {
			return err
		}
		d.Parcel = p
		if d.Events, err = tx.Events(id); err != nil {
			return err
		}
		if e, err := tx.OpenExceptionOf(id); err == nil {
			d.Exception = &e
		}
		return nil
	})
	if errors.Is(err, ErrNotFound) {
		return s.archivedParcelDetail(id)
	}
	return d, err
}
