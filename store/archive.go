package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Retention keeps the hot buckets to the orders agents still work on. An
// order whose parcels have all finished their journeys (delivered, returned
// or expired) with every exception resolved, and with no activity since
// before a cutoff, moves into one archive record under its number: the
// order, its parcels, their events and their exceptions. Every hot index
// entry of it goes except its idx_order entry, which stays so that a search
// for the number, folded as agents type it ("1001" for "#1001"), still
// leads to it; Tx.Order then finds it in the archive. idx_archived maps each
// archived parcel to its order, so its timeline stays one lookup away.

// archiveRecord is an archived order with everything the desk showed of it.
type archiveRecord struct {
	Order   Order            `json:"order"`
	Parcels []archivedParcel `json:"parcels,omitempty"`
}

// archivedParcel is one parcel of an archived order with its history.
type archivedParcel struct {
	Parcel     Parcel      `json:"parcel"`
	Events     []Event     `json:"events,omitempty"`
	Exceptions []Exception `json:"exceptions,omitempty"`
}

// archiveReadsPerOrder bounds the search of one Archive call: at most this
// many candidates are read for each order it may move, so old orders that
// never finish (a parcel still lost, an exception open) cost each call a
// bounded amount instead of one that grows with them.
const archiveReadsPerOrder = 8

// Archive moves up to max orders out of the hot buckets, all in one
// transaction, and returns how many it moved. An order goes when each of
// its parcels is finished with every exception resolved, and its last
// activity (the latest parcel scan or delivery, or its placing if it has
// no parcels) is before cutoff.
//
// Candidates come from idx_placed, oldest first, read in a read
// transaction so ingest is not held up; as no order is active before it is
// placed, the walk ends at the first order placed at or after cutoff. A
// call reads at most archiveReadsPerOrder×max candidates, and the next call
// resumes where it stopped, back at the oldest once it reaches cutoff: run
// periodically, it reaches every eligible order however many old ones stay
// unfinished. The header's counters need no change, as they count
// unresolved exceptions and an archived order has none.
func (s *Store) Archive(cutoff time.Time, max int) (int, error) {
	if max < 1 {
		return 0, fmt.Errorf("archive: max must be at least 1, got %d", max)
	}
	var picked []string
	var from, next []byte
	err := s.View(func(tx *Tx) (err error) {
		from = clone(tx.bucket(bucketMeta).Get(keyArchiveFrom))
		picked, next, err = tx.archiveCandidates(from, cutoff, max)
		return err
	})
	if err != nil || (len(picked) == 0 && bytes.Equal(from, next)) {
		return 0, err
	}
	moved := 0
	err = s.Write(func(tx *Tx) error {
		moved = 0 // a write may run again when another in its group fails
		for _, number := range picked {
			ok, err := tx.archiveOrder(number, cutoff)
			if err != nil {
				return fmt.Errorf("archive order %s: %w", number, err)
			}
			if ok {
				moved++
			}
		}
		if next == nil {
			return tx.bucket(bucketMeta).Delete(keyArchiveFrom)
		}
		return tx.bucket(bucketMeta).Put(keyArchiveFrom, next)
	})
	if err != nil {
		return 0, err
	}
	return moved, nil
}

// archiveCandidates walks idx_placed from the key from (the oldest if nil)
// and returns the orders that may be archived and the key the next walk
// starts at, nil once the walk reached cutoff.
func (t *Tx) archiveCandidates(from []byte, cutoff time.Time, limit int) ([]string, []byte, error) {
	end := timeKey(cutoff)
	var picked []string
	c := t.bucket(bucketIdxPlaced).Cursor()
	k, _ := c.Seek(from)
	for read := 0; k != nil && bytes.Compare(k[:8], end) < 0; k, _ = c.Next() {
		if len(picked) == limit || read == archiveReadsPerOrder*limit {
			return picked, clone(k), nil
		}
		read++
		_, ok, err := t.gather(string(k[8:]), cutoff)
		if err != nil {
			return nil, nil, fmt.Errorf("placed index entry %q: %w", k[8:], err)
		}
		if ok {
			picked = append(picked, string(k[8:]))
		}
	}
	return picked, nil, nil
}

// gather reads a hot order and its parcels into an archive record and
// reports whether the order may be archived as far as they tell: every
// parcel finished with no open exception, nothing since before cutoff.
func (t *Tx) gather(number string, cutoff time.Time) (archiveRecord, bool, error) {
	o, err := t.hotOrder(number)
	if err != nil {
		return archiveRecord{}, false, err
	}
	rec := archiveRecord{Order: o}
	last := o.PlacedAt
	for _, id := range o.Parcels {
		p, err := t.Parcel(id)
		if errors.Is(err, ErrNotFound) {
			return archiveRecord{}, false, nil // written before PutOrder checked: leave it for an agent
		}
		if err != nil {
			return archiveRecord{}, false, fmt.Errorf("parcel %d: %w", id, err)
		}
		if p.Order != number || !p.Status.Terminal() || p.Exception != 0 {
			return archiveRecord{}, false, nil
		}
		for _, at := range []time.Time{p.LastEventAt, p.DeliveredAt} {
			if at.After(last) {
				last = at
			}
		}
		rec.Parcels = append(rec.Parcels, archivedParcel{Parcel: p})
	}
	for _, rma := range o.Returns {
		r, err := t.Return(rma)
		if err != nil || !r.State.Final() {
			return archiveRecord{}, false, nil // a return still open keeps its order hot
		}
		if n := len(r.History); n > 0 && r.History[n-1].At.After(last) {
			last = r.History[n-1].At
		}
	}
	return rec, last.Before(cutoff), nil
}

// archiveOrder moves one order to the archive if it may still go, and
// reports whether it did.
func (t *Tx) archiveOrder(number string, cutoff time.Time) (bool, error) {
	if t.bucket(bucketOrders).Get([]byte(number)) == nil {
		return false, nil // a call in between archived it
	}
	rec, ok, err := t.gather(number, cutoff)
	if err != nil || !ok {
		return false, err
	}
	if err := t.gatherHistory(&rec); err != nil {
		return false, err
	}
	for _, ap := range rec.Parcels {
		if err := t.dropParcel(ap, number); err != nil {
			return false, err
		}
	}
	// An order with nothing but its number needs only its idx_order entry:
	// moving the indexes to that drops the rest and keeps that one.
	if err := t.indexOrder(rec.Order, Order{Number: number}); err != nil {
		return false, err
	}
	if err := t.bucket(bucketOrders).Delete([]byte(number)); err != nil {
		return false, err
	}
	return true, t.put(bucketArchive, []byte(number), rec)
}

// gatherHistory adds each parcel's events and exceptions to rec. They are
// all resolved: a parcel's unresolved exception is always its Exception,
// which gather found to be 0.
func (t *Tx) gatherHistory(rec *archiveRecord) error {
	for i := range rec.Parcels {
		ap := &rec.Parcels[i]
		var err error
		if ap.Events, err = t.Events(ap.Parcel.ID); err != nil {
			return fmt.Errorf("parcel %d events: %w", ap.Parcel.ID, err)
		}
		prefix := u64(uint64(ap.Parcel.ID))
		c := t.bucket(bucketIdxParcelExc).Cursor()
		for k, _ := c.Seek(prefix); withinPrefix(k, prefix); k, _ = c.Next() {
			e, err := t.Exception(ExceptionID(binary.BigEndian.Uint64(k[8:])))
			if err != nil {
				return fmt.Errorf("parcel %d exception %x: %w", ap.Parcel.ID, k[8:], err)
			}
			ap.Exceptions = append(ap.Exceptions, e)
		}
	}
	return nil
}

// dropParcel removes an archived parcel with its events, its exceptions
// and their index entries from the hot buckets, and notes which order's
// record holds it. Resolved exceptions have no idx_exc entries to remove.
func (t *Tx) dropParcel(ap archivedParcel, number string) error {
	p := ap.Parcel
	id := u64(uint64(p.ID))
	if err := t.bucket(bucketIdxTracking).Delete(indexKey(foldTracking(p.TrackingNumber), id)); err != nil {
		return err
	}
	if err := t.moveParcelIndexes(id, p, &Parcel{}); err != nil {
		return err
	}
	if err := t.bucket(bucketParcels).Delete(id); err != nil {
		return err
	}
	delete(t.parcels, p.ID)
	for _, e := range ap.Exceptions {
		if err := t.bucket(bucketExceptions).Delete(u64(uint64(e.ID))); err != nil {
			return err
		}
		if err := t.bucket(bucketIdxParcelExc).Delete(parcelExceptionKey(e)); err != nil {
			return err
		}
	}
	return t.bucket(bucketIdxArchived).Put(id, []byte(number))
}

// deletePrefix deletes every key of b that starts with prefix. The keys are
// collected first: a bbolt cursor that deletes as it walks skips keys.
func deletePrefix(b *bolt.Bucket, prefix []byte) error {
	var keys [][]byte
	c := b.Cursor()
	for k, _ := c.Seek(prefix); withinPrefix(k, prefix); k, _ = c.Next() {
		keys = append(keys, clone(k))
	}
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// archived reads an order's archive record.
func (t *Tx) archived(number string) (archiveRecord, error) {
	var rec archiveRecord
	err := t.get(bucketArchive, []byte(number), &rec)
	return rec, err
}

// archivedOrderDetail is the order pane's view of an archived order.
func (t *Tx) archivedOrderDetail(number string) (OrderDetail, error) {
	rec, err := t.archived(number)
	if err != nil {
		return OrderDetail{}, err
	}
	d := OrderDetail{Order: rec.Order, Exceptions: map[ParcelID]Exception{}, Archived: true}
	for _, ap := range rec.Parcels {
		d.Parcels = append(d.Parcels, ap.Parcel)
	}
	return d, nil
}

// archivedParcelDetail is the parcel pane's view of an archived parcel.
func (t *Tx) archivedParcelDetail(id ParcelID) (ParcelDetail, error) {
	number := t.bucket(bucketIdxArchived).Get(u64(uint64(id)))
	if number == nil {
		return ParcelDetail{}, ErrNotFound
	}
	rec, err := t.archived(string(number))
	if err != nil {
		return ParcelDetail{}, fmt.Errorf("archived parcel %d order %s: %w", id, number, err)
	}
	for _, ap := range rec.Parcels {
		if ap.Parcel.ID == id {
			return ParcelDetail{Parcel: ap.Parcel, Events: ap.Events, Archived: true}, nil
		}
	}
	return ParcelDetail{}, fmt.Errorf("archived parcel %d: not in order %s's record", id, number)
}
