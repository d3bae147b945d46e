package bench

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/wismo/wismo/store"
)

// searchLimit is what the desk's search box asks for.
const searchLimit = 20

// queryKind makes a search an agent would type for order i, and says
// whether that order must be among the hits (a name prefix or a postcode
// is shared by many orders, so the cap may leave it out).
type queryKind struct {
	name string
	make func(d *dataset, i int, r *rand.Rand) string
	must bool
}

var queryKinds = []queryKind{
	{"order number", func(d *dataset, i int, _ *rand.Rand) string { return "#" + d.orderNumber(i) }, true},
	{"tracking number", func(d *dataset, i int, r *rand.Rand) string {
		j := int(d.firsts[i]) + r.IntN(int(d.firsts[i+1]-d.firsts[i]))
		return strings.ToLower(d.parcel(i, j).TrackingNumber)
	}, true},
	{"email", func(d *dataset, i int, _ *rand.Rand) string { return strings.ToUpper(d.order(i).Customer.Email) }, true},
	{"phone, last 8 digits", func(d *dataset, i int, _ *rand.Rand) string {
		p := d.order(i).Customer.Phone
		digits := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, p)
		return digits[len(digits)-8:]
	}, true},
	{"name prefix", func(d *dataset, i int, _ *rand.Rand) string {
		words := strings.Fields(d.order(i).Customer.Name)
		last := []rune(words[len(words)-1])
		return string(last[:min(3, len(last))])
	}, false},
	{"postcode", func(d *dataset, i int, _ *rand.Rand) string { return d.order(i).ShipTo.PostalCode }, false},
}

// searchLatency times searches of every kind for random orders and checks
// that each finds what it must.
func searchLatency(st *store.Store, d *dataset, in span, n int) ([]latency, error) {
	r := rand.New(rand.NewPCG(d.seed, 99))
	var out []latency
	for _, k := range queryKinds {
		samples := make([]time.Duration, n)
		for s := range samples {
			i := in.lo + r.IntN(in.hi-in.lo)
			q := k.make(d, i, r)
			t0 := time.Now()
			hits, err := st.Search(q, searchLimit)
			samples[s] = time.Since(t0)
			if err != nil {
				return nil, fmt.Errorf("search %q: %w", q, err)
			}
			if len(hits) == 0 || (k.must && !slices.ContainsFunc(hits, func(h store.SearchHit) bool {
				return h.Number == d.orderNumber(i)
			})) {
				return nil, fmt.Errorf("search %s %q did not find order %s", k.name, q, d.orderNumber(i))
			}
		}
		out = append(out, percentiles("search by "+k.name, samples))
	}
	return out, nil
}

// pageSize is a tall terminal's page of exceptions.
const pageSize = 40

// pageLatency times exceptions pages from random places in the list, under
// no filter and under the filters agents use most. It returns the number of
// unresolved exceptions too.
func pageLatency(st *store.Store, n int) ([]latency, int, error) {
	counts, err := st.ExceptionCounts()
	if err != nil {
		return nil, 0, err
	}
	total := 0
	for _, c := range counts {
		total += c
	}
	filters := []struct {
		name string
		f    store.ExceptionFilter
	}{
		{"all open", store.ExceptionFilter{}},
		{"kind attempt_failed", store.ExceptionFilter{Kinds: []store.ExceptionKind{store.KindAttemptFailed}}},
		{"carrier ups", store.ExceptionFilter{Carrier: "ups"}},
		{"kind customs_hold, carrier dhl", store.ExceptionFilter{Kinds: []store.ExceptionKind{store.KindCustomsHold}, Carrier: "dhl"}},
	}
	r := rand.New(rand.NewPCG(7, 7))
	var out []latency
	for _, f := range filters {
		cursors, err := allCursors(st, f.f)
		if err != nil {
			return nil, 0, err
		}
		if len(cursors) == 0 {
			continue
		}
		samples := make([]time.Duration, n)
		for s := range samples {
			from := cursors[r.IntN(len(cursors))]
			t0 := time.Now()
			_, err := st.ExceptionsAfter(f.f, from, pageSize)
			samples[s] = time.Since(t0)
			if err != nil {
				return nil, 0, err
			}
		}
		out = append(out, percentiles(fmt.Sprintf("exceptions page, %s (%d)", f.name, len(cursors)), samples))
	}
	return out, total, nil
}

// allCursors pages through a filter's whole list and keeps every row's
// cursor, so pages can be timed from anywhere in it.
func allCursors(st *store.Store, f store.ExceptionFilter) ([]store.Cursor, error) {
	var cursors []store.Cursor
	var from store.Cursor
	for {
		rows, err := st.ExceptionsAfter(f, from, 1000)
		if err != nil {
			return nil, err
		}
		if from != nil && len(rows) > 0 {
			rows = rows[1:] // the page starts at from itself
		}
		if len(rows) == 0 {
			return cursors, nil
		}
		for _, row := range rows {
			cursors = append(cursors, row.Cursor)
		}
		from = rows[len(rows)-1].Cursor
	}
}

// parcelLatency times opening random parcels with their timelines.
func parcelLatency(st *store.Store, d *dataset, in span, n int) (latency, error) {
	r := rand.New(rand.NewPCG(d.seed, 3))
	lo, hi := in.parcels(d)
	samples := make([]time.Duration, n)
	for s := range samples {
		id := store.ParcelID(1 + lo + r.IntN(hi-lo))
		t0 := time.Now()
		_, err := st.Parcel(id)
		samples[s] = time.Since(t0)
		if err != nil {
			return latency{}, fmt.Errorf("parcel %d: %w", id, err)
		}
	}
	return percentiles("parcel with its timeline", samples), nil
}

// openFirstPage times the store opened and the exceptions pane's first
// page with the header's counts, as the desk opens it: no page is read
// beyond what the page shows (the consistency check runs in the
// background; see checkBesideIngest).
func openFirstPage(path string) (time.Duration, error) {
	t0 := time.Now()
	st, err := store.Open(path, store.Options{})
	if err != nil {
		return 0, err
	}
	defer st.Close()
	if _, err := st.ExceptionsAfter(store.ExceptionFilter{}, nil, pageSize); err != nil {
		return 0, err
	}
	if _, err := st.ExceptionCounts(); err != nil {
		return 0, err
	}
	if _, err := st.CarrierExceptionCounts(); err != nil {
		return 0, err
	}
	return time.Since(t0), nil
}

// percentiles names the median and 99th percentile of samples.
func percentiles(name string, samples []time.Duration) latency {
	slices.Sort(samples)
	at := func(p float64) time.Duration { return samples[min(len(samples)-1, int(p*float64(len(samples))))] }
	return latency{name: name, p50: at(0.50), p99: at(0.99)}
}
