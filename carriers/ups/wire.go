package ups

// Response is the body of GET /api/track/v1/details/{inquiryNumber} with a
// 200 status. Only the fields wismo reads, or that the demo simulator needs
// to answer realistically, are kept.
type Response struct {
	TrackResponse TrackResponse `json:"trackResponse"`
}

// TrackResponse holds one Shipment per inquiry; in practice exactly one,
// since the endpoint takes one inquiry number.
type TrackResponse struct {
	Shipment []Shipment `json:"shipment"`
}

// Shipment is what UPS knows under one inquiry number. A number UPS does not
// know comes back as a Shipment with no packages and a TW0001 warning, still
// with a 200 status.
type Shipment struct {
	InquiryNumber string    `json:"inquiryNumber,omitempty"`
	Package       []Package `json:"package,omitempty"`
	Warnings      []Message `json:"warnings,omitempty"`
}

// Package is one piece of a shipment; a multi-piece shipment has several,
// each with its own tracking number and history.
type Package struct {
	TrackingNumber string `json:"trackingNumber,omitempty"`
	// PackageCount is the number of pieces in the shipment, which may exceed
	// the packages returned.
	PackageCount int      `json:"packageCount,omitempty"`
	Service      *Service `json:"service,omitempty"`
	// CurrentStatus is the package's latest status. Unlike an activity's
	// Status, its Code holds the 3-digit status code ("011"), not the
	// 2-letter scan code. It has no time, so Parse builds the timeline
	// from Activity alone.
	CurrentStatus  *Status          `json:"currentStatus,omitempty"`
	DeliveryDate   []DeliveryDate   `json:"deliveryDate,omitempty"`
	DeliveryTime   *DeliveryTime    `json:"deliveryTime,omitempty"`
	PackageAddress []PackageAddress `json:"packageAddress,omitempty"`
	// Activity is the history, most recent first.
	Activity []Activity `json:"activity,omitempty"`
}

// Service names the UPS service level, e.g. "UPS Ground".
type Service struct {
	Code        string `json:"code,omitempty"`
	Description string `json:"description,omitempty"`
	LevelCode   string `json:"levelCode,omitempty"`
}

// DeliveryDate is one of the package's delivery dates. Type is SDD
// (scheduled), RDD (rescheduled) or DEL (delivered); Date is YYYYMMDD.
type DeliveryDate struct {
	Type string `json:"type,omitempty"`
	Date string `json:"date,omitempty"`
}

// DeliveryTime is the delivery window or commitment. Type is EOD, CMT, EDW,
// CDW, IDW or DEL; the times are HHMMSS, local to the destination.
type DeliveryTime struct {
	Type      string `json:"type,omitempty"`
	StartTime string `json:"startTime,omitempty"`
	EndTime   string `json:"endTime,omitempty"`
}

// PackageAddress is one of the package's addresses; Type is ORIGIN or
// DESTINATION.
type PackageAddress struct {
	Type    string  `json:"type,omitempty"`
	Address Address `json:"address,omitzero"`
}

// Activity is one scan or system event. Date and Time are the local wall
// clock at the scan location ("20240131", "173405"); the gmt fields give the
// same moment in UTC, with GMTTime as "HHMMSS", "HMMSS" or "HH:MM:SS" and
// GMTDate possibly a day after Date.
type Activity struct {
	Location  Location `json:"location,omitzero"`
	Status    Status   `json:"status"`
	Date      string   `json:"date,omitempty"`
	Time      string   `json:"time,omitempty"`
	GMTDate   string   `json:"gmtDate,omitempty"`
	GMTTime   string   `json:"gmtTime,omitempty"`
	GMTOffset string   `json:"gmtOffset,omitempty"`
	// LogicalScan marks a system-generated event rather than a physical
	// scan of the parcel.
	LogicalScan bool `json:"logicalScan,omitempty"`
}

// Status describes an activity. Type is the activity type (D, I, M, MV, X,
// U, NA...), Code the 2-letter scan code ("OT", "MP") and StatusCode the
// 3-digit status code ("021"), all strings with meaningful leading zeros.
type Status struct {
	Type                      string `json:"type,omitempty"`
	Code                      string `json:"code,omitempty"`
	Description               string `json:"description,omitempty"`
	SimplifiedTextDescription string `json:"simplifiedTextDescription,omitempty"`
	StatusCode                string `json:"statusCode,omitempty"`
}

// Location is where an activity happened; manifest events often carry only
// a country.
type Location struct {
	Address Address `json:"address,omitzero"`
	// Slic is UPS's site code for the facility.
	Slic string `json:"slic,omitempty"`
}

// Address is UPS's (partial) postal address. Country and CountryCode both
// carry the ISO code in captured responses; either may be missing.
type Address struct {
	City          string `json:"city,omitempty"`
	StateProvince string `json:"stateProvince,omitempty"`
	PostalCode    string `json:"postalCode,omitempty"`
	Country       string `json:"country,omitempty"`
	CountryCode   string `json:"countryCode,omitempty"`
}

// Message is a warning inside a 200 body or an error in an error body.
type Message struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// ErrorResponse is the body UPS sends with a 4xx or 5xx status, e.g.
// {"response":{"errors":[{"code":"TV1002","message":"Invalid inquiry number"}]}}.
type ErrorResponse struct {
	Response ErrorList `json:"response"`
}

// ErrorList is ErrorResponse.Response.
type ErrorList struct {
	Errors []Message `json:"errors"`
}
