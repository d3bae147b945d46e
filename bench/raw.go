package bench

import (
	"encoding/binary"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/wismo/wismo/store"
	"github.com/wismo/wismo/tracker"
)

// rawPuts is the baseline: the same events in the store's own layout and
// encoding (a record per parcel, under the parcel's id, holding its
// timeline), put straight into a fresh bbolt file with the store's
// options, one put per parcel a round brings news of, in transactions of
// perCommit events (the size the store's writer grouped them in), in the
// order polls deliver them. No dedupe, no status, no index, no exception:
// what bbolt itself costs for the data. It returns the time taken and the
// commits made.
func rawPuts(path string, d *dataset, s span, rounds, perCommit int) (time.Duration, int, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{
		InitialMmapSize: 256 << 20,
		FreelistType:    bolt.FreelistMapType,
	})
	if err != nil {
		return 0, 0, err
	}
	defer db.Close()
	name := []byte("parcels")
	if err := db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket(name); return err }); err != nil {
		return 0, 0, err
	}
	start := time.Now()
	commits := 0
	tx, err := db.Begin(true)
	if err != nil {
		return 0, 0, err
	}
	defer func() { tx.Rollback() }()
	inTx := 0
	for r := range rounds {
		for i := s.lo; i < s.hi; i++ {
			for j := int(d.firsts[i]); j < int(d.firsts[i+1]); j++ {
				journey := d.journey(i, j)
				lo, hi := 0, soFar(len(journey), r, rounds)
				if r > 0 {
					lo = soFar(len(journey), r-1, rounds)
				}
				if lo == hi {
					continue
				}
				p := d.parcel(i, j)
				p.ID = store.ParcelID(j + 1) // the store numbers parcels from 1 in intake order
				events := tracker.StoreEvents(journey[:hi])
				for k := range events {
					events[k].Parcel, events[k].Source = p.ID, store.SourcePoll
				}
				k := binary.BigEndian.AppendUint64(nil, uint64(p.ID))
				if err := tx.Bucket(name).Put(k, store.EncodeRecord(p, events)); err != nil {
					return 0, 0, err
				}
				if inTx += hi - lo; inTx >= perCommit {
					if err := tx.Commit(); err != nil {
						return 0, 0, err
					}
					commits++
					if tx, err = db.Begin(true); err != nil {
						return 0, 0, err
					}
					inTx = 0
				}
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, 0, err
	}
	return time.Since(start), commits + 1, nil
}
