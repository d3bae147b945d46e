package sim

import (
	"net/http"
	"strings"
	"time"

	"github.com/wismo/wismo/carriers/usps"
)

// uspsFormat speaks USPS Tracking v3: GET
// /tracking/v3/tracking/{n}?expand=DETAIL with a bearer token from POST
// /oauth2/v3/token (client id and secret in the form).
var uspsFormat = oauthFormat("usps", "/oauth2/v3/token", "GET /tracking/v3/tracking/{number}",
	(*Server).uspsTrack, uspsUnauthorized)

// uspsCode is a step's Pub 199 event code, its text (USPS's eventType) and
// the statusCategory a newest event of that kind gives the shipment.
type uspsCode struct{ code, text, category string }

// uspsCodes are USPS's words for each step. USPS has no event code that
// the reader maps to a customs hold or to damage; those steps take the
// nearest code it files as an exception (08, 15: exception, delayed) with
// USPS's text for what happened.
var uspsCodes = map[Kind]uspsCode{
	LabelCreated:   {"GX", "Shipping Label Created, USPS Awaiting Item", "Pre-Shipment"},
	PickedUp:       {"03", "USPS in possession of item", "Accepted"},
	OriginHub:      {"10", "Processed Through Facility", "In Transit"},
	Exported:       {"EF", "Departed Sort Facility", "In Transit"},
	CustomsHeld:    {"08", "Held in Customs", "Alert"},
	CustomsCleared: {"10", "Customs Clearance Processing Complete", "In Transit"},
	DestinationHub: {"A1", "Arrived at USPS Regional Facility", "In Transit"},
	OutForDelivery: {"OF", "Out for Delivery", "Out for Delivery"},
	AddressProblem: {"05", "Undeliverable as Addressed", "Alert"},
	NotHome:        {"02", "Notice Left (No Authorized Recipient Available)", "Alert"},
	Damaged:        {"15", "Item Damaged, Being Repackaged", "Alert"},
	Refused:        {"04", "Refused", "Alert"},
	Returning:      {"09", "Return to Sender Processed", "Alert"},
	ReadyForPickup: {"16", "Available for Pickup", "Available for Pickup"},
	NotCollected:   {"27", "Unclaimed/Being Returned to Sender", "Alert"},
	Collected:      {"43", "Picked Up", "Delivered"},
	Delivered:      {"01", "Delivered, In/At Mailbox", "Delivered"},
	ETARevised:     {"DX", "Delivery Status Not Updated", "In Transit"},
}

func (s *Server) uspsTrack(r *http.Request) (int, []byte) {
	p, steps, ok := s.parcel("usps", r.PathValue("number"))
	if !ok {
		return uspsError(http.StatusNotFound, "404", "The requested resource could not be found",
			usps.ErrorDetail{Status: "404", Code: "TRACKING_NOT_FOUND", Title: "Tracking number not found",
				Detail: "A status update is not yet available on your Package.", Source: usps.ErrorSource{Parameter: "trackingNumber"}})
	}
	return jsonAnswer(http.StatusOK, p.uspsDetails(steps))
}

func uspsUnauthorized() (int, []byte) {
	return uspsError(http.StatusUnauthorized, "401", "Unauthorized",
		usps.ErrorDetail{Status: "401", Code: "INVALID_TOKEN", Title: "Invalid or expired access token"})
}

func uspsError(status int, code, message string, detail usps.ErrorDetail) (int, []byte) {
	return jsonAnswer(status, usps.ErrorMessage{APIVersion: "v3", Error: usps.ErrorBlock{
		Code: code, Message: message, Errors: []usps.ErrorDetail{detail},
	}})
}

// uspsDetails renders steps as USPS does: newest first, each with a naive
// local time cut to the minute and the exact moment in GMT.
func (p *Parcel) uspsDetails(steps []Step) usps.TrackingDetails {
	cur := uspsCodes[current(steps).Kind]
	return usps.TrackingDetails{
		TrackingNumber:            p.TrackingNumber,
		Status:                    cur.text,
		StatusCategory:            cur.category,
		MailClass:                 p.Service + "<SUP>&reg;</SUP>",
		UniqueMailPieceID:         idOf(p.TrackingNumber, p.ShippedAt)[:10],
		MailPieceIntakeDate:       p.ShippedAt.UTC().Format("2006-01-02 15:04:05.000000"),
		OriginCity:                strings.ToUpper(origin.city),
		OriginZIP:                 origin.postal,
		DestinationCity:           strings.ToUpper(p.dest.city),
		DestinationState:          p.dest.state,
		DestinationZIP:            p.dest.postal,
		ExpectedDeliveryTimeStamp: wallTime(p.ETA(steps), p.dest).Format(time.RFC3339),
		EmailEnabled:              true,
		RedeliveryEnabled:         true,
		TrackingEvents:            newestFirst(steps, p.uspsEvent),
	}
}

func (p *Parcel) uspsEvent(st Step) usps.TrackingEvent {
	c := uspsCodes[st.Kind]
	local := wallTime(st.At, p.where(st))
	_, offset := local.Zone()
	e := usps.TrackingEvent{
		EventType:      c.text,
		EventTimestamp: local.Truncate(time.Minute).Format("2006-01-02T15:04:05"),
		GMTTimestamp:   st.At.UTC().Format(time.RFC3339),
		GMTOffset:      usps.Offset{Minutes: offset / 60, Known: true},
		EventCode:      c.code,
		EventCity:      strings.ToUpper(st.Place.city),
		EventState:     st.Place.state,
		EventZIP:       st.Place.postal,
	}
	// USPS leaves the country empty for scans at home.
	if st.Place.country != "US" {
		e.EventCountry = st.Place.country
	}
	return e
}
