package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Schema 9 keeps each parcel as one record with its timeline (record.go),
// where schema 8 kept a parcel's fields in parcels and each event under
// its own key in events; idx_exc keeps only the ranges of masks with the
// state (indexedMask); and archived orders live in archive files
// (archivefiles.go), where schema 8 kept them in the hot file's archive
// bucket with their idx_order entries and idx_archived. The steps rewrite
// far too much for the one
// transaction the other steps run in on a store of millions of events: it
// would hold the whole file's worth of dirty pages in memory. So the step
// itself only marks where each rewrite starts, and Open, before it serves
// anything, does them a chunk per transaction in key order, noting after
// each where the next begins. A kill between chunks resumes at the next
// Open; a chunk is all or nothing, and what a chunk did is passed over,
// so nothing is done twice. The file carries schema 9 from the first
// chunk on, so an older build refuses it rather than misread it half
// rewritten.

// bucketLegacyEvents held schema 8's events, one key per event: parcel id
// (8) | time (8) | fingerprint (8) -> the event as a CBOR map.
var bucketLegacyEvents = []byte("events")

// perChunk bounds what one transaction of the upgrade rewrites (parcels)
// or deletes (index entries): a few megabytes of dirty pages.
const perChunk = 2000

// chunkedStep is a step of the upgrade done a chunk per transaction. Its
// meta key holds where the next chunk starts while it is under way. chunk
// does one chunk from a key and returns the key the next starts at, nil
// when none is left; finish then runs in the same transaction.
type chunkedStep struct {
	key    []byte
	chunk  func(t *Tx, from []byte) ([]byte, error)
	finish func(t *Tx) error
}

// chunkedSteps are the upgrade's chunked steps, in the order they run.
var chunkedSteps = []chunkedStep{
	{keyRecordsFrom, (*Tx).recordChunk, func(t *Tx) error { return deleteBucket(t.tx, bucketLegacyEvents) }},
	{keyExcRangesFrom, (*Tx).excRangeChunk, (*Tx).dropRangeCounters},
	{keyLegacyArchive, (*Tx).legacyArchiveChunk, func(t *Tx) error {
		return errors.Join(deleteBucket(t.tx, bucketLegacyArchive), deleteBucket(t.tx, bucketLegacyArchived))
	}},
	{keyHitValuesFrom, (*Tx).hitValueChunk, func(*Tx) error { return nil }},
}

// startSchema9 is the step to schema 9: both rewrites start at their
// first key.
func startSchema9(tx *Tx) error {
	meta := tx.bucket(bucketMeta)
	if tx.tx.Bucket(bucketLegacyEvents) != nil {
		if err := meta.Put(keyRecordsFrom, []byte{}); err != nil {
			return err
		}
	}
	if tx.tx.Bucket(bucketLegacyArchive) != nil {
		if err := meta.Put(keyLegacyArchive, []byte{}); err != nil {
			return err
		}
	}
	if err := meta.Put(keyHitValuesFrom, []byte{}); err != nil {
		return err
	}
	return meta.Put(keyExcRangesFrom, []byte{})
}

// hitValueChunk gives up to perChunk orders' search index entries the hit
// values schema 8 did not keep (hitindex.go).
func (t *Tx) hitValueChunk(from []byte) ([]byte, error) {
	var orders []Order
	var next []byte
	c := t.bucket(bucketOrders).Cursor()
	for k, v := c.Seek(from); k != nil; k, v = c.Next() {
		if len(orders) == perChunk {
			next = clone(k)
			break
		}
		var o Order
		if err := decode(v, &o); err != nil {
			return nil, fmt.Errorf("order %q: %w", k, err)
		}
		orders = append(orders, o)
	}
	for _, o := range orders {
		entries, err := t.orderEntries(o)
		if err != nil {
			return nil, err
		}
		if err := moveEntries(t.bucket, nil, entries); err != nil {
			return nil, err
		}
	}
	return next, nil
}

// upgradeChunked runs every chunked step that is under way to its end.
func upgradeChunked(db *bolt.DB, arch *archives) error {
	for _, step := range chunkedSteps {
		for done := false; !done; {
			err := db.Update(func(btx *bolt.Tx) error {
				meta := btx.Bucket(bucketMeta)
				from := meta.Get(step.key)
				if from == nil {
					done = true
					return nil
				}
				tx := &Tx{tx: btx, arch: arch}
				next, err := step.chunk(tx, clone(from))
				if err != nil {
					return err
				}
				if next != nil {
					return meta.Put(step.key, next)
				}
				done = true
				if err := step.finish(tx); err != nil {
					return err
				}
				return meta.Delete(step.key)
			})
			if err != nil {
				return fmt.Errorf("upgrade to schema %d: %w", SchemaVersion, err)
			}
		}
	}
	return nil
}

// excRangeChunk deletes up to perChunk idx_exc entries of masks the index
// no longer keeps, from the key from on, and returns where the next chunk
// starts. An entry's first byte is its mask, so each mask is one run.
func (t *Tx) excRangeChunk(from []byte) ([]byte, error) {
	idx := t.bucket(bucketIdxExc)
	var stale [][]byte
	var next []byte
	c := idx.Cursor()
	for k, _ := c.Seek(from); k != nil; {
		if indexedMask(int(k[0])) {
			if k[0] == 0xff {
				break
			}
			k, _ = c.Seek([]byte{k[0] + 1})
			continue
		}
		if len(stale) == perChunk {
			next = clone(k)
			break
		}
		stale = append(stale, clone(k))
		k, _ = c.Next()
	}
	for _, k := range stale {
		if err := idx.Delete(k); err != nil {
			return nil, err
		}
	}
	return next, nil
}

// dropRangeCounters deletes the counters of the ranges idx_exc no longer
// keeps.
func (t *Tx) dropRangeCounters() error {
	stats := t.bucket(bucketStats)
	prefix := []byte(rangeCountPrefix)
	var stale [][]byte
	c := stats.Cursor()
	for k, _ := c.Seek(prefix); withinPrefix(k, prefix); k, _ = c.Next() {
		if len(k) > len(prefix) && !indexedMask(int(k[len(prefix)])) {
			stale = append(stale, clone(k))
		}
	}
	for _, k := range stale {
		if err := stats.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// recordChunk rewrites up to perChunk parcels from the key from on and
// removes their events from the events bucket. It returns the key the
// next chunk starts at, nil when every parcel is done.
func (t *Tx) recordChunk(from []byte) ([]byte, error) {
	type legacy struct{ key, value []byte }
	var chunk []legacy
	var next []byte
	c := t.bucket(bucketParcels).Cursor()
	for k, v := c.Seek(from); k != nil; k, v = c.Next() {
		if len(chunk) == perChunk {
			next = clone(k)
			break
		}
		if len(v) > 0 && v[0] != recordMark {
			chunk = append(chunk, legacy{clone(k), clone(v)})
		}
	}
	events := t.bucket(bucketLegacyEvents)
	for _, l := range chunk {
		id := ParcelID(binary.BigEndian.Uint64(l.key))
		p, _, err := decodeParcel(id, l.value)
		if err != nil {
			return nil, err
		}
		// Schema 8 filed a watched parcel at the start of its silence.
		p.StallWatchAt = stallEntry(Parcel{}, p)
		timeline, err := legacyEvents(events, l.key)
		if err != nil {
			return nil, fmt.Errorf("parcel %d: %w", id, err)
		}
		if err := t.bucket(bucketParcels).Put(l.key, encodeParcel(p, encodeTimeline(timeline))); err != nil {
			return nil, err
		}
		if events != nil {
			if err := deletePrefix(events, l.key); err != nil {
				return nil, err
			}
		}
	}
	return next, nil
}

// legacyEvents reads a parcel's events from schema 8's events bucket,
// oldest first, as their keys order them.
func legacyEvents(events *bolt.Bucket, prefix []byte) ([]Event, error) {
	if events == nil {
		return nil, nil
	}
	var out []Event
	c := events.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var e Event
		if err := decode(v, &e); err != nil {
			return nil, fmt.Errorf("event %x: %w", k, err)
		}
		out = append(out, e)
	}
	return out, nil
}

// bucketLegacyArchive and bucketLegacyArchived held schema 8's archived
// orders: order number -> legacyArchived, and parcel id -> order number.
var (
	bucketLegacyArchive  = []byte("archive")
	bucketLegacyArchived = []byte("idx_archived")
)

// legacyArchived is how schema 8 kept an archived order: the order, its
// parcels with their events and exceptions. Its returns, notifications
// and audit entries stayed in the hot file's own buckets.
type legacyArchived struct {
	Order   Order `json:"order"`
	Parcels []struct {
		Parcel     Parcel      `json:"parcel"`
		Events     []Event     `json:"events,omitempty"`
		Exceptions []Exception `json:"exceptions,omitempty"`
	} `json:"parcels,omitempty"`
}

// legacyArchiveChunk moves up to perChunk of schema 8's archived orders
// into the archive file of the month of the upgrade, with the returns,
// notifications and audit entries the hot file still held of them, and
// takes them out of the hot file. The archive's commit comes first: a stop
// before the hot file's finds them still there, and moves them again over
// themselves.
func (t *Tx) legacyArchiveChunk(from []byte) ([]byte, error) {
	var recs []archiveRecord
	var next []byte
	c := t.bucket(bucketLegacyArchive).Cursor()
	for k, v := c.Seek(from); k != nil; k, v = c.Next() {
		if len(recs) == perChunk {
			next = clone(k)
			break
		}
		rec, err := t.fromLegacy(v)
		if err != nil {
			return nil, fmt.Errorf("archived order %q: %w", k, err)
		}
		recs = append(recs, rec)
	}
	if len(recs) == 0 {
		return next, nil
	}
	f, err := t.arch.forWrite(monthOf(time.Now()))
	if err != nil {
		return nil, err
	}
	err = f.db.Update(func(atx *bolt.Tx) error {
		for _, rec := range recs {
			if err := putArchived(atx, rec); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("archive %s: %w", f.month, err)
	}
	if err := t.noteArchiveMonth(f.month); err != nil {
		return nil, err
	}
	for _, rec := range recs {
		if err := t.dropLegacy(rec); err != nil {
			return nil, err
		}
	}
	return next, nil
}

// fromLegacy makes a schema 8 archived order an archive record, with what
// the hot file held of it beside.
func (t *Tx) fromLegacy(v []byte) (archiveRecord, error) {
	var old legacyArchived
	if err := decode(v, &old); err != nil {
		return archiveRecord{}, err
	}
	rec := archiveRecord{Order: old.Order}
	for _, p := range old.Parcels {
		rec.Parcels = append(rec.Parcels, archivedParcel{ID: p.Parcel.ID,
			Record: encodeParcel(p.Parcel, encodeTimeline(p.Events)), Exceptions: p.Exceptions})
	}
	for _, rma := range old.Order.Returns {
		r, err := t.Return(rma)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return rec, err
		}
		if err == nil {
			rec.Returns = append(rec.Returns, r)
		}
	}
	notes, err := t.OrderNotificationsSince(old.Order.Number, time.Time{})
	if err != nil {
		return rec, err
	}
	rec.Notifications = notes
	for _, key := range t.auditKeys(&rec) {
		var e AuditEntry
		if err := t.get(bucketAudit, key, &e); err != nil {
			return rec, err
		}
		rec.Audit = append(rec.Audit, e)
	}
	return rec, nil
}

// dropLegacy takes a schema 8 archived order out of the hot file: its
// record, the idx_order and idx_archived entries it kept, and its returns,
// notifications and audit entries.
func (t *Tx) dropLegacy(rec archiveRecord) error {
	number := rec.Order.Number
	if err := t.bucket(bucketLegacyArchive).Delete([]byte(number)); err != nil {
		return err
	}
	if err := t.bucket(bucketIdxOrder).Delete(indexKey(foldOrderNumber(number), []byte(number))); err != nil {
		return err
	}
	for _, ap := range rec.Parcels {
		if b := t.tx.Bucket(bucketLegacyArchived); b != nil {
			if err := b.Delete(u64(uint64(ap.ID))); err != nil {
				return err
			}
		}
	}
	return t.dropHistory(rec)
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
