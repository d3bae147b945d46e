package tracker

import (
	"slices"
	"testing"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/store"
)

// TestStatusesTranslate: every status and reason a carrier's mapping can
// produce is one the store keeps, so no event is stored under a word the
// desk does not know.
func TestStatusesTranslate(t *testing.T) {
	for _, s := range []carriers.Status{
		carriers.StatusPending, carriers.StatusInfoReceived, carriers.StatusInTransit,
		carriers.StatusOutForDelivery, carriers.StatusAvailableForPickup, carriers.StatusDelivered,
		carriers.StatusAttemptFailed, carriers.StatusException, carriers.StatusReturning,
		carriers.StatusReturned, carriers.StatusExpired, carriers.StatusUnknown,
	} {
		got := StoreEvents([]carriers.Event{{Status: s}})[0].Status
		if !slices.Contains(store.Statuses, got) || string(got) != string(s) {
			t.Errorf("carrier status %q is stored as %q", s, got)
		}
	}
	for _, r := range []carriers.Reason{
		carriers.ReasonNone, carriers.ReasonAddressIssue, carriers.ReasonCustomsHold,
		carriers.ReasonDamaged, carriers.ReasonLost, carriers.ReasonDelayed,
		carriers.ReasonRefused, carriers.ReasonWeather, carriers.ReasonOther,
	} {
		got := StoreEvents([]carriers.Event{{Reason: r}})[0].Reason
		if !slices.Contains(store.Reasons, got) || string(got) != string(r) {
			t.Errorf("carrier reason %q is stored as %q", r, got)
		}
	}
}
