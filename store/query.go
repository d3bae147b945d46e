package store

import (
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

func (s *Store) exceptionsPage(f ExceptionFilter, from Cursor, n int, backward bool) ([]ExceptionRow, error) {
	var rows []ExceptionRow
	prefix := f.prefix()
	err := s.View(func(tx *Tx) error {
		c := tx.bucket(bucketIdxExc).Cursor()
		for k := seekPage(c, prefix, from, backward); withinPrefix(k, prefix) && len(rows) < n; k = step(c, backward) {
			row, err := tx.exceptionRow(k)
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

// exceptionRow joins an open-index key with its exception and parcel.
func (t *Tx) exceptionRow(key []byte) (ExceptionRow, error) {
	order := key[len(key)-openKeyLen:]
	id := ExceptionID(binary.BigEndian.Uint64(order[len(order)-8:]))
	e, err := t.Exception(id)
	if err != nil {
		return ExceptionRow{}, fmt.Errorf("open exception %d: %w", id, err)
	}
	p, err := t.Parcel(e.Parcel)
	if err != nil {
		return ExceptionRow{}, fmt.Errorf("exception %d parcel %d: %w", id, e.Parcel, err)
	}
	return ExceptionRow{Cursor: clone(order), Exception: e, Parcel: p}, nil
}

// ExceptionCounts returns the number of unresolved exceptions of each kind.
func (s *Store) ExceptionCounts() (map[ExceptionKind]int, error) {
	counts := make(map[ExceptionKind]int, len(Kinds))
	err := s.View(func(tx *Tx) error {
		for _, k := range Kinds {
			counts[k] = tx.count(countKey(k))
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
		prefix := carrierCountKey("")
		c := tx.bucket(bucketStats).Cursor()
		for k, v := c.Seek(prefix); withinPrefix(k, prefix); k, v = c.Next() {
			if n := counter(v); n > 0 {
				counts[string(k[len(prefix):])] = n
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
		o, err := tx.hotOrder(number)
		if errors.Is(err, ErrNotFound) {
			d, err = tx.archivedOrderDetail(number)
			return err
		}
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
		if errors.Is(err, ErrNotFound) {
			d, err = tx.archivedParcelDetail(id)
			return err
		}
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
	return d, err
}
