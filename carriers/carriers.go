// Package carriers turns each carrier's tracking format into one normalized
// shape. An adapter knows how to ask a carrier about a parcel and how to read
// the answer; it never touches the store or the UI. The normalized vocabulary
// (Status, Reason) lives here because the mapping from a carrier's codes to it
// is the adapter's job.
package carriers

import (
	"context"
	"errors"
	"slices"
	"time"
)

// Status is the normalized state a tracking event reports.
type Status string

// The normalized statuses. StatusUnknown marks an event whose code maps to
// nothing: it is kept for the timeline but never changes a parcel's status.
const (
	StatusPending            Status = "pending"
	StatusInfoReceived       Status = "info_received"
	StatusInTransit          Status = "in_transit"
	StatusOutForDelivery     Status = "out_for_delivery"
	StatusAvailableForPickup Status = "available_for_pickup"
	StatusDelivered          Status = "delivered"
	StatusAttemptFailed      Status = "attempt_failed"
	StatusException          Status = "exception"
	StatusReturning          Status = "returning"
	StatusReturned           Status = "returned"
	StatusExpired            Status = "expired"
	StatusUnknown            Status = "unknown"
)

// Reason refines an exception, failed attempt or return: why it happened.
type Reason string

// The normalized reasons. ReasonNone is the zero value for events that carry
// no reason.
const (
	ReasonNone         Reason = ""
	ReasonAddressIssue Reason = "address_issue"
	ReasonCustomsHold  Reason = "customs_hold"
	ReasonDamaged      Reason = "damaged"
	ReasonLost         Reason = "lost"
	ReasonDelayed      Reason = "delayed"
	ReasonRefused      Reason = "refused"
	ReasonWeather      Reason = "weather"
	ReasonOther        Reason = "other"
)

// Location is where an event happened, as far as the carrier says.
type Location struct {
	City       string `json:"city,omitempty"`
	Region     string `json:"region,omitempty"`
	PostalCode string `json:"postal_code,omitempty"`
	Country    string `json:"country,omitempty"`
}

// Event is one normalized tracking event.
type Event struct {
	// Time is the instant of the event in UTC. When the carrier gave a wall
	// clock time without a zone, Time is that wall time resolved in the best
	// zone known and TZKnown is false.
	Time    time.Time `json:"time"`
	TZKnown bool      `json:"tz_known"`
	// LocalTime is the carrier's original timestamp string, unchanged.
	LocalTime string `json:"local_time"`
	// RawCode and RawText are the carrier's own code and description.
	RawCode string `json:"raw_code"`
	// RawSubcode is the carrier's second code where it sends one beside
	// RawCode (UPS's activity type and scan code, FedEx's exceptionCode,
	// EasyPost's status_detail, the courier's own tag under AfterShip);
	// each package's doc says which.
	RawSubcode string `json:"raw_subcode,omitempty"`
	RawText    string `json:"raw_text,omitempty"`
	Status     Status `json:"status"`
	Reason     Reason `json:"reason,omitempty"`
	// Rule names the mapping rule that produced Status and Reason, so an
	// agent can be told why an event counts as an exception.
	Rule     string   `json:"rule"`
	Location Location `json:"location"`
	// Unmapped marks an event whose code is in no mapping table: a code the
	// carrier added, or one wismo has not learnt. Its status is unknown, and
	// the desk counts such codes so someone extends the table.
	Unmapped bool `json:"unmapped,omitempty"`
}

// Shipment is what a carrier reports about one tracking number.
type Shipment struct {
	// Carrier is who carries the parcel, in wismo's short names ("dhl",
	// "ups"). For an aggregator's feed it is the underlying carrier, not the
	// aggregator.
	Carrier        string `json:"carrier"`
	TrackingNumber string `json:"tracking_number"`
	// Ref is the carrier's own id for this shipment when one tracking number
	// can name several (FedEx trackingNumberUniqueId, an EasyPost tracker
	// id); empty when the carrier has no such id.
	Ref     string `json:"ref"`
	Service string `json:"service"`
	// Events are sorted oldest first, whatever order the carrier sent.
	Events []Event `json:"events"`
	// EstimatedDelivery is the carrier's current ETA, zero when unknown.
	EstimatedDelivery time.Time `json:"estimated_delivery,omitzero"`
}

// Result is a carrier's answer about one tracking number of a batch.
type Result struct {
	TrackingNumber string
	// Shipments holds what the carrier knows under the number: usually one,
	// several when a number was recycled or spans business units (told
	// apart by Shipment.Ref), none when Err is set.
	Shipments []Shipment
	// Err is this number's own failure: ErrNotFound when the carrier does
	// not know it (yet), or a per-number error inside a good response.
	Err error
}

// Tracker asks one carrier about parcels.
type Tracker interface {
	// Carrier is the short name of the feed ("dhl", "easypost").
	Carrier() string
	// MaxBatch is how many tracking numbers one Track call may carry.
	MaxBatch() int
	// Track fetches and normalizes up to MaxBatch tracking numbers in one
	// request, returning one Result per number asked about, in order. The
	// error is for the request as a whole (transport, authentication, an
	// unreadable body) and is an *HTTPError when the carrier answered with
	// an error status.
	Track(ctx context.Context, numbers []string) ([]Result, error)
}

// ErrNotFound reports that a carrier has no data for a tracking number. For a
// freshly labelled parcel that is normal, not a feed failure.
var ErrNotFound = errors.New("carriers: tracking number not found")

// SortEvents orders events oldest first. Carriers send newest first or in no
// promised order at all; the sort is stable so events at the same instant keep
// the order the carrier gave them.
func SortEvents(events []Event) {
	slices.SortStableFunc(events, func(a, b Event) int { return a.Time.Compare(b.Time) })
}

// LastEventTime is the time of the shipment's newest event, zero without
// events.
func (s Shipment) LastEventTime() time.Time {
	if len(s.Events) == 0 {
		return time.Time{}
	}
	return s.Events[len(s.Events)-1].Time
}
