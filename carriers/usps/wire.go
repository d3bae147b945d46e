package usps

// TrackingDetails is the body of GET /tracking/v3/tracking/{number} with
// expand=DETAIL (the spec's "Tracking Information Fields"). Only the fields
// wismo reads, or that the demo simulator needs to answer realistically,
// are kept. encoding/json matches names case-insensitively, which matters
// here: the spec says uniqueMailPieceId, captured responses send
// uniqueMailPieceID, and both land in UniqueMailPieceID.
type TrackingDetails struct {
	TrackingNumber string `json:"trackingNumber"`
	// Status is the text of the newest event ("Delivered, Parcel Locker");
	// StatusCategory its coarse class ("Delivered", "In Transit").
	Status         string `json:"status,omitempty"`
	StatusCategory string `json:"statusCategory,omitempty"`
	StatusSummary  string `json:"statusSummary,omitempty"`
	// MailClass is the product, with HTML in it:
	// "USPS Ground Advantage<SUP>&#153;</SUP>".
	MailClass string   `json:"mailClass,omitempty"`
	MailType  string   `json:"mailType,omitempty"`
	Services  []string `json:"services,omitempty"`
	// UniqueMailPieceID (the "MP suffix") and MailPieceIntakeDate tell apart
	// mail pieces that share a re-used tracking number.
	UniqueMailPieceID   string `json:"uniqueMailPieceId,omitempty"`
	MailPieceIntakeDate string `json:"mailPieceIntakeDate,omitempty"`

	OriginCity       string `json:"originCity,omitempty"`
	OriginState      string `json:"originState,omitempty"`
	OriginZIP        string `json:"originZIP,omitempty"`
	DestinationCity  string `json:"destinationCity,omitempty"`
	DestinationState string `json:"destinationState,omitempty"`
	DestinationZIP   string `json:"destinationZIP,omitempty"`

	ExpectedDeliveryTimeStamp   string `json:"expectedDeliveryTimeStamp,omitempty"`
	GuaranteedDeliveryTimeStamp string `json:"guaranteedDeliveryTimeStamp,omitempty"`
	PredictedDeliveryDate       string `json:"predictedDeliveryDate,omitempty"`
	// The predicted window's times are kept for the simulator; their
	// format is not documented, so Parse does not read them.
	PredictedDeliveryWindowStartTime string `json:"predictedDeliveryWindowStartTime,omitempty"`
	PredictedDeliveryWindowEndTime   string `json:"predictedDeliveryWindowEndTime,omitempty"`

	EmailEnabled           Flag `json:"emailEnabled,omitzero"`
	ProofOfDeliveryEnabled Flag `json:"proofOfDeliveryEnabled,omitzero"`
	RedeliveryEnabled      Flag `json:"redeliveryEnabled,omitzero"`
	OnTime                 Flag `json:"onTime,omitzero"`

	// TrackingEvents is the history, newest first (the spec says "reverse
	// chronological order").
	TrackingEvents []TrackingEvent `json:"trackingEvents"`
}

// TrackingEvent is one scan in TrackingDetails.TrackingEvents.
type TrackingEvent struct {
	// EventType is the human text ("Delivered, Parcel Locker"), despite
	// its name.
	EventType string `json:"eventType,omitempty"`
	// EventTimestamp is naive local wall time to the minute
	// ("2024-11-22T13:58:00"); GMTTimestamp is the same scan in UTC with
	// seconds ("2024-11-22T18:58:40Z"), so the two never agree to the
	// second.
	EventTimestamp string `json:"eventTimestamp,omitempty"`
	GMTTimestamp   string `json:"GMTTimestamp,omitempty"`
	GMTOffset      Offset `json:"GMTOffset,omitzero"`
	// EventCity holds a facility's name for sorting centres
	// ("JACKSONVILLE FL DISTRIBUTION CENTER"), with state and ZIP null.
	EventCountry string `json:"eventCountry,omitempty"`
	EventCity    string `json:"eventCity,omitempty"`
	EventState   string `json:"eventState,omitempty"`
	EventZIP     string `json:"eventZIP,omitempty"`
	// Firm and Name say who signed for a delivery.
	Firm            string `json:"firm,omitempty"`
	Name            string `json:"name,omitempty"`
	AuthorizedAgent Flag   `json:"authorizedAgent,omitzero"`
	// EventCode is Pub 199's two-character code; a leading zero is part of
	// it ("01" is delivered), so it is a string, never a number.
	EventCode  string `json:"eventCode,omitempty"`
	ActionCode string `json:"actionCode,omitempty"`
	ReasonCode string `json:"reasonCode,omitempty"`
}

// ErrorMessage is the body USPS sends with 4xx and 5xx answers.
type ErrorMessage struct {
	APIVersion string     `json:"apiVersion,omitempty"`
	Error      ErrorBlock `json:"error"`
}

// ErrorBlock is ErrorMessage.Error: a code and message, and the details.
type ErrorBlock struct {
	Code    string        `json:"code,omitempty"`
	Message string        `json:"message,omitempty"`
	Errors  []ErrorDetail `json:"errors,omitempty"`
}

// ErrorDetail is one entry of ErrorBlock.Errors.
type ErrorDetail struct {
	Status string      `json:"status,omitempty"`
	Code   string      `json:"code,omitempty"`
	Title  string      `json:"title,omitempty"`
	Detail string      `json:"detail,omitempty"`
	Source ErrorSource `json:"source,omitzero"`
}

// ErrorSource names the request parameter an error is about.
type ErrorSource struct {
	Parameter string `json:"parameter,omitempty"`
	Example   string `json:"example,omitempty"`
}
