package store

import (
	"encoding/binary"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// migrations[v] upgrades a store of schema v to v+1. They run in order, in
// the one transaction that opens the store, so an upgrade that fails
// leaves the file as the older build wrote it.
var migrations = map[uint32]func(*Tx) error{
	1: migrate1to2,
	2: migrate2to3,
	3: addsBuckets,
	4: addsBuckets,
	5: migrate5to6,
	6: migrate6to7,
	7: rebuildWatches,
	8: startSchema9,
}

// migrate runs every migration from schema from up to SchemaVersion.
func migrate(tx *Tx, from uint32) error {
	for v := from; v < SchemaVersion; v++ {
		m, ok := migrations[v]
		if !ok {
			return fmt.Errorf("no upgrade from schema %d", v)
		}
		if err := m(tx); err != nil {
			return fmt.Errorf("upgrade schema %d to %d: %w", v, v+1, err)
		}
		if err := tx.flush(); err != nil {
			return fmt.Errorf("upgrade schema %d to %d: %w", v, v+1, err)
		}
	}
	return nil
}

// migrate1to2 brings a schema 1 store to schema 2:
//   - events are deduplicated by the fingerprint in their own keys, so the
//     event_prints bucket goes;
//   - orders gain the customer search keys and the placing-time index;
//   - exceptions carry their carrier and move from idx_open_exc to the
//     filter index idx_exc, with counts per kind, carrier and state.
func migrate1to2(tx *Tx) error {
	for _, name := range [][]byte{[]byte("event_prints"), bucketStats} {
		if err := deleteBucket(tx.tx, name); err != nil {
			return err
		}
	}
	if _, err := tx.tx.CreateBucket(bucketStats); err != nil {
		return err
	}
	err := tx.bucket(bucketOrders).ForEach(func(k, v []byte) error {
		var o Order
		if err := decode(v, &o); err != nil {
			return fmt.Errorf("order %q: %w", k, err)
		}
		return tx.indexOrder(Order{}, o)
	})
	if err != nil {
		return err
	}
	openV1 := tx.tx.Bucket([]byte("idx_open_exc"))
	if openV1 == nil {
		return nil
	}
	err = openV1.ForEach(func(k, _ []byte) error {
		id := ExceptionID(binary.BigEndian.Uint64(k[len(k)-8:]))
		e, err := tx.Exception(id)
		if err != nil {
			return fmt.Errorf("open exception %d: %w", id, err)
		}
		p, err := tx.Parcel(e.Parcel)
		if err != nil {
			return fmt.Errorf("exception %d parcel %d: %w", id, e.Parcel, err)
		}
		e.Carrier, e.Order = p.Carrier, p.Order
		if o, err := tx.Order(p.Order); err == nil {
			e.Customer = o.Customer.Name
		}
		if err := tx.put(bucketExceptions, u64(uint64(id)), e); err != nil {
			return err
		}
		return tx.indexException(e, true)
	})
	if err != nil {
		return err
	}
	return deleteBucket(tx.tx, []byte("idx_open_exc"))
}

// migrate2to3 brings a schema 2 store to schema 3: every exception gets its
// entry in idx_parcel_exc, so archiving an order finds its parcels' past
// exceptions without a scan. The archive and idx_archived buckets are new
// and start empty.
func migrate2to3(tx *Tx) error {
	return tx.bucket(bucketExceptions).ForEach(func(k, v []byte) error {
		var e Exception
		if err := decode(v, &e); err != nil {
			return fmt.Errorf("exception %x: %w", k, err)
		}
		return tx.indexParcelException(e)
	})
}

// migrate5to6 brings a schema 5 store to schema 6: the exception counters
// become one per idx_exc range, so a view of several kinds and states is
// counted without a scan; the audit log gains its per-order and per-parcel
// index idx_audit; the names of agents are kept in stats. idx_snooze is new
// and starts empty: no schema 5 exception had a snooze end.
func migrate5to6(tx *Tx) error {
	if err := tx.countRanges(); err != nil {
		return err
	}
	return tx.indexAuditLog()
}

// migrate6to7 brings a schema 6 store to schema 7: the stall watch
// idx_last_scan is filed by carrier, so each carrier's threshold reads its
// own range, and two watches are new, idx_unscanned (parcels awaiting
// their first scan) and idx_late (parcels awaiting their promised day).
// All three are emptied and filled again from the parcels.
func migrate6to7(tx *Tx) error { return rebuildWatches(tx) }

// rebuildWatches files every parcel in the time rules' indexes afresh, for
// a step that changes which parcels a rule watches: schema 8 watches for a
// first scan and a promise only parcels the carrier was asked or told about.
func rebuildWatches(tx *Tx) error {
	for _, w := range watches {
		if err := deleteBucket(tx.tx, w.bucket); err != nil {
			return err
		}
		if _, err := tx.tx.CreateBucket(w.bucket); err != nil {
			return err
		}
	}
	return tx.indexWatches()
}

// deleteBucket removes a bucket if it is there.
func deleteBucket(tx *bolt.Tx, name []byte) error {
	if err := tx.DeleteBucket(name); err != nil && !errors.Is(err, berrors.ErrBucketNotFound) {
		return fmt.Errorf("delete bucket %s: %w", name, err)
	}
	return nil
}

// addsBuckets is the step to a schema that only adds buckets. Open creates
// missing buckets before migrating, so there is nothing to move; the
// version step keeps an older build from opening a store whose buckets it
// would not look after. Schema 4 added deliveries, idx_delivery_at and
// quarantine; schema 5 the notification outbox, its indexes, the audit log
// and returns.
func addsBuckets(*Tx) error { return nil }
