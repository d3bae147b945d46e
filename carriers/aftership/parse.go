package aftership

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/wismo/wismo/carriers"
)

// Provider is the webhook route's name.
const Provider = "aftership"

// trackingUpdate is the only event code that carries a status change.
const trackingUpdate = "tracking_update"

// envelope is the part of a Payload read before its event code is known, so
// an event whose msg is not a tracking can never fail the parse.
type envelope struct {
	Event   string          `json:"event"`
	EventID string          `json:"event_id"`
	TS      int64           `json:"ts"`
	Msg     json.RawMessage `json:"msg"`
}

// Parse normalizes a webhook body into its shipments: one for a
// tracking_update, none for other events. It is all or nothing: malformed
// JSON, a tracking without a tracking number, or a checkpoint without a
// readable time or tag fails the whole body, because a silently shortened
// history would look like a parcel that stopped moving.
func Parse(body []byte) ([]carriers.Shipment, error) {
	d, err := parseDelivery(body)
	if err != nil {
		return nil, err
	}
	return d.Shipments, nil
}

// parseDelivery reads a body into a Delivery, errors prefixed "aftership:".
func parseDelivery(body []byte) (carriers.Delivery, error) {
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return carriers.Delivery{}, fmt.Errorf("aftership: malformed webhook: %w", err)
	}
	d := carriers.Delivery{ID: env.EventID}
	if env.Event != trackingUpdate {
		return d, nil
	}
	var t Tracking
	if err := json.Unmarshal(env.Msg, &t); err != nil {
		return carriers.Delivery{}, fmt.Errorf("aftership: event %s: malformed msg: %w", env.EventID, err)
	}
	s, err := normalizeTracking(t, env.TS)
	if err != nil {
		return carriers.Delivery{}, fmt.Errorf("aftership: event %s: %w", env.EventID, err)
	}
	d.Shipments = []carriers.Shipment{s}
	return d, nil
}

// normalizeTracking turns msg into a Shipment; ts dates an expiry that no
// checkpoint records.
func normalizeTracking(t Tracking, ts int64) (carriers.Shipment, error) {
	number := strings.TrimSpace(t.TrackingNumber)
	if number == "" {
		return carriers.Shipment{}, errors.New("msg without tracking_number")
	}
	events, err := normalizeCheckpoints(t.Checkpoints)
	if err != nil {
		return carriers.Shipment{}, fmt.Errorf("tracking %s: %w", number, err)
	}
	if ev, ok := expiry(t, events, ts); ok {
		events = append(events, ev)
		carriers.SortEvents(events)
	}
	return carriers.Shipment{
		Carrier:           carrierName(t.Slug),
		TrackingNumber:    number,
		Ref:               t.ID,
		Service:           strings.TrimSpace(t.ShipmentType),
		Events:            events,
		EstimatedDelivery: eta(t),
	}, nil
}

// normalizeCheckpoints maps the checkpoints, sorted oldest first.
func normalizeCheckpoints(cps []Checkpoint) ([]carriers.Event, error) {
	events := make([]carriers.Event, 0, len(cps))
	for i, cp := range cps {
		ev, err := normalizeCheckpoint(cp)
		if err != nil {
			return nil, fmt.Errorf("checkpoint %d: %w", i, err)
		}
		events = append(events, ev)
	}
	carriers.SortEvents(events)
	demotePending(events)
	return events, nil
}

func normalizeCheckpoint(cp Checkpoint) (carriers.Event, error) {
	code := rawCode(cp.Tag, cp.Subtag)
	if code == "" {
		return carriers.Event{}, errors.New("missing tag")
	}
	loc := location(cp)
	t, tzKnown, err := parseTime(cp.CheckpointTime, loc.Country, loc.Region)
	if err != nil {
		return carriers.Event{}, err
	}
	r := classify(cp.Tag, cp.Subtag)
	return carriers.Event{
		Time:       t,
		TZKnown:    tzKnown,
		LocalTime:  cp.CheckpointTime,
		RawCode:    code,
		RawSubcode: strings.TrimSpace(cp.RawTag),
		RawText:    rawText(cp.Message, cp.SubtagMessage),
		Status:     r.status,
		Reason:     r.reason,
		Rule:       r.id(),
		Location:   loc,
		Unmapped:   r.unmapped,
	}, nil
}

// rawCode is the subtag, which names the tag too, else the tag.
func rawCode(tag, subtag string) string {
	if s := strings.TrimSpace(subtag); s != "" {
		return s
	}
	return strings.TrimSpace(tag)
}

// rawText is the courier's message, else AfterShip's subtag message.
func rawText(message, subtagMessage string) string {
	if m := strings.TrimSpace(message); m != "" {
		return m
	}
	return strings.TrimSpace(subtagMessage)
}

func location(cp Checkpoint) carriers.Location {
	return carriers.Location{
		City:       strings.TrimSpace(cp.City),
		Region:     strings.TrimSpace(cp.State),
		PostalCode: strings.TrimSpace(firstOf(cp.PostalCode, cp.Zip)),
		Country:    carriers.NormCountry(firstOf(cp.CountryRegion, cp.CountryISO3)),
	}
}

// firstOf returns the first non-blank value.
func firstOf(values ...string) string {
	for _, v := range values {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// expiry is the event for an Expired tracking whose checkpoints do not say
// so: AfterShip expires a tracking itself after 30 days without news, and
// that verdict lives only on msg. It is dated by msg.updated_at, else by the
// webhook's ts.
func expiry(t Tracking, events []carriers.Event, ts int64) (carriers.Event, bool) {
	r := classify(t.Tag, t.Subtag)
	if r.status != carriers.StatusExpired {
		return carriers.Event{}, false
	}
	for _, e := range events {
		if e.Status == carriers.StatusExpired {
			return carriers.Event{}, false
		}
	}
	stamp := strings.TrimSpace(t.UpdatedAt)
	at, err := time.Parse(time.RFC3339, stamp)
	if err != nil {
		if ts <= 0 {
			return carriers.Event{}, false
		}
		at = time.Unix(ts, 0)
		stamp = at.UTC().Format(time.RFC3339)
	}
	return carriers.Event{Time: at.UTC(), TZKnown: true, LocalTime: stamp,
		RawCode: rawCode(t.Tag, t.Subtag), RawText: strings.TrimSpace(t.SubtagMessage),
		Status: r.status, Rule: r.id()}, true
}
