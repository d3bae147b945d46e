package ups

import (
	"testing"
	"time"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/carriers/carrierstest"
)

// bodyOf is a 200 body with one inquiry holding pkgs.
func bodyOf(t testing.TB, pkgs ...Package) []byte {
	return carrierstest.Marshal(t, Response{TrackResponse{Shipment: []Shipment{{Package: pkgs}}}})
}

// TestParseGolden checks the whole normalized output of each fixture
// against testdata/TestParseGolden/<fixture>.golden; regenerate with
// go test ./carriers/ups -update and read the diff.
func TestParseGolden(t *testing.T) {
	carrierstest.GoldenEach(t, func(_ string, body []byte) (any, error) { return Parse(body) })
}

func TestParseDelivered(t *testing.T) {
	s := carrierstest.ParseOne(t, Parse, carrierstest.Fixture(t, "delivered.json"))
	if s.Carrier != "ups" || s.TrackingNumber != "1ZW8X7320312345678" || s.Service != "UPS Ground" {
		t.Errorf("shipment = %q %q %q", s.Carrier, s.TrackingNumber, s.Service)
	}
	if !s.EstimatedDelivery.IsZero() {
		t.Errorf("ETA = %v, want none: DEL is a delivery, not an estimate", s.EstimatedDelivery)
	}
	label, last := s.Events[0], s.Events[len(s.Events)-1]
	// Local 31 Jan 17:34 PST is 1 Feb 01:34 GMT: the gmt date is the next day.
	if label.LocalTime != "20240131 173405" || label.Time != time.Date(2024, 2, 1, 1, 34, 5, 0, time.UTC) || !label.TZKnown {
		t.Errorf("label event = %q %v known=%v", label.LocalTime, label.Time, label.TZKnown)
	}
	if last.Status != carriers.StatusDelivered || last.RawText != "DELIVERED" || last.RawCode != "011" || last.RawSubcode != "D/FS" {
		t.Errorf("last event = %s %q %q %q, want delivered with trimmed text", last.Status, last.RawText, last.RawCode, last.RawSubcode)
	}
}

func TestParseMultiPiece(t *testing.T) {
	shipments, err := Parse(carrierstest.Fixture(t, "multi_piece.json"))
	if err != nil || len(shipments) != 2 {
		t.Fatalf("Parse = %d shipments, %v; want one per package", len(shipments), err)
	}
	for i, want := range []string{"1ZV9Y8490361234561", "1ZV9Y8490361234570"} {
		if s := shipments[i]; s.TrackingNumber != want || s.Ref != want {
			t.Errorf("package %d = %q ref %q, want %q", i, s.TrackingNumber, s.Ref, want)
		}
	}
	if got := shipments[1].Events[1]; got.Status != carriers.StatusException || got.Reason != carriers.ReasonDamaged {
		t.Errorf("second piece = %s/%s, want exception/damaged", got.Status, got.Reason)
	}
}

func TestParseNotFound(t *testing.T) {
	inquiries, err := parseResponse(carrierstest.Fixture(t, "not_found.json"))
	if err != nil || len(inquiries) != 1 || len(inquiries[0].packages) != 0 {
		t.Fatalf("parseResponse = %+v, %v; want one inquiry without packages", inquiries, err)
	}
	if w := inquiries[0].warnings; len(w) != 1 || w[0].Code != "TW0001" {
		t.Errorf("warnings = %+v, want TW0001", w)
	}
}

// TestParseSameInstant checks that scans UPS gives the same time keep the
// order they happened in, which is the reverse of the order sent.
func TestParseSameInstant(t *testing.T) {
	at := func(code string) Activity {
		return Activity{Date: "20240301", Time: "120000", GMTDate: "20240301", GMTTime: "200000",
			Status: Status{Type: "I", Code: code, StatusCode: "005"}}
	}
	pkg := Package{TrackingNumber: "1ZSAME", Activity: []Activity{at("DP"), at("AR")}}
	s := carrierstest.ParseOne(t, Parse, bodyOf(t, pkg))
	if s.Events[0].RawSubcode != "I/AR" || s.Events[1].RawSubcode != "I/DP" {
		t.Errorf("order = %s, %s; want arrival before departure", s.Events[0].RawSubcode, s.Events[1].RawSubcode)
	}
}

// TestParsePlaceholders feeds the kind of "string" values UPS's spec
// examples are full of: unreadable gmt fields fall back to the local time,
// an unreadable ETA is unknown, and nothing fails.
func TestParsePlaceholders(t *testing.T) {
	const p = "string"
	pkg := Package{
		TrackingNumber: "1ZPLACEHOLDER01",
		Service:        &Service{Code: p, Description: "UPS Ground"},
		CurrentStatus:  &Status{Code: p, Description: p},
		DeliveryDate:   []DeliveryDate{{Type: "SDD", Date: p}},
		DeliveryTime:   &DeliveryTime{Type: p, StartTime: p, EndTime: p},
		PackageAddress: []PackageAddress{{Type: "ORIGIN/DESTINATION"}},
		Activity: []Activity{{Date: "20240610", Time: "071356", GMTDate: p, GMTTime: p, GMTOffset: p,
			Location: Location{Address: Address{City: "Wayne", StateProvince: "NJ", CountryCode: "US"}, Slic: p},
			Status:   Status{Type: "X", Code: "SR", StatusCode: p, SimplifiedTextDescription: p}}},
	}
	sh := Shipment{InquiryNumber: pkg.TrackingNumber, Package: []Package{pkg}, Warnings: []Message{{p, p}}}
	s := carrierstest.ParseOne(t, Parse, carrierstest.Marshal(t, Response{TrackResponse{Shipment: []Shipment{sh}}}))
	ev := s.Events[0]
	// 07:13:56 EDT in Wayne, NJ, a guess from the location.
	if ev.Time != time.Date(2024, 6, 10, 11, 13, 56, 0, time.UTC) || ev.TZKnown {
		t.Errorf("time = %v known=%v, want the local time resolved in New York", ev.Time, ev.TZKnown)
	}
	if ev.Status != carriers.StatusException || ev.Rule != "ups/X-exception" || ev.RawText != p {
		t.Errorf("event = %s by %s text %q", ev.Status, ev.Rule, ev.RawText)
	}
	if !s.EstimatedDelivery.IsZero() {
		t.Errorf("ETA = %v, want unknown", s.EstimatedDelivery)
	}
}

func TestParseEmpty(t *testing.T) {
	for _, body := range []string{`{}`, `{"trackResponse": {}}`, `{"trackResponse": {"shipment": []}}`, `null`} {
		shipments, err := Parse([]byte(body))
		if err != nil || len(shipments) != 0 {
			t.Errorf("Parse(%s) = %v, %v; want no shipments, no error", body, shipments, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	delivered := carrierstest.Fixture(t, "delivered.json")
	tests := []struct {
		name, body, want string
	}{
		{"empty body", ``, "malformed response"},
		{"truncated", string(delivered[:len(delivered)/2]), "malformed response"},
		{"trailing garbage", `{"trackResponse": {}} {}`, "malformed response"},
		{"numeric code", `{"trackResponse": {"shipment": [{"package": [{"trackingNumber": "1Z1",
			"activity": [{"status": {"statusCode": 11}}]}]}]}}`, "malformed response"},
		{"package without number", `{"trackResponse": {"shipment": [{"package": [{"activity": []}]}]}}`,
			"shipment 0: package 0: missing trackingNumber"},
		{"activity without time", `{"trackResponse": {"shipment": [{"inquiryNumber": "1Z1", "package": [{"activity": [
			{"date": "20240101", "time": "120000", "status": {"type": "I"}},
			{"date": "20240101", "status": {"type": "I"}}]}]}]}}`, `package 0: 1Z1: activity 1: unparseable date/time "20240101" ""`},
		{"impossible date", `{"trackResponse": {"shipment": [{"inquiryNumber": "1Z1", "package": [{"activity": [
			{"date": "20240231", "time": "120000", "status": {"type": "I"}}]}]}]}}`, "unparseable date/time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { carrierstest.ParseFails(t, Parse, "ups: ", tt.body, tt.want) })
	}
}
