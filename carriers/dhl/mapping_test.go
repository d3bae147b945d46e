package dhl

import (
	"strings"
	"testing"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/carriers/carrierstest"
)

// TestMapping drives the mapping table end to end: each case is encoded
// with the wire types and read back with Parse.
func TestMapping(t *testing.T) {
	const sp = "service point"
	tests := []struct {
		code, status, description, remark string
		extra                             string // sp, or "returnFlag"
		want                              carriers.Status
		reason                            carriers.Reason
		rule                              string
	}{
		{"pre-transit", "ANNOUNCED", "", "", "", carriers.StatusInfoReceived, "", "dhl/pre-transit"},
		{"transit", "PROCESSED", "", "", "", carriers.StatusInTransit, "", "dhl/transit"},
		{"transit", "OUT_FOR_DELIVERY", "", "", "", carriers.StatusOutForDelivery, "", "dhl/transit+out-for-delivery"},
		{"transit", "", "With delivery courier", "", "", carriers.StatusOutForDelivery, "", "dhl/transit+out-for-delivery"},
		{"transit", "", "Ready for pick-up at the retail outlet", "", "", carriers.StatusAvailableForPickup, "", "dhl/transit+pickup"},
		{"transit", "", "", "Available for pickup until Friday", "", carriers.StatusAvailableForPickup, "", "dhl/transit+pickup"},
		{"transit", "Arrived at the PACKSTATION", "", "", sp, carriers.StatusAvailableForPickup, "", "dhl/transit+service-point"},
		{"transit", "ARRIVED AT CUSTOMS", "", "", "", carriers.StatusInTransit, "", "dhl/transit+customs"},
		{"delivered", "DELIVERED", "", "", "", carriers.StatusDelivered, "", "dhl/delivered"},
		{"failure", "", "The shipment is being returned to the sender", "", "", carriers.StatusReturning, "", "dhl/failure+returned"},
		{"failure", "RETURN TO SENDER", "", "", "", carriers.StatusReturning, "", "dhl/failure+returned"},
		{"failure", "", "Shipment held by customs", "", "", carriers.StatusException, carriers.ReasonCustomsHold, "dhl/failure+customs"},
		{"failure", "", "The address is incomplete", "", "", carriers.StatusAttemptFailed, carriers.ReasonAddressIssue, "dhl/failure+address"},
		{"failure", "", "The recipient has moved", "", "", carriers.StatusAttemptFailed, carriers.ReasonAddressIssue, "dhl/failure+address"},
		{"failure", "", "No name on the doorbell", "", "", carriers.StatusAttemptFailed, carriers.ReasonAddressIssue, "dhl/failure+address"},
		{"failure", "", "Recipient not found", "", "", carriers.StatusAttemptFailed, carriers.ReasonAddressIssue, "dhl/failure+address"},
		{"failure", "", "Delivery problem", "Acceptance refused by the recipient", "", carriers.StatusException, carriers.ReasonRefused, "dhl/failure+refused"},
		{"failure", "DAMAGED", "", "", "", carriers.StatusException, carriers.ReasonDamaged, "dhl/failure+damaged"},
		{"failure", "", "The shipment has been lost", "", "", carriers.StatusException, carriers.ReasonLost, "dhl/failure+lost"},
		{"failure", "", "The shipment was not collected from the retail outlet", "", "", carriers.StatusException, carriers.ReasonOther, "dhl/failure+not-collected"},
		{"failure", "", "Storage period expired", "", "", carriers.StatusException, carriers.ReasonOther, "dhl/failure+not-collected"},
		{"failure", "", "Shipment on hold", "", "returnFlag", carriers.StatusReturning, "", "dhl/failure+return-flag"},
		// A specific reason beats the shipment-wide return flag.
		{"failure", "", "Recipient not found", "", "returnFlag", carriers.StatusAttemptFailed, carriers.ReasonAddressIssue, "dhl/failure+address"},
		{"failure", "", "The shipment could not be delivered", "", "", carriers.StatusAttemptFailed, carriers.ReasonOther, "dhl/failure+attempt"},
		{"failure", "", "Delivery attempt: recipient not at home", "", "", carriers.StatusAttemptFailed, carriers.ReasonOther, "dhl/failure+attempt"},
		{"failure", "", "Unforeseen event", "", "", carriers.StatusException, carriers.ReasonOther, "dhl/failure"},
		{"unknown", "LABEL CREATED", "", "", "", carriers.StatusInfoReceived, "", "dhl/unknown+label-created"},
		{"unknown", "CLOSE BAG", "", "", "", carriers.StatusInTransit, "", "dhl/unknown+sack"},
		{"unknown", "SCANNED INTO SACK/CONTAINER", "", "", "", carriers.StatusInTransit, "", "dhl/unknown+sack"},
		{"unknown", "ELECTRONIC NOTIFICATION", "", "", "", carriers.StatusUnknown, "", "dhl/unknown"},
		{"held", "OUT FOR DELIVERY", "", "", "", carriers.StatusUnknown, "", "dhl/unrecognized-code"},
		{" Transit ", "PROCESSED", "", "", "", carriers.StatusInTransit, "", "dhl/transit"},
	}
	for _, tt := range tests {
		name := strings.Join([]string{tt.code, tt.status, tt.description, tt.remark, tt.extra}, "|")
		t.Run(name, func(t *testing.T) {
			e := Event{Timestamp: "2024-03-05T10:00:00Z", StatusCode: tt.code,
				Status: tt.status, Description: tt.description, Remark: tt.remark}
			if tt.extra == sp {
				e.Location.ServicePoint = &ServicePoint{Label: "Packstation 123"}
			}
			sh := Shipment{ID: "M1", ReturnFlag: tt.extra == "returnFlag", Events: []Event{e}}
			got := carrierstest.ParseOne(t, Parse, carrierstest.Marshal(t, Response{Shipments: []Shipment{sh}})).Events[0]
			if got.Status != tt.want || got.Reason != tt.reason || got.Rule != tt.rule {
				t.Errorf("got %s/%q by %s, want %s/%q by %s",
					got.Status, got.Reason, got.Rule, tt.want, tt.reason, tt.rule)
			}
			if got.RawCode != tt.code {
				t.Errorf("RawCode = %q, want %q", got.RawCode, tt.code)
			}
		})
	}
}

// TestRuleIDsUnique guards the rule ids: they are stored with events, so
// two rules sharing one would make the agent's explanation ambiguous.
func TestRuleIDsUnique(t *testing.T) {
	seen := map[string]bool{unrecognized.id: true}
	for _, r := range rules {
		if seen[r.id] || !strings.HasPrefix(r.id, "dhl/") || r.status == "" {
			t.Errorf("rule %+v: duplicate id, bad prefix or empty status", r)
		}
		seen[r.id] = true
	}
}

func TestRawText(t *testing.T) {
	if got := rawText(Event{Status: "PROCESSED", Description: "Processed in Bonn"}); got != "Processed in Bonn" {
		t.Errorf("rawText = %q, want the description", got)
	}
	if got := rawText(Event{Status: "PROCESSED"}); got != "PROCESSED" {
		t.Errorf("rawText = %q, want the status when there is no description", got)
	}
}
