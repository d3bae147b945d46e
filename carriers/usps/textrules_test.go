package usps

import (
	"testing"

	"github.com/wismo/wismo/carriers"
)

// Customs holds and damage are read from the event text under any code:
// no verified Pub 199 code stands for them.
func TestTextRulesNameCustomsAndDamage(t *testing.T) {
	tests := []struct {
		code, text string
		status     carriers.Status
		reason     carriers.Reason
		id         string
	}{
		{"08", "Held in Customs", carriers.StatusException, carriers.ReasonCustomsHold, "usps/held-in-customs"},
		{"H0", "Customs Hold - Import Duties Owed", carriers.StatusException, carriers.ReasonCustomsHold, "usps/held-in-customs"},
		{"15", "Item Damaged, Being Repackaged", carriers.StatusException, carriers.ReasonDamaged, "usps/item-damaged"},
		{"08", "Missent", carriers.StatusException, carriers.ReasonDelayed, "usps/08-missent"},
		{"10", "Processed Through Customs Facility", carriers.StatusInTransit, carriers.ReasonNone, "usps/10-processed"},
	}
	for _, tt := range tests {
		r := classify(tt.code, tt.text, true)
		if r.status != tt.status || r.reason != tt.reason || r.id != tt.id {
			t.Errorf("%s %q: %s/%s by %s, want %s/%s by %s", tt.code, tt.text, r.status, r.reason, r.id, tt.status, tt.reason, tt.id)
		}
	}
}
