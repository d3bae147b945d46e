package easypost

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/wismo/wismo/carriers"
)

// Provider is the feed's name: the carriers.Tracker's Carrier and the
// webhook's route.
const Provider = "easypost"

// Parse normalizes a Tracker body (GET or POST /v2/trackers) into the one
// shipment it describes. It is all or nothing: malformed JSON, a tracker
// without an id or tracking code, or a scan without a readable time or
// status fails the whole body, because a silently shortened history would
// look like a parcel that stopped moving.
func Parse(body []byte) ([]carriers.Shipment, error) {
	s, err := parseTrackerBody(body)
	if err != nil {
		return nil, fmt.Errorf("easypost: %w", err)
	}
	return []carriers.Shipment{s}, nil
}

// parseTrackerBody is Parse without the "easypost:" prefix, for the client
// to add its own naming the tracking number.
func parseTrackerBody(body []byte) (carriers.Shipment, error) {
	var t Tracker
	if err := json.Unmarshal(body, &t); err != nil {
		return carriers.Shipment{}, fmt.Errorf("malformed tracker: %w", err)
	}
	return normalizeTracker(t)
}

// normalizeTracker turns one Tracker into a Shipment.
func normalizeTracker(t Tracker) (carriers.Shipment, error) {
	if strings.TrimSpace(t.ID) == "" {
		return carriers.Shipment{}, errors.New("tracker without id")
	}
	if strings.TrimSpace(t.TrackingCode) == "" {
		return carriers.Shipment{}, fmt.Errorf("tracker %s: missing tracking_code", t.ID)
	}
	events, err := normalizeDetails(t)
	if err != nil {
		return carriers.Shipment{}, fmt.Errorf("tracker %s: %w", t.ID, err)
	}
	return carriers.Shipment{
		Carrier:           carrierName(t.Carrier),
		TrackingNumber:    strings.TrimSpace(t.TrackingCode),
		Ref:               t.ID,
		Service:           service(t.CarrierDetail),
		Events:            events,
		EstimatedDelivery: parseETA(t.EstDeliveryDate),
	}, nil
}

// normalizeDetails maps the history. EasyPost sends it oldest first, but a
// local offset on one scan and Z on the next can cross, so it is sorted all
// the same.
func normalizeDetails(t Tracker) ([]carriers.Event, error) {
	dest := destinationCountry(t.CarrierDetail)
	events := make([]carriers.Event, 0, len(t.TrackingDetails))
	for i, d := range t.TrackingDetails {
		ev, err := normalizeDetail(d, international(t.CarrierDetail, d, dest))
		if err != nil {
			return nil, fmt.Errorf("tracking_details[%d]: %w", i, err)
		}
		events = append(events, ev)
	}
	carriers.SortEvents(events)
	if t.Finalized {
		markReturned(events)
	}
	return events, nil
}

// normalizeDetail maps one scan; international decides whether a hold is a
// customs hold.
func normalizeDetail(d TrackingDetail, international bool) (carriers.Event, error) {
	if strings.TrimSpace(d.Status) == "" {
		return carriers.Event{}, errors.New("missing status")
	}
	loc := location(d.TrackingLocation)
	t, tzKnown, err := parseTime(d.Datetime, loc)
	if err != nil {
		return carriers.Event{}, err
	}
	r := classify(d.Status, d.StatusDetail, international)
	return carriers.Event{
		Time:       t,
		TZKnown:    tzKnown,
		LocalTime:  d.Datetime,
		RawCode:    strings.TrimSpace(d.Status),
		RawSubcode: strings.TrimSpace(d.StatusDetail),
		RawText:    rawText(d),
		Status:     r.result,
		Reason:     r.reason,
		Rule:       r.id,
		Location:   loc,
		Unmapped:   r.unmapped,
	}, nil
}

// rawText prefers message, which EasyPost always fills; description is
// often null.
func rawText(d TrackingDetail) string {
	if m := strings.TrimSpace(d.Message); m != "" {
		return m
	}
	return strings.TrimSpace(d.Description)
}

func location(l TrackingLocation) carriers.Location {
	return carriers.Location{
		City:       strings.TrimSpace(l.City),
		Region:     strings.TrimSpace(l.State),
		PostalCode: strings.TrimSpace(l.Zip),
		Country:    carriers.NormCountry(l.Country),
	}
}

func service(cd *CarrierDetail) string {
	if cd == nil {
		return ""
	}
	return strings.TrimSpace(cd.Service)
}

// parseTime reads a scan's datetime. Z or an offset gives the exact
// instant; a naive time is wall clock at the scan's place, resolved in that
// place's zone (or UTC when the place pins none) with tzKnown=false.
func parseTime(s string, at carriers.Location) (t time.Time, tzKnown bool, err error) {
	if strings.TrimSpace(s) == "" {
		return time.Time{}, false, errors.New("missing datetime")
	}
	return carriers.ParseTime(s, carriers.ZoneOrUTC(at.Country, at.Region))
}

// parseETA reads est_delivery_date. An ETA is advisory, so an unreadable
// one is unknown (zero) rather than an error. EasyPost writes a date as
// midnight Z, which is also how the desk shows a day.
func parseETA(s string) time.Time {
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}
