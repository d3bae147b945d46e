package tracker

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/store"
)

// outcome is everything ingest derives that must not depend on the order
// events arrive in.
type outcome struct {
	Status                 store.Status
	Reason                 store.Reason
	StatusText             string
	StatusAt, LastEventAt  time.Time
	ShippedAt, DeliveredAt time.Time
	Timeline               []string
}

func outcomeOf(t *testing.T, st *store.Store, id store.ParcelID) outcome {
	t.Helper()
	d := detail(t, st, id)
	p := d.Parcel
	o := outcome{Status: p.Status, Reason: p.Reason, StatusText: p.StatusText, StatusAt: p.StatusAt,
		LastEventAt: p.LastEventAt, ShippedAt: p.ShippedAt, DeliveredAt: p.DeliveredAt}
	for _, e := range d.Events {
		o.Timeline = append(o.Timeline, fmt.Sprintf("%s %s %s %q", e.Time.Format(time.RFC3339), e.Status, e.RawCode, e.RawText))
	}
	return o
}

// journeys are event sets, in time order, each with its expected ending.
var journeys = []struct {
	name   string
	events func(t *testing.T) []carriers.Event
	status store.Status  // "" when a tie of equal rank leaves it to key order
	at     time.Duration // StatusAt
	last   time.Duration // LastEventAt
}{
	{"failed attempt then delivered", func(t *testing.T) []carriers.Event {
		return normalize(t,
			scan(0, "pre-transit", "The instruction data for this shipment have been provided"),
			scan(2*time.Hour, "transit", "The shipment has been picked up"),
			scan(5*time.Hour, "unknown", "Shipment data updated"),
			// Two scans at the same instant: the one further along wins.
			scan(20*time.Hour, "transit", "The shipment has been loaded onto the delivery vehicle"),
			scan(20*time.Hour, "transit", "The shipment has arrived at the delivery base"),
			scan(23*time.Hour, "failure", "Delivery attempt failed: the recipient was not at home"),
			scan(44*time.Hour, "transit", "The shipment has been loaded onto the delivery vehicle"),
			scan(47*time.Hour, "delivered", "The shipment has been successfully delivered"),
		)
	}, store.StatusDelivered, 47 * time.Hour, 47 * time.Hour},
	{"tie at the end: further along wins", func(t *testing.T) []carriers.Event {
		return normalize(t,
			scan(2*time.Hour, "transit", "The shipment has been picked up"),
			scan(20*time.Hour, "transit", "The shipment has arrived at the delivery base"),
			scan(20*time.Hour, "transit", "The shipment has been loaded onto the delivery vehicle"),
		)
	}, store.StatusOutForDelivery, 20 * time.Hour, 20 * time.Hour},
	{"tie of equal rank, newest scan unknown", func(t *testing.T) []carriers.Event {
		return normalize(t,
			scan(0, "pre-transit", "The instruction data for this shipment have been provided"),
			scan(3*time.Hour, "transit", "The shipment has been picked up"),
			// Same instant, same rank: the store's key order decides, which
			// is the same whatever order they arrive in.
			scan(30*time.Hour, "failure", "The shipment is being held by customs"),
			scan(30*time.Hour, "failure", "Delivery attempt failed: the recipient was not at home"),
			scan(31*time.Hour, "unknown", "Shipment data updated"),
		)
	}, "", 30 * time.Hour, 31 * time.Hour},
}

// arrivals deliver a journey's events as batches, one poll each.
var arrivals = []struct {
	name    string
	batches func(r *rand.Rand, evs []carriers.Event) [][]carriers.Event
}{
	{"in order", func(_ *rand.Rand, evs []carriers.Event) [][]carriers.Event { return [][]carriers.Event{evs} }},
	{"shuffled", func(r *rand.Rand, evs []carriers.Event) [][]carriers.Event {
		return [][]carriers.Event{shuffled(r, evs)}
	}},
	{"with duplicates", func(r *rand.Rand, evs []carriers.Event) [][]carriers.Event {
		return [][]carriers.Event{shuffled(r, append(slices.Clone(evs), evs...)), evs[:2]}
	}},
	{"reverse over several polls", func(_ *rand.Rand, evs []carriers.Event) [][]carriers.Event {
		rev := slices.Clone(evs)
		slices.Reverse(rev)
		return slices.Collect(slices.Chunk(rev, 2))
	}},
	{"one per poll, shuffled", func(r *rand.Rand, evs []carriers.Event) [][]carriers.Event {
		return slices.Collect(slices.Chunk(shuffled(r, evs), 1))
	}},
}

func shuffled(r *rand.Rand, evs []carriers.Event) []carriers.Event {
	out := slices.Clone(evs)
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func TestIngestIsOrderIndependent(t *testing.T) {
	for _, j := range journeys {
		t.Run(j.name, func(t *testing.T) {
			events := j.events(t)
			var want outcome
			for i, a := range arrivals {
				st := openStore(t)
				tr, _ := newTracker(st, newClock(t0.Add(60*time.Hour)))
				id := addParcel(t, st, "T1", t0)
				ingest(t, tr, id, a.batches(rand.New(rand.NewPCG(uint64(i), 7)), events)...)
				got := outcomeOf(t, st, id)
				if i == 0 {
					want = got
					checkEnding(t, got, j.status, j.at, j.last, len(events))
					continue
				}
				if diff := compare(got, want); diff != "" {
					t.Errorf("%s: %s differs from in-order arrival", a.name, diff)
				}
			}
		})
	}
}

// checkEnding checks the in-order result itself, so the other arrivals are
// compared with something right.
func checkEnding(t *testing.T, o outcome, status store.Status, at, last time.Duration, events int) {
	t.Helper()
	if status != "" && o.Status != status {
		t.Errorf("status = %s, want %s", o.Status, status)
	}
	if !o.StatusAt.Equal(t0.Add(at)) || !o.LastEventAt.Equal(t0.Add(last)) {
		t.Errorf("StatusAt %v LastEventAt %v, want t0+%v and t0+%v", o.StatusAt, o.LastEventAt, at, last)
	}
	if len(o.Timeline) != events {
		t.Errorf("timeline has %d events, want %d:\n%v", len(o.Timeline), events, o.Timeline)
	}
	// Each line starts with the event's RFC 3339 time, 20 characters.
	if !slices.IsSortedFunc(o.Timeline, func(a, b string) int { return cmp.Compare(a[:20], b[:20]) }) {
		t.Errorf("timeline not oldest first: %v", o.Timeline)
	}
}

// compare names the first field where got differs from want.
func compare(got, want outcome) string {
	switch {
	case got.Status != want.Status || got.Reason != want.Reason || got.StatusText != want.StatusText:
		return fmt.Sprintf("status %s/%s %q (want %s/%s %q)", got.Status, got.Reason, got.StatusText, want.Status, want.Reason, want.StatusText)
	case !got.StatusAt.Equal(want.StatusAt) || !got.LastEventAt.Equal(want.LastEventAt):
		return fmt.Sprintf("StatusAt %v LastEventAt %v (want %v %v)", got.StatusAt, got.LastEventAt, want.StatusAt, want.LastEventAt)
	case !got.ShippedAt.Equal(want.ShippedAt) || !got.DeliveredAt.Equal(want.DeliveredAt):
		return fmt.Sprintf("ShippedAt %v DeliveredAt %v (want %v %v)", got.ShippedAt, got.DeliveredAt, want.ShippedAt, want.DeliveredAt)
	case !slices.Equal(got.Timeline, want.Timeline):
		return fmt.Sprintf("timeline\n%v\n(want\n%v)", got.Timeline, want.Timeline)
	}
	return ""
}

func TestUnknownScanNeverChangesStatus(t *testing.T) {
	st := openStore(t)
	tr, _ := newTracker(st, newClock(t0.Add(10*time.Hour)))
	id := addParcel(t, st, "T1", t0)
	ingest(t, tr, id, normalize(t, scan(time.Hour, "transit", "The shipment has been picked up")))
	unknown := normalize(t, scan(3*time.Hour, "unknown", "Shipment data updated"))
	if unknown[0].Status != carriers.StatusUnknown {
		t.Fatalf("fixture maps to %s, want unknown", unknown[0].Status)
	}
	ingest(t, tr, id, unknown)

	p := detail(t, st, id).Parcel
	if p.Status != store.StatusInTransit || !p.StatusAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("status %s at %v, want in_transit at t0+1h", p.Status, p.StatusAt)
	}
	if !p.LastEventAt.Equal(t0.Add(3 * time.Hour)) {
		t.Errorf("LastEventAt = %v, want the unknown scan's t0+3h", p.LastEventAt)
	}
}

func TestLateOldEventsDoNotRegress(t *testing.T) {
	tests := []struct {
		name       string
		code, text string
		status     store.Status
	}{
		{"delivered", "delivered", "The shipment has been successfully delivered", store.StatusDelivered},
		{"returning", "failure", "The shipment is being returned to the sender", store.StatusReturning},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := openStore(t)
			tr, _ := newTracker(st, newClock(t0.Add(30*time.Hour)))
			id := addParcel(t, st, "T1", t0)
			at := 24 * time.Hour
			ingest(t, tr, id, normalize(t, scan(at, tt.code, tt.text)))
			before := detail(t, st, id).Parcel
			ingest(t, tr, id, normalize(t, scan(at-time.Hour, "transit", "The shipment has been processed in the parcel center")))

			d := detail(t, st, id)
			p := d.Parcel
			if p.Status != tt.status || !p.StatusAt.Equal(t0.Add(at)) || !p.LastEventAt.Equal(t0.Add(at)) {
				t.Errorf("after late event: %s at %v, last %v; want %s at t0+%v", p.Status, p.StatusAt, p.LastEventAt, tt.status, at)
			}
			if !p.DeliveredAt.Equal(before.DeliveredAt) || !p.NextPollAt.Equal(before.NextPollAt) {
				t.Errorf("DeliveredAt %v NextPollAt %v moved (were %v %v)", p.DeliveredAt, p.NextPollAt, before.DeliveredAt, before.NextPollAt)
			}
			if len(d.Events) != 2 || d.Events[0].RawCode != "transit" {
				t.Errorf("timeline = %+v, want the late event first", d.Events)
			}
		})
	}
}

// A carrier may read an event it reported before differently once the
// shipment's later state is known (EasyPost's last return scan becomes
// "returned" when the tracker is finalized): the stored event takes the new
// reading and the parcel's status follows.
func TestALaterReadingOfAnEventIsStored(t *testing.T) {
	st := openStore(t)
	id := addParcel(t, st, "EZ1", t0)
	tr, _ := newTracker(st, newClock(t0.Add(48*time.Hour)))
	moving := carriers.Event{Time: t0, LocalTime: "2026-11-02T09:00:00Z", RawCode: "in_transit",
		Status: carriers.StatusInTransit, Rule: "easypost/in_transit"}
	back := carriers.Event{Time: t0.Add(24 * time.Hour), LocalTime: "2026-11-03T09:00:00Z", RawCode: "return_to_sender",
		Status: carriers.StatusReturning, Rule: "easypost/return_to_sender"}
	ingest(t, tr, id, []carriers.Event{moving, back})
	if p := detail(t, st, id).Parcel; p.Status != store.StatusReturning {
		t.Fatalf("status %s, want returning", p.Status)
	}
	back.Status, back.Rule = carriers.StatusReturned, "easypost/return_to_sender+finalized"
	ingest(t, tr, id, []carriers.Event{moving, back})
	d := detail(t, st, id)
	if d.Parcel.Status != store.StatusReturned || !d.Parcel.NextPollAt.IsZero() || len(d.Events) != 2 ||
		d.Events[1].Rule != "easypost/return_to_sender+finalized" {
		t.Errorf("parcel %s (next poll %v) with %d events, last by %s; want returned, not polled again, the event revised in place",
			d.Parcel.Status, d.Parcel.NextPollAt, len(d.Events), d.Events[len(d.Events)-1].Rule)
	}
	// The same answer again changes nothing.
	ingest(t, tr, id, []carriers.Event{moving, back})
	if got := detail(t, st, id); got.Parcel.Status != store.StatusReturned || len(got.Events) != 2 {
		t.Errorf("repeat: %s with %d events", got.Parcel.Status, len(got.Events))
	}
}
