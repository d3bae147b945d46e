package ups

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/wismo/wismo/carriers"
)

// Carrier is the short name UPS parcels and events are filed under.
const Carrier = "ups"

// Parse normalizes a Track API v1 response body into one carriers.Shipment
// per package: a multi-piece shipment gives several. It is all or nothing:
// malformed JSON, a package without a tracking number, or an activity
// without a usable date and time fails the whole body, because a silently
// shortened history would look like a parcel that stopped moving. An
// inquiry UPS does not know (a TW0001 warning and no packages) yields no
// shipments and no error; Client.Track reports it as carriers.ErrNotFound.
func Parse(body []byte) ([]carriers.Shipment, error) {
	inquiries, err := parseResponse(body)
	if err != nil {
		return nil, fmt.Errorf("ups: %w", err)
	}
	out := []carriers.Shipment{}
	for _, inq := range inquiries {
		out = append(out, inq.packages...)
	}
	return out, nil
}

// inquiry is one normalized trackResponse.shipment entry.
type inquiry struct {
	number   string
	packages []carriers.Shipment
	warnings []Message
}

// parseResponse is Parse keeping the inquiries apart and without the "ups:"
// prefix, so Client.Track can match the number it asked about and add its
// own prefix naming it.
func parseResponse(body []byte) ([]inquiry, error) {
	var resp Response
	if err := json.Unmarshal(body, &resp); err != nil {
		return nil, fmt.Errorf("malformed response: %w", err)
	}
	out := make([]inquiry, 0, len(resp.TrackResponse.Shipment))
	for i, s := range resp.TrackResponse.Shipment {
		inq, err := normalizeInquiry(s)
		if err != nil {
			return nil, fmt.Errorf("shipment %d: %w", i, err)
		}
		out = append(out, inq)
	}
	return out, nil
}

func normalizeInquiry(s Shipment) (inquiry, error) {
	number := strings.TrimSpace(s.InquiryNumber)
	inq := inquiry{number: number, warnings: s.Warnings}
	for i, p := range s.Package {
		shipment, err := normalizePackage(p, number)
		if err != nil {
			return inquiry{}, fmt.Errorf("package %d: %w", i, err)
		}
		inq.packages = append(inq.packages, shipment)
	}
	return inq, nil
}

// normalizePackage turns one package into a Shipment. A package without its
// own tracking number is the inquiry's single piece. Ref repeats the
// package's number: it is what tells the pieces under one inquiry apart.
func normalizePackage(p Package, inquiryNumber string) (carriers.Shipment, error) {
	number := cmp.Or(strings.TrimSpace(p.TrackingNumber), inquiryNumber)
	if number == "" {
		return carriers.Shipment{}, errors.New("missing trackingNumber")
	}
	events, err := normalizeEvents(p.Activity)
	if err != nil {
		return carriers.Shipment{}, fmt.Errorf("%s: %w", number, err)
	}
	return carriers.Shipment{
		Carrier:           Carrier,
		TrackingNumber:    number,
		Ref:               number,
		Service:           serviceName(p.Service),
		Events:            events,
		EstimatedDelivery: estimatedDelivery(p),
	}, nil
}

// normalizeEvents maps the history, oldest first. UPS sends it newest
// first, so it is reversed before the stable sort: scans at the same
// instant then stay in the order they happened.
func normalizeEvents(activity []Activity) ([]carriers.Event, error) {
	events := make([]carriers.Event, 0, len(activity))
	for i, a := range activity {
		ev, err := normalizeEvent(a)
		if err != nil {
			return nil, fmt.Errorf("activity %d: %w", i, err)
		}
		events = append(events, ev)
	}
	slices.Reverse(events)
	carriers.SortEvents(events)
	return events, nil
}

func normalizeEvent(a Activity) (carriers.Event, error) {
	t, tzKnown, err := activityTime(a)
	if err != nil {
		return carriers.Event{}, err
	}
	r, unmapped := classify(a)
	return carriers.Event{
		Time:       t,
		TZKnown:    tzKnown,
		LocalTime:  localTime(a),
		RawCode:    rawCode(a.Status),
		RawSubcode: rawSubcode(a.Status),
		RawText:    rawText(a.Status),
		Status:     r.status,
		Reason:     r.reason,
		Rule:       r.id,
		Location:   location(a.Location.Address),
		Unmapped:   unmapped,
	}, nil
}

// rawCode is the most specific code UPS sent: the 3-digit status code
// ("021"), else the 2-letter scan code, else the activity type.
func rawCode(s Status) string {
	return cmp.Or(padCode(s.StatusCode), strings.TrimSpace(s.Code), strings.TrimSpace(s.Type))
}

// rawSubcode is the activity type and scan code as "type/scan" ("I/OT",
// "X/" without a scan code): a scan code means different things under
// different types (DP), so the two travel together.
func rawSubcode(s Status) string {
	typ, scan := strings.TrimSpace(s.Type), strings.TrimSpace(s.Code)
	if typ == "" && scan == "" {
		return ""
	}
	return typ + "/" + scan
}

// rawText is the description without the trailing spaces UPS pads it with
// ("DELIVERED "), else the simplified text.
func rawText(s Status) string {
	return cmp.Or(strings.TrimSpace(s.Description), strings.TrimSpace(s.SimplifiedTextDescription))
}

func location(a Address) carriers.Location {
	return carriers.Location{
		City:       strings.TrimSpace(a.City),
		Region:     strings.TrimSpace(a.StateProvince),
		PostalCode: strings.TrimSpace(a.PostalCode),
		Country:    carriers.NormCountry(addressCountry(a)),
	}
}

// addressCountry prefers countryCode; some activities fill only country.
func addressCountry(a Address) string {
	return cmp.Or(strings.TrimSpace(a.CountryCode), strings.TrimSpace(a.Country))
}

func serviceName(s *Service) string {
	if s == nil {
		return ""
	}
	return strings.TrimSpace(s.Description)
}
