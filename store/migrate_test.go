package store

import (
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// unpackFixture writes a gzipped store from testdata to a temporary file.
func unpackFixture(t *testing.T, name string) string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "wismo.db")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, zr); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// testdata/schema1.db.gz was written by the schema 1 desk (wismo demo
// --orders 40 --seed 7, run for a few simulated days). Opening it with this
// build upgrades it in place: every order is findable by its customer keys,
// the open exceptions page under the new filters with their counts, and
// nothing stored is lost.
func TestUpgradeFromSchema1(t *testing.T) {
	path := unpackFixture(t, "schema1.db.gz")
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	var orders []Order
	var events int
	err = s.View(func(tx *Tx) error {
		if v := tx.bucket(bucketMeta).Get(keySchema); len(v) != 4 || binary.BigEndian.Uint32(v) != SchemaVersion {
			t.Errorf("schema after upgrade = %x, want %d", v, SchemaVersion)
		}
		for _, gone := range []string{"event_prints", "idx_open_exc", "events"} {
			if tx.tx.Bucket([]byte(gone)) != nil {
				t.Errorf("bucket %s still there", gone)
			}
		}
		tx.bucket(bucketParcels).ForEach(func(_, v []byte) error {
			events += timelineLen(v)
			return nil
		})
		return tx.bucket(bucketOrders).ForEach(func(_, v []byte) error {
			var o Order
			if err := decode(v, &o); err != nil {
				return err
			}
			orders = append(orders, o)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(orders) != 40 || events != 330 {
		t.Fatalf("after upgrade: %d orders, %d events; the schema 1 store had 40 and 330", len(orders), events)
	}
	for _, o := range orders {
		for _, q := range []string{o.Customer.Email, o.Customer.Phone, o.Customer.Name} {
			hits, err := s.Search(q, 50)
			if err != nil {
				t.Fatal(err)
			}
			if !hasOrder(hits, o.Number) {
				t.Errorf("Search(%q) after upgrade misses order %s", q, o.Number)
			}
		}
	}
	rows, err := s.ExceptionsAfter(ExceptionFilter{}, nil, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("open exceptions after upgrade = %d, the schema 1 store had 3", len(rows))
	}
	counts, err := s.CarrierExceptionCounts()
	if err != nil {
		t.Fatal(err)
	}
	if counts["dhl"] != 3 {
		t.Errorf("dhl open exceptions counted %d, want 3", counts["dhl"])
	}
	for _, r := range rows {
		if r.Exception.Carrier != "dhl" {
			t.Errorf("exception %d carrier %q after upgrade, want dhl", r.Exception.ID, r.Exception.Carrier)
		}
		got, err := s.ExceptionsAfter(ExceptionFilter{Kinds: []ExceptionKind{r.Exception.Kind}, Carrier: "dhl"}, nil, 100)
		if err != nil || len(got) == 0 {
			t.Errorf("kind %s under the carrier filter: %v %v", r.Exception.Kind, got, err)
		}
	}
}

func hasOrder(hits []SearchHit, number string) bool {
	for _, h := range hits {
		if h.Number == number {
			return true
		}
	}
	return false
}

// testdata/schema5.db.gz was written by the schema 5 desk: 30 exceptions
// across three carriers and eight kinds, some assigned to ana or ben, some
// acknowledged or snoozed, four resolved, and four resends of orders #5000
// and #5001 audited by ana and cem. Opening it counts every filter range
// from the index, drops the counters schema 5 kept, files the audit log
// under its orders and learns the agents' names.
func TestUpgradeFromSchema5(t *testing.T) {
	s, err := Open(unpackFixture(t, "schema5.db.gz"), Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.View(func(tx *Tx) error {
		c := tx.bucket(bucketStats).Cursor()
		for _, p := range schema5Counters {
			if k, _ := c.Seek([]byte(p)); withinPrefix(k, []byte(p)) {
				t.Errorf("schema 5 counter %s still there", k)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	all := unresolved(t, s)
	if len(all) != 26 {
		t.Fatalf("%d unresolved exceptions after upgrade, the schema 5 store had 26", len(all))
	}
	checkExceptionPages(t, s)

	for _, number := range []string{"#5000", "#5001"} {
		trail, err := s.OrderAudit(number, 10)
		if err != nil || len(trail) != 2 || !trail[0].At.After(trail[1].At) || trail[0].Target != "order "+number {
			t.Errorf("OrderAudit(%s) = %+v, %v; want its two resends, newest first", number, trail, err)
		}
	}
	if agents, err := s.Agents(); err != nil || !slices.Equal(agents, []string{"ana", "ben", "cem"}) {
		t.Errorf("Agents() = %v, %v; want ana, ben (assigned) and cem (audited)", agents, err)
	}

	// The rebuilt counters move with the exceptions from here on.
	for _, e := range all[:10] {
		mustUpdate(t, s, func(tx *Tx) error { return tx.ResolveException(e.ID, t0.Add(30*time.Hour), "delivered") })
	}
	checkExceptionCounts(t, s, unresolved(t, s))
}

// testdata/schema8.db.gz was written by the schema 8 desk's store: 30
// orders of two parcels, each parcel with its scans, every other order
// with an exception, every fifth with a return, each with a sent
// notification and an agent's comment; the 20 finished long ago archived
// in the hot file as schema 8 kept them. Opening it with this build moves
// the archived ones to an archive file with everything the hot file held
// of them, and keeps every order findable by every key.
func TestUpgradeFromSchema8KeepsEveryOrderFindable(t *testing.T) {
	path := unpackFixture(t, "schema8.db.gz")
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.View(func(tx *Tx) error {
		for _, gone := range []string{"events", "archive", "idx_archived"} {
			if tx.tx.Bucket([]byte(gone)) != nil {
				t.Errorf("bucket %s still there", gone)
			}
		}
		if n := tx.bucket(bucketOrders).Stats().KeyN; n != 10 {
			t.Errorf("%d orders hot, want the 10 not archived", n)
		}
		if n := tx.bucket(bucketIdxOrder).Stats().KeyN; n != 10 {
			t.Errorf("%d idx_order entries hot, want the 10 hot orders' only", n)
		}
		for _, b := range [][]byte{bucketIdxOrder, bucketIdxTracking, bucketIdxSearch} {
			tx.bucket(b).ForEach(func(k, v []byte) error {
				if hv, ok := decodeHitValue(v); !ok || !hv.whole {
					t.Errorf("%s entry %q has no hit value", b, k)
				}
				return nil
			})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 30 {
		number := fmt.Sprintf("#%d", 5001+i)
		d, err := s.Order(number)
		if err != nil || d.Archived != (i < 20) || len(d.Parcels) != 2 {
			t.Fatalf("order %s: archived %v, %d parcels, %v", number, d.Archived, len(d.Parcels), err)
		}
		o := d.Order
		for _, q := range []string{number, d.Parcels[1].TrackingNumber, o.Customer.Email, o.Customer.Phone,
			o.Customer.Name, o.ShipTo.PostalCode} {
			hits, err := s.Search(q, 50)
			if err != nil || !hasOrder(hits, number) {
				t.Errorf("Search(%q) misses order %s: %v", q, number, err)
			}
		}
		events := 2
		if i < 20 {
			events = 3
		}
		p, err := s.Parcel(d.Parcels[0].ID)
		if err != nil || len(p.Events) != events || p.Events[events-1].Location.City != "Leipzig" {
			t.Errorf("order %s parcel: %d events, %v", number, len(p.Events), err)
		}
		notes, err := s.OrderNotifications(number)
		if err != nil || len(notes) != 1 || notes[0].State != NotifySent {
			t.Errorf("order %s notifications: %+v, %v", number, notes, err)
		}
		audit, err := s.OrderAudit(number, 10)
		if err != nil || len(audit) != 1 || audit[0].Detail != "customer called" {
			t.Errorf("order %s audit: %+v, %v", number, audit, err)
		}
		if pa, err := s.ParcelAudit(d.Parcels[1].ID, 10); err != nil || len(pa) != 1 {
			t.Errorf("order %s parcel audit: %+v, %v", number, pa, err)
		}
		if i%5 == 0 {
			rs, err := s.OrderReturns(number)
			if err != nil || len(rs) != 1 {
				t.Errorf("order %s returns: %+v, %v", number, rs, err)
			}
		}
	}
	if r, err := s.arch.record("#5001", 0); err != nil || len(r.Parcels[0].Exceptions) != 1 || r.Parcels[0].Exceptions[0].State != StateResolved {
		t.Errorf("archived order's exception: %+v, %v", r.Parcels, err)
	}
}
