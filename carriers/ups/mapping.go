package ups

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wismo/wismo/carriers"
)

// rule maps UPS codes to a normalized status. Each of statusCodes (3-digit),
// types (activity type) and scanCodes (2-letter) narrows the match when set;
// needles (any one, case-insensitive on the description) and logical narrow
// it further. id is stable: it is stored with the event and shown to agents
// as the reason for the status.
type rule struct {
	statusCodes []string
	types       []string
	scanCodes   []string
	needles     []string
	logical     bool
	status      carriers.Status
	reason      carriers.Reason
	id          string
}

// rules is UPS's mapping (CARRIERS.md §2, "apply in this order"), first
// match wins: the 3-digit status code where it says more than the type,
// then logical scans, then the activity type (with OT/OF refining I), then
// the 2-letter scan code alone for activities without a known type.
// Informational rules give StatusUnknown so the event joins the timeline
// without ever changing the parcel's status.
var rules = slices.Concat(statusCodeRules, typeRules, scanCodeRules)

var statusCodeRules = []rule{
	{statusCodes: codes(3, 157, 79, 80, 166), status: carriers.StatusInfoReceived, id: "ups/ready-for-ups"},
	// The parcel is not with UPS yet: pickup attempts and a voided pickup.
	{statusCodes: codes(65, 131, 135, 43), status: carriers.StatusInfoReceived, id: "ups/pickup-attempt"},
	{statusCodes: codes(7), status: carriers.StatusException, reason: carriers.ReasonOther, id: "ups/voided"},
	{statusCodes: codes(11, 26, 143), status: carriers.StatusDelivered, id: "ups/delivered"},
	{statusCodes: codes(17, 40, 144, 161), status: carriers.StatusAvailableForPickup, id: "ups/held-for-pickup"},
	{statusCodes: codes(153, 154, 55), status: carriers.StatusUnknown, id: "ups/eta-update-informational"},
	{statusCodes: codes(155), status: carriers.StatusUnknown, id: "ups/photo-informational"},
	// A change, hold or reschedule asked for or confirmed, and claim
	// paperwork: news for the agent, not a movement of the parcel.
	{statusCodes: slices.Concat(codes(18, 19, 20, 27, 28, 54, 63, 82), span(95, 117), span(120, 122), span(127, 130), codes(140, 142)),
		status: carriers.StatusUnknown, id: "ups/request-informational"},
	{statusCodes: codes(6, 21, 37, 72, 78, 89, 91, 146, 162), status: carriers.StatusOutForDelivery, id: "ups/out-for-delivery"},
	{statusCodes: codes(61, 62), status: carriers.StatusAttemptFailed, reason: carriers.ReasonOther, id: "ups/attempt-signature-or-funds"},
	{statusCodes: codes(22, 23, 24, 60, 66, 145), status: carriers.StatusAttemptFailed, id: "ups/attempt"},
	{statusCodes: codes(50), status: carriers.StatusException, reason: carriers.ReasonAddressIssue, id: "ups/address-required"},
	{statusCodes: codes(69), needles: []string{"address"}, status: carriers.StatusException, reason: carriers.ReasonAddressIssue, id: "ups/unable-to-deliver+address"},
	{statusCodes: codes(69), status: carriers.StatusException, reason: carriers.ReasonOther, id: "ups/unable-to-deliver"},
	{statusCodes: codes(34, 67), status: carriers.StatusReturned, id: "ups/returned-to-sender"},
	{statusCodes: codes(81), status: carriers.StatusReturned, reason: carriers.ReasonDamaged, id: "ups/returned-damaged"},
	{statusCodes: codes(35, 36), status: carriers.StatusReturning, id: "ups/returning"},
	// A return asked for or confirmed; a later movement supersedes it.
	{statusCodes: codes(33, 118, 119), status: carriers.StatusReturning, id: "ups/return-requested"},
	// Clearance in progress or waiting for papers. A later 014/084/134
	// (cleared) falls through to its type and puts the parcel back in transit.
	{statusCodes: codes(12, 92, 123, 124, 125, 126, 58, 141), status: carriers.StatusException, reason: carriers.ReasonCustomsHold, id: "ups/customs-hold"},
	{statusCodes: codes(32, 51, 52, 53), status: carriers.StatusException, reason: carriers.ReasonWeather, id: "ups/weather"},
	{statusCodes: codes(46, 48, 49, 86, 90, 132, 138), status: carriers.StatusException, reason: carriers.ReasonDelayed, id: "ups/delay"},
	{statusCodes: codes(59), status: carriers.StatusException, reason: carriers.ReasonDamaged, id: "ups/damage-reported"},
	{statusCodes: codes(68), status: carriers.StatusException, reason: carriers.ReasonLost, id: "ups/lost"},
	{statusCodes: codes(64), status: carriers.StatusException, reason: carriers.ReasonRefused, id: "ups/refused"},
	{statusCodes: codes(147, 149), status: carriers.StatusException, reason: carriers.ReasonOther, id: "ups/seized-or-destroyed"},
	// UPS says it has nothing to say; a known code, so not unmapped.
	{statusCodes: codes(0, 148, 163), status: carriers.StatusUnknown, id: "ups/status-unavailable"},
}

var typeRules = []rule{
	// A system-generated event whose status code said nothing specific
	// above is a note about the parcel, not a scan of it; its type alone
	// must not move the status.
	{logical: true, status: carriers.StatusUnknown, id: "ups/logical-informational"},
	{types: []string{"M"}, status: carriers.StatusInfoReceived, id: "ups/M-manifest"},
	{types: []string{"MV"}, status: carriers.StatusException, reason: carriers.ReasonOther, id: "ups/MV-voided"},
	{types: []string{"I"}, scanCodes: []string{"OT", "OF"}, status: carriers.StatusOutForDelivery, id: "ups/I-out-for-delivery"},
	{types: []string{"I"}, status: carriers.StatusInTransit, id: "ups/I-in-transit"},
	// P (pickup) is only in legacy UPS code, not the current table.
	{types: []string{"P"}, status: carriers.StatusInTransit, id: "ups/P-pickup"},
	{types: []string{"D"}, status: carriers.StatusDelivered, id: "ups/D-delivered"},
	{types: []string{"X"}, status: carriers.StatusException, reason: carriers.ReasonOther, id: "ups/X-exception"},
	// Freight: delivered to a container freight station, warehousing.
	{types: []string{"DO", "DD", "W"}, status: carriers.StatusInTransit, id: "ups/freight-in-transit"},
	{types: []string{"U"}, status: carriers.StatusUnknown, id: "ups/U-informational"},
	{types: []string{"NA"}, status: carriers.StatusUnknown, id: "ups/NA-not-available"},
}

// scanCodeRules read the 2-letter code when the type is missing or new.
// DP is left out: it is "manifest processed" under M and "departed" under
// I, so without a type it means nothing certain.
var scanCodeRules = []rule{
	{scanCodes: []string{"MP"}, status: carriers.StatusInfoReceived, id: "ups/MP-label-created"},
	{scanCodes: []string{"OT", "OF"}, status: carriers.StatusOutForDelivery, id: "ups/OT-out-for-delivery"},
	{scanCodes: []string{"FS", "F4"}, status: carriers.StatusDelivered, id: "ups/FS-delivered"},
	{scanCodes: []string{"OC", "AR", "YP", "SR"}, status: carriers.StatusInTransit, id: "ups/scan-in-transit"},
	{scanCodes: []string{"PX", "UP", "UT"}, status: carriers.StatusUnknown, id: "ups/update-informational"},
}

// unrecognized is the result for an activity no rule knows: kept on the
// timeline, flagged as unmapped, never allowed to change the status.
var unrecognized = rule{status: carriers.StatusUnknown, id: "ups/unrecognized-code"}

// codes zero-pads status codes as the API sends them: 3 becomes "003".
func codes(ns ...int) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = fmt.Sprintf("%03d", n)
	}
	return out
}

// span is codes(from, from+1, ..., to).
func span(from, to int) []string {
	var ns []int
	for n := from; n <= to; n++ {
		ns = append(ns, n)
	}
	return codes(ns...)
}

// classify returns the first rule matching the activity, and whether no
// rule did.
func classify(a Activity) (r rule, unmapped bool) {
	k := keyOf(a)
	for _, candidate := range rules {
		if candidate.matches(k) {
			return candidate, false
		}
	}
	return unrecognized, true
}

// key is an activity's codes, normalized for matching.
type key struct {
	statusCode, typ, scanCode, text string
	logical                         bool
}

func keyOf(a Activity) key {
	return key{
		statusCode: padCode(a.Status.StatusCode),
		typ:        strings.ToUpper(strings.TrimSpace(a.Status.Type)),
		scanCode:   strings.ToUpper(strings.TrimSpace(a.Status.Code)),
		text:       strings.ToLower(a.Status.Description),
		logical:    a.LogicalScan,
	}
}

func (r rule) matches(k key) bool {
	return in(r.statusCodes, k.statusCode) && in(r.types, k.typ) && in(r.scanCodes, k.scanCode) &&
		(!r.logical || k.logical) && (len(r.needles) == 0 || containsAny(k.text, r.needles))
}

// in reports whether v is one of set; an empty set allows anything.
func in(set []string, v string) bool {
	return len(set) == 0 || slices.Contains(set, v)
}

func containsAny(text string, needles []string) bool {
	return slices.ContainsFunc(needles, func(n string) bool { return strings.Contains(text, n) })
}

// padCode zero-pads a numeric status code that arrives shorter than three
// digits ("3" is "003"); anything else is only trimmed. Codes stay strings:
// the leading zeros are part of the identity.
func padCode(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 0 && len(s) < 3 && digits(s) {
		return strings.Repeat("0", 3-len(s)) + s
	}
	return s
}
