package usps

import (
	"strings"
	"testing"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/carriers/carrierstest"
)

// TestMapping drives the table end to end: each case is one event encoded
// with the wire types, after an acceptance scan, and read back with Parse.
func TestMapping(t *testing.T) {
	tests := []struct {
		code, text string
		want       carriers.Status
		reason     carriers.Reason
		rule       string
	}{
		{"MA", "Pre-Shipment Info Sent to USPS", carriers.StatusInfoReceived, "", "usps/MA-manifest"},
		{"GX", "Shipping Label Created, USPS Awaiting Item", carriers.StatusInfoReceived, "", "usps/GX-label-created"},
		{"TM", "Shipment Received, Package Acceptance Pending", carriers.StatusInTransit, "", "usps/TM-shipment-acceptance"},
		{"03", "USPS in possession of item", carriers.StatusInTransit, "", "usps/03-accepted"},
		{"10", "Arrived at USPS Regional Origin Facility", carriers.StatusInTransit, "", "usps/10-processed"},
		{"TL", "In Transit to Next Facility", carriers.StatusInTransit, "", "usps/TL-in-transit"},
		{"07", "Arrived at Post Office", carriers.StatusInTransit, "", "usps/07-arrived-post-office"},
		{"71", "Rescheduled to Next Delivery Day", carriers.StatusInTransit, carriers.ReasonDelayed, "usps/71-rescheduled"},
		{"OF", "Out for Delivery", carriers.StatusOutForDelivery, "", "usps/OF-out-for-delivery"},
		{"of", "Out for Delivery", carriers.StatusOutForDelivery, "", "usps/OF-out-for-delivery"},
		{"01", "Delivered, Parcel Locker", carriers.StatusDelivered, "", "usps/01-delivered"},
		{"01", "Delivered, To Original Sender", carriers.StatusReturned, "", "usps/01-delivered-to-sender"},
		{"17", "Picked Up By Agent", carriers.StatusDelivered, "", "usps/17-picked-up-by-agent"},
		{"43", "Picked Up", carriers.StatusDelivered, "", "usps/43-picked-up"},
		{"14", "Arrived at Pickup Point", carriers.StatusAvailableForPickup, "", "usps/14-at-pickup-point"},
		{"16", "Available for Pickup", carriers.StatusAvailableForPickup, "", "usps/16-available-for-pickup"},
		{"02", "Notice Left", carriers.StatusAttemptFailed, "", "usps/02-notice-left"},
		{"53", "Receptacle Blocked", carriers.StatusAttemptFailed, carriers.ReasonOther, "usps/53-receptacle-blocked"},
		{"30", "No Access to Delivery Location", carriers.StatusAttemptFailed, carriers.ReasonOther, "usps/30-no-access"},
		{"51", "Business Closed", carriers.StatusAttemptFailed, carriers.ReasonOther, "usps/51-business-closed"},
		{"04", "Refused", carriers.StatusException, carriers.ReasonRefused, "usps/04-refused"},
		{"05", "Undeliverable as Addressed", carriers.StatusException, carriers.ReasonAddressIssue, "usps/05-undeliverable-as-addressed"},
		{"08", "Missent", carriers.StatusException, carriers.ReasonDelayed, "usps/08-missent"},
		{"11", "Dead Letter", carriers.StatusException, carriers.ReasonLost, "usps/11-dead-letter"},
		{"09", "Return to Sender", carriers.StatusReturning, "", "usps/09-return-to-sender"},
		{"21", "No Such Number", carriers.StatusReturning, carriers.ReasonAddressIssue, "usps/21-no-such-number"},
		{"26", "Vacant", carriers.StatusReturning, carriers.ReasonAddressIssue, "usps/26-vacant"},
		{"27", "Unclaimed", carriers.StatusReturning, carriers.ReasonOther, "usps/27-unclaimed"},
		{"DX", "Delivery status not updated", carriers.StatusUnknown, "", "usps/DX-informational"},
		// The leading zero is the code: "1" is not "01".
		{"1", "Delivered", carriers.StatusUnknown, "", "usps/unrecognized-code"},
		{"ZQ", "Held at Regional Facility", carriers.StatusUnknown, "", "usps/unrecognized-code"},
		{"", "Something happened", carriers.StatusUnknown, "", "usps/unrecognized-code"},
	}
	for _, tt := range tests {
		t.Run(tt.code+"|"+tt.text, func(t *testing.T) {
			d := TrackingDetails{TrackingNumber: "M1", TrackingEvents: []TrackingEvent{
				{EventTimestamp: "2024-03-05T10:00:00", EventCode: tt.code, EventType: tt.text},
				{EventTimestamp: "2024-03-04T10:00:00", EventCode: "03"},
			}}
			got := carrierstest.ParseOne(t, Parse, carrierstest.Marshal(t, d)).Events[1]
			if got.Status != tt.want || got.Reason != tt.reason || got.Rule != tt.rule {
				t.Errorf("got %s/%q by %s, want %s/%q by %s", got.Status, got.Reason, got.Rule, tt.want, tt.reason, tt.rule)
			}
			if got.Unmapped != (tt.rule == unrecognized.id) {
				t.Errorf("Unmapped = %v for rule %s", got.Unmapped, got.Rule)
			}
			if got.RawCode != tt.code {
				t.Errorf("RawCode = %q, want %q", got.RawCode, tt.code)
			}
		})
	}
}

// TestTruckManifest checks TM is paperwork only until USPS has scanned the
// parcel, whatever order the events arrive in.
func TestTruckManifest(t *testing.T) {
	d := TrackingDetails{TrackingNumber: "M1", TrackingEvents: []TrackingEvent{
		{EventTimestamp: "2024-03-05T10:00:00", EventCode: "TM"},
		{EventTimestamp: "2024-03-03T10:00:00", EventCode: "TM"},
		{EventTimestamp: "2024-03-02T10:00:00", EventCode: "DX"},
		{EventTimestamp: "2024-03-04T10:00:00", EventCode: "PA"},
	}}
	var rules []string
	for _, e := range carrierstest.ParseOne(t, Parse, carrierstest.Marshal(t, d)).Events {
		rules = append(rules, e.Rule)
	}
	want := "usps/DX-informational usps/TM-before-acceptance usps/PA-passive-acceptance usps/TM-shipment-acceptance"
	if got := strings.Join(rules, " "); got != want {
		t.Errorf("rules = %s, want %s", got, want)
	}
}

// TestRuleIDsUnique guards the rule ids: they are stored with events, so
// two rules sharing one would make the agent's explanation ambiguous.
func TestRuleIDsUnique(t *testing.T) {
	seen := map[string]bool{unrecognized.id: true}
	for _, r := range rules {
		named := strings.HasPrefix(r.id, "usps/"+r.code+"-") || (r.anyCode && r.code == "")
		if seen[r.id] || !named || r.status == "" || r.unmapped {
			t.Errorf("rule %+v: duplicate id, id not naming its code, empty status or unmapped", r)
		}
		seen[r.id] = true
	}
}
