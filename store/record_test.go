package store

import (
	"reflect"
	"testing"
	"time"
)

// fullParcel sets every field a record keeps, times with and without
// nanoseconds.
func fullParcel() Parcel {
	at := time.Date(2026, 11, 3, 9, 30, 0, 0, time.UTC)
	return Parcel{
		ID: 7, Carrier: "dhl", TrackingNumber: "JD014600006281234567", Feed: "aftership", CarrierRef: "ref-1",
		RMA: "RMA-9", Order: "#1001", Service: "express", Direction: Inbound, Status: StatusAttemptFailed,
		Reason: ReasonAddressIssue, StatusText: "Adresse unbekannt — Empfänger nicht ermittelbar", StatusAt: at,
		PromisedBy: at.Add(48 * time.Hour), EstimatedDelivery: at.Add(72 * time.Hour),
		OriginalEstimate: at.Add(24 * time.Hour), SlippedAt: at.Add(time.Minute + 17*time.Nanosecond),
		ShippedAt: at.Add(-24 * time.Hour), DeliveredAt: time.Unix(0, 0).UTC(), LastEventAt: at,
		LastPolledAt: at.Add(123456789 * time.Nanosecond), NextPollAt: at.Add(6 * time.Hour),
		PollFailures: 3, LastError: "503 Service Unavailable", Exception: 42,
		ClearedAt: at.Add(-time.Hour), CreatedAt: at.Add(-48 * time.Hour), StallWatchAt: at.Add(-2 * time.Hour),
	}
}

// timelineCases are events whose carrier timestamps come in every shape a
// carrier writes, and some no layout remakes.
func timelineCases() []Event {
	at := time.Date(2026, 11, 2, 7, 5, 0, 0, time.UTC)
	return []Event{
		{Time: at, TZKnown: true, LocalTime: "2026-11-02T08:05:00+01:00", RawCode: "PU", RawText: "Picked up",
			Status: StatusInTransit, Rule: "dhl/PU", Location: Location{City: "Leipzig", Country: "DE"}, Source: SourcePoll},
		{Time: at.Add(time.Hour), LocalTime: "2026-11-02T08:05:00", RawCode: "AR", RawSubcode: "I/AR",
			RawText: "Arrived", Status: StatusInTransit, Rule: "ups/AR", Source: SourceWebhook,
			Location: Location{City: "Köln", Region: "NRW", PostalCode: "50667", Country: "DE"}},
		{Time: at.Add(2*time.Hour + 500*time.Millisecond), TZKnown: true, LocalTime: "2026-11-02T09:05:00.5Z",
			RawCode: "x", Status: StatusUnknown, Unmapped: true},
		{Time: at.Add(3 * time.Hour), TZKnown: true, LocalTime: "2026-11-02T15:50:00+05:45", RawCode: "AR",
			RawText: "Arrived", Status: StatusInTransit, Rule: "ups/AR"},
		{Time: at.Add(4 * time.Hour), LocalTime: "02.11.2026 12:05", RawCode: "OD", RawText: "Out for delivery",
			Status: StatusOutForDelivery, Reason: Reason("something new"), Source: Source("replay")},
		{Time: at.Add(4 * time.Hour), LocalTime: "", RawCode: "OD", RawText: "out for delivery, again",
			Status: Status("a status of a later build")},
		{Time: at.Add(5 * time.Hour), LocalTime: "2026-11-02 12:05:00", RawCode: "DL", RawText: "Delivered",
			Status: StatusDelivered},
	}
}

func TestRecordRoundTrip(t *testing.T) {
	p := fullParcel()
	events := timelineCases()
	for i := range events {
		events[i].Parcel = p.ID
	}
	got, timeline, err := decodeParcel(p.ID, encodeParcel(p, encodeTimeline(events)))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, p) {
		t.Errorf("parcel read back as\n%+v\nwant\n%+v", got, p)
	}
	back, err := decodeTimeline(p.ID, timeline)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, events) {
		t.Errorf("timeline read back as\n%+v\nwant\n%+v", back, events)
	}
	if got, _, err := decodeParcel(8, encodeParcel(Parcel{ID: 8}, nil)); err != nil || !reflect.DeepEqual(got, Parcel{ID: 8}) {
		t.Errorf("the zero parcel read back as %+v, %v", got, err)
	}
}

// A carrier's timestamp in a common layout is kept as a layout and an
// offset, not as text, and still reads back to the byte.
func TestLocalTimeKeptAsLayout(t *testing.T) {
	for _, e := range timelineCases() {
		_, _, ok := localForm(e)
		want := e.LocalTime != "" && e.LocalTime != "02.11.2026 12:05"
		if ok != want {
			t.Errorf("%q: kept as a layout = %v, want %v", e.LocalTime, ok, want)
		}
	}
}

// The timeline of a journey costs a few dozen bytes a scan, its strings
// once, where a map of named fields cost two hundred.
func TestTimelineIsCompact(t *testing.T) {
	var events []Event
	at := time.Date(2026, 11, 2, 7, 5, 0, 0, time.UTC)
	for i := range 10 {
		at = at.Add(time.Duration(3+i) * time.Hour)
		events = append(events, Event{Time: at, TZKnown: true, LocalTime: at.Format(time.RFC3339),
			RawCode: "transit", RawText: "Processed at hub", Status: StatusInTransit, Rule: "bench/transit",
			Location: Location{City: []string{"Leipzig", "Köln"}[i%2], Country: "DE"}, Source: SourcePoll})
	}
	if n := len(encodeTimeline(events)); n > 450 {
		t.Errorf("ten scans of one journey take %d bytes, want at most 450", n)
	}
}

// Whatever bytes a damaged page hands it, decoding fails with an error
// and never panics.
func FuzzDecodeParcel(f *testing.F) {
	events := timelineCases()
	f.Add(encodeParcel(fullParcel(), encodeTimeline(events)))
	f.Add(encodeTimeline(events))
	f.Add([]byte{recordMark, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		p, timeline, err := decodeParcel(1, b)
		if err == nil {
			decodeTimeline(p.ID, timeline)
		}
		decodeTimeline(1, b)
	})
}

// Any event reads back as it was stored.
func FuzzTimelineRoundTrip(f *testing.F) {
	f.Add("2026-11-02T08:05:00+01:00", int64(1793600700), "PU", "Picked up", "Leipzig")
	f.Add("2026-11-02T08:05:00", int64(-3600), "", "", "")
	f.Add("", int64(0), "\x00", "ü", "\xff")
	f.Fuzz(func(t *testing.T, local string, unix int64, code, text, city string) {
		e := Event{Parcel: 1, Time: time.Unix(unix%(1<<40), unix%1e9).UTC(), LocalTime: local,
			RawCode: code, RawText: text, Location: Location{City: city}, Status: Status(text)}
		back, err := decodeTimeline(1, encodeTimeline([]Event{e, e}))
		if err != nil {
			t.Fatal(err)
		}
		if len(back) != 2 || !reflect.DeepEqual(back[1], e) {
			t.Errorf("read back as %+v, want %+v", back, e)
		}
	})
}
