package store

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// journey is one parcel of an archive fixture order: where it ended up,
// when it was last scanned, and what became of its exception, if it had one.
type journey struct {
	tracking string
	status   Status
	last     time.Time
	exc      ExceptionState // "" for none
}

// putJourneys stores an order placed at placed with one parcel per journey,
// each with two scans, and returns the parcel ids.
func putJourneys(t testing.TB, s *Store, number string, placed time.Time, js ...journey) []ParcelID {
	t.Helper()
	o := Order{Number: number, PlacedAt: placed, ShipTo: Address{PostalCode: "10115"},
		Customer: Customer{Name: "Kim " + number[1:], Email: number[1:] + "@example.com", Phone: "+49 170 55" + fmt.Sprint(len(number)*1111)}}
	err := s.Update(func(tx *Tx) error {
		for _, j := range js {
			p := Parcel{Carrier: "dhl", TrackingNumber: j.tracking, Order: number, Direction: Outbound,
				Status: j.status, LastEventAt: j.last, NextPollAt: j.last.Add(time.Hour)}
			if j.status == StatusDelivered {
				p.DeliveredAt = j.last
			}
			if err := tx.CreateParcel(&p); err != nil {
				return err
			}
			o.Parcels = append(o.Parcels, p.ID)
			evs := []Event{
				{Time: j.last.Add(-48 * time.Hour), RawCode: "transit", Status: StatusInTransit},
				{Time: j.last, RawCode: string(j.status), Status: j.status},
			}
			if _, err := tx.AddEvents(p.ID, SourcePoll, evs); err != nil {
				return err
			}
			if err := openJourneyException(tx, p.ID, j); err != nil {
				return err
			}
		}
		return tx.PutOrder(o)
	})
	if err != nil {
		t.Fatal(err)
	}
	return o.Parcels
}

func openJourneyException(tx *Tx, id ParcelID, j journey) error {
	if j.exc == "" {
		return nil
	}
	e := Exception{Parcel: id, Kind: KindAttemptFailed, OpenedAt: j.last.Add(-24 * time.Hour)}
	if err := tx.OpenException(&e); err != nil {
		return err
	}
	switch j.exc {
	case StateResolved:
		return tx.ResolveException(e.ID, j.last, "delivered on second attempt")
	case StateOpen:
		return nil
	}
	return tx.SetExceptionState(e.ID, j.exc)
}

// The archive fixture, relative to a cutoff 30 days before t0: three orders
// that may go, five that must stay.
var (
	cutoff  = t0.Add(-30 * 24 * time.Hour)
	longAgo = t0.Add(-60 * 24 * time.Hour)
	before  = t0.Add(-40 * 24 * time.Hour) // last activity, before the cutoff
	lately  = t0.Add(-2 * 24 * time.Hour)  // after it
)

func archiveFixture(t *testing.T) (*Store, map[string][]ParcelID) {
	s := openTemp(t)
	ids := map[string][]ParcelID{
		// Finished and quiet since before the cutoff: archived.
		"#A1": putJourneys(t, s, "#A1", longAgo, journey{"JD01", StatusDelivered, before, StateResolved}),
		"#A2": putJourneys(t, s, "#A2", longAgo,
			journey{"JD02", StatusDelivered, before, ""},
			journey{"JD03", StatusReturned, before.Add(time.Hour), ""}),
		"#A3": putJourneys(t, s, "#A3", longAgo),
		// Kept: a parcel still moving, an exception an agent acknowledged
		// but never resolved, a delivery after the cutoff, a recent order,
		// and a parcel whose delivery failed beside one delivered.
		"#K1": putJourneys(t, s, "#K1", longAgo, journey{"JD11", StatusInTransit, before, ""}),
		"#K2": putJourneys(t, s, "#K2", longAgo, journey{"JD12", StatusDelivered, before, StateAcknowledged}),
		"#K3": putJourneys(t, s, "#K3", longAgo, journey{"JD13", StatusDelivered, lately, ""}),
		"#K4": putJourneys(t, s, "#K4", lately, journey{"JD14", StatusDelivered, lately, ""}),
		"#K5": putJourneys(t, s, "#K5", longAgo,
			journey{"JD15", StatusExpired, before, ""},
			journey{"JD16", StatusAttemptFailed, before, StateOpen}),
	}
	return s, ids
}

func TestArchiveMovesExactlyTheFinishedOldOrders(t *testing.T) {
	s, ids := archiveFixture(t)
	detailBefore, err := s.Order("#A1")
	if err != nil {
		t.Fatal(err)
	}
	timelineBefore, err := s.Parcel(ids["#A1"][0])
	if err != nil {
		t.Fatal(err)
	}
	statsBefore := dumpBucket(t, s, bucketStats)

	n, _, err := s.Archive(cutoff, 100, t0)
	if err != nil || n != 3 {
		t.Fatalf("Archive = %d, %v; want 3 orders", n, err)
	}
	rows, err := s.OrdersBefore(nil, 100)
	if err != nil {
		t.Fatal(err)
	}
	var hot []string
	for _, r := range rows {
		hot = append(hot, r.Order.Number)
	}
	slices.Sort(hot)
	if want := []string{"#K1", "#K2", "#K3", "#K4", "#K5"}; !slices.Equal(hot, want) {
		t.Errorf("orders left in the hot buckets = %v, want %v", hot, want)
	}
	if !bytes.Equal(statsBefore, dumpBucket(t, s, bucketStats)) {
		t.Error("archiving changed the counters")
	}
	for _, number := range []string{"#A1", "#A2", "#A3"} {
		if left := hotEntries(t, s, number, ids[number]); len(left) > 0 {
			t.Errorf("%s still in the hot buckets: %q", number, left)
		}
	}
	for _, number := range []string{"#K1", "#K2", "#K3", "#K4", "#K5"} {
		if d, err := s.Order(number); err != nil || d.Archived || len(d.Parcels) != len(ids[number]) {
			t.Errorf("kept order %s = %+v, %v", number, d, err)
		}
		if len(hotEntries(t, s, number, ids[number])) < 6 {
			t.Errorf("kept order %s lost entries from the hot buckets", number)
		}
	}

	// The desk still reads the archived order, its parcels' timelines and
	// their past exceptions, and finds it by its number.
	detail, err := s.Order("#A1")
	if err != nil || !detail.Archived {
		t.Fatalf("archived order = %+v, %v", detail, err)
	}
	detailBefore.Archived = true
	if fmt.Sprint(detail) != fmt.Sprint(detailBefore) {
		t.Errorf("archived order reads\n%+v\nwant\n%+v", detail, detailBefore)
	}
	timeline, err := s.Parcel(ids["#A1"][0])
	if err != nil || !timeline.Archived || len(timeline.Events) != 2 ||
		fmt.Sprint(timeline.Events) != fmt.Sprint(timelineBefore.Events) {
		t.Errorf("archived timeline = %+v, %v; want the 2 events it had", timeline, err)
	}
	rec, err := s.arch.record("#A1", 0)
	if err == nil && (len(rec.Parcels) != 1 || len(rec.Parcels[0].Exceptions) != 1 ||
		rec.Parcels[0].Exceptions[0].State != StateResolved) {
		err = fmt.Errorf("record holds %+v, want the parcel's resolved exception", rec.Parcels)
	}
	if err != nil {
		t.Error(err)
	}
	// Every key finds an archived order, as it found it hot.
	for q, want := range map[string]string{
		"#A1": "order number", "a1": "order number", "A3": "order number", "JD01": "tracking number",
		"jd03": "tracking number", "A2@example.com": "email", "kim a2": "name",
	} {
		hits, err := s.Search(q, 5)
		if err != nil || len(hits) == 0 || hits[0].Field != want || !hits[0].Archived {
			t.Errorf("Search(%q) = %+v, %v; want the archived order by its %s", q, hits, err, want)
		}
	}
}

func TestArchiveIsIdempotent(t *testing.T) {
	s, _ := archiveFixture(t)
	if n, _, err := s.Archive(cutoff, 100, t0); err != nil || n != 3 {
		t.Fatalf("first Archive = %d, %v", n, err)
	}
	before := dumpStore(t, s)
	for range 3 {
		if n, _, err := s.Archive(cutoff, 100, t0); err != nil || n != 0 {
			t.Fatalf("Archive again = %d, %v; want 0", n, err)
		}
	}
	if after := dumpStore(t, s); !bytes.Equal(before, after) {
		t.Error("archiving again changed the store")
	}
	// Later, the orders delivered after the first cutoff go too, and only
	// they: the others are unfinished.
	if n, _, err := s.Archive(t0, 100, t0); err != nil || n != 2 {
		t.Fatalf("Archive(t0) = %d, %v; want 2 (#K3, #K4)", n, err)
	}
	for _, number := range []string{"#K3", "#K4"} {
		if d, err := s.Order(number); err != nil || !d.Archived {
			t.Errorf("%s = %+v, %v; want archived", number, d, err)
		}
	}
}

func TestArchivedOrderIsReadOnly(t *testing.T) {
	s, _ := archiveFixture(t)
	if _, _, err := s.Archive(cutoff, 100, t0); err != nil {
		t.Fatal(err)
	}
	err := s.Update(func(tx *Tx) error {
		if _, err := tx.Order("#A2"); !errors.Is(err, ErrNotFound) {
			return fmt.Errorf("the hot file still reads the archived order: %v", err)
		}
		return tx.PutOrder(Order{Number: "#A2", Customer: Customer{Name: "Someone Else"}})
	})
	if !errors.Is(err, ErrArchived) {
		t.Errorf("writing an archived order: got %v, want ErrArchived", err)
	}
}

// Old orders that never finish must not stop the sweep: each call reads a
// bounded number of them and the next goes on from there.
func TestArchiveWalksPastUnfinishedOrders(t *testing.T) {
	s := openTemp(t)
	for i := range 20 {
		putJourneys(t, s, fmt.Sprintf("#S%02d", i), longAgo.Add(time.Duration(i)*time.Minute),
			journey{fmt.Sprintf("ST%02d", i), StatusInTransit, before, ""})
	}
	putJourneys(t, s, "#Z", longAgo.Add(time.Hour), journey{"ZZ01", StatusDelivered, before, ""})
	var moved []int
	for range 4 {
		n, _, err := s.Archive(cutoff, 1, t0)
		if err != nil {
			t.Fatal(err)
		}
		moved = append(moved, n)
	}
	// 20 unfinished orders come first; a call with max 1 reads at most 8.
	if want := []int{0, 0, 1, 0}; !slices.Equal(moved, want) {
		t.Errorf("orders moved per call = %v, want %v", moved, want)
	}
	if _, _, err := s.Archive(cutoff, 0, t0); err == nil {
		t.Error("Archive with max 0 did not fail")
	}
}

// hotEntries lists what of an order is left in the hot buckets: any key of
// its own, its parcels' or their exceptions'.
func hotEntries(t *testing.T, s *Store, number string, ids []ParcelID) []string {
	t.Helper()
	var left []string
	var excs []ExceptionID
	if rec, err := s.arch.record(number, 0); err == nil {
		for _, ap := range rec.Parcels {
			for _, e := range ap.Exceptions {
				excs = append(excs, e.ID)
			}
		}
	}
	err := s.View(func(tx *Tx) error {
		// Where each bucket's keys name a parcel, an exception or an order.
		type rule struct {
			bucket []byte
			at     func(k, part []byte) bool
			parts  [][]byte
		}
		var parcels, exceptions [][]byte
		for _, id := range ids {
			parcels = append(parcels, u64(uint64(id)))
		}
		for _, id := range excs {
			exceptions = append(exceptions, u64(uint64(id)))
		}
		orders := [][]byte{[]byte(number)}
		for _, r := range []rule{
			{bucketOrders, bytes.Equal, orders},
			{bucketIdxOrder, bytes.HasSuffix, orders},
			{bucketIdxSearch, bytes.HasSuffix, orders},
			{bucketIdxPlaced, bytes.HasSuffix, orders},
			{bucketParcels, bytes.Equal, parcels},
			{bucketIdxTracking, bytes.HasSuffix, parcels},
			{bucketIdxDue, bytes.HasSuffix, parcels},
			{bucketIdxLastScan, bytes.HasSuffix, parcels},
			{bucketIdxParcelExc, bytes.HasPrefix, parcels},
			{bucketExceptions, bytes.Equal, exceptions},
			{bucketIdxExc, bytes.HasSuffix, exceptions},
		} {
			tx.bucket(r.bucket).ForEach(func(k, _ []byte) error {
				if slices.ContainsFunc(r.parts, func(part []byte) bool { return r.at(k, part) }) {
					left = append(left, fmt.Sprintf("%s %x", r.bucket, k))
				}
				return nil
			})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return left
}

// dumpBucket is every key and value of a bucket, for comparing states.
func dumpBucket(t *testing.T, s *Store, name []byte) []byte {
	t.Helper()
	var out []byte
	s.View(func(tx *Tx) error {
		return tx.bucket(name).ForEach(func(k, v []byte) error {
			if bytes.Equal(name, bucketMeta) && bytes.Equal(k, keyOpen) {
				return nil // when this process opened the store
			}
			out = fmt.Appendf(out, "%x=%x\n", k, v)
			return nil
		})
	})
	return out
}

// dumpStore is every bucket's keys and values.
func dumpStore(t *testing.T, s *Store) []byte {
	t.Helper()
	var out []byte
	for _, name := range allBuckets {
		out = append(out, name...)
		out = append(out, dumpBucket(t, s, name)...)
	}
	return out
}

// A store written before idx_parcel_exc existed gets an entry for each of
// its exceptions when opened, so its orders archive with their history.
func TestUpgradedStoreArchivesWithItsExceptions(t *testing.T) {
	s, err := Open(unpackFixture(t, "schema1.db.gz"), Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var excs, indexed int
	err = s.View(func(tx *Tx) error {
		excs = tx.bucket(bucketExceptions).Stats().KeyN
		return tx.bucket(bucketExceptions).ForEach(func(_, v []byte) error {
			var e Exception
			if err := decode(v, &e); err != nil {
				return err
			}
			if tx.bucket(bucketIdxParcelExc).Get(parcelExceptionKey(e)) != nil {
				indexed++
			}
			return nil
		})
	})
	if err != nil || excs == 0 || indexed != excs {
		t.Fatalf("%d of %d exceptions indexed by parcel (%v)", indexed, excs, err)
	}
	n, _, err := s.Archive(t0.AddDate(10, 0, 0), 1000, t0)
	if err != nil || n == 0 {
		t.Fatalf("Archive = %d, %v; want the fixture's finished orders", n, err)
	}
	var archivedExcs int
	err = s.arch.each(func(f *archiveFile) (bool, error) {
		return false, f.view(func(tx *bolt.Tx) error {
			return tx.Bucket(bucketArcOrders).ForEach(func(_, v []byte) error {
				var rec archiveRecord
				err := decode(v, &rec)
				for _, ap := range rec.Parcels {
					archivedExcs += len(ap.Exceptions)
				}
				return err
			})
		})
	})
	if left := dumpBucket(t, s, bucketExceptions); err != nil || archivedExcs == 0 || archivedExcs+bytes.Count(left, []byte("\n")) != excs {
		t.Errorf("%d exceptions archived and %d left, want %d in all (%v)", archivedExcs, bytes.Count(left, []byte("\n")), excs, err)
	}
}

// An order whose return is still open stays hot however old; once the
// return is refunded or rejected, and that too is old, it moves.
func TestAnOpenReturnKeepsItsOrderHot(t *testing.T) {
	s := openTemp(t)
	old := time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC)
	putJourneys(t, s, "#R1", old, journey{tracking: "JJDR1", status: StatusDelivered, last: old})
	put := func(state ReturnState, at time.Time) {
		t.Helper()
		err := s.Update(func(tx *Tx) error {
			return tx.PutReturn(Return{RMA: "RMA-1", Order: "#R1", State: state}, at, "shop")
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	put(ReturnReceived, old.Add(24*time.Hour))
	cutoff := old.Add(90 * 24 * time.Hour)
	if n, _, err := s.Archive(cutoff, 10, t0); n != 0 || err != nil {
		t.Fatalf("Archive with the return received = %d, %v; want the order kept hot", n, err)
	}
	put(ReturnRefunded, cutoff.Add(time.Hour))
	if n, _, err := s.Archive(cutoff, 10, t0); n != 0 || err != nil {
		t.Fatalf("Archive just after the refund = %d, %v; want the refund's own age to count", n, err)
	}
	if n, _, err := s.Archive(cutoff.Add(90*24*time.Hour), 10, t0); n != 1 || err != nil {
		t.Fatalf("Archive once the refund is old = %d, %v; want the order archived", n, err)
	}
	if rs, err := s.OrderReturns("#R1"); err != nil || len(rs) != 1 || rs[0].State != ReturnRefunded {
		t.Errorf("archived order's returns = %+v, %v", rs, err)
	}
}
