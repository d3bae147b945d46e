package usps

import (
	"strings"

	"github.com/wismo/wismo/carriers"
)

// rule maps one Pub 199 event code, optionally narrowed by needles (any
// one, matched case-insensitively in eventType) or to events before USPS
// held the parcel, to a normalized status. id is stable: it is stored with
// the event and shown to agents as the reason for the status. unmapped
// marks the fallback for a code in no row.
type rule struct {
	// code is the event code; anyCode rows match on needles alone.
	code             string
	anyCode          bool
	needles          []string
	beforeAcceptance bool
	status           carriers.Status
	reason           carriers.Reason
	id               string
	unmapped         bool
}

// rules is USPS's mapping (CARRIERS.md §4), first match wins. The event
// code carries the meaning, so there is one row a code; a code's narrower
// rows come before its plain one.
var rules = []rule{
	// Our refinement, not the doc's: USPS words customs holds and damage
	// in the event text ("Held in Customs", "Item Damaged"), and none of
	// the Pub 199 codes we could verify stands for them; under any code,
	// that text is the most specific thing the event says.
	{anyCode: true, needles: []string{"held in customs", "customs hold"},
		status: carriers.StatusException, reason: carriers.ReasonCustomsHold, id: "usps/held-in-customs"},
	{anyCode: true, needles: []string{"item damaged", "damaged"},
		status: carriers.StatusException, reason: carriers.ReasonDamaged, id: "usps/item-damaged"},

	{code: "MA", status: carriers.StatusInfoReceived, id: "usps/MA-manifest"},
	{code: "GX", status: carriers.StatusInfoReceived, id: "usps/GX-label-created"},
	// A truck manifest before any scan of the parcel is still paperwork.
	{code: "TM", beforeAcceptance: true, status: carriers.StatusInfoReceived, id: "usps/TM-before-acceptance"},
	{code: "TM", status: carriers.StatusInTransit, id: "usps/TM-shipment-acceptance"},

	{code: "03", status: carriers.StatusInTransit, id: "usps/03-accepted"},
	{code: "PA", status: carriers.StatusInTransit, id: "usps/PA-passive-acceptance"},
	{code: "10", status: carriers.StatusInTransit, id: "usps/10-processed"},
	{code: "SF", status: carriers.StatusInTransit, id: "usps/SF-departed-post-office"},
	{code: "EF", status: carriers.StatusInTransit, id: "usps/EF-departed-sort-facility"},
	{code: "A1", status: carriers.StatusInTransit, id: "usps/A1-arrived-regional-facility"},
	{code: "T1", status: carriers.StatusInTransit, id: "usps/T1-departed-regional-facility"},
	{code: "TL", status: carriers.StatusInTransit, id: "usps/TL-in-transit"},
	{code: "07", status: carriers.StatusInTransit, id: "usps/07-arrived-post-office"},
	{code: "PC", status: carriers.StatusInTransit, id: "usps/PC-sorting-complete"},
	{code: "06", status: carriers.StatusInTransit, id: "usps/06-forwarded"},
	{code: "19", status: carriers.StatusInTransit, id: "usps/19-evs-arrive"},
	{code: "41", status: carriers.StatusInTransit, id: "usps/41-opening-unit"},
	{code: "42", status: carriers.StatusInTransit, id: "usps/42-handoff-to-partner"},
	{code: "80", status: carriers.StatusInTransit, id: "usps/80-partner-picked-up"},
	{code: "81", status: carriers.StatusInTransit, id: "usps/81-partner-arrived"},
	{code: "82", status: carriers.StatusInTransit, id: "usps/82-partner-departed"},
	{code: "71", status: carriers.StatusInTransit, reason: carriers.ReasonDelayed, id: "usps/71-rescheduled"},

	{code: "OF", status: carriers.StatusOutForDelivery, id: "usps/OF-out-for-delivery"},

	// Our refinement, not the doc's: "Delivered, To Original Sender" is a
	// delivery back to the merchant, which the code alone calls delivered.
	{code: "01", needles: []string{"to original sender", "to sender"},
		status: carriers.StatusReturned, id: "usps/01-delivered-to-sender"},
	{code: "01", status: carriers.StatusDelivered, id: "usps/01-delivered"},
	{code: "17", status: carriers.StatusDelivered, id: "usps/17-picked-up-by-agent"},
	{code: "43", status: carriers.StatusDelivered, id: "usps/43-picked-up"},

	{code: "14", status: carriers.StatusAvailableForPickup, id: "usps/14-at-pickup-point"},
	{code: "16", status: carriers.StatusAvailableForPickup, id: "usps/16-available-for-pickup"},

	{code: "02", status: carriers.StatusAttemptFailed, id: "usps/02-notice-left"},
	{code: "52", status: carriers.StatusAttemptFailed, id: "usps/52-notice-left"},
	{code: "53", status: carriers.StatusAttemptFailed, reason: carriers.ReasonOther, id: "usps/53-receptacle-blocked"},
	{code: "54", status: carriers.StatusAttemptFailed, reason: carriers.ReasonOther, id: "usps/54-receptacle-full"},
	{code: "55", status: carriers.StatusAttemptFailed, reason: carriers.ReasonOther, id: "usps/55-no-secure-location"},
	{code: "56", status: carriers.StatusAttemptFailed, id: "usps/56-no-authorized-recipient"},
	{code: "30", status: carriers.StatusAttemptFailed, reason: carriers.ReasonOther, id: "usps/30-no-access"},
	{code: "51", status: carriers.StatusAttemptFailed, reason: carriers.ReasonOther, id: "usps/51-business-closed"},

	{code: "04", status: carriers.StatusException, reason: carriers.ReasonRefused, id: "usps/04-refused"},
	{code: "05", status: carriers.StatusException, reason: carriers.ReasonAddressIssue, id: "usps/05-undeliverable-as-addressed"},
	{code: "08", status: carriers.StatusException, reason: carriers.ReasonDelayed, id: "usps/08-missent"},
	{code: "15", status: carriers.StatusException, reason: carriers.ReasonDelayed, id: "usps/15-mis-shipped"},
	{code: "11", status: carriers.StatusException, reason: carriers.ReasonLost, id: "usps/11-dead-letter"},

	{code: "09", status: carriers.StatusReturning, id: "usps/09-return-to-sender"},
	{code: "44", status: carriers.StatusReturning, id: "usps/44-customer-recall"},
	{code: "21", status: carriers.StatusReturning, reason: carriers.ReasonAddressIssue, id: "usps/21-no-such-number"},
	{code: "22", status: carriers.StatusReturning, reason: carriers.ReasonAddressIssue, id: "usps/22-insufficient-address"},
	{code: "23", status: carriers.StatusReturning, reason: carriers.ReasonAddressIssue, id: "usps/23-moved-no-address"},
	{code: "24", status: carriers.StatusReturning, reason: carriers.ReasonAddressIssue, id: "usps/24-forward-expired"},
	{code: "25", status: carriers.StatusReturning, reason: carriers.ReasonAddressIssue, id: "usps/25-addressee-unknown"},
	{code: "26", status: carriers.StatusReturning, reason: carriers.ReasonAddressIssue, id: "usps/26-vacant"},
	{code: "27", status: carriers.StatusReturning, reason: carriers.ReasonOther, id: "usps/27-unclaimed"},
	{code: "28", status: carriers.StatusReturning, reason: carriers.ReasonOther, id: "usps/28-deceased"},
	{code: "29", status: carriers.StatusReturning, reason: carriers.ReasonOther, id: "usps/29-other"},
	{code: "31", status: carriers.StatusReturning, reason: carriers.ReasonOther, id: "usps/31-not-picked-up"},

	// "Delivery status not updated" says nothing about where the parcel
	// is, so it must not move the parcel's status either way.
	{code: "DX", status: carriers.StatusUnknown, id: "usps/DX-informational"},
}

// unrecognized is the result for a code in no row: kept on the timeline,
// never allowed to change the parcel's status, and counted as unmapped.
var unrecognized = rule{status: carriers.StatusUnknown, id: "usps/unrecognized-code", unmapped: true}

// classify returns the first rule matching an event. code is compared
// upper-cased, so "of" and "OF" are one code; accepted says whether an
// earlier event showed USPS holding the parcel.
func classify(code, text string, accepted bool) rule {
	code = strings.ToUpper(code)
	text = strings.ToLower(text)
	for _, r := range rules {
		if r.matches(code, text, accepted) {
			return r
		}
	}
	return unrecognized
}

func (r rule) matches(code, text string, accepted bool) bool {
	if !r.anyCode && r.code != code {
		return false
	}
	if r.beforeAcceptance && accepted {
		return false
	}
	return len(r.needles) == 0 || containsAny(text, r.needles)
}

func containsAny(text string, needles []string) bool {
	for _, n := range needles {
		if strings.Contains(text, n) {
			return true
		}
	}
	return false
}

// accepts reports whether an event with status s shows USPS holding the
// parcel: anything past paperwork, bar events that say nothing.
func accepts(s carriers.Status) bool {
	return s != carriers.StatusInfoReceived && s != carriers.StatusUnknown
}
