package store

import (
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// searchScope is one file a search reads, the hot file or an archive,
// through its read transaction: its three indexes, and how an order and a
// parcel are read in it.
type searchScope struct {
	orders, tracking, customers *bolt.Bucket
	archived                    bool
	// order reads an order by number; parcel reads a parcel's order
	// number and tracking number as stored.
	order  func(number string) (Order, error)
	parcel func(id ParcelID) (order, tracking string, err error)
}

// hotScope is the hot file's scope in the read transaction tx.
func hotScope(tx *Tx) *searchScope {
	return &searchScope{
		orders: tx.bucket(bucketIdxOrder), tracking: tx.bucket(bucketIdxTracking), customers: tx.bucket(bucketIdxSearch),
		order: tx.Order,
		parcel: func(id ParcelID) (string, string, error) {
			p, err := tx.Parcel(id)
			return p.Order, p.TrackingNumber, err
		},
	}
}

// archiveScope is an archive file's scope in its read transaction tx. The
// records it decodes are kept for the rest of the search.
func archiveScope(tx *bolt.Tx) *searchScope {
	recs := map[string]archiveRecord{}
	record := func(number string) (archiveRecord, error) {
		if rec, ok := recs[number]; ok {
			return rec, nil
		}
		v := tx.Bucket(bucketArcOrders).Get([]byte(number))
		if v == nil {
			return archiveRecord{}, ErrNotFound
		}
		var rec archiveRecord
		if err := decode(v, &rec); err != nil {
			return rec, err
		}
		recs[number] = rec
		return rec, nil
	}
	return &searchScope{
		orders: tx.Bucket(bucketIdxOrder), tracking: tx.Bucket(bucketIdxTracking), customers: tx.Bucket(bucketIdxSearch),
		archived: true,
		order: func(number string) (Order, error) {
			rec, err := record(number)
			return rec.Order, err
		},
		parcel: func(id ParcelID) (string, string, error) {
			number := tx.Bucket(bucketArcParcels).Get(u64(uint64(id)))
			if number == nil {
				return "", "", ErrNotFound
			}
			rec, err := record(string(number))
			if err != nil {
				return "", "", err
			}
			for _, ap := range rec.Parcels {
				if ap.ID == id {
					p, _, err := ap.parcel(false)
					return rec.Order.Number, p.TrackingNumber, err
				}
			}
			return "", "", fmt.Errorf("parcel %d: not in order %s's record", id, number)
		},
	}
}

// withScopes runs fn over the hot file's scope and those of every archive
// file that can be read, newest first, each in a read transaction held
// while fn runs. Archives that cannot be read are passed over; the error
// then says which, beside whatever fn returns.
func (s *Store) withScopes(fn func([]*searchScope) error) error {
	var unread []error
	err := s.View(func(tx *Tx) error {
		scopes := []*searchScope{hotScope(tx)}
		s.arch.mu.RLock()
		defer s.arch.mu.RUnlock()
		for _, f := range s.arch.set {
			if f.db == nil {
				unread = append(unread, f.unavailable())
				continue
			}
			atx, err := f.db.Begin(false)
			if err != nil {
				unread = append(unread, fmt.Errorf("archive %s %w: %v", f.month, ErrArchiveUnavailable, err))
				continue
			}
			defer atx.Rollback()
			scopes = append(scopes, archiveScope(atx))
		}
		return fn(scopes)
	})
	return errors.Join(append([]error{err}, unread...)...)
}
