package fedex

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/wismo/wismo/carriers"
)

// Carrier is the short name FedEx parcels and events are filed under.
const Carrier = "fedex"

// Parse normalizes a Track API answer body into the shipments it holds,
// in the order FedEx sent them. It is all or nothing: malformed JSON, a
// result without a tracking number, or a scan without a usable date or
// eventType fails the whole body, because a silently shortened history
// would look like a parcel that stopped moving. A number's own error
// inside the body (not found, say) is not a failure of the body: it
// yields no shipment here, and Client.Track reports it on that number's
// carriers.Result. A body that is only a request-level errors list is an
// error.
func Parse(body []byte) ([]carriers.Shipment, error) {
	answers, err := parseResponse(body)
	if err != nil {
		return nil, fmt.Errorf("fedex: %w", err)
	}
	out := []carriers.Shipment{}
	for _, a := range answers {
		out = append(out, a.shipments...)
	}
	return out, nil
}

// answer is what a body says about one tracking number: its shipments, or
// its own error when it has none.
type answer struct {
	number    string
	shipments []carriers.Shipment
	err       error
}

// parseResponse is Parse without the "fedex:" prefix, one answer per
// completeTrackResult.
func parseResponse(body []byte) ([]answer, error) {
	var resp Response
	if err := json.Unmarshal(body, &resp); err != nil {
		return nil, fmt.Errorf("malformed response: %w", err)
	}
	if resp.Output == nil {
		if len(resp.Errors) > 0 {
			return nil, errors.New(errorsText(resp.Errors))
		}
		return nil, nil
	}
	answers := make([]answer, 0, len(resp.Output.CompleteTrackResults))
	for i, c := range resp.Output.CompleteTrackResults {
		a, err := readComplete(c)
		if err != nil {
			return nil, fmt.Errorf("completeTrackResults[%d]: %w", i, err)
		}
		answers = append(answers, a)
	}
	return answers, nil
}

// readComplete reads the results under one number. When the number has a
// shipment, an error beside it (one of several unique ids without data)
// says nothing about the number and is dropped.
func readComplete(c CompleteTrackResult) (answer, error) {
	a := answer{number: strings.TrimSpace(c.TrackingNumber)}
	for i, r := range c.TrackResults {
		if a.number == "" {
			a.number = strings.TrimSpace(r.TrackingNumberInfo.TrackingNumber)
		}
		if a.number == "" {
			return answer{}, fmt.Errorf("trackResults[%d]: missing trackingNumber", i)
		}
		if r.Error != nil && (r.Error.Code != "" || r.Error.Message != "") {
			a.err = cmp.Or(a.err, numberError(a.number, *r.Error))
			continue
		}
		s, err := normalizeResult(a.number, r)
		if err != nil {
			name := strings.TrimSpace(a.number + " " + r.TrackingNumberInfo.TrackingNumberUniqueID)
			return answer{}, fmt.Errorf("%s: %w", name, err)
		}
		a.shipments = append(a.shipments, s)
	}
	if len(a.shipments) > 0 {
		a.err = nil
	}
	return a, nil
}

// numberError is a number's own error. Every "….NOTFOUND" code
// (TRACKINGNUMBER, DATA) means FedEx has nothing under the number yet, which
// for a fresh label is normal: it wraps carriers.ErrNotFound.
func numberError(number string, e APIError) error {
	if strings.HasSuffix(strings.ToUpper(strings.TrimSpace(e.Code)), ".NOTFOUND") {
		return fmt.Errorf("fedex: track %q: %w: %w", number, carriers.ErrNotFound, e)
	}
	return fmt.Errorf("fedex: track %q: %w", number, e)
}

// errorsText joins a request-level errors list into one line.
func errorsText(errs []APIError) string {
	parts := make([]string, 0, len(errs))
	for _, e := range errs {
		if s := strings.TrimSpace(e.Error()); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, "; ")
}

func normalizeResult(number string, r TrackResult) (carriers.Shipment, error) {
	events := make([]carriers.Event, 0, len(r.ScanEvents))
	for i, s := range r.ScanEvents {
		ev, err := normalizeEvent(s)
		if err != nil {
			return carriers.Shipment{}, fmt.Errorf("scanEvents[%d]: %w", i, err)
		}
		events = append(events, ev)
	}
	resolveNaive(events)
	carriers.SortEvents(events)
	markReturns(events)
	s := carriers.Shipment{
		Carrier:           Carrier,
		TrackingNumber:    number,
		Ref:               strings.TrimSpace(r.TrackingNumberInfo.TrackingNumberUniqueID),
		Events:            events,
		EstimatedDelivery: eta(r),
	}
	if r.ServiceDetail != nil {
		s.Service = r.ServiceDetail.Description
	}
	return s, nil
}

// normalizeEvent maps one scan. A naive date leaves Time as its wall clock
// and TZKnown false until resolveNaive places it.
func normalizeEvent(s ScanEvent) (carriers.Event, error) {
	if strings.TrimSpace(s.EventType) == "" {
		return carriers.Event{}, errors.New("missing eventType")
	}
	if strings.TrimSpace(s.Date) == "" {
		return carriers.Event{}, errors.New("missing date")
	}
	t, zoned, err := carriers.ParseTime(s.Date, time.UTC, naiveLayouts...)
	if err != nil {
		return carriers.Event{}, err
	}
	r := classify(s)
	return carriers.Event{
		Time:       t,
		TZKnown:    zoned,
		LocalTime:  s.Date,
		RawCode:    strings.TrimSpace(s.EventType),
		RawSubcode: strings.TrimSpace(s.ExceptionCode),
		RawText:    rawText(s),
		Status:     r.status,
		Reason:     r.reason,
		Rule:       r.id,
		Location:   location(s.ScanLocation),
		Unmapped:   r.id == unrecognized.id,
	}, nil
}

// rawText prefers the exception's description, which says what went wrong
// ("Customer not available or business closed") where the event's says
// only "Delivery exception".
func rawText(s ScanEvent) string {
	if d := strings.TrimSpace(s.ExceptionDescription); d != "" {
		return d
	}
	return strings.TrimSpace(s.EventDescription)
}

func location(a Address) carriers.Location {
	return carriers.Location{
		City:       strings.TrimSpace(a.City),
		Region:     strings.TrimSpace(a.StateOrProvinceCode),
		PostalCode: strings.TrimSpace(a.PostalCode),
		Country:    carriers.NormCountry(a.CountryCode),
	}
}

// eta is the end of the estimated delivery window, else its start, else
// the ESTIMATED_DELIVERY date. An ETA is advisory, so a missing or
// unreadable one is simply unknown (zero) rather than an error. FedEx
// encodes a date-only ETA as midnight with an offset; it is kept as that
// instant, which the desk shows as the day.
func eta(r TrackResult) time.Time {
	var candidates []string
	if w := r.EstimatedDeliveryTimeWindow; w != nil {
		candidates = append(candidates, w.Window.Ends, w.Window.Begins)
	}
	for _, d := range r.DateAndTimes {
		if d.Type == "ESTIMATED_DELIVERY" {
			candidates = append(candidates, d.DateTime)
		}
	}
	for _, c := range candidates {
		if t, ok := carriers.ParseZoned(c); ok {
			return t.UTC()
		}
	}
	return time.Time{}
}
