package tracker

import (
	"context"
	"encoding/binary"
	"errors"
	"net/http"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/wismo/wismo/store"
)

// poll runs one round that must succeed and returns how many it polled.
func poll(t *testing.T, tr *Tracker) int {
	t.Helper()
	n, err := tr.PollDue(context.Background())
	if err != nil {
		t.Fatalf("PollDue at %v: %v", tr.now(), err)
	}
	return n
}

func TestBadCarrierResponsesLoseNothing(t *testing.T) {
	st := openStore(t)
	f, clk, tr, logs := polling(t, st, t0.Add(2*time.Hour))
	id := addParcel(t, st, "JJD1", clk.Now())

	// Not known yet: normal for a fresh label, not a failure.
	poll(t, tr)
	p := detail(t, st, id).Parcel
	if p.PollFailures != 0 || p.LastError != "" || !p.NextPollAt.Equal(clk.Now().Add(2*time.Hour)) {
		t.Fatalf("after 404: failures %d, error %q, next %v", p.PollFailures, p.LastError, p.NextPollAt)
	}

	f.set("JJD1", http.StatusOK, dhlBody(t, "JJD1", scan(0, "pre-transit", "Label"), scan(time.Hour, "transit", "Picked up")))
	clk.Set(p.NextPollAt)
	poll(t, tr)
	good := detail(t, st, id)
	if good.Parcel.Status != store.StatusInTransit || len(good.Events) != 2 {
		t.Fatalf("after a good answer: %s with %d events", good.Parcel.Status, len(good.Events))
	}

	bad := []struct {
		name, body, want string
		code             int
	}{
		{"truncated JSON", `{"shipments": [{"id": "JJD1", "events": [{"timest`, "malformed response", http.StatusOK},
		{"server error", `{"title": "Internal", "detail": "backend timeout"}`, "HTTP 500", http.StatusInternalServerError},
		{"key refused", `{"title": "Unauthorized", "detail": "Invalid key ` + apiKey + `"}`, "credentials refused", http.StatusUnauthorized},
	}
	var lastWait time.Duration
	for i, b := range bad {
		f.set("JJD1", b.code, b.body)
		clk.Set(detail(t, st, id).Parcel.NextPollAt)
		poll(t, tr)
		d := detail(t, st, id)
		p := d.Parcel
		if p.Status != good.Parcel.Status || !p.StatusAt.Equal(good.Parcel.StatusAt) || !reflect.DeepEqual(d.Events, good.Events) {
			t.Errorf("%s: parcel changed: %s at %v, %d events", b.name, p.Status, p.StatusAt, len(d.Events))
		}
		if p.PollFailures != i+1 || !strings.Contains(p.LastError, b.want) || strings.Contains(p.LastError, apiKey) {
			t.Errorf("%s: failures %d, LastError %q; want %d and %q without the key", b.name, p.PollFailures, p.LastError, i+1, b.want)
		}
		wait := p.NextPollAt.Sub(clk.Now())
		if wait <= lastWait {
			t.Errorf("%s: next poll in %v, want more than the previous %v", b.name, wait, lastWait)
		}
		lastWait = wait
	}
	if n := strings.Count(logs.String(), "tracking=JJD1"); n != len(bad) || strings.Contains(logs.String(), apiKey) {
		t.Errorf("log names the parcel %d times (want %d) or leaks the key:\n%s", n, len(bad), logs)
	}

	f.set("JJD1", http.StatusOK, dhlBody(t, "JJD1", scan(0, "pre-transit", "Label"), scan(time.Hour, "transit", "Picked up"),
		scan(20*time.Hour, "transit", "The shipment has been loaded onto the delivery vehicle")))
	clk.Set(detail(t, st, id).Parcel.NextPollAt)
	poll(t, tr)
	d := detail(t, st, id)
	if d.Parcel.PollFailures != 0 || d.Parcel.LastError != "" || len(d.Events) != 3 ||
		d.Parcel.Status != store.StatusOutForDelivery {
		t.Errorf("after recovery: failures %d, error %q, %d events, %s",
			d.Parcel.PollFailures, d.Parcel.LastError, len(d.Events), d.Parcel.Status)
	}
}

func TestBackoffGrowsToACap(t *testing.T) {
	want := []time.Duration{15 * time.Minute, 30 * time.Minute, time.Hour, 2 * time.Hour, 4 * time.Hour, 6 * time.Hour, 6 * time.Hour}
	for i, w := range want {
		if got := retryWait(i + 1); got != w {
			t.Errorf("retryWait(%d) = %v, want %v", i+1, got, w)
		}
	}
	if got := retryWait(1000); got != 6*time.Hour {
		t.Errorf("retryWait(1000) = %v, want the 6 h cap", got)
	}
}

func TestCancelledPollWritesNothing(t *testing.T) {
	st := openStore(t)
	f, _, tr, logs := polling(t, st, t0.Add(2*time.Hour))
	id := addParcel(t, st, "JJD1", t0)
	f.set("JJD1", http.StatusOK, dhlBody(t, "JJD1", scan(time.Hour, "transit", "Picked up")))
	before, commitsBefore := detail(t, st, id), commits(t, st)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	n, err := tr.PollDue(ctx)
	if n != 0 || !errors.Is(err, context.Canceled) {
		t.Errorf("PollDue = %d, %v; want 0, context.Canceled", n, err)
	}
	if after := detail(t, st, id); !reflect.DeepEqual(after, before) || commits(t, st) != commitsBefore {
		t.Errorf("cancelled round wrote: %+v", after.Parcel)
	}
	if strings.Contains(logs.String(), "poll failed") {
		t.Errorf("cancelled round logged a feed failure:\n%s", logs)
	}
}

// A carrier with no configured feed is a failure of that parcel only; the
// rest of the round is written.
func TestParcelWithoutFeedFailsAlone(t *testing.T) {
	st := openStore(t)
	f, _, tr, _ := polling(t, st, t0.Add(2*time.Hour))
	good := addParcel(t, st, "JJD1", t0)
	var orphan store.Parcel
	err := st.Update(func(tx *store.Tx) error {
		orphan = store.Parcel{Carrier: "ups", TrackingNumber: "1Z1", Order: "#1Z1", NextPollAt: t0}
		return tx.CreateParcel(&orphan)
	})
	if err != nil {
		t.Fatal(err)
	}
	f.set("JJD1", http.StatusOK, dhlBody(t, "JJD1", scan(time.Hour, "transit", "Picked up")))
	if n := poll(t, tr); n != 2 {
		t.Fatalf("polled %d, want 2", n)
	}
	if p := detail(t, st, good).Parcel; p.Status != store.StatusInTransit {
		t.Errorf("good parcel %s, want in_transit", p.Status)
	}
	if p := detail(t, st, orphan.ID).Parcel; p.PollFailures != 1 || !strings.Contains(p.LastError, `"ups"`) {
		t.Errorf("orphan: failures %d, error %q", p.PollFailures, p.LastError)
	}
}

// A parcel whose results cannot be written must not hold back the round:
// here its open exception's record is gone (a damaged file), so opening
// the next one fails. The other parcel's news lands; the broken one is
// marked failing and rescheduled.
func TestUnwritableParcelFailsAlone(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wismo.db")
	st, err := store.Open(path, store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	good := addParcel(t, st, "JJD1", t0)
	broken := addParcel(t, st, "JJD2", t0)
	err = st.Update(func(tx *store.Tx) error {
		return tx.OpenException(&store.Exception{Parcel: broken, Order: "#JJD2", Kind: store.KindStalled, OpenedAt: t0})
	})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	deleteBucketKey(t, path, "exceptions", 1)
	if st, err = store.Open(path, store.Options{NoSync: true}); err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	f, clk, tr, logs := polling(t, st, t0.Add(2*time.Hour))
	f.set("JJD1", http.StatusOK, dhlBody(t, "JJD1", scan(time.Hour, "transit", "Picked up")))
	f.set("JJD2", http.StatusOK, dhlBody(t, "JJD2", scan(time.Hour, "failure", "Held by customs")))
	if n := poll(t, tr); n != 2 {
		t.Fatalf("polled %d, want 2", n)
	}
	if p := detail(t, st, good).Parcel; p.Status != store.StatusInTransit {
		t.Errorf("good parcel %s, want in_transit", p.Status)
	}
	p := detail(t, st, broken).Parcel
	if p.PollFailures != 1 || !strings.Contains(p.LastError, "result not stored") || !p.NextPollAt.After(clk.Now()) {
		t.Errorf("broken parcel: failures %d, error %q, next poll %v", p.PollFailures, p.LastError, p.NextPollAt)
	}
	if !strings.Contains(logs.String(), "poll result not written") {
		t.Errorf("the failure was not logged:\n%s", logs)
	}
}

// deleteBucketKey removes one record straight from the bbolt file, as
// damage would.
func deleteBucketKey(t *testing.T, path, bucket string, id uint64) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte(bucket)).Delete(binary.BigEndian.AppendUint64(nil, id))
	})
	if err != nil {
		t.Fatal(err)
	}
}
