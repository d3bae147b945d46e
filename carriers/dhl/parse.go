package dhl

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/wismo/wismo/carriers"
)

// Carrier is the short name DHL parcels and events are filed under.
const Carrier = "dhl"

// Parse normalizes a Shipment Tracking – Unified API response body. It is
// all or nothing: malformed JSON, a shipment without an id, or an event
// without a usable timestamp or statusCode fails the whole body, because a
// silently shortened history would look like a parcel that stopped moving.
// An empty shipments list is not an error; Client.Track reports it as
// carriers.ErrNotFound.
func Parse(body []byte) ([]carriers.Shipment, error) {
	shipments, err := parseResponse(body)
	if err != nil {
		return nil, fmt.Errorf("dhl: %w", err)
	}
	return shipments, nil
}

// parseResponse is Parse without the "dhl:" prefix, so Client.Track can add
// its own prefix naming the tracking number.
func parseResponse(body []byte) ([]carriers.Shipment, error) {
	var resp Response
	if err := json.Unmarshal(body, &resp); err != nil {
		return nil, fmt.Errorf("malformed response: %w", err)
	}
	out := make([]carriers.Shipment, 0, len(resp.Shipments))
	for i, s := range resp.Shipments {
		if s.ID == "" {
			return nil, fmt.Errorf("shipment %d: missing id", i)
		}
		shipment, err := normalizeShipment(s)
		if err != nil {
			return nil, fmt.Errorf("shipment %s: %w", s.ID, err)
		}
		out = append(out, shipment)
	}
	return out, nil
}

func normalizeShipment(s Shipment) (carriers.Shipment, error) {
	zone := shipmentZone(s)
	events, err := normalizeEvents(s, zone)
	if err != nil {
		return carriers.Shipment{}, err
	}
	return carriers.Shipment{
		Carrier:           Carrier,
		TrackingNumber:    string(s.ID),
		Ref:               s.Service,
		Service:           s.Service,
		Events:            events,
		EstimatedDelivery: parseETA(s.EstimatedTimeOfDelivery, zone),
	}, nil
}

// normalizeEvents maps the history, oldest first. Without a history the
// current status object is the one event we know of.
func normalizeEvents(s Shipment, zone *time.Location) ([]carriers.Event, error) {
	if len(s.Events) == 0 && s.Status != nil {
		ev, err := normalizeEvent(*s.Status, s.ReturnFlag, zone)
		if err != nil {
			return nil, fmt.Errorf("status: %w", err)
		}
		return []carriers.Event{ev}, nil
	}
	events := make([]carriers.Event, 0, len(s.Events))
	for i, e := range s.Events {
		ev, err := normalizeEvent(e, s.ReturnFlag, zone)
		if err != nil {
			return nil, fmt.Errorf("event %d: %w", i, err)
		}
		events = append(events, ev)
	}
	carriers.SortEvents(events)
	return events, nil
}

func normalizeEvent(e Event, shipmentReturned bool, zone *time.Location) (carriers.Event, error) {
	if strings.TrimSpace(e.Timestamp) == "" {
		return carriers.Event{}, errors.New("missing timestamp")
	}
	if strings.TrimSpace(e.StatusCode) == "" {
		return carriers.Event{}, errors.New("missing statusCode")
	}
	t, tzKnown, err := carriers.ParseTime(e.Timestamp, eventZone(e, zone))
	if err != nil {
		return carriers.Event{}, err
	}
	r := classify(e, shipmentReturned)
	return carriers.Event{
		Time:      t,
		TZKnown:   tzKnown,
		LocalTime: e.Timestamp,
		RawCode:   e.StatusCode,
		RawText:   rawText(e),
		Status:    r.status,
		Reason:    r.reason,
		Rule:      r.id,
		Unmapped:  r.unmapped,
		Location:  location(e.Location.Address),
	}, nil
}

// rawText prefers the human description; DHL often sends only status.
func rawText(e Event) string {
	if e.Description != "" {
		return e.Description
	}
	return e.Status
}

func location(a Address) carriers.Location {
	return carriers.Location{
		City:       a.AddressLocality,
		Region:     a.AddressRegion,
		PostalCode: a.PostalCode,
		Country:    carriers.NormCountry(a.CountryCode),
	}
}

// parseETA reads estimatedTimeOfDelivery. An ETA is advisory, so a missing
// or unreadable one is simply unknown (zero) rather than an error; a naive
// one is resolved in the shipment's best-guess zone.
func parseETA(s string, zone *time.Location) time.Time {
	t, _, err := carriers.ParseTime(s, zone)
	if err != nil {
		return time.Time{}
	}
	return t
}
