package fedex

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Request is the body of POST /track/v1/trackingnumbers.
type Request struct {
	// IncludeDetailedScans asks for the scan history; without it FedEx
	// sends only the latest status.
	IncludeDetailedScans bool `json:"includeDetailedScans"`
	// TrackingInfo holds at most MaxBatch numbers.
	TrackingInfo []TrackingInfo `json:"trackingInfo"`
}

// TrackingInfo is one number asked about.
type TrackingInfo struct {
	TrackingNumberInfo TrackingNumberInfo `json:"trackingNumberInfo"`
	// ShipDateBegin and ShipDateEnd ("YYYY-MM-DD") narrow a recycled number
	// to one shipment.
	ShipDateBegin string `json:"shipDateBegin,omitempty"`
	ShipDateEnd   string `json:"shipDateEnd,omitempty"`
}

// TrackingNumberInfo names a number and, in answers, which of the
// shipments sharing it this is.
type TrackingNumberInfo struct {
	TrackingNumber string `json:"trackingNumber"`
	// TrackingNumberUniqueID ("12028~738488882438~FDEG") tells apart the
	// shipments of a recycled number.
	TrackingNumberUniqueID string `json:"trackingNumberUniqueId,omitempty"`
	// CarrierCode is the FedEx operating company: FDXE, FDXG, …
	CarrierCode string `json:"carrierCode,omitempty"`
}

// Response is the body of a tracking answer. A request-level failure has
// Errors and no Output.
type Response struct {
	TransactionID string     `json:"transactionId,omitempty"`
	Output        *Output    `json:"output,omitempty"`
	Errors        []APIError `json:"errors,omitempty"`
}

// Output holds one CompleteTrackResult per number asked about.
type Output struct {
	CompleteTrackResults []CompleteTrackResult `json:"completeTrackResults"`
}

// CompleteTrackResult is what FedEx knows under one tracking number.
type CompleteTrackResult struct {
	TrackingNumber string `json:"trackingNumber"`
	// TrackResults has one entry per shipment, several for a recycled
	// number.
	TrackResults []TrackResult `json:"trackResults"`
}

// TrackResult is one shipment, or, when Error is set, why there is none.
type TrackResult struct {
	TrackingNumberInfo TrackingNumberInfo `json:"trackingNumberInfo"`
	LatestStatusDetail *StatusDetail      `json:"latestStatusDetail,omitempty"`
	DateAndTimes       []DateAndTime      `json:"dateAndTimes,omitempty"`
	ServiceDetail      *ServiceDetail     `json:"serviceDetail,omitempty"`
	DeliveryDetails    *DeliveryDetails   `json:"deliveryDetails,omitempty"`
	// EstimatedDeliveryTimeWindow is the current ETA; FedEx sends it as
	// "window": {} when it has none.
	EstimatedDeliveryTimeWindow *TimeWindow `json:"estimatedDeliveryTimeWindow,omitempty"`
	// ScanEvents is the history, newest first.
	ScanEvents []ScanEvent `json:"scanEvents,omitempty"`
	// Error is this number's own failure inside a 200 answer.
	Error *APIError `json:"error,omitempty"`
}

// StatusDetail is latestStatusDetail, the shipment's current status.
type StatusDetail struct {
	Code           string       `json:"code,omitempty"`
	DerivedCode    string       `json:"derivedCode,omitempty"`
	StatusByLocale string       `json:"statusByLocale,omitempty"`
	Description    string       `json:"description,omitempty"`
	ScanLocation   Address      `json:"scanLocation,omitzero"`
	DelayDetail    *DelayDetail `json:"delayDetail,omitempty"`
}

// ScanEvent is one scan of TrackResult.ScanEvents.
type ScanEvent struct {
	// Date carries an offset ("2024-02-17T12:34:26-05:00") or, for some
	// scans, a naive midnight ("2024-08-15T00:00:00").
	Date string `json:"date"`
	// EventType is the code mapping.go reads.
	EventType        string `json:"eventType"`
	EventDescription string `json:"eventDescription,omitempty"`
	// ExceptionCode and ExceptionDescription are "" when there is none;
	// they are written out empty, as FedEx does.
	ExceptionCode        string  `json:"exceptionCode"`
	ExceptionDescription string  `json:"exceptionDescription"`
	ScanLocation         Address `json:"scanLocation,omitzero"`
	LocationID           string  `json:"locationId,omitempty"`
	LocationType         string  `json:"locationType,omitempty"`
	// DerivedStatusCode is FedEx's own coarse status (IN, PU, IT, DE, DL):
	// it files OD and HP under IT, so it decides only for codes no table
	// knows.
	DerivedStatusCode string       `json:"derivedStatusCode,omitempty"`
	DerivedStatus     string       `json:"derivedStatus,omitempty"`
	DelayDetail       *DelayDetail `json:"delayDetail,omitempty"`
}

// Address is a scan's place. StreetLines is usually [""].
type Address struct {
	StreetLines         []string `json:"streetLines,omitempty"`
	City                string   `json:"city,omitempty"`
	StateOrProvinceCode string   `json:"stateOrProvinceCode,omitempty"`
	PostalCode          string   `json:"postalCode,omitempty"`
	CountryCode         string   `json:"countryCode,omitempty"`
	CountryName         string   `json:"countryName,omitempty"`
}

// DelayDetail says why a scan is late. Type is WEATHER, OPERATIONAL,
// LOCAL, GENERAL or CLEARANCE.
type DelayDetail struct {
	Type    string `json:"type,omitempty"`
	SubType string `json:"subType,omitempty"`
	Status  string `json:"status,omitempty"`
}

// DateAndTime is one of a shipment's dates, such as ESTIMATED_DELIVERY or
// SHIP. Date-only values are encoded as midnight with an offset.
type DateAndTime struct {
	Type     string `json:"type"`
	DateTime string `json:"dateTime"`
}

// TimeWindow wraps a window the way FedEx nests it.
type TimeWindow struct {
	Window Window `json:"window"`
}

// Window is a span of time; either end may be missing.
type Window struct {
	Begins string `json:"begins,omitempty"`
	Ends   string `json:"ends,omitempty"`
}

// ServiceDetail names the FedEx service, e.g. "FedEx Ground".
type ServiceDetail struct {
	Type             string `json:"type,omitempty"`
	Description      string `json:"description,omitempty"`
	ShortDescription string `json:"shortDescription,omitempty"`
}

// DeliveryDetails says who took the parcel and after how many attempts.
type DeliveryDetails struct {
	ReceivedByName   string `json:"receivedByName,omitempty"`
	SignedByName     string `json:"signedByName,omitempty"`
	DeliveryAttempts Count  `json:"deliveryAttempts,omitempty"`
}

// APIError is FedEx's error object: an entry of Response.Errors, or a
// TrackResult's own Error.
type APIError struct {
	Code    string `json:"code"`
	Message string `json:"message,omitempty"`
}

// Error is "CODE: message".
func (e APIError) Error() string {
	if e.Message == "" {
		return e.Code
	}
	return e.Code + ": " + e.Message
}

// Count is a number FedEx sends as a string ("deliveryAttempts": "0").
// A plain JSON number is accepted too, so a change of encoding cannot fail
// a whole answer over a field wismo only displays; it is written back as a
// string.
type Count string

// UnmarshalJSON accepts a JSON string, a whole JSON number, or null.
func (c *Count) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if bytes.Equal(data, []byte("null")) {
		return nil
	}
	if bytes.HasPrefix(data, []byte(`"`)) {
		return json.Unmarshal(data, (*string)(c))
	}
	var n json.Number
	if err := json.Unmarshal(data, &n); err != nil {
		return fmt.Errorf("count: %w", err)
	}
	if _, err := n.Int64(); err != nil {
		return fmt.Errorf("count: %s is not a whole number", n)
	}
	*c = Count(n)
	return nil
}
