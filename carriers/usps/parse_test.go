package usps

import (
	"testing"
	"time"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/carriers/carrierstest"
)

// TestParseGolden pins the whole normalized output of each fixture; run
// with -update to rewrite testdata/TestParseGolden/*.golden after a
// deliberate change, and read the diff.
func TestParseGolden(t *testing.T) {
	carrierstest.GoldenEach(t, func(_ string, body []byte) (any, error) { return Parse(body) })
}

func TestParseDelivered(t *testing.T) {
	s := carrierstest.ParseOne(t, Parse, carrierstest.Fixture(t, "delivered.json"))
	if s.Ref != "204871163" || s.Service != "USPS Ground Advantage™" {
		t.Errorf("Ref, Service = %q, %q", s.Ref, s.Service)
	}
	first, last := s.Events[0], s.Events[len(s.Events)-1]
	if first.RawCode != "GX" || last.RawCode != "01" || last.Status != carriers.StatusDelivered {
		t.Errorf("events not oldest first: %s .. %s", first.RawCode, last.RawCode)
	}
	// GMT wins, seconds and all; the wall clock string is kept as sent.
	if got := last.Time.Format(time.RFC3339); got != "2024-11-26T19:22:37Z" || !last.TZKnown || last.LocalTime != "2024-11-26T14:22:00" {
		t.Errorf("delivered at %s known=%v local=%q", got, last.TZKnown, last.LocalTime)
	}
	var tl []carriers.Event
	for _, e := range s.Events {
		if e.RawCode == "TL" {
			tl = append(tl, e)
		}
	}
	if len(tl) != 3 || tl[0].LocalTime == tl[1].LocalTime || tl[1].LocalTime == tl[2].LocalTime {
		t.Errorf("repeated TL scans: got %d, want 3 distinct", len(tl))
	}
}

func TestParseTimeSources(t *testing.T) {
	tests := []struct {
		name    string
		event   TrackingEvent
		want    string
		tzKnown bool
	}{
		{"GMT wins over a disagreeing offset", TrackingEvent{EventTimestamp: "2024-11-22T13:58:00",
			GMTTimestamp: "2024-11-22T18:58:40Z", GMTOffset: Offset{Minutes: -240, Known: true}}, "2024-11-22T18:58:40Z", true},
		{"GMT with milliseconds", TrackingEvent{GMTTimestamp: "2024-04-04T14:03:12.041Z"}, "2024-04-04T14:03:12.041Z", true},
		{"zone-less GMT is UTC", TrackingEvent{GMTTimestamp: "2024-04-04T14:03:12"}, "2024-04-04T14:03:12Z", true},
		{"offset", TrackingEvent{EventTimestamp: "2024-07-12T06:12:00", GMTOffset: Offset{Minutes: -420, Known: true}},
			"2024-07-12T13:12:00Z", true},
		{"zero offset is known", TrackingEvent{EventTimestamp: "2024-07-12T06:12:00", GMTOffset: Offset{Known: true}},
			"2024-07-12T06:12:00Z", true},
		{"local with its own offset", TrackingEvent{EventTimestamp: "2024-07-12T06:12:00-07:00"}, "2024-07-12T13:12:00Z", true},
		{"event state", TrackingEvent{EventTimestamp: "2024-07-12T06:12:00", EventState: "CA"}, "2024-07-12T13:12:00Z", false},
		{"destination state", TrackingEvent{EventTimestamp: "2024-07-12T06:12:00"}, "2024-07-12T10:12:00Z", false},
		{"foreign country", TrackingEvent{EventTimestamp: "2024-07-12T06:12:00", EventCountry: "DE"}, "2024-07-12T04:12:00Z", false},
		{"unknown foreign country", TrackingEvent{EventTimestamp: "2024-07-12T06:12:00", EventCountry: "CHINA", EventState: "NY"},
			"2024-07-12T06:12:00Z", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.event.EventCode = "TL"
			d := TrackingDetails{TrackingNumber: "T1", DestinationState: "NY", OriginState: "CA",
				TrackingEvents: []TrackingEvent{tt.event}}
			ev := carrierstest.ParseOne(t, Parse, carrierstest.Marshal(t, d)).Events[0]
			if got := ev.Time.Format(time.RFC3339Nano); got != tt.want || ev.TZKnown != tt.tzKnown {
				t.Errorf("time = %s known=%v, want %s known=%v", got, ev.TZKnown, tt.want, tt.tzKnown)
			}
			if ev.LocalTime != tt.event.EventTimestamp {
				t.Errorf("LocalTime = %q, want eventTimestamp %q", ev.LocalTime, tt.event.EventTimestamp)
			}
		})
	}
}

func TestParseNoStateAnywhere(t *testing.T) {
	d := TrackingDetails{TrackingNumber: "T1", TrackingEvents: []TrackingEvent{{EventTimestamp: "2024-07-12T06:12:00", EventCode: "TL"}}}
	ev := carrierstest.ParseOne(t, Parse, carrierstest.Marshal(t, d)).Events[0]
	if got := ev.Time.Format(time.RFC3339); got != "2024-07-12T06:12:00Z" || ev.TZKnown {
		t.Errorf("time = %s known=%v, want the wall time as UTC, unknown", got, ev.TZKnown)
	}
}

func TestParseETA(t *testing.T) {
	tests := []struct {
		name string
		d    TrackingDetails
		want string
	}{
		{"expected, naive in destination", TrackingDetails{ExpectedDeliveryTimeStamp: "2024-07-12T21:00:00", DestinationState: "AZ"},
			"2024-07-13T04:00:00Z"},
		{"expected, zoned", TrackingDetails{ExpectedDeliveryTimeStamp: "2024-07-12T21:00:00Z"}, "2024-07-12T21:00:00Z"},
		{"expected wins", TrackingDetails{ExpectedDeliveryTimeStamp: "2024-07-12", PredictedDeliveryDate: "2024-07-14"},
			"2024-07-12T00:00:00Z"},
		{"guaranteed", TrackingDetails{GuaranteedDeliveryTimeStamp: "2024-07-13T12:00:00-04:00"}, "2024-07-13T16:00:00Z"},
		{"predicted date in destination", TrackingDetails{PredictedDeliveryDate: "2024-03-15", DestinationState: "WA"},
			"2024-03-15T07:00:00Z"},
		{"unreadable skipped", TrackingDetails{ExpectedDeliveryTimeStamp: "soon", PredictedDeliveryDate: "2024-03-15"},
			"2024-03-15T00:00:00Z"},
		{"none", TrackingDetails{ExpectedDeliveryTimeStamp: "by end of day"}, "0001-01-01T00:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.d.TrackingNumber = "T1"
			s := carrierstest.ParseOne(t, Parse, carrierstest.Marshal(t, tt.d))
			if got := s.EstimatedDelivery.Format(time.RFC3339); got != tt.want {
				t.Errorf("ETA = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestPlainText(t *testing.T) {
	tests := map[string]string{
		"USPS Ground Advantage<SUP>&#153;</SUP>":      "USPS Ground Advantage™",
		"Priority Mail<SUP>&#174;</SUP> ":             "Priority Mail®",
		"Priority Mail Express 1-Day<SUP>&reg;</SUP>": "Priority Mail Express 1-Day®",
		"First-Class Package Service &lt;1 lb&gt;":    "First-Class Package Service <1 lb>",
		"  Media   Mail  ":                            "Media Mail",
		"":                                            "",
	}
	for in, want := range tests {
		if got := plainText(in); got != want {
			t.Errorf("plainText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseTrimsText(t *testing.T) {
	s := carrierstest.ParseOne(t, Parse, carrierstest.Fixture(t, "offset_minutes.json"))
	ev := s.Events[len(s.Events)-1]
	if ev.RawText != "Out for Delivery" || ev.Location.City != "PHOENIX" {
		t.Errorf("text = %q, city = %q; want trailing spaces gone", ev.RawText, ev.Location.City)
	}
}

func TestParseErrors(t *testing.T) {
	delivered := carrierstest.Fixture(t, "delivered.json")
	tests := []struct {
		name, body, want string
	}{
		{"empty body", ``, "malformed response"},
		{"null", `null`, "no trackingNumber"},
		{"truncated", string(delivered[:len(delivered)/2]), "malformed response"},
		{"trailing garbage", `{"trackingNumber": "T1"} {}`, "malformed response"},
		{"array", `[{"trackingNumber": "T1"}]`, "malformed response"},
		{"no number", `{"trackingEvents": []}`, "no trackingNumber"},
		{"numeric event code", `{"trackingNumber": "T1", "trackingEvents": [
			{"eventTimestamp": "2024-01-01T10:00:00", "eventCode": 1}]}`, "malformed response"},
		{"event without time", `{"trackingNumber": "T1", "trackingEvents": [
			{"eventTimestamp": "2024-01-01T10:00:00", "eventCode": "TL"}, {"eventCode": "01"}]}`,
			"T1: event 1: no eventTimestamp or GMTTimestamp"},
		{"bad GMT", `{"trackingNumber": "T1", "trackingEvents": [
			{"eventTimestamp": "2024-01-01T10:00:00", "GMTTimestamp": "yesterday", "eventCode": "TL"}]}`,
			`GMTTimestamp: unparseable timestamp "yesterday"`},
		{"bad local", `{"trackingNumber": "T1", "trackingEvents": [{"eventTimestamp": "01/02/2024", "eventCode": "TL"}]}`,
			`eventTimestamp: unparseable timestamp "01/02/2024"`},
		{"bad offset", `{"trackingNumber": "T1", "trackingEvents": [{"GMTOffset": "EST"}]}`, "GMTOffset"},
		{"bad flag", `{"trackingNumber": "T1", "emailEnabled": "maybe"}`, "flag"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { carrierstest.ParseFails(t, Parse, "usps: ", tt.body, tt.want) })
	}
}

func TestParseNoEvents(t *testing.T) {
	s := carrierstest.ParseOne(t, Parse, []byte(`{"trackingNumber": " T1 ", "statusCategory": "Pre-Shipment"}`))
	if s.TrackingNumber != "T1" || s.Carrier != "usps" || len(s.Events) != 0 {
		t.Errorf("shipment = %+v", s)
	}
}
