package fedex

import (
	"strings"
	"testing"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/carriers/carrierstest"
)

// TestMapping drives the rule table end to end: each case is encoded with
// the wire types and read back with Parse.
func TestMapping(t *testing.T) {
	tests := []struct {
		code, exception, excText, text, delay, derived string
		want                                           carriers.Status
		reason                                         carriers.Reason
		rule                                           string
	}{
		{"OC", "", "", "Shipment information sent to FedEx", "", "IN", carriers.StatusInfoReceived, "", "fedex/OC-info-received"},
		{"PU", "", "", "Picked up", "", "PU", carriers.StatusInTransit, "", "fedex/PU-in-transit"},
		{"AF", "A3", "Tendered at FedEx Facility", "", "", "IT", carriers.StatusInTransit, "", "fedex/AF-in-transit"},
		{"Ow", "", "", "On the way", "", "IT", carriers.StatusInTransit, "", "fedex/OW-in-transit"},
		{"EA", "", "", "Export approved", "", "", carriers.StatusInTransit, "", "fedex/EA-in-transit"},
		// OD and HP carry derivedStatusCode IT; the eventType decides.
		{"OD", "", "", "On FedEx vehicle for delivery", "", "IT", carriers.StatusOutForDelivery, "", "fedex/OD-out-for-delivery"},
		{"HP", "", "", "Ready for recipient pickup", "", "IT", carriers.StatusAvailableForPickup, "", "fedex/HP-available-for-pickup"},
		{"HL", "", "", "Hold at location", "", "", carriers.StatusAvailableForPickup, "", "fedex/HL-available-for-pickup"},
		{"DL", "014", "Left at front door. Signature Service not requested.", "Delivered", "", "DL", carriers.StatusDelivered, "", "fedex/DL-delivered"},

		{"DE", "A47", "FedEx redirected your package to a nearby FedEx location", "", "", "DE", carriers.StatusInTransit, "", "fedex/DE-redirected"},
		{"DE", "07", "Refused by recipient", "", "", "DE", carriers.StatusAttemptFailed, carriers.ReasonRefused, "fedex/DE-refused"},
		{"DE", "03", "", "Delivery exception", "", "DE", carriers.StatusAttemptFailed, carriers.ReasonAddressIssue, "fedex/DE-address"},
		{"DE", "", "Incorrect address", "", "", "DE", carriers.StatusAttemptFailed, carriers.ReasonAddressIssue, "fedex/DE-address"},
		{"DE", "08", "Customer not available or business closed", "", "", "DE", carriers.StatusAttemptFailed, carriers.ReasonOther, "fedex/DE-recipient-unavailable"},
		{"DE", "", "Package damaged", "", "", "DE", carriers.StatusException, carriers.ReasonDamaged, "fedex/DE-damaged"},
		{"DE", "", "", "Delivery exception", "WEATHER", "DE", carriers.StatusException, carriers.ReasonWeather, "fedex/DE-weather"},
		{"DE", "99", "Something unforeseen", "", "", "DE", carriers.StatusException, carriers.ReasonOther, "fedex/DE-exception"},

		{"SE", "", "Package damaged, repacked", "", "", "", carriers.StatusException, carriers.ReasonDamaged, "fedex/SE-damaged"},
		{"SE", "", "Package cannot be located", "", "", "", carriers.StatusException, carriers.ReasonLost, "fedex/SE-lost"},
		{"SE", "", "", "Shipment exception", "WEATHER", "", carriers.StatusException, carriers.ReasonWeather, "fedex/SE-weather"},
		{"SE", "", "Held by customs", "", "", "", carriers.StatusException, carriers.ReasonCustomsHold, "fedex/SE-customs"},
		{"SE", "", "", "Shipment exception", "CLEARANCE", "", carriers.StatusException, carriers.ReasonCustomsHold, "fedex/SE-customs"},
		{"SE", "", "Address correction needed", "", "", "", carriers.StatusException, carriers.ReasonAddressIssue, "fedex/SE-address"},
		{"SE", "", "Shipment refused by recipient", "", "", "", carriers.StatusException, carriers.ReasonRefused, "fedex/SE-refused"},
		{"SE", "A52", "Package delayed", "", "", "", carriers.StatusException, carriers.ReasonDelayed, "fedex/SE-delayed"},
		{"SE", "", "", "Shipment exception", "", "", carriers.StatusException, carriers.ReasonOther, "fedex/SE-exception"},

		{"DY", "", "", "Delay", "WEATHER", "DY", carriers.StatusException, carriers.ReasonWeather, "fedex/delay-weather"},
		{"PD", "", "", "Pickup delay", "CLEARANCE", "", carriers.StatusException, carriers.ReasonCustomsHold, "fedex/delay-clearance"},
		{"DD", "", "", "Delivery delay", "OPERATIONAL", "", carriers.StatusException, carriers.ReasonDelayed, "fedex/delay"},
		{"CD", "", "", "Clearance delay", "", "", carriers.StatusException, carriers.ReasonCustomsHold, "fedex/CD-clearance-delay"},
		{"CA", "", "", "Shipment cancelled", "", "", carriers.StatusException, carriers.ReasonOther, "fedex/CA-cancelled"},
		{"RS", "", "", "Return to shipper", "", "", carriers.StatusReturning, "", "fedex/RS-return-to-shipper"},

		// Informational: ETA and delivery-option news never move a parcel.
		{"AO", "", "", "Shipment arriving On-Time", "", "IT", carriers.StatusUnknown, "", "fedex/AO-informational"},
		{"AE", "", "", "Shipment arriving early", "", "IT", carriers.StatusUnknown, "", "fedex/AE-informational"},
		{"RR", "", "", "CDO requested", "", "", carriers.StatusUnknown, "", "fedex/RR-informational"},
		{"RM", "", "", "CDO modified", "", "", carriers.StatusUnknown, "", "fedex/RM-informational"},
		{"RC", "", "", "CDO cancelled", "", "", carriers.StatusUnknown, "", "fedex/RC-informational"},
		{"SP", "", "", "Split status", "", "", carriers.StatusUnknown, "", "fedex/SP-informational"},

		{"QL", "", "", "Label printed", "", "IN", carriers.StatusInfoReceived, "", "fedex/derived-IN-label-created"},
		{"ZZ", "", "", "Something new", "", "IT", carriers.StatusUnknown, "", "fedex/unrecognized-code"},
	}
	for _, tt := range tests {
		name := strings.Join([]string{tt.code, tt.exception, tt.excText, tt.delay}, "|")
		t.Run(name, func(t *testing.T) {
			scan := ScanEvent{Date: "2024-03-05T10:00:00-05:00", EventType: tt.code, ExceptionCode: tt.exception,
				ExceptionDescription: tt.excText, EventDescription: tt.text, DerivedStatusCode: tt.derived}
			if tt.delay != "" {
				scan.DelayDetail = &DelayDetail{Type: tt.delay}
			}
			got := carrierstest.ParseOne(t, Parse, oneResult(t, scan)).Events[0]
			if got.Status != tt.want || got.Reason != tt.reason || got.Rule != tt.rule {
				t.Errorf("got %s/%q by %s, want %s/%q by %s", got.Status, got.Reason, got.Rule, tt.want, tt.reason, tt.rule)
			}
			if got.RawCode != tt.code || got.Unmapped != (tt.rule == "fedex/unrecognized-code") {
				t.Errorf("RawCode = %q, Unmapped = %v", got.RawCode, got.Unmapped)
			}
		})
	}
}

// TestEveryPlainCodeMaps checks each code of the plain table reaches its
// own rule, so no refined rule or typo shadows it.
func TestEveryPlainCodeMaps(t *testing.T) {
	for _, g := range plain {
		for _, code := range g.codes {
			r := classify(ScanEvent{EventType: code})
			if r.status != g.status || r.id != "fedex/"+code+"-"+g.slug {
				t.Errorf("%s: got %s by %s, want %s", code, r.status, r.id, g.status)
			}
		}
	}
}

// TestRuleIDsUnique guards the rule ids: they are stored with events, so
// two rules sharing one would make the agent's explanation ambiguous.
func TestRuleIDsUnique(t *testing.T) {
	seen := map[string]bool{unrecognized.id: true, ruleReturned: true}
	for _, r := range rules {
		if seen[r.id] || !strings.HasPrefix(r.id, "fedex/") || r.status == "" {
			t.Errorf("rule %+v: duplicate id, bad prefix or empty status", r)
		}
		seen[r.id] = true
	}
}

func TestMarkReturns(t *testing.T) {
	scans := []ScanEvent{
		{Date: "2024-06-09T10:00:00-04:00", EventType: "DL"},
		{Date: "2024-06-04T09:00:00-05:00", EventType: "RS"},
		{Date: "2024-06-03T09:00:00-05:00", EventType: "DL"},
	}
	s := carrierstest.ParseOne(t, Parse, oneResult(t, scans...))
	want := []string{"fedex/DL-delivered", "fedex/RS-return-to-shipper", "fedex/DL-after-RS"}
	for i, e := range s.Events {
		if e.Rule != want[i] {
			t.Errorf("event %d: rule %s, want %s", i, e.Rule, want[i])
		}
	}
	if last := s.Events[2]; last.Status != carriers.StatusReturned {
		t.Errorf("delivery after the return: %s, want returned", last.Status)
	}
}

func TestRawText(t *testing.T) {
	if got := rawText(ScanEvent{EventDescription: "Delivery exception", ExceptionDescription: " Customer not available "}); got != "Customer not available" {
		t.Errorf("rawText = %q, want the exception's description", got)
	}
	if got := rawText(ScanEvent{EventDescription: "Picked up", ExceptionDescription: ""}); got != "Picked up" {
		t.Errorf("rawText = %q, want the event's description when the exception's is empty", got)
	}
}
