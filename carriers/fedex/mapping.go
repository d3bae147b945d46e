package fedex

import (
	"slices"
	"strings"

	"github.com/wismo/wismo/carriers"
)

// rule maps FedEx eventTypes, optionally narrowed by a refinement, to a
// normalized status. A rule with refinements matches when any one of them
// does: an exceptionCode in exceptions, delayDetail.type equal to delay, or
// a needle found (case-insensitively) in the exception or event
// description. id is stable: it is stored with the event and shown to
// agents as the reason for the status.
type rule struct {
	codes      []string
	exceptions []string
	delay      string
	needles    []string
	// derived restricts the rule to a derivedStatusCode; used only where no
	// eventType rule matched.
	derived string
	status  carriers.Status
	reason  carriers.Reason
	id      string
}

// refined holds the eventTypes whose meaning depends on the exception or
// delay they carry (CARRIERS.md §3, "Mapping"), specific rules before the
// catch-all of each code.
var refined = []rule{
	// A redirect to a FedEx location is a detour, not a failure; the HP
	// that follows makes it available for pickup.
	{codes: []string{"DE"}, exceptions: []string{"A47"}, needles: []string{"redirected"},
		status: carriers.StatusInTransit, id: "fedex/DE-redirected"},
	{codes: []string{"DE"}, exceptions: []string{"07"}, needles: []string{"refused"},
		status: carriers.StatusAttemptFailed, reason: carriers.ReasonRefused, id: "fedex/DE-refused"},
	{codes: []string{"DE"}, exceptions: []string{"03"}, needles: []string{"address"},
		status: carriers.StatusAttemptFailed, reason: carriers.ReasonAddressIssue, id: "fedex/DE-address"},
	{codes: []string{"DE"}, exceptions: []string{"08"}, needles: []string{"not available", "business closed"},
		status: carriers.StatusAttemptFailed, reason: carriers.ReasonOther, id: "fedex/DE-recipient-unavailable"},
	{codes: []string{"DE"}, needles: []string{"damage"},
		status: carriers.StatusException, reason: carriers.ReasonDamaged, id: "fedex/DE-damaged"},
	{codes: []string{"DE"}, delay: "WEATHER", needles: []string{"weather"},
		status: carriers.StatusException, reason: carriers.ReasonWeather, id: "fedex/DE-weather"},
	{codes: []string{"DE"}, status: carriers.StatusException, reason: carriers.ReasonOther, id: "fedex/DE-exception"},

	{codes: []string{"SE"}, needles: []string{"damage"},
		status: carriers.StatusException, reason: carriers.ReasonDamaged, id: "fedex/SE-damaged"},
	{codes: []string{"SE"}, needles: []string{"lost", "cannot be located"},
		status: carriers.StatusException, reason: carriers.ReasonLost, id: "fedex/SE-lost"},
	{codes: []string{"SE"}, delay: "WEATHER", needles: []string{"weather"},
		status: carriers.StatusException, reason: carriers.ReasonWeather, id: "fedex/SE-weather"},
	{codes: []string{"SE"}, delay: "CLEARANCE", needles: []string{"customs", "clearance"},
		status: carriers.StatusException, reason: carriers.ReasonCustomsHold, id: "fedex/SE-customs"},
	{codes: []string{"SE"}, needles: []string{"address"},
		status: carriers.StatusException, reason: carriers.ReasonAddressIssue, id: "fedex/SE-address"},
	{codes: []string{"SE"}, needles: []string{"refused"},
		status: carriers.StatusException, reason: carriers.ReasonRefused, id: "fedex/SE-refused"},
	{codes: []string{"SE"}, needles: []string{"delay"},
		status: carriers.StatusException, reason: carriers.ReasonDelayed, id: "fedex/SE-delayed"},
	{codes: []string{"SE"}, status: carriers.StatusException, reason: carriers.ReasonOther, id: "fedex/SE-exception"},

	// Delays: a caller may prefer "in transit, late", but the desk wants
	// them in the exception queue.
	{codes: []string{"DY", "DD", "PD"}, delay: "WEATHER", needles: []string{"weather"},
		status: carriers.StatusException, reason: carriers.ReasonWeather, id: "fedex/delay-weather"},
	{codes: []string{"DY", "DD", "PD"}, delay: "CLEARANCE", needles: []string{"customs", "clearance"},
		status: carriers.StatusException, reason: carriers.ReasonCustomsHold, id: "fedex/delay-clearance"},
	{codes: []string{"DY", "DD", "PD"}, status: carriers.StatusException, reason: carriers.ReasonDelayed, id: "fedex/delay"},

	{codes: []string{"CD"}, status: carriers.StatusException, reason: carriers.ReasonCustomsHold, id: "fedex/CD-clearance-delay"},
	{codes: []string{"CA"}, status: carriers.StatusException, reason: carriers.ReasonOther, id: "fedex/CA-cancelled"},
	{codes: []string{"RS"}, status: carriers.StatusReturning, id: ruleReturning},
	{codes: []string{"DL"}, status: carriers.StatusDelivered, id: ruleDelivered},
}

// The rule ids markReturns looks for and sets.
const (
	ruleReturning = "fedex/RS-return-to-shipper"
	ruleDelivered = "fedex/DL-delivered"
	ruleReturned  = "fedex/DL-after-RS"
)

// plain lists the eventTypes that mean one thing whatever they carry. EA
// (enroute to airport, export approved), SP (split status) and RC (CDO
// cancelled, recipient) are named twice in FedEx's table; each pair lands
// in one group here.
var plain = []struct {
	status carriers.Status
	slug   string
	codes  []string
}{
	{carriers.StatusInfoReceived, "info-received", []string{"OC", "AP", "EP"}},
	{carriers.StatusInTransit, "in-transit", []string{
		"PU", "PX", "OF", "AF", "AR", "AA", "AC", "AX", "OX", "DP", "EA", "EO", "FD", "IT",
		"IX", "LO", "OW", "PF", "PL", "PM", "SF", "TR", "CH", "DR", "DS", "CC", "CP"}},
	{carriers.StatusOutForDelivery, "out-for-delivery", []string{"OD", "ED", "AD"}},
	{carriers.StatusAvailableForPickup, "available-for-pickup", []string{"HL", "HP"}},
	// ETA news (AO on time, AE early), delivery-option (CDO) requests and
	// return-label notices say nothing about where the parcel is.
	{carriers.StatusUnknown, "informational", []string{"AO", "AE", "RR", "RM", "RC", "RP", "LP", "RG", "RD", "SP"}},
}

// labelCreated reads FedEx's own "label created" for an eventType no table
// knows: the one derived code that is never wrong about an eventType.
var labelCreated = rule{derived: "IN", status: carriers.StatusInfoReceived, id: "fedex/derived-IN-label-created"}

// unrecognized is the result for an eventType in no table: kept on the
// timeline, counted as unmapped, never allowed to change the status.
var unrecognized = rule{status: carriers.StatusUnknown, id: "fedex/unrecognized-code"}

// rules is the whole table, first match wins.
var rules = buildRules()

func buildRules() []rule {
	out := slices.Clone(refined)
	for _, g := range plain {
		for _, code := range g.codes {
			out = append(out, rule{codes: []string{code}, status: g.status, id: "fedex/" + code + "-" + g.slug})
		}
	}
	return append(out, labelCreated)
}

// facts is what of a scan the rules look at, normalized once.
type facts struct {
	code, exception, delay, derived string
	text                            string
}

func factsOf(s ScanEvent) facts {
	f := facts{
		code:      strings.ToUpper(strings.TrimSpace(s.EventType)),
		exception: strings.TrimSpace(s.ExceptionCode),
		derived:   strings.ToUpper(strings.TrimSpace(s.DerivedStatusCode)),
		// The fields are joined by a newline so a needle never matches
		// across two of them.
		text: strings.ToLower(s.ExceptionDescription + "\n" + s.EventDescription),
	}
	if s.DelayDetail != nil {
		f.delay = strings.ToUpper(strings.TrimSpace(s.DelayDetail.Type))
	}
	return f
}

// classify returns the first rule matching the scan.
func classify(s ScanEvent) rule {
	f := factsOf(s)
	for _, r := range rules {
		if r.matches(f) {
			return r
		}
	}
	return unrecognized
}

func (r rule) matches(f facts) bool {
	if len(r.codes) > 0 && !slices.Contains(r.codes, f.code) {
		return false
	}
	if r.derived != "" && r.derived != f.derived {
		return false
	}
	if len(r.exceptions) == 0 && r.delay == "" && len(r.needles) == 0 {
		return true
	}
	return slices.Contains(r.exceptions, f.exception) ||
		(r.delay != "" && r.delay == f.delay) ||
		slices.ContainsFunc(r.needles, func(n string) bool { return strings.Contains(f.text, n) })
}

// markReturns turns a delivery that follows a return to shipper into the
// parcel's arrival back home. events must be sorted oldest first.
func markReturns(events []carriers.Event) {
	returning := false
	for i := range events {
		switch events[i].Rule {
		case ruleReturning:
			returning = true
		case ruleDelivered:
			if returning {
				events[i].Status, events[i].Rule = carriers.StatusReturned, ruleReturned
			}
		}
	}
}
