package tracker

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/carriers/dhl"
	"github.com/wismo/wismo/store"
)

// t0 is the start of every hand-made journey.
var t0 = time.Date(2026, 3, 5, 8, 0, 0, 0, time.UTC)

// apiKey is the DHL key the tests' servers expect; it must never show up in
// a parcel's LastError or in the log.
const apiKey = "k3y-that-must-not-leak"

// clock is the tracker's time, moved by the test. The simulator's handler
// reads it from server goroutines, hence the lock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock(t time.Time) *clock { return &clock{t: t} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func (c *clock) Add(d time.Duration) { c.Set(c.Now().Add(d)) }

// openStore opens a real store file in a temporary directory.
func openStore(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "wismo.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// newTracker returns a tracker over st with the given feeds, reading time
// from clk and logging into the returned buffer. Each request is tried once
// and the breaker never opens, so a test sees every failure on its parcel;
// feed_test.go tests retries and the breaker.
func newTracker(st *store.Store, clk *clock, feeds ...carriers.Tracker) (*Tracker, *bytes.Buffer) {
	var buf bytes.Buffer
	cfg := DefaultConfig()
	cfg.Feed.Workers = 4
	cfg.Feed.Tries = 1
	cfg.Feed.BreakAfter = math.MaxInt32
	return New(st, feeds, clk.Now, cfg, slog.New(slog.NewTextHandler(&buf, nil))), &buf
}

// polling is the usual rig: a tracker over st asking a scripted DHL feed,
// its clock set to at, logging into the returned buffer.
func polling(t *testing.T, st *store.Store, at time.Time) (*dhlFeed, *clock, *Tracker, *bytes.Buffer) {
	f := newDHLFeed(t)
	clk := newClock(at)
	tr, logs := newTracker(st, clk, f.client())
	return f, clk, tr, logs
}

// addParcel stores an order with one pending DHL parcel, due at due.
func addParcel(t testing.TB, st *store.Store, tracking string, due time.Time) store.ParcelID {
	t.Helper()
	return addFeedParcel(t, st, dhl.Carrier, "", tracking, due)
}

// addFeedParcel stores an order with one pending parcel of a carrier,
// tracked by feed (empty: the carrier's own), due at due.
func addFeedParcel(t testing.TB, st *store.Store, carrier, feed, tracking string, due time.Time) store.ParcelID {
	t.Helper()
	return createParcel(t, st, store.Parcel{Carrier: carrier, Feed: feed, TrackingNumber: tracking, Order: "#" + tracking,
		Direction: store.Outbound, Status: store.StatusPending, NextPollAt: due})
}

// createParcel stores p and the order p.Order holding it alone.
func createParcel(t testing.TB, st *store.Store, p store.Parcel) store.ParcelID {
	t.Helper()
	err := st.Update(func(tx *store.Tx) error {
		if err := tx.CreateParcel(&p); err != nil {
			return err
		}
		return tx.PutOrder(store.Order{Number: p.Order, Parcels: []store.ParcelID{p.ID}})
	})
	if err != nil {
		t.Fatal(err)
	}
	return p.ID
}

// scan is a DHL wire event at t0+at, in Berlin, with a zoned timestamp.
func scan(at time.Duration, code, text string) dhl.Event {
	return dhl.Event{
		Timestamp:  t0.Add(at).Format(time.RFC3339),
		StatusCode: code,
		Status:     text,
		Location:   dhl.Place{Address: dhl.Address{AddressLocality: "Berlin", PostalCode: "10115", CountryCode: "DE"}},
	}
}

// dhlBody is a 200 answer for one shipment, history newest first as DHL
// sends it.
func dhlBody(t *testing.T, tracking string, events ...dhl.Event) string {
	t.Helper()
	s := dhl.Shipment{ID: dhl.ID(tracking), Service: "parcel-de"}
	for i := len(events) - 1; i >= 0; i-- {
		s.Events = append(s.Events, events[i])
	}
	b, err := json.Marshal(dhl.Response{Shipments: []dhl.Shipment{s}})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// normalize runs wire events through the real DHL parser.
func normalize(t *testing.T, events ...dhl.Event) []carriers.Event {
	t.Helper()
	shipments, err := dhl.Parse([]byte(dhlBody(t, "N", events...)))
	if err != nil {
		t.Fatal(err)
	}
	return shipments[0].Events
}

// ingest records each batch as one poll result in its own transaction.
func ingest(t *testing.T, tr *Tracker, id store.ParcelID, batches ...[]carriers.Event) {
	t.Helper()
	for _, batch := range batches {
		err := tr.store.Update(func(tx *store.Tx) error {
			return tr.apply(tx, pollResult{parcel: id, news: newsOf(carriers.Shipment{Events: batch})}, tr.now())
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// detail reads a parcel with its timeline and open exception.
func detail(t *testing.T, st *store.Store, id store.ParcelID) store.ParcelDetail {
	t.Helper()
	d, err := st.Parcel(id)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// allExceptions reads every exception ever opened, open or resolved.
func allExceptions(t *testing.T, st *store.Store) []store.Exception {
	t.Helper()
	var out []store.Exception
	err := st.View(func(tx *store.Tx) error {
		for id := store.ExceptionID(1); ; id++ {
			e, err := tx.Exception(id)
			if errors.Is(err, store.ErrNotFound) {
				return nil
			} else if err != nil {
				return err
			}
			out = append(out, e)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// dhlFeed is a DHL endpoint whose answer per tracking number the test sets;
// numbers without one get DHL's 404.
type dhlFeed struct {
	mu      sync.Mutex
	answers map[string]answer
	srv     *httptest.Server
}

type answer struct {
	code int
	body string
}

func newDHLFeed(t *testing.T) *dhlFeed {
	f := &dhlFeed{answers: map[string]answer{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *dhlFeed) set(tracking string, code int, body string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.answers[tracking] = answer{code, body}
}

func (f *dhlFeed) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	a, ok := f.answers[r.URL.Query().Get("trackingNumber")]
	f.mu.Unlock()
	if !ok {
		a = answer{http.StatusNotFound, `{"title": "No result found", "status": 404}`}
	}
	w.WriteHeader(a.code)
	fmt.Fprint(w, a.body)
}

// client is a real DHL client for the feed.
func (f *dhlFeed) client() *dhl.Client { return dhl.New(f.srv.URL, apiKey, f.srv.Client()) }

// commits reads the id of the store file's last committed transaction from
// its two bbolt meta pages, so a test can count commits exactly rather than
// through the change feed, which coalesces. Layout: a 16-byte page header,
// then magic, version, pageSize, flags (4 bytes each), root bucket (16),
// freelist (8), pgid (8), txid (8).
func commits(t *testing.T, st *store.Store) uint64 {
	t.Helper()
	f, err := os.Open(st.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var meta [72]byte
	txid := func(page int64) uint64 {
		if _, err := f.ReadAt(meta[:], page); err != nil {
			t.Fatal(err)
		}
		return binary.NativeEndian.Uint64(meta[64:])
	}
	first := txid(0)
	pageSize := int64(binary.NativeEndian.Uint32(meta[24:]))
	return max(first, txid(pageSize))
}

// signals counts the change signals pending on ch: 0 or 1, as they coalesce.
func signals(ch <-chan struct{}) int {
	select {
	case <-ch:
		return 1
	default:
		return 0
	}
}
