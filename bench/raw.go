package bench

import (
	"encoding/binary"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/wismo/wismo/store"
	"github.com/wismo/wismo/tracker"
)

// rawPuts is the baseline: the same events, under the same keys (parcel id
// | time | fingerprint) and in the same encoding, put straight into a fresh
// bbolt file with the store's options, in transactions of perCommit events
// (the size the store's writer grouped them in), in the order polls
// deliver them. No dedupe, no parcel update, no index: what bbolt itself
// costs for the data. It returns the time taken and the commits made.
func rawPuts(path string, d *dataset, rounds, perCommit int) (time.Duration, int, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{
		InitialMmapSize: 256 << 20,
		FreelistType:    bolt.FreelistMapType,
	})
	if err != nil {
		return 0, 0, err
	}
	defer db.Close()
	name := []byte("events")
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
		for i := range d.orders {
			for j := int(d.firsts[i]); j < int(d.firsts[i+1]); j++ {
				journey := d.journey(i, j)
				lo, hi := 0, soFar(len(journey), r, rounds)
				if r > 0 {
					lo = soFar(len(journey), r-1, rounds)
				}
				for _, e := range tracker.StoreEvents(journey[lo:hi]) {
					id := uint64(j + 1) // the store numbers parcels from 1 in intake order
					e.Parcel, e.Source = store.ParcelID(id), store.SourcePoll
					v, err := store.Encode(e)
					if err != nil {
						return 0, 0, err
					}
					k := binary.BigEndian.AppendUint64(nil, id)
					k = binary.BigEndian.AppendUint64(k, uint64(e.Time.UnixNano()))
					k = binary.BigEndian.AppendUint64(k, e.Fingerprint())
					if err := tx.Bucket(name).Put(k, v); err != nil {
						return 0, 0, err
					}
					if inTx++; inTx == perCommit {
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
	}
	if err := tx.Commit(); err != nil {
		return 0, 0, err
	}
	return time.Since(start), commits + 1, nil
}
