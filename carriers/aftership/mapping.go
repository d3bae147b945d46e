package aftership

import (
	"strings"

	"github.com/wismo/wismo/carriers"
)

// rule maps one AfterShip subtag, or a whole tag, to a normalized status.
// Its id, "aftership/" and the code, is stable: it is stored with the event
// and shown to agents as the reason for the status.
type rule struct {
	code     string
	status   carriers.Status
	reason   carriers.Reason
	unmapped bool
}

func (r rule) id() string { return "aftership/" + r.code }

// rules is AfterShip's mapping (CARRIERS.md §6). A subtag row refines its
// tag's row; a subtag with no row of its own takes its tag's.
var rules = []rule{
	pending,
	{code: "InfoReceived", status: carriers.StatusInfoReceived},

	// Customs clearance starting is a normal leg of an import, and
	// "problem resolved" ends an exception: both are plain transit.
	{code: "InTransit_006", status: carriers.StatusInTransit},
	{code: "InTransit_008", status: carriers.StatusInTransit},
	{code: "InTransit", status: carriers.StatusInTransit},

	// OutForDelivery_002 meant "available for pickup" in older versions.
	{code: "OutForDelivery_002", status: carriers.StatusAvailableForPickup},
	{code: "OutForDelivery", status: carriers.StatusOutForDelivery},
	{code: "AvailableForPickup", status: carriers.StatusAvailableForPickup},

	{code: "AttemptFail_002", status: carriers.StatusAttemptFailed, reason: carriers.ReasonOther},
	{code: "AttemptFail_003", status: carriers.StatusAttemptFailed, reason: carriers.ReasonOther},
	{code: "AttemptFail", status: carriers.StatusAttemptFailed},

	{code: "Delivered", status: carriers.StatusDelivered},

	{code: "Exception_010", status: carriers.StatusReturning},
	{code: "Exception_011", status: carriers.StatusReturned},
	{code: "Exception_002", status: carriers.StatusException, reason: carriers.ReasonAddressIssue},
	{code: "Exception_007", status: carriers.StatusException, reason: carriers.ReasonAddressIssue},
	{code: "Exception_003", status: carriers.StatusException, reason: carriers.ReasonRefused},
	{code: "Exception_004", status: carriers.StatusException, reason: carriers.ReasonCustomsHold},
	// Held for payment is nearly always duties and taxes.
	{code: "Exception_006", status: carriers.StatusException, reason: carriers.ReasonCustomsHold},
	{code: "Exception_005", status: carriers.StatusException, reason: carriers.ReasonDelayed},
	{code: "Exception_012", status: carriers.StatusException, reason: carriers.ReasonDamaged},
	{code: "Exception_013", status: carriers.StatusException, reason: carriers.ReasonLost},
	{code: "Exception_001", status: carriers.StatusException, reason: carriers.ReasonOther},
	{code: "Exception_008", status: carriers.StatusException, reason: carriers.ReasonOther},
	{code: "Exception_009", status: carriers.StatusException, reason: carriers.ReasonOther},
	{code: "Exception", status: carriers.StatusException, reason: carriers.ReasonOther},

	{code: "Expired", status: carriers.StatusExpired},
}

// pending is "nothing yet"; demotePending makes it informational once real
// checkpoints exist.
var pending = rule{code: "Pending", status: carriers.StatusPending}

// unrecognized is the result for a tag outside AfterShip's documented set:
// kept on the timeline, counted so the table gets extended.
var unrecognized = rule{code: "unrecognized-code", status: carriers.StatusUnknown, unmapped: true}

// pendingAfterData replaces Pending once the parcel has real checkpoints.
var pendingAfterData = rule{code: "Pending+after-data", status: carriers.StatusUnknown}

// classify returns the subtag's rule, else its tag's. The tag comes from the
// subtag's prefix ("Exception" of "Exception_099") when the checkpoint omits
// it.
func classify(tag, subtag string) rule {
	subtag = strings.TrimSpace(subtag)
	if r, ok := lookup(subtag); ok {
		return r
	}
	if tag = strings.TrimSpace(tag); tag == "" {
		tag, _, _ = strings.Cut(subtag, "_")
	}
	if r, ok := lookup(tag); ok {
		return r
	}
	return unrecognized
}

// lookup finds code's row; codes are matched without regard to case.
func lookup(code string) (rule, bool) {
	if code == "" {
		return rule{}, false
	}
	for _, r := range rules {
		if strings.EqualFold(r.code, code) {
			return r, true
		}
	}
	return rule{}, false
}

// demotePending makes every Pending event after the first real checkpoint
// informational: Pending then says AfterShip is waiting for news, not that
// the parcel went back to "nothing yet".
func demotePending(events []carriers.Event) {
	seenData := false
	for i := range events {
		e := &events[i]
		switch {
		case e.Rule != pending.id():
			seenData = true
		case seenData:
			e.Status, e.Rule = pendingAfterData.status, pendingAfterData.id()
		}
	}
}

// carrierName turns a courier slug into wismo's carrier name: its own
// carriers and their regional slugs ("dhl-germany", "fedex-uk", "ups-mi")
// by name, any other courier as its slug.
func carrierName(slug string) string {
	s := strings.ToLower(strings.TrimSpace(slug))
	for _, own := range []string{"usps", "ups", "fedex", "dhl"} {
		if s == own || strings.HasPrefix(s, own+"-") {
			return own
		}
	}
	if s == "" {
		return Provider
	}
	return s
}
