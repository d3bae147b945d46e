package usps

import (
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"strings"

	"github.com/wismo/wismo/carriers"
)

// Carrier is the short name USPS parcels and events are filed under.
const Carrier = "usps"

// Parse normalizes a Tracking v3 TrackingDetails body (expand=DETAIL) into
// its one shipment. It is all or nothing: malformed JSON, a body without a
// trackingNumber, or an event without a usable timestamp fails the whole
// body, because a silently shortened history would look like a parcel that
// stopped moving. Events come back oldest first.
func Parse(body []byte) ([]carriers.Shipment, error) {
	shipment, err := parseDetails(body)
	if err != nil {
		return nil, fmt.Errorf("usps: %w", err)
	}
	return []carriers.Shipment{shipment}, nil
}

// parseDetails is Parse without the "usps:" prefix, so Client.Track can
// add its own prefix naming the tracking number.
func parseDetails(body []byte) (carriers.Shipment, error) {
	var d TrackingDetails
	if err := json.Unmarshal(body, &d); err != nil {
		return carriers.Shipment{}, fmt.Errorf("malformed response: %w", err)
	}
	number := strings.TrimSpace(d.TrackingNumber)
	if number == "" {
		return carriers.Shipment{}, errors.New("response has no trackingNumber")
	}
	events, err := normalizeEvents(d)
	if err != nil {
		return carriers.Shipment{}, fmt.Errorf("%s: %w", number, err)
	}
	return carriers.Shipment{
		Carrier:           Carrier,
		TrackingNumber:    number,
		Ref:               strings.TrimSpace(d.UniqueMailPieceID),
		Service:           plainText(d.MailClass),
		Events:            events,
		EstimatedDelivery: eta(d),
	}, nil
}

// normalizeEvents reads the history, sorts it oldest first and only then
// maps codes: whether a TM scan is paperwork depends on what came before.
func normalizeEvents(d TrackingDetails) ([]carriers.Event, error) {
	events := make([]carriers.Event, 0, len(d.TrackingEvents))
	for i, e := range d.TrackingEvents {
		ev, err := normalizeEvent(e, d)
		if err != nil {
			return nil, fmt.Errorf("event %d: %w", i, err)
		}
		events = append(events, ev)
	}
	carriers.SortEvents(events)
	accepted := false
	for i := range events {
		r := classify(events[i].RawCode, events[i].RawText, accepted)
		events[i].Status, events[i].Reason, events[i].Rule = r.status, r.reason, r.id
		events[i].Unmapped = r.unmapped
		accepted = accepted || accepts(r.status)
	}
	return events, nil
}

// normalizeEvent reads one event's time, code, text and place; the status
// is set later by normalizeEvents.
func normalizeEvent(e TrackingEvent, d TrackingDetails) (carriers.Event, error) {
	t, tzKnown, err := eventTime(e, d)
	if err != nil {
		return carriers.Event{}, err
	}
	return carriers.Event{
		Time:      t,
		TZKnown:   tzKnown,
		LocalTime: e.EventTimestamp,
		RawCode:   strings.TrimSpace(e.EventCode),
		RawText:   strings.TrimSpace(e.EventType),
		Location: carriers.Location{
			City:       strings.TrimSpace(e.EventCity),
			Region:     strings.TrimSpace(e.EventState),
			PostalCode: strings.TrimSpace(e.EventZIP),
			Country:    carriers.NormCountry(e.EventCountry),
		},
	}, nil
}

// plainText turns USPS's HTML-laden mailClass
// ("USPS Ground Advantage<SUP>&#153;</SUP>") into "USPS Ground Advantage™":
// tags dropped, entities decoded, spaces trimmed. Tags go first so an
// encoded "&lt;" in the text stays a character.
func plainText(s string) string {
	var b strings.Builder
	inTag := false
	for _, r := range s {
		switch {
		case r == '<':
			inTag = true
		case r == '>' && inTag:
			inTag = false
		case !inTag:
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(html.UnescapeString(b.String())), " ")
}
