package aftership

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/carriers/carrierstest"
)

// deliver parses a body that must hold one shipment.
func deliver(t *testing.T, body []byte) carriers.Shipment {
	t.Helper()
	d, err := Webhook{}.Parse(body)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(d.Shipments) != 1 {
		t.Fatalf("got %d shipments, want 1", len(d.Shipments))
	}
	return d.Shipments[0]
}

// update wraps msg in a tracking_update payload.
func update(t *testing.T, msg Tracking) []byte {
	return carrierstest.Marshal(t, Payload{Event: "tracking_update", EventID: "ev-1", TS: 1712770210, Msg: msg})
}

// TestGolden pins the normalized Delivery of every fixture. Regenerate with
// go test -run TestGolden -update, then read the diff.
func TestGolden(t *testing.T) {
	carrierstest.GoldenEach(t, func(_ string, body []byte) (any, error) { return Webhook{}.Parse(body) })
}

// TestParseTimes: a checkpoint_time with an offset is exact; one without
// is Los Angeles wall time (PDT in April), marked as a guess.
func TestParseTimes(t *testing.T) {
	s := deliver(t, carrierstest.Fixture(t, "skeleton_exception.json"))
	want := []struct {
		utc   string
		known bool
	}{
		{"2024-04-08T21:40:00Z", false},
		{"2024-04-09T10:52:00Z", false},
		{"2024-04-10T17:22:00Z", true},
	}
	for i, w := range want {
		e := s.Events[i]
		if e.Time.Format(time.RFC3339) != w.utc || e.TZKnown != w.known {
			t.Errorf("event %d (%s) = %s known=%v, want %s known=%v", i, e.LocalTime, e.Time.Format(time.RFC3339), e.TZKnown, w.utc, w.known)
		}
	}
	if want := time.Date(2024, 4, 11, 0, 0, 0, 0, time.UTC); !s.EstimatedDelivery.Equal(want) {
		t.Errorf("ETA = %v, want the day %v", s.EstimatedDelivery, want)
	}
}

func TestParseTimeWithoutPlace(t *testing.T) {
	msg := Tracking{TrackingNumber: "N1", Slug: "usps", Checkpoints: []Checkpoint{
		{CheckpointTime: "2024-04-09T03:52:00", Tag: "InTransit"},
		{CheckpointTime: "2024-04-09T03:52:00", Tag: "InTransit", CountryISO3: "USA"},
	}}
	for i, e := range deliver(t, update(t, msg)).Events {
		if e.Time.Format(time.RFC3339) != "2024-04-09T03:52:00Z" || e.TZKnown {
			t.Errorf("event %d = %s known=%v, want UTC, unknown zone", i, e.Time, e.TZKnown)
		}
	}
}

func TestETA(t *testing.T) {
	tests := []struct {
		name string
		msg  Tracking
		want string
	}{
		{"latest wins", Tracking{ExpectedDelivery: "2024-06-01", LatestEstimatedDelivery: &EstimatedDelivery{Datetime: "2024-06-03"}}, "2024-06-03T00:00:00Z"},
		{"range end", Tracking{LatestEstimatedDelivery: &EstimatedDelivery{DatetimeMin: "2024-06-02", DatetimeMax: "2024-06-04"}}, "2024-06-04T00:00:00Z"},
		{"offset", Tracking{ExpectedDelivery: "2024-06-03T18:00:00+02:00"}, "2024-06-03T16:00:00Z"},
		{"naive in destination", Tracking{ExpectedDelivery: "2024-06-03T18:00:00", DestinationCountryRegion: "DEU"}, "2024-06-03T16:00:00Z"},
		{"unreadable", Tracking{ExpectedDelivery: "soon"}, "0001-01-01T00:00:00Z"},
		{"none", Tracking{}, "0001-01-01T00:00:00Z"},
	}
	for _, tt := range tests {
		tt.msg.TrackingNumber = "N1"
		if got := deliver(t, update(t, tt.msg)).EstimatedDelivery.Format(time.RFC3339); got != tt.want {
			t.Errorf("%s: ETA = %s, want %s", tt.name, got, tt.want)
		}
	}
}

// TestRevisedETA: a later update carries the revised latest estimate; the
// first estimate is history and does not count.
func TestRevisedETA(t *testing.T) {
	msg := Tracking{TrackingNumber: "N1", FirstEstimatedDelivery: &EstimatedDelivery{Datetime: "2024-06-03"},
		LatestEstimatedDelivery: &EstimatedDelivery{Datetime: "2024-06-05", ReviseReason: "weather"}}
	if got := deliver(t, update(t, msg)).EstimatedDelivery; !got.Equal(time.Date(2024, 6, 5, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("ETA = %v, want the revised 5 June", got)
	}
}

// TestRecycledNumber: one tracking number, two AfterShip trackings, two
// shipments told apart by Ref.
func TestRecycledNumber(t *testing.T) {
	cp := []Checkpoint{{CheckpointTime: "2024-01-01T10:00:00Z", Tag: "Delivered"}}
	a := deliver(t, update(t, Tracking{ID: "old", TrackingNumber: "RR1", Slug: "usps", Checkpoints: cp}))
	b := deliver(t, update(t, Tracking{ID: "new", TrackingNumber: "RR1", Slug: "usps", Checkpoints: cp}))
	if a.TrackingNumber != b.TrackingNumber || a.Ref == b.Ref || b.Ref != "new" {
		t.Errorf("refs %q, %q for %q: want two refs for one number", a.Ref, b.Ref, a.TrackingNumber)
	}
}

// TestDuplicateDelivery: AfterShip delivers at least once; a retry of the
// same event gives the same Delivery, and a checkpoint resent in a later
// event fingerprints the same.
func TestDuplicateDelivery(t *testing.T) {
	body := carrierstest.Fixture(t, "skeleton_exception.json")
	first, err1 := Webhook{}.Parse(body)
	again, err2 := Webhook{}.Parse(body)
	if err1 != nil || err2 != nil || !reflect.DeepEqual(first, again) || first.ID != "3f6c2d9e-8a41-4b7e-9c15-2e7d0a6b4f11" {
		t.Fatalf("two parses differ or fail: %v, %v", err1, err2)
	}
	var p Payload
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatal(err)
	}
	p.EventID, p.Msg.Checkpoints = "later", p.Msg.Checkpoints[:2]
	later := deliver(t, carrierstest.Marshal(t, p))
	if !reflect.DeepEqual(later.Events[1], first.Shipments[0].Events[1]) {
		t.Error("a resent checkpoint reads differently")
	}
}

func TestNotATrackingUpdate(t *testing.T) {
	for _, body := range []string{
		string(carrierstest.Fixture(t, "pending_time.json")),
		`{"event": "edd_revise", "event_id": "e1", "msg": {"tracking_number": "N1"}}`,
		`{"event": "something_new", "event_id": "e2", "msg": "not a tracking"}`,
	} {
		d, err := Webhook{}.Parse([]byte(body))
		if err != nil || d.Shipments != nil || d.ID == "" {
			t.Errorf("Parse(%.50s) = %+v, %v; want its id, no shipments, no error", body, d, err)
		}
	}
}

func TestCarrierName(t *testing.T) {
	for in, want := range map[string]string{
		"usps": "usps", "ups": "ups", "ups-mi": "ups", "fedex": "fedex", "FedEx-UK": "fedex",
		"dhl": "dhl", "dhl-germany": "dhl", "dhl-global-mail": "dhl", "upsilon-post": "upsilon-post",
		"royal-mail": "royal-mail", "": "aftership",
	} {
		if got := carrierName(in); got != want {
			t.Errorf("carrierName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, body, want string }{
		{"empty", ``, "malformed webhook"},
		{"truncated", `{"event": "tracking_update", "msg": {`, "malformed webhook"},
		{"msg not an object", `{"event": "tracking_update", "event_id": "e1", "msg": []}`, "event e1: malformed msg"},
		{"no msg", `{"event": "tracking_update", "event_id": "e1"}`, "event e1: malformed msg"},
		{"no number", `{"event": "tracking_update", "event_id": "e1", "msg": {"slug": "usps"}}`, "msg without tracking_number"},
		{"no time", `{"event": "tracking_update", "event_id": "e1", "msg": {"tracking_number": "N1",
			"checkpoints": [{"tag": "InTransit"}]}}`, "tracking N1: checkpoint 0: missing checkpoint_time"},
		{"bad time", `{"event": "tracking_update", "event_id": "e1", "msg": {"tracking_number": "N1",
			"checkpoints": [{"tag": "InTransit", "checkpoint_time": "09/04/2024"}]}}`, `unparseable timestamp "09/04/2024"`},
		{"no tag", `{"event": "tracking_update", "event_id": "e1", "msg": {"tracking_number": "N1",
			"checkpoints": [{"checkpoint_time": "2024-04-09T03:52:00"}]}}`, "checkpoint 0: missing tag"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { carrierstest.ParseFails(t, Parse, "aftership: ", tt.body, tt.want) })
	}
}

// TestWireRoundTrip checks the simulator's path: every fixture decodes into
// Payload and encodes back to a body that normalizes identically.
func TestWireRoundTrip(t *testing.T) {
	carrierstest.RoundTrip[Payload](t, func(body []byte) (any, error) { return Webhook{}.Parse(body) })
}
