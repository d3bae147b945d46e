package store

import (
	"encoding/binary"
	"path/filepath"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// watchCase is a parcel in some state and the time rules' watches it must
// be in: the stall watch from when, awaiting its first scan from when,
// awaiting its promise until when (zero: not in that watch).
type watchCase struct {
	name                       string
	p                          Parcel
	silent, unscanned, promise time.Time
}

var promised = time.Date(2026, 3, 10, 18, 0, 0, 0, time.UTC) // a Tuesday evening

// endOfPromise is when promised has passed: the end of its day.
var endOfPromise = time.Date(2026, 3, 11, 0, 0, 0, 0, time.UTC)

func watchCases() []watchCase {
	moving := Parcel{Carrier: "dhl", Direction: Outbound, Status: StatusInTransit, LastEventAt: t0, CreatedAt: t0.Add(-time.Hour)}
	with := func(p Parcel, change func(*Parcel)) Parcel { change(&p); return p }
	return []watchCase{
		{"moving", moving, t0, time.Time{}, time.Time{}},
		{"moving with a promise", with(moving, func(p *Parcel) { p.PromisedBy = promised }), t0, time.Time{}, endOfPromise},
		{"returning to the shop with a promise", with(moving, func(p *Parcel) { p.Direction, p.PromisedBy = Inbound, promised }), t0, time.Time{}, time.Time{}},
		{"cleared after its last scan", with(moving, func(p *Parcel) { p.ClearedAt = t0.Add(5 * time.Hour) }), t0.Add(5 * time.Hour), time.Time{}, time.Time{}},
		{"cleared after its promise passed", with(moving, func(p *Parcel) { p.PromisedBy, p.ClearedAt = promised, endOfPromise }), endOfPromise, time.Time{}, time.Time{}},
		{"delivered", with(moving, func(p *Parcel) { p.Status, p.PromisedBy = StatusDelivered, promised }), time.Time{}, time.Time{}, time.Time{}},
		{"at a pickup point", with(moving, func(p *Parcel) { p.Status, p.PromisedBy = StatusAvailableForPickup, promised }), time.Time{}, time.Time{}, time.Time{}},
		{"label made, not scanned", with(moving, func(p *Parcel) {
			p.Status, p.LastEventAt, p.LastPolledAt = StatusPending, time.Time{}, t0.Add(-time.Minute)
		}), time.Time{}, t0.Add(-time.Hour), time.Time{}},
		// Not asked yet, it is judged by nothing: neither forgotten nor late.
		{"label made, carrier never asked", with(moving, func(p *Parcel) {
			p.Status, p.LastEventAt, p.PromisedBy = StatusPending, time.Time{}, promised
		}), time.Time{}, time.Time{}, time.Time{}},
		{"label data only", with(moving, func(p *Parcel) { p.Status = StatusInfoReceived }), time.Time{}, t0.Add(-time.Hour), time.Time{}},
		{"shipped, not scanned", with(moving, func(p *Parcel) { p.Status, p.ShippedAt = StatusPending, t0.Add(-3*time.Hour) }), time.Time{}, t0.Add(-3 * time.Hour), time.Time{}},
		{"not scanned, cleared since its label", with(moving, func(p *Parcel) { p.Status, p.ClearedAt = StatusPending, t0 }), time.Time{}, time.Time{}, time.Time{}},
		{"stored before CreatedAt was kept", with(moving, func(p *Parcel) { p.Status, p.CreatedAt = StatusInfoReceived, time.Time{} }), time.Time{}, t0, time.Time{}},
	}
}

// The watches hold exactly the parcels each rule could fire on, keyed by
// when its clock started, and move with every write of the parcel: an
// open exception takes a parcel out of all of them, resolving it puts it
// back.
func TestWatchesFollowTheParcel(t *testing.T) {
	for _, c := range watchCases() {
		t.Run(c.name, func(t *testing.T) {
			s := openTemp(t)
			id := seed(t, s, "T1")[0]
			put(t, s, id, c.p)
			checkWatches(t, s, id, c.silent, c.unscanned, c.promise)

			e := Exception{Parcel: id, Kind: KindStalled, OpenedAt: t0}
			if err := s.Update(func(tx *Tx) error { return tx.OpenException(&e) }); err != nil {
				t.Fatal(err)
			}
			checkWatches(t, s, id, time.Time{}, time.Time{}, time.Time{})
			if err := s.Update(func(tx *Tx) error { return tx.ResolveException(e.ID, t0, "scanned") }); err != nil {
				t.Fatal(err)
			}
			checkWatches(t, s, id, c.silent, c.unscanned, c.promise)
		})
	}
}

// put writes p's state over parcel id, keeping its identity. It writes as
// the store's own writes do, so a case may set CreatedAt.
func put(t *testing.T, s *Store, id ParcelID, p Parcel) {
	t.Helper()
	err := s.Update(func(tx *Tx) error {
		old, err := tx.Parcel(id)
		if err != nil {
			return err
		}
		p.ID, p.TrackingNumber, p.Order = id, old.TrackingNumber, old.Order
		return tx.writeParcel(old, p)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// checkWatches checks, through the readers the sweep uses, that parcel id
// is in each watch from exactly the given time (zero: not at all).
func checkWatches(t *testing.T, s *Store, id ParcelID, silent, unscanned, promise time.Time) {
	t.Helper()
	reads := []struct {
		name string
		from time.Time
		read func(tx *Tx, cutoff time.Time) []ParcelID
	}{
		{"stall", silent, func(tx *Tx, cutoff time.Time) []ParcelID {
			return tx.ParcelsSilent(func(string) time.Time { return cutoff }, 100)
		}},
		{"first scan", unscanned, func(tx *Tx, cutoff time.Time) []ParcelID { return tx.ParcelsUnscanned(cutoff, 100) }},
		{"promise", promise, func(tx *Tx, cutoff time.Time) []ParcelID { return tx.ParcelsLate(cutoff, 100) }},
	}
	for _, r := range reads {
		in := func(cutoff time.Time) (found bool) {
			s.View(func(tx *Tx) error { found = slices.Contains(r.read(tx, cutoff), id); return nil })
			return found
		}
		switch {
		case r.from.IsZero() && in(t0.Add(1000*time.Hour)):
			t.Errorf("%s watch holds parcel %d, want it not there", r.name, id)
		case !r.from.IsZero() && (in(r.from.Add(-time.Nanosecond)) || !in(r.from)):
			t.Errorf("%s watch: parcel %d not filed from %v", r.name, id, r.from)
		}
	}
}

// Each carrier's range is read up to its own cutoff, asked once per
// carrier; a carrier whose parcels are all within their threshold is not
// read past its first entry.
func TestParcelsSilentReadsEachCarrierToItsCutoff(t *testing.T) {
	s := openTemp(t)
	ids := seed(t, s, "D1", "D2", "U1", "U2", "F1")
	silent := []struct {
		carrier string
		since   time.Duration
	}{{"dhl", 0}, {"dhl", 3 * time.Hour}, {"ups", time.Hour}, {"ups", 2 * time.Hour}, {"fedex", 0}}
	for i, sp := range silent {
		put(t, s, ids[i], Parcel{Carrier: sp.carrier, Status: StatusInTransit, LastEventAt: t0.Add(sp.since)})
	}
	cutoffs := map[string]time.Time{"dhl": t0.Add(time.Hour), "ups": t0.Add(2 * time.Hour), "fedex": t0.Add(-time.Hour)}
	var asked []string
	read := func(limit int) []ParcelID {
		asked = nil
		var got []ParcelID
		s.View(func(tx *Tx) error {
			got = tx.ParcelsSilent(func(c string) time.Time { asked = append(asked, c); return cutoffs[c] }, limit)
			return nil
		})
		return got
	}
	if got, want := read(10), []ParcelID{ids[0], ids[2], ids[3]}; !slices.Equal(got, want) {
		t.Errorf("silent = %v, want dhl's first then both of ups's: %v", got, want)
	}
	if want := []string{"dhl", "fedex", "ups"}; !slices.Equal(asked, want) {
		t.Errorf("cutoffs asked for %v, want each carrier once, in order: %v", asked, want)
	}
	if got := read(2); !slices.Equal(got, []ParcelID{ids[0], ids[2]}) {
		t.Errorf("silent with limit 2 = %v", got)
	}
}

// A schema 6 store filed the stall watch by last scan alone and had no
// first-scan or promise watches. Opening it refiles the stall watch by
// carrier and fills the two new ones from the parcels.
func TestUpgradeWatchesFromSchema6(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wismo.db")
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	cases := watchCases()
	var tracking []string
	for _, c := range cases {
		tracking = append(tracking, c.name)
	}
	ids := seed(t, s, tracking...)
	for i, c := range cases {
		put(t, s, ids[i], c.p)
	}
	if err := s.db.Update(func(tx *bolt.Tx) error { return writeSchema6Watches(tx) }); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s, err = Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) { checkWatches(t, s, ids[i], c.silent, c.unscanned, c.promise) })
	}
}

// writeSchema6Watches lays the watch buckets out as schema 6 did: the stall
// watch keyed by last scan and id, for the parcels it watched then, and no
// other watch.
func writeSchema6Watches(tx *bolt.Tx) error {
	for _, name := range [][]byte{bucketIdxLastScan, bucketIdxUnscanned, bucketIdxLate} {
		if err := tx.DeleteBucket(name); err != nil {
			return err
		}
	}
	old, err := tx.CreateBucket(bucketIdxLastScan)
	if err != nil {
		return err
	}
	err = tx.Bucket(bucketParcels).ForEach(func(k, v []byte) error {
		p, _, err := decodeParcel(ParcelID(binary.BigEndian.Uint64(k)), v)
		if err != nil {
			return err
		}
		if p.LastEventAt.IsZero() || p.Status.Terminal() || p.Exception != 0 || p.Status == StatusAvailableForPickup {
			return nil
		}
		return old.Put(join(timeKey(p.LastEventAt), k), nil)
	})
	if err != nil {
		return err
	}
	return tx.Bucket(bucketMeta).Put(keySchema, binary.BigEndian.AppendUint32(nil, 6))
}
