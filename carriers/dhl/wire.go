package dhl

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Response is the body of GET /track/shipments. Only the fields wismo reads,
// or that the demo simulator needs to answer realistically, are kept.
type Response struct {
	Shipments []Shipment `json:"shipments"`
	// PossibleAdditionalShipmentsURL lists other DHL business units that may
	// also know the number; kept so the simulator can emit it.
	PossibleAdditionalShipmentsURL []string `json:"possibleAdditionalShipmentsUrl,omitempty"`
}

// Shipment is one entry of Response.Shipments.
type Shipment struct {
	ID          ID     `json:"id"`
	Service     string `json:"service,omitempty"`
	Origin      Place  `json:"origin,omitzero"`
	Destination Place  `json:"destination,omitzero"`
	// Status is the current status; it has the same shape as an event and
	// stands in for the history when Events is absent.
	Status                  *Event   `json:"status,omitempty"`
	EstimatedTimeOfDelivery string   `json:"estimatedTimeOfDelivery,omitempty"`
	ReturnFlag              bool     `json:"returnFlag,omitempty"`
	Details                 *Details `json:"details,omitempty"`
	// Events is the history; DHL sends it newest first.
	Events []Event `json:"events,omitempty"`
}

// Event is one scan in Shipment.Events, or the Shipment.Status object.
// Timestamp and StatusCode are required by the spec.
type Event struct {
	// Timestamp is usually naive local wall time, sometimes with Z or an
	// offset; see Parse.
	Timestamp string `json:"timestamp"`
	// StatusCode is one of delivered, failure, pre-transit, transit, unknown.
	StatusCode  string `json:"statusCode"`
	Status      string `json:"status,omitempty"`
	Description string `json:"description,omitempty"`
	Remark      string `json:"remark,omitempty"`
	Location    Place  `json:"location,omitzero"`
}

// Place is a location: a postal address and, for parcel shops and lockers,
// the service point.
type Place struct {
	Address      Address       `json:"address,omitzero"`
	ServicePoint *ServicePoint `json:"servicePoint,omitempty"`
}

// Address is DHL's (partial) postal address. CountryCode is meant to be ISO
// 3166-1 alpha-2 but DHL also sends "UK".
type Address struct {
	AddressLocality string `json:"addressLocality,omitempty"`
	PostalCode      string `json:"postalCode,omitempty"`
	CountryCode     string `json:"countryCode,omitempty"`
	AddressRegion   string `json:"addressRegion,omitempty"`
	StreetAddress   string `json:"streetAddress,omitempty"`
}

// ServicePoint is a parcel shop or locker; its presence on a transit event
// means the parcel waits there for pickup.
type ServicePoint struct {
	URL   string `json:"url,omitempty"`
	Label string `json:"label,omitempty"`
}

// Details holds the shipment details the simulator emits.
type Details struct {
	Product    Product    `json:"product,omitzero"`
	References References `json:"references,omitempty"`
}

// Product names the DHL product, e.g. "DHL PAKET".
type Product struct {
	ProductName string `json:"productName,omitempty"`
}

// Reference is a number related to the shipment, such as the merchant's
// order number.
type Reference struct {
	Number ID     `json:"number,omitempty"`
	Type   string `json:"type,omitempty"`
}

// References is details.references: an array in the spec, a single object in
// older captured responses. It decodes both and always encodes an array.
type References []Reference

// UnmarshalJSON accepts an array of references, a single reference object
// or null.
func (r *References) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	switch {
	case bytes.HasPrefix(data, []byte("[")):
		return json.Unmarshal(data, (*[]Reference)(r))
	case bytes.HasPrefix(data, []byte("{")):
		var one Reference
		if err := json.Unmarshal(data, &one); err != nil {
			return err
		}
		*r = References{one}
		return nil
	case bytes.Equal(data, []byte("null")):
		return nil
	}
	return fmt.Errorf("references: want an array or an object, got %.20s", data)
}

// ID is a DHL identifier. The spec says string, but captured responses carry
// numeric ids such as 7777777770; those are read as their exact digits (never
// through float64, which would mangle long numbers) and written back as a
// string.
type ID string

// UnmarshalJSON accepts a JSON string, a JSON number made of digits only, or
// null (leaving the ID empty).
func (id *ID) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if bytes.Equal(data, []byte("null")) {
		return nil
	}
	if bytes.HasPrefix(data, []byte(`"`)) {
		return json.Unmarshal(data, (*string)(id))
	}
	var n json.Number
	if err := json.Unmarshal(data, &n); err != nil {
		return fmt.Errorf("id: %w", err)
	}
	if !allDigits(n.String()) {
		// 1e9 or 12.5 cannot be a tracking number and would not round-trip.
		return fmt.Errorf("id: number %s is not a whole digit string", n)
	}
	*id = ID(n)
	return nil
}

// MarshalJSON writes the ID as a JSON string, as the spec declares it.
func (id ID) MarshalJSON() ([]byte, error) {
	return json.Marshal(string(id))
}

func allDigits(s string) bool {
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// Problem is an application/problem+json error body (RFC 7807), which DHL
// sends with 404 and other errors.
type Problem struct {
	Title    string `json:"title,omitempty"`
	Detail   string `json:"detail,omitempty"`
	Status   int    `json:"status,omitempty"`
	Instance string `json:"instance,omitempty"`
}
