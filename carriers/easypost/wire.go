package easypost

// Tracker is EasyPost's Tracker object: the body of POST /v2/trackers and
// GET /v2/trackers/{id}, and the result of a tracker.* webhook Event. Only
// the fields wismo reads, or that the simulator needs to look real, are
// kept. EasyPost sends null for absent strings, which decodes as "".
type Tracker struct {
	// ID is "trk_…": the tracker, not the parcel; see Shipment.Ref.
	ID           string `json:"id"`
	Object       string `json:"object,omitempty"`
	Mode         string `json:"mode,omitempty"`
	TrackingCode string `json:"tracking_code"`
	// Status and StatusDetail are the tracker's current state; each
	// TrackingDetail carries its own pair.
	Status       string `json:"status"`
	StatusDetail string `json:"status_detail,omitempty"`
	SignedBy     string `json:"signed_by,omitempty"`
	// EstDeliveryDate is the current ETA, e.g. "2024-08-05T00:00:00Z".
	EstDeliveryDate string `json:"est_delivery_date,omitempty"`
	// Carrier is EasyPost's name for the underlying carrier ("USPS",
	// "FedEx", "FedExDefault", "DHLExpress", "CanadaPost").
	Carrier   string `json:"carrier"`
	PublicURL string `json:"public_url,omitempty"`
	CreatedAt string `json:"created_at,omitempty"`
	UpdatedAt string `json:"updated_at,omitempty"`
	// Finalized says EasyPost expects no more updates; a finalized
	// return_to_sender tracker has reached the sender.
	Finalized bool `json:"finalized"`
	IsReturn  bool `json:"is_return"`
	// TrackingDetails is the history, oldest first.
	TrackingDetails []TrackingDetail `json:"tracking_details"`
	CarrierDetail   *CarrierDetail   `json:"carrier_detail,omitempty"`
}

// TrackingDetail is one scan in Tracker.TrackingDetails.
type TrackingDetail struct {
	Object      string `json:"object,omitempty"`
	Message     string `json:"message,omitempty"`
	Description string `json:"description,omitempty"`
	Status      string `json:"status"`
	// StatusDetail refines Status; "unknown" is common and means nothing.
	StatusDetail string `json:"status_detail,omitempty"`
	// Datetime is RFC 3339, usually with Z, with an offset when EasyPost
	// knows the local zone.
	Datetime string `json:"datetime"`
	// Source names who reported the scan, usually the carrier.
	Source string `json:"source,omitempty"`
	// CarrierCode is the underlying carrier's own scan code (FedEx "AR").
	CarrierCode      string           `json:"carrier_code,omitempty"`
	TrackingLocation TrackingLocation `json:"tracking_location,omitzero"`
	EstDeliveryDate  string           `json:"est_delivery_date,omitempty"`
}

// TrackingLocation is where a scan happened; any field may be null.
type TrackingLocation struct {
	Object  string `json:"object,omitempty"`
	City    string `json:"city,omitempty"`
	State   string `json:"state,omitempty"`
	Country string `json:"country,omitempty"`
	Zip     string `json:"zip,omitempty"`
}

// CarrierDetail is what the underlying carrier says about the shipment as a
// whole.
type CarrierDetail struct {
	Object               string `json:"object,omitempty"`
	Service              string `json:"service,omitempty"`
	EstDeliveryDateLocal string `json:"est_delivery_date_local,omitempty"`
	EstDeliveryTimeLocal string `json:"est_delivery_time_local,omitempty"`
	OriginLocation       string `json:"origin_location,omitempty"`
	// OriginTrackingLocation and DestinationTrackingLocation tell a
	// domestic shipment from an international one, which decides whether a
	// hold is a customs hold.
	OriginTrackingLocation      *TrackingLocation `json:"origin_tracking_location,omitempty"`
	DestinationLocation         string            `json:"destination_location,omitempty"`
	DestinationTrackingLocation *TrackingLocation `json:"destination_tracking_location,omitempty"`
}

// Event is EasyPost's webhook body. For tracker.created and tracker.updated
// Result is the Tracker; other event types carry other objects, which
// Webhook.Parse never decodes into this struct.
type Event struct {
	ID     string `json:"id"`
	Object string `json:"object"`
	Mode   string `json:"mode,omitempty"`
	// Description is the event type: "tracker.updated", "tracker.created",
	// "batch.updated", ….
	Description string `json:"description"`
	// PreviousAttributes holds the values that changed with this event.
	PreviousAttributes *PreviousAttributes `json:"previous_attributes,omitempty"`
	Result             Tracker             `json:"result"`
	Status             string              `json:"status,omitempty"`
	PendingURLs        []string            `json:"pending_urls,omitempty"`
	CompletedURLs      []string            `json:"completed_urls,omitempty"`
	UserID             string              `json:"user_id,omitempty"`
	CreatedAt          string              `json:"created_at,omitempty"`
	UpdatedAt          string              `json:"updated_at,omitempty"`
}

// PreviousAttributes is the part of Event.previous_attributes wismo knows.
// An EstDeliveryDate here means the ETA was revised: it is the old value,
// and Result.EstDeliveryDate the new one.
type PreviousAttributes struct {
	Status          string `json:"status,omitempty"`
	StatusDetail    string `json:"status_detail,omitempty"`
	EstDeliveryDate string `json:"est_delivery_date,omitempty"`
}

// TrackerList is the body of GET /v2/trackers.
type TrackerList struct {
	Trackers []Tracker `json:"trackers"`
	HasMore  bool      `json:"has_more"`
}

// ErrorResponse is EasyPost's error body: {"error": {"code", "message",
// "errors"}}.
type ErrorResponse struct {
	Error APIError `json:"error"`
}

// APIError is the error inside an ErrorResponse. Code is a dotted constant
// such as "NOT_FOUND" or "TRACKER.CREATE.ERROR".
type APIError struct {
	Code    string       `json:"code"`
	Message string       `json:"message"`
	Errors  []FieldError `json:"errors,omitempty"`
}

// FieldError names one invalid request field.
type FieldError struct {
	Field   string `json:"field,omitempty"`
	Message string `json:"message,omitempty"`
}

// createRequest is the body of POST /v2/trackers.
type createRequest struct {
	Tracker createTracker `json:"tracker"`
}

// createTracker asks for a tracking code without a carrier, letting
// EasyPost detect it.
type createTracker struct {
	TrackingCode string `json:"tracking_code"`
}
