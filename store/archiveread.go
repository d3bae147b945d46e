package store

import (
	"errors"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// Reads of what the hot file no longer holds: each asks the archive files,
// newest first. A lookup that finds nothing while an archive cannot be
// read says which and why beside ErrNotFound: the order may be in it.

// hasOrder reports whether an archive holds an order by this number. A
// nil set (a store being upgraded) holds none.
func (a *archives) hasOrder(number string) bool {
	if a == nil {
		return false
	}
	found := false
	a.each(func(f *archiveFile) (bool, error) {
		f.view(func(tx *bolt.Tx) error {
			found = tx.Bucket(bucketArcOrders).Get([]byte(number)) != nil
			return nil
		})
		return found, nil
	})
	return found
}

// record finds an archived order's record by its number, or by the id of
// one of its parcels when number is "".
func (a *archives) record(number string, parcel ParcelID) (archiveRecord, error) {
	var rec archiveRecord
	var missing []error
	found := false
	err := a.each(func(f *archiveFile) (bool, error) {
		err := f.view(func(tx *bolt.Tx) error {
			n := []byte(number)
			if number == "" {
				n = tx.Bucket(bucketArcParcels).Get(u64(uint64(parcel)))
			}
			v := tx.Bucket(bucketArcOrders).Get(n)
			if n == nil || v == nil {
				return nil
			}
			found = true
			if err := decode(v, &rec); err != nil {
				return fmt.Errorf("archive %s order %s: %w", f.month, n, err)
			}
			return nil
		})
		if errors.Is(err, ErrArchiveUnavailable) {
			missing, err = append(missing, err), nil
		}
		return found, err
	})
	switch {
	case err != nil:
		return rec, err
	case !found:
		return rec, errors.Join(append([]error{ErrNotFound}, missing...)...)
	}
	return rec, nil
}

// archivedOrderDetail is the order pane's view of an archived order.
func (s *Store) archivedOrderDetail(number string) (OrderDetail, error) {
	rec, err := s.arch.record(number, 0)
	if err != nil {
		return OrderDetail{}, err
	}
	d := OrderDetail{Order: rec.Order, Exceptions: map[ParcelID]Exception{}, Archived: true}
	for _, ap := range rec.Parcels {
		p, _, err := ap.parcel(false)
		if err != nil {
			return OrderDetail{}, fmt.Errorf("archived order %s: %w", number, err)
		}
		d.Parcels = append(d.Parcels, p)
	}
	return d, nil
}

// archivedParcelDetail is the parcel pane's view of an archived parcel.
func (s *Store) archivedParcelDetail(id ParcelID) (ParcelDetail, error) {
	rec, err := s.arch.record("", id)
	if err != nil {
		return ParcelDetail{}, err
	}
	i := slices.IndexFunc(rec.Parcels, func(ap archivedParcel) bool { return ap.ID == id })
	if i < 0 {
		return ParcelDetail{}, fmt.Errorf("archived parcel %d: not in order %s's record", id, rec.Order.Number)
	}
	p, events, err := rec.Parcels[i].parcel(true)
	if err != nil {
		return ParcelDetail{}, fmt.Errorf("archived parcel %d: %w", id, err)
	}
	return ParcelDetail{Parcel: p, Events: events, Archived: true}, nil
}

// hotOrHistory runs hot in a read transaction and, if it finds the order
// or parcel gone from the hot file (ErrNotFound), reads the archived
// record instead.
func (s *Store) hotOrHistory(number string, parcel ParcelID, hot func(*Tx) error, archived func(archiveRecord)) error {
	err := s.View(hot)
	if !errors.Is(err, ErrNotFound) {
		return err
	}
	rec, err := s.arch.record(number, parcel)
	if err == nil {
		archived(rec)
	}
	return err
}

// nowhere reports whether err says that what was looked for is in no file
// at all: not in the hot file, and in no archive, every one of which could
// be read.
func nowhere(err error) bool {
	return errors.Is(err, ErrNotFound) && !errors.Is(err, ErrArchiveUnavailable)
}
