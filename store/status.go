package store

// Status is a parcel's normalized state, and the state each of its events
// reports. The tracker translates the carriers' vocabulary into it at
// ingest; the store persists it and knows no carrier.
type Status string

// The normalized statuses. StatusUnknown marks an event whose code mapped
// to nothing: it stays on the timeline but never changes a parcel's status.
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

// Statuses lists every status in the order a journey goes through them.
var Statuses = []Status{
	StatusPending, StatusInfoReceived, StatusInTransit, StatusOutForDelivery,
	StatusAvailableForPickup, StatusDelivered, StatusAttemptFailed, StatusException,
	StatusReturning, StatusReturned, StatusExpired, StatusUnknown,
}

// Terminal reports whether a parcel in status s has ended its journey: no
// more polling, no stall watch. A strictly later event may still reopen it.
func (s Status) Terminal() bool {
	switch s {
	case StatusDelivered, StatusReturned, StatusExpired:
		return true
	}
	return false
}

// Reason refines an exception, failed attempt or return: why it happened.
type Reason string

// The normalized reasons. ReasonNone is the zero value of events that carry
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

// Reasons lists every reason, ReasonNone first.
var Reasons = []Reason{
	ReasonNone, ReasonAddressIssue, ReasonCustomsHold, ReasonDamaged, ReasonLost,
	ReasonDelayed, ReasonRefused, ReasonWeather, ReasonOther,
}
