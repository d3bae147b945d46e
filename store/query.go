package store

import (
	"encoding/binary"
	"errors"
	"fmt"

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
	Customer  string
}

// ExceptionsAfter returns up to n open exceptions, worst then oldest first,
// starting at from (inclusive); a nil from starts at the top.
func (s *Store) ExceptionsAfter(from Cursor, n int) ([]ExceptionRow, error) {
	return s.exceptionsPage(from, n, false)
}

// ExceptionsBefore returns up to n open exceptions that come just before
// from (exclusive), in the same order as ExceptionsAfter; a nil from ends at
// the bottom.
func (s *Store) ExceptionsBefore(from Cursor, n int) ([]ExceptionRow, error) {
	return s.exceptionsPage(from, n, true)
}

func (s *Store) exceptionsPage(from Cursor, n int, backward bool) ([]ExceptionRow, error) {
	var rows []ExceptionRow
	err := s.View(func(tx *Tx) error {
		c := tx.bucket(bucketIdxOpenExc).Cursor()
		k := seekPage(c, from, backward)
		for ; k != nil && len(rows) < n; k = step(c, backward) {
			row, err := tx.exceptionRow(k)
			if err != nil {
				return err
			}
			rows = append(rows, row)
		}
		return nil
	})
	if backward {
		for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
			rows[i], rows[j] = rows[j], rows[i]
		}
	}
	return rows, err
}

// seekPage positions c on the first key of a page.
func seekPage(c *bolt.Cursor, from Cursor, backward bool) []byte {
	switch {
	case !backward && from == nil:
		k, _ := c.First()
		return k
	case !backward:
		k, _ := c.Seek(from)
		return k
	case from == nil:
		k, _ := c.Last()
		return k
	}
	if k, _ := c.Seek(from); k == nil {
		k, _ = c.Last()
		return k
	}
	k, _ := c.Prev()
	return k
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

// exceptionRow joins an open-index key with its exception, parcel and order.
func (t *Tx) exceptionRow(key []byte) (ExceptionRow, error) {
	id := ExceptionID(binary.BigEndian.Uint64(key[len(key)-8:]))
	e, err := t.Exception(id)
	if err != nil {
		return ExceptionRow{}, fmt.Errorf("open exception %d: %w", id, err)
	}
	p, err := t.Parcel(e.Parcel)
	if err != nil {
		return ExceptionRow{}, fmt.Errorf("exception %d parcel %d: %w", id, e.Parcel, err)
	}
	row := ExceptionRow{Cursor: clone(key), Exception: e, Parcel: p}
	if o, err := t.Order(e.Order); err == nil {
		row.Customer = o.Customer.Name
	} else if !errors.Is(err, ErrNotFound) {
		return ExceptionRow{}, err
	}
	return row, nil
}

// ExceptionCounts returns the number of open exceptions of each kind.
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

// OrderDetail is an order with its parcels and their open exceptions.
type OrderDetail struct {
	Order      Order
	Parcels    []Parcel
	Exceptions map[ParcelID]Exception
}

// Order reads an order and its parcels.
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
	return d, err
}

// ParcelDetail is a parcel with its timeline and open exception, if any.
type ParcelDetail struct {
	Parcel    Parcel
	Events    []Event
	Exception *Exception
}

// Parcel reads a parcel with its events, oldest first.
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
	return d, err
}
