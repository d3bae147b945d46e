package fedex

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/carriers/carrierstest"
)

// goldenAnswer is how a golden file shows one number's answer.
type goldenAnswer struct {
	Number    string              `json:"number"`
	Error     string              `json:"error,omitempty"`
	NotFound  bool                `json:"not_found,omitempty"`
	Shipments []carriers.Shipment `json:"shipments"`
}

// TestParseGolden checks the normalized answer to every fixture against
// testdata/TestParseGolden/<fixture>.golden (regenerate with -update).
func TestParseGolden(t *testing.T) {
	carrierstest.GoldenEach(t, func(_ string, body []byte) (any, error) {
		answers, err := parseResponse(body)
		view := make([]goldenAnswer, len(answers))
		for i, a := range answers {
			view[i] = goldenAnswer{Number: a.number, Shipments: a.shipments, NotFound: errors.Is(a.err, carriers.ErrNotFound)}
			if a.err != nil {
				view[i].Error = a.err.Error()
			}
		}
		return view, err
	})
}

// oneResult wraps scans in a body with one number and one result.
func oneResult(t testing.TB, scans ...ScanEvent) []byte {
	t.Helper()
	return carrierstest.Marshal(t, Response{Output: &Output{CompleteTrackResults: []CompleteTrackResult{{
		TrackingNumber: "700000000001",
		TrackResults:   []TrackResult{{ScanEvents: scans}},
	}}}})
}

// codesAndTimes is "CODE@UTC" per event, in order.
func codesAndTimes(events []carriers.Event) string {
	parts := make([]string, len(events))
	for i, e := range events {
		parts[i] = e.RawCode + "@" + e.Time.Format(time.RFC3339)
	}
	return strings.Join(parts, " ")
}

func TestParseInconsistentTimes(t *testing.T) {
	s := carrierstest.ParseOne(t, Parse, carrierstest.Fixture(t, "inconsistent_times.json"))
	// Newest first on the wire; -05:00 in Minnesota, -04:00 further east.
	// The naive-midnight pickup goes a second after the same day's label.
	want := "OC@2024-09-09T16:02:00Z PU@2024-09-09T16:02:01Z AR@2024-09-09T23:31:00Z AE@2024-09-09T23:40:27Z " +
		"DP@2024-09-10T00:02:44Z DP@2024-09-11T02:40:00Z IT@2024-09-11T05:05:00Z AR@2024-09-11T08:12:09Z " +
		"AR@2024-09-12T10:38:00Z AR@2024-09-12T10:41:00Z OD@2024-09-12T11:02:00Z DL@2024-09-12T17:05:41Z"
	if got := codesAndTimes(s.Events); got != want {
		t.Errorf("events =\n%s\nwant\n%s", got, want)
	}
	pu := s.Events[1]
	if pu.TZKnown || pu.LocalTime != "2024-09-09T00:00:00" || pu.Status != carriers.StatusInTransit {
		t.Errorf("pickup = %+v, want zone unknown, original date kept, in transit", pu)
	}
	for _, e := range s.Events {
		if e.RawCode != "PU" && !e.TZKnown {
			t.Errorf("%s %s: TZKnown false for a date with an offset", e.RawCode, e.LocalTime)
		}
	}
	// The two AR scans minutes apart are two scans, not one.
	if s.Events[8].LocalTime == s.Events[9].LocalTime {
		t.Error("near-duplicate AR scans share a wall time")
	}
}

// TestParseOrdersByInstant: westbound, a later scan can show an earlier
// wall clock; order must follow the instant, not the string.
func TestParseOrdersByInstant(t *testing.T) {
	s := carrierstest.ParseOne(t, Parse, oneResult(t,
		ScanEvent{Date: "2024-03-01T21:40:00-06:00", EventType: "AR"},
		ScanEvent{Date: "2024-03-01T22:05:00-05:00", EventType: "DP"},
	))
	if got, want := codesAndTimes(s.Events), "DP@2024-03-02T03:05:00Z AR@2024-03-02T03:40:00Z"; got != want {
		t.Errorf("events = %s, want %s", got, want)
	}
}

func TestParsePlaceholders(t *testing.T) {
	mn := Address{City: "ROCHESTER", StateOrProvinceCode: "MN", CountryCode: "US"}
	pu := ScanEvent{Date: "2024-08-15T00:00:00", EventType: "PU", ScanLocation: mn}
	tests := []struct {
		name  string
		scans []ScanEvent
		want  string
	}{
		{"after the same day's label", []ScanEvent{
			{Date: "2024-08-15T18:35:00-05:00", EventType: "AR"}, pu,
			{Date: "2024-08-15T10:36:00-05:00", EventType: "OC"},
		}, "OC@2024-08-15T15:36:00Z PU@2024-08-15T15:36:01Z AR@2024-08-15T23:35:00Z"},
		{"before a same-day delivery", []ScanEvent{
			{Date: "2024-08-15T16:00:00-05:00", EventType: "DL"},
			{Date: "2024-08-15T09:00:00-05:00", EventType: "OC"}, pu,
		}, "OC@2024-08-15T14:00:00Z PU@2024-08-15T14:00:01Z DL@2024-08-15T21:00:00Z"},
		{"the day's start, in the place's zone", []ScanEvent{
			{Date: "2024-08-15T04:00:00-05:00", EventType: "AR"}, pu,
			{Date: "2024-08-14T22:00:00-05:00", EventType: "OC"},
		}, "OC@2024-08-15T03:00:00Z PU@2024-08-15T05:00:00Z AR@2024-08-15T09:00:00Z"},
		{"the day's start, in another scan's offset", []ScanEvent{
			{Date: "2024-08-15T09:00:00-07:00", EventType: "AR"},
			{Date: "2024-08-15T00:00:00", EventType: "PU"},
		}, "PU@2024-08-15T07:00:00Z AR@2024-08-15T16:00:00Z"},
		{"a bare date, nothing known", []ScanEvent{{Date: "2024-08-15", EventType: "PU"}},
			"PU@2024-08-15T00:00:00Z"},
		{"naive wall clock, read in the place's zone", []ScanEvent{
			{Date: "2024-08-15T14:30:00", EventType: "AR", ScanLocation: Address{StateOrProvinceCode: "NY", CountryCode: "US"}},
			{Date: "2024-08-15T09:00:00-05:00", EventType: "OC"},
		}, "OC@2024-08-15T14:00:00Z AR@2024-08-15T18:30:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := carrierstest.ParseOne(t, Parse, oneResult(t, tt.scans...))
			if got := codesAndTimes(s.Events); got != tt.want {
				t.Errorf("events = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestParseDuplicateResults(t *testing.T) {
	shipments, err := Parse(carrierstest.Fixture(t, "duplicate_results.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(shipments) != 2 {
		t.Fatalf("got %d shipments, want both results of the number", len(shipments))
	}
	for i, ref := range []string{"2460425000~771234567890~FX", "2460426000~771234567890~FX"} {
		s := shipments[i]
		if s.Ref != ref || s.TrackingNumber != "771234567890" || s.Carrier != "fedex" {
			t.Errorf("shipment %d = %q %q %q, want ref %q", i, s.Carrier, s.TrackingNumber, s.Ref, ref)
		}
	}
}

func TestParseETA(t *testing.T) {
	window := func(begins, ends string) *TimeWindow { return &TimeWindow{Window: Window{Begins: begins, Ends: ends}} }
	estimated := []DateAndTime{{Type: "SHIP", DateTime: "2024-05-10T00:00:00-06:00"},
		{Type: "ESTIMATED_DELIVERY", DateTime: "2024-05-14T00:00:00-06:00"}}
	tests := []struct {
		name   string
		window *TimeWindow
		dates  []DateAndTime
		want   string
	}{
		{"window end", window("2024-05-13T09:00:00-07:00", "2024-05-13T13:00:00-07:00"), estimated, "2024-05-13T20:00:00Z"},
		{"window start only", window("2024-05-13T09:00:00-07:00", ""), nil, "2024-05-13T16:00:00Z"},
		{"empty window, estimated date", window("", ""), estimated, "2024-05-14T06:00:00Z"},
		{"unreadable", window("", "soon"), nil, "0001-01-01T00:00:00Z"},
		{"none", nil, nil, "0001-01-01T00:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := carrierstest.Marshal(t, Response{Output: &Output{CompleteTrackResults: []CompleteTrackResult{{
				TrackingNumber: "700000000002",
				TrackResults:   []TrackResult{{EstimatedDeliveryTimeWindow: tt.window, DateAndTimes: tt.dates}},
			}}}})
			if got := carrierstest.ParseOne(t, Parse, body).EstimatedDelivery.Format(time.RFC3339); got != tt.want {
				t.Errorf("ETA = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestParseNumberErrors(t *testing.T) {
	answers, err := parseResponse(carrierstest.Fixture(t, "batch.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(answers) != 3 || len(answers[0].shipments) != 1 || answers[0].err != nil {
		t.Fatalf("answers = %+v, want the first number tracked", answers)
	}
	var apiErr APIError
	if !errors.Is(answers[1].err, carriers.ErrNotFound) || !errors.As(answers[1].err, &apiErr) ||
		apiErr.Code != "TRACKING.TRACKINGNUMBER.NOTFOUND" {
		t.Errorf("not found: err = %v, want ErrNotFound carrying FedEx's code", answers[1].err)
	}
	invalid := answers[2].err
	if invalid == nil || errors.Is(invalid, carriers.ErrNotFound) ||
		invalid.Error() != `fedex: track "79333": TRACKING.TRACKINGNUMBER.INVALID: Invalid tracking number.` {
		t.Errorf("invalid: err = %v", invalid)
	}
	if shipments, err := Parse(carrierstest.Fixture(t, "not_found.json")); err != nil || len(shipments) != 0 {
		t.Errorf("Parse(not found) = %v, %v; want no shipments and no error", shipments, err)
	}
}

// TestParseErrorBesideShipment: a number with one shipment and one unique
// id without data is a tracked number.
func TestParseErrorBesideShipment(t *testing.T) {
	body := carrierstest.Marshal(t, Response{Output: &Output{CompleteTrackResults: []CompleteTrackResult{{
		TrackingNumber: "700000000003",
		TrackResults: []TrackResult{
			{Error: &APIError{Code: "TRACKING.DATA.NOTFOUND"}},
			{ScanEvents: []ScanEvent{{Date: "2024-03-01T10:00:00-05:00", EventType: "PU"}}},
		},
	}}}})
	answers, err := parseResponse(body)
	if err != nil || len(answers) != 1 || answers[0].err != nil || len(answers[0].shipments) != 1 {
		t.Errorf("answers = %+v, %v; want one shipment and no error", answers, err)
	}
}

func TestParseEmpty(t *testing.T) {
	for _, body := range []string{`{}`, `null`, `{"output": {"completeTrackResults": []}}`} {
		shipments, err := Parse([]byte(body))
		if err != nil || len(shipments) != 0 {
			t.Errorf("Parse(%s) = %v, %v; want no shipments, no error", body, shipments, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	full := carrierstest.Fixture(t, "recovery.json")
	one := func(scan string) string {
		return `{"output": {"completeTrackResults": [{"trackingNumber": "7001", "trackResults": [{"scanEvents": [` + scan + `]}]}]}}`
	}
	tests := []struct {
		name, body, want string
	}{
		{"empty body", ``, "malformed response"},
		{"truncated", string(full[:len(full)/2]), "malformed response"},
		{"trailing garbage", `{} {}`, "malformed response"},
		{"wrong type", `{"output": {"completeTrackResults": {}}}`, "malformed response"},
		{"request-level errors", `{"errors": [{"code": "TRACKING.TRACKINGNUMBER.EMPTY", "message": "Please provide tracking number."}]}`,
			"TRACKING.TRACKINGNUMBER.EMPTY: Please provide tracking number."},
		{"no tracking number", `{"output": {"completeTrackResults": [{"trackResults": [{}]}]}}`,
			"completeTrackResults[0]: trackResults[0]: missing trackingNumber"},
		{"scan without eventType", one(`{"date": "2024-03-01T10:00:00-05:00"}`), "7001: scanEvents[0]: missing eventType"},
		{"scan without date", one(`{"eventType": "PU", "date": " "}`), "7001: scanEvents[0]: missing date"},
		{"unparseable date", one(`{"eventType": "PU", "date": "15/08/2024"}`), `unparseable timestamp "15/08/2024"`},
		{"bad deliveryAttempts", `{"output": {"completeTrackResults": [{"trackingNumber": "7001", "trackResults": [{"deliveryDetails": {"deliveryAttempts": 1.5}}]}]}}`,
			"not a whole number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { carrierstest.ParseFails(t, Parse, "fedex: ", tt.body, tt.want) })
	}
}
