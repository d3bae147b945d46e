package easypost

import (
	"strings"
	"testing"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/carriers/carrierstest"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		status, detail string
		international  bool
		want           carriers.Status
		reason         carriers.Reason
		rule           string
	}{
		{"pre_transit", "label_created", false, carriers.StatusInfoReceived, "", "easypost/pre_transit"},
		{"in_transit", "arrived_at_facility", false, carriers.StatusInTransit, "", "easypost/in_transit"},
		{"in_transit", "missorted", false, carriers.StatusInTransit, "", "easypost/in_transit+delayed"},
		{"in_transit", "weather_delay", false, carriers.StatusInTransit, "", "easypost/in_transit+weather"},
		{"out_for_delivery", "out_for_delivery", false, carriers.StatusOutForDelivery, "", "easypost/out_for_delivery"},
		{"available_for_pickup", "arrived_at_pickup_location", false, carriers.StatusAvailableForPickup, "", "easypost/available_for_pickup"},
		{"delivered", "arrived_at_destination", false, carriers.StatusDelivered, "", "easypost/delivered"},
		{"return_to_sender", "return", false, carriers.StatusReturning, "", "easypost/return_to_sender"},
		{"failure", "delivery_exception", false, carriers.StatusAttemptFailed, carriers.ReasonOther, "easypost/failure+delivery_exception"},
		{"failure", "address_correction", false, carriers.StatusException, carriers.ReasonAddressIssue, "easypost/failure+address_correction"},
		{"failure", "damaged", false, carriers.StatusException, carriers.ReasonDamaged, "easypost/failure+damaged"},
		{"failure", "lost", false, carriers.StatusException, carriers.ReasonLost, "easypost/failure+lost"},
		{"failure", "refused", false, carriers.StatusException, carriers.ReasonRefused, "easypost/failure+refused"},
		{"failure", "weather_delay", false, carriers.StatusException, carriers.ReasonWeather, "easypost/failure+weather_delay"},
		{"failure", "delayed", false, carriers.StatusException, carriers.ReasonDelayed, "easypost/failure+delayed"},
		{"failure", "held", true, carriers.StatusException, carriers.ReasonCustomsHold, "easypost/failure+held+international"},
		{"failure", "awaiting_information", false, carriers.StatusException, carriers.ReasonOther, "easypost/failure+held"},
		{"failure", "expired", false, carriers.StatusExpired, "", "easypost/failure+expired"},
		{"failure", "transit_exception", false, carriers.StatusException, carriers.ReasonOther, "easypost/failure"},
		{"failure", "some_new_detail", false, carriers.StatusException, carriers.ReasonOther, "easypost/failure"},
		{"cancelled", "cancelled", false, carriers.StatusException, carriers.ReasonOther, "easypost/cancelled"},
		{"error", "unknown", false, carriers.StatusUnknown, "", "easypost/error"},
		{"unknown", "unknown", false, carriers.StatusUnknown, "", "easypost/unknown"},
		{" In_Transit ", "", false, carriers.StatusInTransit, "", "easypost/in_transit"},
		{"in_limbo", "", false, carriers.StatusUnknown, "", "easypost/unrecognized-code"},
	}
	for _, tt := range tests {
		t.Run(tt.status+"/"+tt.detail, func(t *testing.T) {
			r := classify(tt.status, tt.detail, tt.international)
			if r.result != tt.want || r.reason != tt.reason || r.id != tt.rule {
				t.Errorf("got %s/%q by %s, want %s/%q by %s", r.result, r.reason, r.id, tt.want, tt.reason, tt.rule)
			}
			if r.unmapped != (tt.rule == "easypost/unrecognized-code") {
				t.Errorf("unmapped = %v: only a status in no row is unmapped", r.unmapped)
			}
		})
	}
}

// TestRuleIDsUnique guards the rule ids: they are stored with events, so
// two rules sharing one would make the agent's explanation ambiguous.
func TestRuleIDsUnique(t *testing.T) {
	seen := map[string]bool{unrecognized.id: true, returned.id: true}
	for _, r := range rules {
		if seen[r.id] || !strings.HasPrefix(r.id, "easypost/") || r.result == "" || r.unmapped {
			t.Errorf("rule %+v: duplicate id, bad prefix, empty status or unmapped", r)
		}
		seen[r.id] = true
	}
}

func TestMarkReturnedOnlyFinalizedNewest(t *testing.T) {
	tr := Tracker{ID: "trk_r", TrackingCode: "R1", Carrier: "USPS", TrackingDetails: []TrackingDetail{
		{Status: "return_to_sender", Datetime: "2024-10-05T14:02:00Z"},
		{Status: "return_to_sender", Datetime: "2024-10-12T18:30:00Z"},
	}}
	for _, finalized := range []bool{false, true} {
		tr.Finalized = finalized
		events := carrierstest.ParseOne(t, Parse, carrierstest.Marshal(t, tr)).Events
		if events[0].Status != carriers.StatusReturning {
			t.Errorf("finalized=%v: earlier return scan = %s, want returning", finalized, events[0].Status)
		}
		want := map[bool]carriers.Status{false: carriers.StatusReturning, true: carriers.StatusReturned}[finalized]
		if events[1].Status != want {
			t.Errorf("finalized=%v: newest return scan = %s, want %s", finalized, events[1].Status, want)
		}
	}
	tr.TrackingDetails = append(tr.TrackingDetails, TrackingDetail{Status: "delivered", Datetime: "2024-10-13T10:00:00Z"})
	if last := carrierstest.ParseOne(t, Parse, carrierstest.Marshal(t, tr)).Events[2]; last.Status != carriers.StatusDelivered {
		t.Errorf("a finalized tracker's newest non-return scan = %s, want it left alone", last.Status)
	}
}

func TestInternational(t *testing.T) {
	ca := &TrackingLocation{Country: "CA"}
	us := &TrackingLocation{Country: "US"}
	tests := []struct {
		name        string
		cd          *CarrierDetail
		scanCountry string
		want        bool
	}{
		{"no carrier detail", nil, "US", false},
		{"no destination", &CarrierDetail{OriginTrackingLocation: ca}, "US", false},
		{"domestic", &CarrierDetail{OriginTrackingLocation: us, DestinationTrackingLocation: us}, "US", false},
		{"cross-border", &CarrierDetail{OriginTrackingLocation: ca, DestinationTrackingLocation: us}, "US", true},
		{"scan abroad", &CarrierDetail{DestinationTrackingLocation: us}, "DEU", true},
	}
	for _, tt := range tests {
		d := TrackingDetail{TrackingLocation: TrackingLocation{Country: tt.scanCountry}}
		if got := international(tt.cd, d, destinationCountry(tt.cd)); got != tt.want {
			t.Errorf("%s: international = %v, want %v", tt.name, got, tt.want)
		}
	}
}
