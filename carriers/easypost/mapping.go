package easypost

import (
	"slices"
	"strings"

	"github.com/wismo/wismo/carriers"
)

// rule maps an EasyPost status, optionally narrowed to some status_detail
// values (any one) or to international shipments, to a normalized status.
// id is stable: it is stored with the event and shown to agents as the
// reason for the status.
type rule struct {
	status        string
	details       []string
	international bool
	result        carriers.Status
	reason        carriers.Reason
	id            string
	// unmapped marks the fallback for a status in no row.
	unmapped bool
}

// rules is EasyPost's mapping (CARRIERS.md §5), first match wins: specific
// details before each status's catch-all. Details refine only; a detail
// EasyPost adds later falls to its status's catch-all.
var rules = []rule{
	{status: "pre_transit", result: carriers.StatusInfoReceived, id: "easypost/pre_transit"},

	// Delays while moving are worth a rule id of their own, but the parcel
	// is still in transit: Reason belongs to exceptions, attempts, returns.
	{status: "in_transit", details: []string{"delayed", "missorted"}, result: carriers.StatusInTransit, id: "easypost/in_transit+delayed"},
	{status: "in_transit", details: []string{"weather_delay"}, result: carriers.StatusInTransit, id: "easypost/in_transit+weather"},
	{status: "in_transit", result: carriers.StatusInTransit, id: "easypost/in_transit"},

	{status: "out_for_delivery", result: carriers.StatusOutForDelivery, id: "easypost/out_for_delivery"},
	{status: "available_for_pickup", result: carriers.StatusAvailableForPickup, id: "easypost/available_for_pickup"},
	{status: "delivered", result: carriers.StatusDelivered, id: "easypost/delivered"},
	// Only the tracker's finalized flag says the return arrived; see
	// markReturned.
	{status: "return_to_sender", result: carriers.StatusReturning, id: returnToSenderID},

	{status: "failure", details: []string{"delivery_exception"}, result: carriers.StatusAttemptFailed, reason: carriers.ReasonOther, id: "easypost/failure+delivery_exception"},
	{status: "failure", details: []string{"address_correction"}, result: carriers.StatusException, reason: carriers.ReasonAddressIssue, id: "easypost/failure+address_correction"},
	{status: "failure", details: []string{"damaged"}, result: carriers.StatusException, reason: carriers.ReasonDamaged, id: "easypost/failure+damaged"},
	{status: "failure", details: []string{"lost"}, result: carriers.StatusException, reason: carriers.ReasonLost, id: "easypost/failure+lost"},
	{status: "failure", details: []string{"refused"}, result: carriers.StatusException, reason: carriers.ReasonRefused, id: "easypost/failure+refused"},
	{status: "failure", details: []string{"weather_delay"}, result: carriers.StatusException, reason: carriers.ReasonWeather, id: "easypost/failure+weather_delay"},
	{status: "failure", details: []string{"delayed", "missorted"}, result: carriers.StatusException, reason: carriers.ReasonDelayed, id: "easypost/failure+delayed"},
	// EasyPost has no customs detail: a hold across a border is customs,
	// a domestic one is something else.
	{status: "failure", details: []string{"held", "awaiting_information"}, international: true, result: carriers.StatusException, reason: carriers.ReasonCustomsHold, id: "easypost/failure+held+international"},
	{status: "failure", details: []string{"held", "awaiting_information"}, result: carriers.StatusException, reason: carriers.ReasonOther, id: "easypost/failure+held"},
	{status: "failure", details: []string{"expired"}, result: carriers.StatusExpired, id: "easypost/failure+expired"},
	{status: "failure", result: carriers.StatusException, reason: carriers.ReasonOther, id: "easypost/failure"},

	{status: "cancelled", result: carriers.StatusException, reason: carriers.ReasonOther, id: "easypost/cancelled"},
	// error is the tracker failing (a bad code, the carrier unreachable),
	// not the parcel: informational.
	{status: "error", result: carriers.StatusUnknown, id: "easypost/error"},
	{status: "unknown", result: carriers.StatusUnknown, id: "easypost/unknown"},
}

// returnToSenderID is the rule id markReturned looks for.
const returnToSenderID = "easypost/return_to_sender"

// unrecognized is the result for a status outside EasyPost's documented
// set: kept on the timeline, counted so the table gets extended.
var unrecognized = rule{result: carriers.StatusUnknown, id: "easypost/unrecognized-code", unmapped: true}

// returned replaces the newest return_to_sender scan of a finalized tracker.
var returned = rule{result: carriers.StatusReturned, id: "easypost/return_to_sender+finalized"}

// classify returns the first rule matching a scan's status and detail.
func classify(status, detail string, international bool) rule {
	status = strings.ToLower(strings.TrimSpace(status))
	detail = strings.ToLower(strings.TrimSpace(detail))
	for _, r := range rules {
		if r.matches(status, detail, international) {
			return r
		}
	}
	return unrecognized
}

func (r rule) matches(status, detail string, international bool) bool {
	if r.status != status || (r.international && !international) {
		return false
	}
	return len(r.details) == 0 || slices.Contains(r.details, detail)
}

// markReturned turns the newest event of a finalized tracker into
// "returned" when it is a return_to_sender scan: EasyPost keeps the status
// return_to_sender both on the way back and on arrival, and only the
// tracker's finalized flag tells the two apart. Earlier scans of the return
// stay "returning".
func markReturned(events []carriers.Event) {
	if len(events) == 0 {
		return
	}
	last := &events[len(events)-1]
	if last.Rule == returnToSenderID {
		last.Status, last.Rule = returned.result, returned.id
	}
}

// international reports whether a scan belongs to a cross-border shipment:
// origin and destination countries differ, or the scan is in a country
// other than the destination.
func international(cd *CarrierDetail, d TrackingDetail, dest string) bool {
	if dest == "" {
		return false
	}
	for _, c := range []string{originCountry(cd), d.TrackingLocation.Country} {
		if c = carriers.NormCountry(c); c != "" && c != dest {
			return true
		}
	}
	return false
}

func destinationCountry(cd *CarrierDetail) string {
	if cd == nil || cd.DestinationTrackingLocation == nil {
		return ""
	}
	return carriers.NormCountry(cd.DestinationTrackingLocation.Country)
}

func originCountry(cd *CarrierDetail) string {
	if cd == nil || cd.OriginTrackingLocation == nil {
		return ""
	}
	return cd.OriginTrackingLocation.Country
}

// carrierName turns EasyPost's carrier name into wismo's: its own carriers
// by prefix (EasyPost has several account types per carrier: FedExDefault,
// FedExSmartPost, DHLExpress, DHLEcommerceSolutions, UPSDAP), any other
// carrier as EasyPost names it, lower-cased. A tracker whose carrier was
// not detected is filed under the feed.
func carrierName(name string) string {
	c := strings.ToLower(strings.Join(strings.Fields(name), ""))
	for _, own := range []string{"usps", "ups", "fedex", "dhl"} {
		if strings.HasPrefix(c, own) {
			return own
		}
	}
	if c == "" {
		return Provider
	}
	return c
}
