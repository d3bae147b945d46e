package ups

import (
	"strings"
	"testing"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/carriers/carrierstest"
)

// mappingCases cover each rule: an activity's type, scan code, status code,
// description and logical flag, and the status, reason and rule it must get.
var mappingCases = []struct {
	typ, code, statusCode, text string
	logical                     bool
	want                        carriers.Status
	reason                      carriers.Reason
	rule                        string
}{
	// The 3-digit status code decides first.
	{"M", "MP", "003", "", false, carriers.StatusInfoReceived, "", "ups/ready-for-ups"},
	{"M", "MP", "3", "", false, carriers.StatusInfoReceived, "", "ups/ready-for-ups"},
	{"X", "", "065", "", false, carriers.StatusInfoReceived, "", "ups/pickup-attempt"},
	{"MV", "VP", "007", "", false, carriers.StatusException, carriers.ReasonOther, "ups/voided"},
	{"D", "FS", "011", "", false, carriers.StatusDelivered, "", "ups/delivered"},
	{"X", "", "026", "", false, carriers.StatusDelivered, "", "ups/delivered"},
	{"I", "", "161", "", false, carriers.StatusAvailableForPickup, "", "ups/held-for-pickup"},
	{"X", "", "040", "", false, carriers.StatusAvailableForPickup, "", "ups/held-for-pickup"},
	{"I", "UP", "154", "", false, carriers.StatusUnknown, "", "ups/eta-update-informational"},
	{"I", "", "055", "", false, carriers.StatusUnknown, "", "ups/eta-update-informational"},
	{"U", "PX", "155", "", false, carriers.StatusUnknown, "", "ups/photo-informational"},
	{"X", "", "107", "", false, carriers.StatusUnknown, "", "ups/request-informational"},
	{"X", "", "121", "", false, carriers.StatusUnknown, "", "ups/request-informational"},
	{"I", "OT", "021", "", false, carriers.StatusOutForDelivery, "", "ups/out-for-delivery"},
	{"I", "", "072", "", false, carriers.StatusOutForDelivery, "", "ups/out-for-delivery"},
	{"X", "", "061", "", false, carriers.StatusAttemptFailed, carriers.ReasonOther, "ups/attempt-signature-or-funds"},
	{"X", "", "022", "", false, carriers.StatusAttemptFailed, "", "ups/attempt"},
	{"X", "", "050", "", false, carriers.StatusException, carriers.ReasonAddressIssue, "ups/address-required"},
	{"X", "", "069", "The address is incorrect", false, carriers.StatusException, carriers.ReasonAddressIssue, "ups/unable-to-deliver+address"},
	{"X", "", "069", "Unable to deliver", false, carriers.StatusException, carriers.ReasonOther, "ups/unable-to-deliver"},
	{"X", "", "034", "", false, carriers.StatusReturned, "", "ups/returned-to-sender"},
	{"X", "", "081", "", false, carriers.StatusReturned, carriers.ReasonDamaged, "ups/returned-damaged"},
	{"X", "", "036", "", false, carriers.StatusReturning, "", "ups/returning"},
	{"X", "", "119", "", false, carriers.StatusReturning, "", "ups/return-requested"},
	{"X", "", "012", "", false, carriers.StatusException, carriers.ReasonCustomsHold, "ups/customs-hold"},
	{"X", "", "052", "", false, carriers.StatusException, carriers.ReasonWeather, "ups/weather"},
	{"X", "", "048", "", false, carriers.StatusException, carriers.ReasonDelayed, "ups/delay"},
	{"X", "", "059", "", false, carriers.StatusException, carriers.ReasonDamaged, "ups/damage-reported"},
	{"X", "", "068", "", false, carriers.StatusException, carriers.ReasonLost, "ups/lost"},
	{"X", "", "064", "", false, carriers.StatusException, carriers.ReasonRefused, "ups/refused"},
	{"X", "", "147", "", false, carriers.StatusException, carriers.ReasonOther, "ups/seized-or-destroyed"},
	{"NA", "", "000", "", false, carriers.StatusUnknown, "", "ups/status-unavailable"},
	// A status code with a rule wins over a logical flag; one without
	// leaves a logical event informational.
	{"I", "", "046", "", true, carriers.StatusException, carriers.ReasonDelayed, "ups/delay"},
	{"I", "IS", "005", "", true, carriers.StatusUnknown, "", "ups/logical-informational"},
	// Then the activity type.
	{"M", "DP", "", "", false, carriers.StatusInfoReceived, "", "ups/M-manifest"},
	{"MV", "", "", "", false, carriers.StatusException, carriers.ReasonOther, "ups/MV-voided"},
	{"I", "OF", "", "", false, carriers.StatusOutForDelivery, "", "ups/I-out-for-delivery"},
	{"I", "DP", "014", "", false, carriers.StatusInTransit, "", "ups/I-in-transit"},
	{"i", " ar ", "005", "", false, carriers.StatusInTransit, "", "ups/I-in-transit"},
	{"P", "", "", "", false, carriers.StatusInTransit, "", "ups/P-pickup"},
	{"D", "", "", "", false, carriers.StatusDelivered, "", "ups/D-delivered"},
	{"X", "", "013", "", false, carriers.StatusException, carriers.ReasonOther, "ups/X-exception"},
	{"W", "", "", "", false, carriers.StatusInTransit, "", "ups/freight-in-transit"},
	{"U", "UT", "", "", false, carriers.StatusUnknown, "", "ups/U-informational"},
	{"NA", "", "", "", false, carriers.StatusUnknown, "", "ups/NA-not-available"},
	// Then the scan code alone, for a missing or new type.
	{"", "MP", "", "", false, carriers.StatusInfoReceived, "", "ups/MP-label-created"},
	{"", "OT", "", "", false, carriers.StatusOutForDelivery, "", "ups/OT-out-for-delivery"},
	{"Q", "F4", "", "", false, carriers.StatusDelivered, "", "ups/FS-delivered"},
	{"", "AR", "", "", false, carriers.StatusInTransit, "", "ups/scan-in-transit"},
	{"", "UP", "", "", false, carriers.StatusUnknown, "", "ups/update-informational"},
	// Nothing known.
	{"", "DP", "", "", false, carriers.StatusUnknown, "", "ups/unrecognized-code"},
	{"ZZ", "QQ", "999", "", false, carriers.StatusUnknown, "", "ups/unrecognized-code"},
	{"", "", "", "", false, carriers.StatusUnknown, "", "ups/unrecognized-code"},
}

// TestMapping drives the rule table end to end: each case is encoded with
// the wire types and read back with Parse.
func TestMapping(t *testing.T) {
	for _, tt := range mappingCases {
		name := strings.Join([]string{tt.typ, tt.code, tt.statusCode, tt.text}, "|")
		t.Run(name, func(t *testing.T) {
			a := Activity{Date: "20240305", Time: "100000", LogicalScan: tt.logical,
				Status: Status{Type: tt.typ, Code: tt.code, StatusCode: tt.statusCode, Description: tt.text}}
			pkg := Package{TrackingNumber: "1ZMAP", Activity: []Activity{a}}
			got := carrierstest.ParseOne(t, Parse, bodyOf(t, pkg)).Events[0]
			if got.Status != tt.want || got.Reason != tt.reason || got.Rule != tt.rule {
				t.Errorf("got %s/%q by %s, want %s/%q by %s", got.Status, got.Reason, got.Rule, tt.want, tt.reason, tt.rule)
			}
			if got.Unmapped != (tt.rule == unrecognized.id) {
				t.Errorf("Unmapped = %v for rule %s", got.Unmapped, got.Rule)
			}
		})
	}
}

// TestRuleIDsUnique guards the rule ids: they are stored with events, so
// two rules sharing one would make the agent's explanation ambiguous.
func TestRuleIDsUnique(t *testing.T) {
	seen := map[string]bool{unrecognized.id: true}
	for _, r := range rules {
		if seen[r.id] || !strings.HasPrefix(r.id, "ups/") || r.status == "" {
			t.Errorf("rule %+v: duplicate id, bad prefix or empty status", r)
		}
		seen[r.id] = true
	}
}

// TestEveryRuleCovered keeps mappingCases honest: a rule no case reaches
// may be shadowed by an earlier one.
func TestEveryRuleCovered(t *testing.T) {
	covered := map[string]bool{}
	for _, c := range mappingCases {
		covered[c.rule] = true
	}
	for _, r := range append(rules, unrecognized) {
		if !covered[r.id] {
			t.Errorf("rule %s has no case in mappingCases", r.id)
		}
	}
}

// TestStatusCodesOnce checks no 3-digit code is claimed by two rules
// without a text refinement: the second would be dead.
func TestStatusCodesOnce(t *testing.T) {
	owner := map[string]string{}
	for _, r := range statusCodeRules {
		if len(r.needles) > 0 {
			continue
		}
		for _, c := range r.statusCodes {
			if len(c) != 3 {
				t.Errorf("rule %s: code %q is not zero-padded", r.id, c)
			}
			if prev, ok := owner[c]; ok {
				t.Errorf("code %s in both %s and %s", c, prev, r.id)
			}
			owner[c] = r.id
		}
	}
}

func TestPadCode(t *testing.T) {
	tests := map[string]string{"3": "003", "11": "011", "011": "011", " 21 ": "021", "": "", "string": "string", "1234": "1234", "-1": "-1"}
	for in, want := range tests {
		if got := padCode(in); got != want {
			t.Errorf("padCode(%q) = %q, want %q", in, got, want)
		}
	}
}
