package easypost

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/wismo/wismo/carriers/carrierstest"
)

// TestGolden pins the normalized output of every fixture: event_*.json
// through Webhook.Parse, tracker_*.json through Parse. Regenerate with
// go test -run TestGolden -update, then read the diff.
func TestGolden(t *testing.T) {
	carrierstest.GoldenEach(t, func(name string, body []byte) (any, error) {
		if strings.HasPrefix(name, "event_") {
			return Webhook{}.Parse(body)
		}
		return Parse(body)
	})
}

// TestParseSortsAndKeepsZones: EasyPost lists scans oldest first by local
// wall clock; an offset and a Z scan cross, and the sort puts them in
// instant order. Offsets are exact; the naive Denver scan is resolved in
// Denver (MST from 3 November) with TZKnown=false.
func TestParseSortsAndKeepsZones(t *testing.T) {
	s := carrierstest.ParseOne(t, Parse, carrierstest.Fixture(t, "tracker_local_times.json"))
	want := []struct {
		local, utc string
		known      bool
	}{
		{"2024-11-01T12:00:00Z", "2024-11-01T12:00:00Z", true},
		{"2024-11-03T04:20:00Z", "2024-11-03T04:20:00Z", true},
		{"2024-11-02T21:40:00-07:00", "2024-11-03T04:40:00Z", true},
		{"2024-11-03T04:55:00Z", "2024-11-03T04:55:00Z", true},
		{"2024-11-03T23:10:00", "2024-11-04T06:10:00Z", false},
		{"2024-11-04T07:02:00-07:00", "2024-11-04T14:02:00Z", true},
	}
	if len(s.Events) != len(want) {
		t.Fatalf("got %d events, want %d", len(s.Events), len(want))
	}
	for i, w := range want {
		e := s.Events[i]
		if e.LocalTime != w.local || e.Time.Format(time.RFC3339) != w.utc || e.TZKnown != w.known {
			t.Errorf("event %d = (%s, %s, %v), want (%s, %s, %v)", i, e.LocalTime, e.Time.Format(time.RFC3339), e.TZKnown, w.local, w.utc, w.known)
		}
	}
}

func TestParseNaiveWithoutPlaceIsUTC(t *testing.T) {
	tr := Tracker{ID: "trk_1", TrackingCode: "C1", Carrier: "USPS", TrackingDetails: []TrackingDetail{
		{Status: "in_transit", Datetime: "2024-05-01T10:00:00", TrackingLocation: TrackingLocation{Country: "US"}},
	}}
	e := carrierstest.ParseOne(t, Parse, carrierstest.Marshal(t, tr)).Events[0]
	if e.Time.Format(time.RFC3339) != "2024-05-01T10:00:00Z" || e.TZKnown {
		t.Errorf("time = %s known=%v, want UTC and unknown zone: a US scan without a state pins no zone", e.Time, e.TZKnown)
	}
}

// TestParseRecycledCode: EasyPost recycles tracking codes, so two trackers
// with one code are two shipments told apart by Ref.
func TestParseRecycledCode(t *testing.T) {
	detail := []TrackingDetail{{Status: "delivered", Datetime: "2023-01-05T10:00:00Z"}}
	old := carrierstest.ParseOne(t, Parse, carrierstest.Marshal(t, Tracker{ID: "trk_old", TrackingCode: "9400100000000000000001", Carrier: "USPS", TrackingDetails: detail}))
	detail = []TrackingDetail{{Status: "pre_transit", Datetime: "2024-03-05T10:00:00Z"}}
	cur := carrierstest.ParseOne(t, Parse, carrierstest.Marshal(t, Tracker{ID: "trk_new", TrackingCode: "9400100000000000000001", Carrier: "USPS", TrackingDetails: detail}))
	if old.TrackingNumber != cur.TrackingNumber || old.Ref == cur.Ref || cur.Ref != "trk_new" {
		t.Errorf("refs = %q, %q for %q, %q; want one number, two refs", old.Ref, cur.Ref, old.TrackingNumber, cur.TrackingNumber)
	}
}

func TestCarrierName(t *testing.T) {
	for in, want := range map[string]string{
		"USPS": "usps", "UPS": "ups", "UPSDAP": "ups", "FedEx": "fedex", "FedExDefault": "fedex",
		"FedExSmartPost": "fedex", "DHLExpress": "dhl", "DHLEcommerceSolutions": "dhl",
		"CanadaPost": "canadapost", "Royal Mail": "royalmail", " ": "easypost", "": "easypost",
	} {
		if got := carrierName(in); got != want {
			t.Errorf("carrierName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, body, want string }{
		{"empty", ``, "malformed tracker"},
		{"truncated", `{"id": "trk_1", "tracking_details": [`, "malformed tracker"},
		{"wrong type", `{"id": "trk_1", "tracking_details": "none"}`, "malformed tracker"},
		{"no id", `{"tracking_code": "C1"}`, "tracker without id"},
		{"no code", `{"id": "trk_1"}`, "tracker trk_1: missing tracking_code"},
		{"detail without time", `{"id": "trk_1", "tracking_code": "C1", "tracking_details": [
			{"status": "in_transit", "datetime": "2024-01-01T00:00:00Z"}, {"status": "in_transit"}]}`,
			"tracker trk_1: tracking_details[1]: missing datetime"},
		{"detail without status", `{"id": "trk_1", "tracking_code": "C1", "tracking_details": [
			{"datetime": "2024-01-01T00:00:00Z"}]}`, "tracking_details[0]: missing status"},
		{"bad time", `{"id": "trk_1", "tracking_code": "C1", "tracking_details": [
			{"status": "in_transit", "datetime": "Tuesday"}]}`, `unparseable timestamp "Tuesday"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { carrierstest.ParseFails(t, Parse, "easypost: ", tt.body, tt.want) })
	}
}

// TestWireRoundTrip checks the simulator's path: every fixture decodes into
// the wire types and encodes back to a body that normalizes identically.
func TestWireRoundTrip(t *testing.T) {
	for _, name := range []string{"tracker_local_times.json", "tracker_returned.json", "tracker_unknown_codes.json"} {
		var tr Tracker
		if err := json.Unmarshal(carrierstest.Fixture(t, name), &tr); err != nil {
			t.Fatal(err)
		}
		direct, again := carrierstest.ParseOne(t, Parse, carrierstest.Fixture(t, name)), carrierstest.ParseOne(t, Parse, carrierstest.Marshal(t, tr))
		if string(carrierstest.Marshal(t, direct)) != string(carrierstest.Marshal(t, again)) {
			t.Errorf("%s: re-encoded tracker normalizes differently", name)
		}
	}
	var ev Event
	if err := json.Unmarshal(carrierstest.Fixture(t, "event_updated.json"), &ev); err != nil {
		t.Fatal(err)
	}
	direct, err1 := Webhook{}.Parse(carrierstest.Fixture(t, "event_updated.json"))
	again, err2 := Webhook{}.Parse(carrierstest.Marshal(t, ev))
	if err1 != nil || err2 != nil || string(carrierstest.Marshal(t, direct)) != string(carrierstest.Marshal(t, again)) {
		t.Errorf("re-encoded event normalizes differently: %v, %v", err1, err2)
	}
}
