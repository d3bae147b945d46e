package dhl

import (
	"strings"

	"github.com/wismo/wismo/carriers"
)

// signal is a fact besides the event text that a rule can require.
type signal int

const (
	// noSignal: the rule looks at the status code and text only.
	noSignal signal = iota
	// servicePoint: the event's location names a parcel shop or locker.
	servicePoint
	// returnFlag: the shipment carries returnFlag=true.
	returnFlag
)

// rule maps one DHL statusCode, optionally narrowed by text needles (any
// one, matched case-insensitively on status, description and remark) or by
// a signal, to a normalized status. id is stable: it is stored with the
// event and shown to agents as the reason for the status.
type rule struct {
	code    string
	needles []string
	signal  signal
	status  carriers.Status
	reason  carriers.Reason
	id      string
	// unmapped marks the fallback for a code in no row.
	unmapped bool
}

// rules is DHL's mapping (CARRIERS.md §1), first match wins. DHL has only five
// coarse codes, so the meaning is in the text; specific texts come before the
// catch-all rule of each code.
var rules = []rule{
	{code: "pre-transit", status: carriers.StatusInfoReceived, id: "dhl/pre-transit"},

	{code: "transit", needles: []string{"out for delivery", "loaded onto the delivery vehicle", "with delivery courier"},
		status: carriers.StatusOutForDelivery, id: "dhl/transit+out-for-delivery"},
	{code: "transit", needles: []string{"ready for pick", "available for pickup", "collection"},
		status: carriers.StatusAvailableForPickup, id: "dhl/transit+pickup"},
	{code: "transit", signal: servicePoint, status: carriers.StatusAvailableForPickup, id: "dhl/transit+service-point"},
	// Customs clearance is a normal leg of the journey while the code says transit.
	{code: "transit", needles: []string{"customs"}, status: carriers.StatusInTransit, id: "dhl/transit+customs"},
	{code: "transit", status: carriers.StatusInTransit, id: "dhl/transit"},

	{code: "delivered", status: carriers.StatusDelivered, id: "dhl/delivered"},

	// "returned" also covers "being returned".
	{code: "failure", needles: []string{"returned", "return to sender"},
		status: carriers.StatusReturning, id: "dhl/failure+returned"},
	{code: "failure", needles: []string{"customs"},
		status: carriers.StatusException, reason: carriers.ReasonCustomsHold, id: "dhl/failure+customs"},
	{code: "failure", needles: []string{"address", "moved", "doorbell", "not found"},
		status: carriers.StatusAttemptFailed, reason: carriers.ReasonAddressIssue, id: "dhl/failure+address"},
	{code: "failure", needles: []string{"refused"},
		status: carriers.StatusException, reason: carriers.ReasonRefused, id: "dhl/failure+refused"},
	{code: "failure", needles: []string{"damag"},
		status: carriers.StatusException, reason: carriers.ReasonDamaged, id: "dhl/failure+damaged"},
	{code: "failure", needles: []string{"lost"},
		status: carriers.StatusException, reason: carriers.ReasonLost, id: "dhl/failure+lost"},
	{code: "failure", needles: []string{"not collected", "expired"},
		status: carriers.StatusException, reason: carriers.ReasonOther, id: "dhl/failure+not-collected"},
	// returnFlag belongs to the shipment, not to one event, so it only
	// decides failures whose own text explains nothing more specific; an
	// earlier "address not found" keeps its reason in the timeline.
	{code: "failure", signal: returnFlag, status: carriers.StatusReturning, id: "dhl/failure+return-flag"},
	// Our refinement, not DHL's: these texts describe a missed delivery
	// attempt rather than a problem with the parcel.
	{code: "failure", needles: []string{"delivery attempt", "could not be delivered", "not at home", "recipient not available"},
		status: carriers.StatusAttemptFailed, reason: carriers.ReasonOther, id: "dhl/failure+attempt"},
	{code: "failure", status: carriers.StatusException, reason: carriers.ReasonOther, id: "dhl/failure"},

	// unknown is informational ("no simplified code available"), except for
	// the scans the doc shows are plainly a label or a sorting step.
	{code: "unknown", needles: []string{"label created"}, status: carriers.StatusInfoReceived, id: "dhl/unknown+label-created"},
	{code: "unknown", needles: []string{"close bag", "scanned into sack"}, status: carriers.StatusInTransit, id: "dhl/unknown+sack"},
	{code: "unknown", status: carriers.StatusUnknown, id: "dhl/unknown"},
}

// unrecognized is the result for a statusCode outside DHL's documented five:
// kept on the timeline, never allowed to change the parcel's status.
var unrecognized = rule{status: carriers.StatusUnknown, id: "dhl/unrecognized-code", unmapped: true}

// classify returns the first rule matching the event.
func classify(e Event, shipmentReturned bool) rule {
	code := strings.ToLower(strings.TrimSpace(e.StatusCode))
	text := eventText(e)
	for _, r := range rules {
		if r.matches(code, text, e.Location.ServicePoint != nil, shipmentReturned) {
			return r
		}
	}
	return unrecognized
}

func (r rule) matches(code, text string, atServicePoint, shipmentReturned bool) bool {
	if r.code != code {
		return false
	}
	switch r.signal {
	case servicePoint:
		return atServicePoint
	case returnFlag:
		return shipmentReturned
	}
	return len(r.needles) == 0 || containsAny(text, r.needles)
}

// eventText is the lower-cased text the needles search. DHL's status is
// sometimes a sentence and sometimes a code like "OUT_FOR_DELIVERY", so
// underscores become spaces; fields are joined by a newline so a needle
// never matches across two of them.
func eventText(e Event) string {
	text := strings.Join([]string{e.Status, e.Description, e.Remark}, "\n")
	return strings.ToLower(strings.ReplaceAll(text, "_", " "))
}

func containsAny(text string, needles []string) bool {
	for _, n := range needles {
		if strings.Contains(text, n) {
			return true
		}
	}
	return false
}
