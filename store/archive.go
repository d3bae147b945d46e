package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Retention keeps the hot file to the orders agents still work on. An
// order whose parcels have all finished their journeys (delivered,
// returned or expired) with every exception resolved, whose returns are
// final and whose notifications are out, and with no activity since
// before a cutoff, moves to the archive file of the month it moves in
// (archivefiles.go) as one record, and leaves the hot file altogether.

// archiveRecord is an archived order with everything the desk showed of
// it.
type archiveRecord struct {
	Order         Order            `json:"order"`
	Parcels       []archivedParcel `json:"parcels,omitempty"`
	Returns       []Return         `json:"returns,omitempty"`
	Notifications []Notification   `json:"notifications,omitempty"`
	Audit         []AuditEntry     `json:"audit,omitempty"`
}

// archivedParcel is one parcel of an archived order: its record as the
// hot file kept it (record.go), timeline and all, and its exceptions.
type archivedParcel struct {
	ID         ParcelID    `json:"id"`
	Record     []byte      `json:"record"`
	Exceptions []Exception `json:"exceptions,omitempty"`
}

// parcel decodes the archived parcel and, if events, its timeline.
func (ap archivedParcel) parcel(events bool) (Parcel, []Event, error) {
	p, timeline, err := decodeParcel(ap.ID, ap.Record)
	if err != nil || !events {
		return p, nil, err
	}
	evs, err := decodeTimeline(ap.ID, timeline)
	return p, evs, err
}

// archiveReadsPerOrder bounds the search of one Archive call: at most this
// many candidates are read for each order it may move, so old orders that
// never finish (a parcel still lost, an exception open) cost each call a
// bounded amount instead of one that grows with them.
const archiveReadsPerOrder = 8

// Archive moves up to max orders to the archive and returns how many it
// moved, and whether its walk stopped short of the cutoff (more to read:
// the next call goes on from there). An order goes when it is finished (see above) and its last
// activity (the latest scan, delivery or return step, or its placing if
// it has no parcels) is before cutoff; at names the month's archive file.
//
// Candidates come from idx_placed, oldest first, read in a read
// transaction so ingest is not held up; as no order is active before it
// is placed, the walk ends at the first order placed at or after cutoff.
// A call reads at most archiveReadsPerOrder×max candidates, and the next
// call resumes where it stopped, back at the oldest once it reaches
// cutoff: run periodically, it reaches every eligible order however many
// old ones stay unfinished. The move itself runs on the store's writer,
// so no write comes between its steps (see move).
func (s *Store) Archive(cutoff time.Time, max int, at time.Time) (moved int, more bool, err error) {
	if max < 1 {
		return 0, false, fmt.Errorf("archive: max must be at least 1, got %d", max)
	}
	var picked []string
	var from, next []byte
	err = s.View(func(tx *Tx) (err error) {
		from = clone(tx.bucket(bucketMeta).Get(keyArchiveFrom))
		picked, next, err = tx.archiveCandidates(from, cutoff, max)
		return err
	})
	if err != nil {
		return 0, false, err
	}
	err = s.exclusive(func() (err error) {
		if _, err := s.finishMove(); err != nil { // one a failure left half done
			return err
		}
		if len(picked) == 0 && bytes.Equal(from, next) {
			return nil
		}
		moved, err = s.move(archiveMove{Month: monthOf(at), Cutoff: cutoff, Orders: picked}, next)
		return err
	})
	return moved, next != nil, err
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
// parcel finished with no open exception, every return final, every
// notification out, nothing since before cutoff.
func (t *Tx) gather(number string, cutoff time.Time) (archiveRecord, bool, error) {
	o, err := t.Order(number)
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
		rec.Parcels = append(rec.Parcels, archivedParcel{ID: id})
	}
	for _, rma := range o.Returns {
		r, err := t.Return(rma)
		if err != nil || !r.State.Final() {
			return archiveRecord{}, false, nil // a return still open keeps its order hot
		}
		if n := len(r.History); n > 0 && r.History[n-1].At.After(last) {
			last = r.History[n-1].At
		}
		rec.Returns = append(rec.Returns, r)
	}
	return rec, last.Before(cutoff), nil
}

// gatherHistory adds to rec what an archived order keeps beside its order
// and returns: each parcel's record and exceptions, the order's
// notifications and its audit entries. It reports false if a notification
// is still on its way out.
func (t *Tx) gatherHistory(rec *archiveRecord) (bool, error) {
	for i := range rec.Parcels {
		ap := &rec.Parcels[i]
		p, timeline, err := t.record(ap.ID)
		if err != nil {
			return false, err
		}
		ap.Record = encodeParcel(p, timeline)
		prefix := u64(uint64(ap.ID))
		c := t.bucket(bucketIdxParcelExc).Cursor()
		for k, _ := c.Seek(prefix); withinPrefix(k, prefix); k, _ = c.Next() {
			e, err := t.Exception(ExceptionID(binary.BigEndian.Uint64(k[8:])))
			if err != nil {
				return false, fmt.Errorf("parcel %d exception %x: %w", ap.ID, k[8:], err)
			}
			ap.Exceptions = append(ap.Exceptions, e)
		}
	}
	notes, err := t.OrderNotificationsSince(rec.Order.Number, time.Time{})
	if err != nil {
		return false, err
	}
	for _, n := range notes {
		if n.due() {
			return false, nil
		}
	}
	rec.Notifications = notes
	for _, key := range t.auditKeys(rec) {
		var e AuditEntry
		if err := t.get(bucketAudit, key, &e); err != nil {
			return false, fmt.Errorf("audit %x: %w", key, err)
		}
		rec.Audit = append(rec.Audit, e)
	}
	return true, nil
}

// auditKeys are the keys in the audit log of the entries about an order
// or its parcels, oldest first, each once.
func (t *Tx) auditKeys(rec *archiveRecord) [][]byte {
	prefixes := [][]byte{orderAuditPrefix(rec.Order.Number)}
	for _, ap := range rec.Parcels {
		prefixes = append(prefixes, parcelAuditPrefix(ap.ID))
	}
	seen := map[string]bool{}
	var keys [][]byte
	c := t.bucket(bucketIdxAudit).Cursor()
	for _, prefix := range prefixes {
		for k, _ := c.Seek(prefix); withinPrefix(k, prefix); k, _ = c.Next() {
			if key := k[len(prefix):]; !seen[string(key)] {
				seen[string(key)] = true
				keys = append(keys, clone(key))
			}
		}
	}
	return keys
}

// archiveMove is a move under way, noted in the hot file before any of it
// is done: its month, the cutoff its orders were picked by, and the
// orders.
type archiveMove struct {
	Month  string    `json:"month"`
	Cutoff time.Time `json:"cutoff"`
	Orders []string  `json:"orders"`
}

// keyArchiveMove holds the move under way, and keyArchiveMonths the months
// the store has archive files for.
var (
	keyArchiveMove   = []byte("archive_move")
	keyArchiveMonths = []byte("archive_months")
)

// move moves orders in three commits, none of which loses or doubles an
// order whatever stops between them. It notes the move in the hot file
// (with where the next sweep resumes, next), writes the orders that still
// qualify into the month's archive file, then drops them from the hot file
// and the note with them. A stop after the note leaves it for finishMove:
// at the next Open, or the next Archive call. It runs on the writer, so
// no write changes an order between its steps.
func (s *Store) move(mv archiveMove, next []byte) (int, error) {
	err := s.db.Update(func(btx *bolt.Tx) error {
		tx := &Tx{tx: btx}
		if err := tx.put(bucketMeta, keyArchiveMove, mv); err != nil {
			return err
		}
		if err := tx.noteArchiveMonth(mv.Month); err != nil {
			return err
		}
		if next == nil {
			return tx.bucket(bucketMeta).Delete(keyArchiveFrom)
		}
		return tx.bucket(bucketMeta).Put(keyArchiveFrom, next)
	})
	if err != nil {
		return 0, err
	}
	return s.finishMove()
}

// finishMove does what is left of the move the hot file notes, if any:
// it writes the noted orders that still qualify into the archive (and
// takes any that no longer do out of it, had a stop left them there),
// then drops the archived ones from the hot file with the note. It
// returns how many it archived.
func (s *Store) finishMove() (int, error) {
	var mv archiveMove
	err := s.View(func(tx *Tx) error {
		err := tx.get(bucketMeta, keyArchiveMove, &mv)
		if errors.Is(err, ErrNotFound) {
			mv.Month = ""
			return nil
		}
		return err
	})
	if err != nil || mv.Month == "" {
		return 0, err
	}
	f, err := s.arch.forWrite(mv.Month)
	if err != nil {
		return 0, fmt.Errorf("archive orders: %w", err)
	}
	var recs []archiveRecord
	var stay []string
	err = s.View(func(tx *Tx) error {
		for _, number := range mv.Orders {
			rec, ok, err := tx.gather(number, mv.Cutoff)
			if err == nil && ok {
				ok, err = tx.gatherHistory(&rec)
			}
			switch {
			case errors.Is(err, ErrNotFound):
				// archived by this move before it stopped
			case err != nil:
				return fmt.Errorf("archive order %s: %w", number, err)
			case ok:
				recs = append(recs, rec)
			default:
				stay = append(stay, number)
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	err = guard(func() error {
		return f.db.Update(func(tx *bolt.Tx) error {
			for _, number := range stay {
				if err := unarchive(tx, number); err != nil {
					return err
				}
			}
			for _, rec := range recs {
				if err := putArchived(tx, rec); err != nil {
					return fmt.Errorf("archive order %s: %w", rec.Order.Number, err)
				}
			}
			return nil
		})
	})
	if err != nil {
		return 0, fmt.Errorf("archive %s: %w", mv.Month, err)
	}
	err = s.db.Update(func(btx *bolt.Tx) error {
		return runWrite(btx, s.arch, func(tx *Tx) error {
			for _, rec := range recs {
				if err := tx.dropOrder(rec); err != nil {
					return fmt.Errorf("archive order %s: %w", rec.Order.Number, err)
				}
			}
			return tx.bucket(bucketMeta).Delete(keyArchiveMove)
		})
	})
	if err != nil {
		return 0, err
	}
	s.notify()
	return len(recs), nil
}

// noteArchiveMonth adds month to the months the store has archive files
// for, so a file gone missing is told as missing, not forgotten.
func (t *Tx) noteArchiveMonth(month string) error {
	months, err := t.archiveMonths()
	if err != nil {
		return err
	}
	if len(months) > 0 && months[len(months)-1] == month {
		return nil
	}
	return t.put(bucketMeta, keyArchiveMonths, append(months, month))
}

// archiveMonths are the months the store has archive files for, oldest
// first.
func (t *Tx) archiveMonths() ([]string, error) {
	var months []string
	if err := t.get(bucketMeta, keyArchiveMonths, &months); err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	return months, nil
}
