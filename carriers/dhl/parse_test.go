package dhl

import (
	"testing"
	"time"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/carriers/carrierstest"
)

// TestParseGolden pins the whole normalized output of each fixture against
// testdata/TestParseGolden/<fixture>.golden; regenerate with
// go test ./carriers/dhl -update and read the diff.
func TestParseGolden(t *testing.T) {
	carrierstest.GoldenEach(t, func(_ string, body []byte) (any, error) { return Parse(body) })
}

// wantEvent is what a test checks of one normalized event.
type wantEvent struct {
	local   string
	utc     string
	tzKnown bool
	status  carriers.Status
	rule    string
}

func checkEvents(t *testing.T, got []carriers.Event, want []wantEvent) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d events, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.LocalTime != w.local || g.Time.Format(time.RFC3339Nano) != w.utc || g.TZKnown != w.tzKnown {
			t.Errorf("event %d time = (%q, %s, known=%v), want (%q, %s, known=%v)",
				i, g.LocalTime, g.Time.Format(time.RFC3339Nano), g.TZKnown, w.local, w.utc, w.tzKnown)
		}
		if g.Status != w.status || g.Rule != w.rule {
			t.Errorf("event %d = %s by %s, want %s by %s", i, g.Status, g.Rule, w.status, w.rule)
		}
	}
}

func TestParseSkeleton(t *testing.T) {
	s := carrierstest.ParseOne(t, Parse, carrierstest.Fixture(t, "skeleton.json"))
	if s.Carrier != "dhl" || s.TrackingNumber != "00340434161234567890" || s.Service != "parcel-de" {
		t.Errorf("shipment = %q %q %q", s.Carrier, s.TrackingNumber, s.Service)
	}
	if want := time.Date(2024, 3, 5, 18, 0, 0, 0, time.UTC); !s.EstimatedDelivery.Equal(want) {
		t.Errorf("ETA = %v, want %v", s.EstimatedDelivery, want)
	}
	// Sent newest first as Berlin wall time (CET, UTC+1); the label event
	// has no location, so the destination (DE) decides its zone.
	checkEvents(t, s.Events, []wantEvent{
		{"2024-03-04T09:01:02", "2024-03-04T08:01:02Z", false, carriers.StatusInfoReceived, "dhl/pre-transit"},
		{"2024-03-04T18:40:11", "2024-03-04T17:40:11Z", false, carriers.StatusInTransit, "dhl/transit"},
		{"2024-03-05T10:12:00", "2024-03-05T09:12:00Z", false, carriers.StatusOutForDelivery, "dhl/transit+out-for-delivery"},
	})
	processed := s.Events[1]
	if processed.RawCode != "transit" || processed.RawText != "PROCESSED" {
		t.Errorf("raw = %q %q, want transit PROCESSED", processed.RawCode, processed.RawText)
	}
	want := carriers.Location{City: "Bonn", PostalCode: "53113", Country: "DE"}
	if processed.Location != want {
		t.Errorf("location = %+v, want %+v", processed.Location, want)
	}
}

func TestParseNumericID(t *testing.T) {
	s := carrierstest.ParseOne(t, Parse, carrierstest.Fixture(t, "numeric_id.json"))
	if s.TrackingNumber != "7777777770" {
		t.Errorf("TrackingNumber = %q, want 7777777770", s.TrackingNumber)
	}
	// The naive event is the status's "…07:53:47Z" in Amsterdam winter time.
	checkEvents(t, s.Events, []wantEvent{
		{"2024-02-12T08:53:47", "2024-02-12T07:53:47Z", false, carriers.StatusInTransit, "dhl/transit"},
	})
}

func TestParseMixedTimes(t *testing.T) {
	s := carrierstest.ParseOne(t, Parse, carrierstest.Fixture(t, "mixed_times.json"))
	// Amsterdam is UTC+2 in July; Z and offsets are exact.
	checkEvents(t, s.Events, []wantEvent{
		{"2024-07-01T09:00:00", "2024-07-01T07:00:00Z", false, carriers.StatusInfoReceived, "dhl/pre-transit"},
		{"2024-07-01T16:00:00.5", "2024-07-01T14:00:00.5Z", false, carriers.StatusInTransit, "dhl/transit"},
		{"2024-07-01T22:05:09Z", "2024-07-01T22:05:09Z", true, carriers.StatusInTransit, "dhl/transit"},
		{"2024-07-02T07:15:00.250+02:00", "2024-07-02T05:15:00.25Z", true, carriers.StatusOutForDelivery, "dhl/transit+out-for-delivery"},
		{"2024-07-02T11:30:00", "2024-07-02T09:30:00Z", false, carriers.StatusDelivered, "dhl/delivered"},
	})
}

func TestParseStatusOnly(t *testing.T) {
	s := carrierstest.ParseOne(t, Parse, carrierstest.Fixture(t, "status_only.json"))
	checkEvents(t, s.Events, []wantEvent{
		{"2024-03-06T14:20:00", "2024-03-06T13:20:00Z", false, carriers.StatusAvailableForPickup, "dhl/transit+service-point"},
	})
	if !s.EstimatedDelivery.IsZero() {
		t.Errorf("ETA = %v, want zero when absent", s.EstimatedDelivery)
	}
}

func TestParseUnknownCodes(t *testing.T) {
	s := carrierstest.ParseOne(t, Parse, carrierstest.Fixture(t, "unknown_codes.json"))
	// US events keep UTC: the US has several zones and the shipment's
	// destination (GB) would be a known-wrong guess. Events without a
	// location use the destination, London (GMT in January).
	checkEvents(t, s.Events, []wantEvent{
		{"2024-01-20T10:21:25", "2024-01-20T10:21:25Z", false, carriers.StatusInfoReceived, "dhl/unknown+label-created"},
		{"2024-01-22T10:00:00", "2024-01-22T10:00:00Z", false, carriers.StatusUnknown, "dhl/unknown"},
		{"2024-01-23T08:50:36", "2024-01-23T08:50:36Z", false, carriers.StatusInTransit, "dhl/unknown+sack"},
		{"2024-01-23T08:52:15", "2024-01-23T08:52:15Z", false, carriers.StatusInTransit, "dhl/unknown+sack"},
		{"2024-01-25T03:00:00", "2024-01-25T03:00:00Z", false, carriers.StatusUnknown, "dhl/unrecognized-code"},
		{"2024-01-29T16:02:00", "2024-01-29T16:02:00Z", false, carriers.StatusInTransit, "dhl/transit+customs"},
	})
	for i, e := range s.Events {
		// DHL's own "unknown" is a code it documents; only a code outside
		// the five is unmapped.
		if want := i == 4; e.Unmapped != want {
			t.Errorf("event %d (%s) unmapped = %v, want %v", i, e.RawCode, e.Unmapped, want)
		}
	}
	if got := s.Events[5].Location.Country; got != "GB" {
		t.Errorf("country = %q, want UK normalized to GB", got)
	}
}

// TestZoneFallbacks checks the order for an event with no country: event,
// destination, origin, service, UTC. June: Berlin, Amsterdam and Warsaw are
// UTC+2, London UTC+1.
func TestZoneFallbacks(t *testing.T) {
	tests := []struct {
		name                string
		event, dest, origin string
		service, wantUTC    string
	}{
		{"event country wins", "GB", "DE", "DE", "parcel-de", "2024-06-01T11:00:00Z"},
		{"event UK spelling", "uk", "", "", "", "2024-06-01T11:00:00Z"},
		{"destination", "", "NL", "GB", "parcel-uk", "2024-06-01T10:00:00Z"},
		{"multi-zone destination skipped", "", "US", "DE", "", "2024-06-01T10:00:00Z"},
		{"service home", "", "", "", "parcel-pl", "2024-06-01T10:00:00Z"},
		{"nothing known", "", "", "", "express", "2024-06-01T12:00:00Z"},
		{"multi-zone event country", "US", "DE", "DE", "parcel-de", "2024-06-01T12:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sh := Shipment{ID: "Z1", Service: tt.service,
				Destination: Place{Address: Address{CountryCode: tt.dest}},
				Origin:      Place{Address: Address{CountryCode: tt.origin}},
				Events: []Event{{Timestamp: "2024-06-01T12:00:00", StatusCode: "transit",
					Location: Place{Address: Address{CountryCode: tt.event}}}}}
			ev := carrierstest.ParseOne(t, Parse, carrierstest.Marshal(t, Response{Shipments: []Shipment{sh}})).Events[0]
			if got := ev.Time.Format(time.RFC3339); got != tt.wantUTC || ev.TZKnown {
				t.Errorf("time = %s known=%v, want %s known=false", got, ev.TZKnown, tt.wantUTC)
			}
		})
	}
}

func TestParseETA(t *testing.T) {
	tests := map[string]string{
		"2024-03-05T18:00:00+01:00": "2024-03-05T17:00:00Z",
		"2024-03-05T18:00:00":       "2024-03-05T17:00:00Z", // naive: destination DE
		"by end of day":             "0001-01-01T00:00:00Z",
	}
	for eta, want := range tests {
		sh := Shipment{ID: "E1", EstimatedTimeOfDelivery: eta,
			Destination: Place{Address: Address{CountryCode: "DE"}}}
		s := carrierstest.ParseOne(t, Parse, carrierstest.Marshal(t, Response{Shipments: []Shipment{sh}}))
		if got := s.EstimatedDelivery.Format(time.RFC3339); got != want {
			t.Errorf("ETA %q = %s, want %s", eta, got, want)
		}
	}
}

func TestParseEmpty(t *testing.T) {
	for _, body := range []string{`{}`, `{"shipments": []}`, `null`} {
		shipments, err := Parse([]byte(body))
		if err != nil || len(shipments) != 0 {
			t.Errorf("Parse(%s) = %v, %v; want no shipments, no error", body, shipments, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	skeleton := carrierstest.Fixture(t, "skeleton.json")
	tests := []struct {
		name, body, want string
	}{
		{"empty body", ``, "malformed response"},
		{"malformed", `{"shipments": [`, "malformed response"},
		{"truncated", string(skeleton[:len(skeleton)/2]), "malformed response"},
		{"trailing garbage", `{"shipments": []} {}`, "malformed response"},
		{"wrong type", `{"shipments": "none"}`, "malformed response"},
		{"missing id", `{"shipments": [{"service": "express"}]}`, "shipment 0: missing id"},
		{"fractional id", `{"shipments": [{"id": 12.5}]}`, "not a whole digit string"},
		{"event without timestamp", `{"shipments": [{"id": "A1", "events": [
			{"timestamp": "2024-03-05T10:12:00", "statusCode": "transit"},
			{"statusCode": "transit", "status": "PROCESSED"}]}]}`, "shipment A1: event 1: missing timestamp"},
		{"event without statusCode", `{"shipments": [{"id": "A1", "events": [
			{"timestamp": "2024-03-05T10:12:00"}]}]}`, "shipment A1: event 0: missing statusCode"},
		{"status without timestamp", `{"shipments": [{"id": "A1", "status": {"statusCode": "transit"}}]}`,
			"shipment A1: status: missing timestamp"},
		{"unparseable timestamp", `{"shipments": [{"id": "A1", "events": [
			{"timestamp": "yesterday", "statusCode": "transit"}]}]}`, `unparseable timestamp "yesterday"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { carrierstest.ParseFails(t, Parse, "dhl: ", tt.body, tt.want) })
	}
}
