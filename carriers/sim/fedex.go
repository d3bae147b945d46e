package sim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/wismo/wismo/carriers/fedex"
)

// fedexFormat speaks the FedEx Track API v1: POST
// /track/v1/trackingnumbers with up to 30 numbers, and a bearer token from
// POST /oauth/token (client id and secret in the form).
var fedexFormat = oauthFormat("fedex", "/oauth/token", "POST /track/v1/trackingnumbers",
	(*Server).fedexTrack, fedexUnauthorized)

// fedexCode is FedEx's eventType for a step, its derived status, its
// description, and for exceptions the exception's code and description,
// which the reader refines the eventType with.
type fedexCode struct{ event, derived, text, exception, exceptionText string }

// fedexCodes are FedEx's words for each step.
var fedexCodes = map[Kind]fedexCode{
	LabelCreated:   {"OC", "IN", "Shipment information sent to FedEx", "", ""},
	PickedUp:       {"PU", "PU", "Picked up", "", ""},
	OriginHub:      {"AR", "IT", "Arrived at FedEx location", "", ""},
	Exported:       {"DP", "IT", "Departed FedEx location", "", ""},
	CustomsHeld:    {"CD", "DE", "Clearance delay", "", "Import duties and taxes are due before release"},
	CustomsCleared: {"CC", "IT", "International shipment release - Import", "", ""},
	DestinationHub: {"AR", "IT", "At local FedEx facility", "", ""},
	OutForDelivery: {"OD", "IT", "On FedEx vehicle for delivery", "", ""},
	AddressProblem: {"DE", "DE", "Delivery exception", "03", "Incorrect address"},
	NotHome:        {"DE", "DE", "Delivery exception", "08", "Customer not available or business closed"},
	Damaged:        {"SE", "SE", "Shipment exception", "", "Package damaged, being repackaged"},
	Refused:        {"DE", "DE", "Delivery exception", "07", "Refused by recipient"},
	Returning:      {"RS", "RS", "Return to shipper", "", ""},
	ReadyForPickup: {"HP", "IT", "Ready for recipient pickup", "", ""},
	NotCollected:   {"RS", "RS", "Return to shipper", "", "Package not picked up by recipient"},
	Collected:      {"DL", "DL", "Picked up by recipient", "", ""},
	Delivered:      {"DL", "DL", "Delivered", "", ""},
	ETARevised:     {"AO", "IT", "Shipment arriving On-Time", "", ""},
}

func (s *Server) fedexTrack(r *http.Request) (int, []byte) {
	var req fedex.Request
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || len(req.TrackingInfo) > fedex.MaxBatch {
		return jsonAnswer(http.StatusBadRequest, fedex.Response{Errors: []fedex.APIError{{
			Code: "INVALID.INPUT.EXCEPTION", Message: "Invalid field value in the input",
		}}})
	}
	out := &fedex.Output{}
	for _, info := range req.TrackingInfo {
		out.CompleteTrackResults = append(out.CompleteTrackResults, s.fedexResults(info.TrackingNumberInfo.TrackingNumber))
	}
	return jsonAnswer(http.StatusOK, fedex.Response{TransactionID: idOf(r.Header.Get("Authorization"), time.Now()), Output: out})
}

// fedexResults answers one number of a batch: its shipment, an older one
// when the number was used before, or FedEx's per-number "not found".
func (s *Server) fedexResults(number string) fedex.CompleteTrackResult {
	c := fedex.CompleteTrackResult{TrackingNumber: number}
	p, steps, ok := s.parcel("fedex", number)
	if !ok {
		c.TrackResults = []fedex.TrackResult{{
			TrackingNumberInfo: fedex.TrackingNumberInfo{TrackingNumber: number},
			Error: &fedex.APIError{Code: "TRACKING.TRACKINGNUMBER.NOTFOUND",
				Message: "Tracking number cannot be found. Please correct the tracking number and try again."},
		}}
		return c
	}
	c.TrackResults = []fedex.TrackResult{p.fedexResult(steps, p.ETA(steps), p.ShippedAt)}
	if p.recycled {
		old := p.previousLife()
		c.TrackResults = append(c.TrackResults, p.fedexResult(old, time.Time{}, old[0].At))
	}
	return c
}

func fedexUnauthorized() (int, []byte) {
	return jsonAnswer(http.StatusUnauthorized, fedex.Response{Errors: []fedex.APIError{{
		Code: "NOT.AUTHORIZED.ERROR", Message: "Access token expired. Please modify your request and try again.",
	}}})
}

// fedexResult renders one shipment under the number, shipped at ship:
// scans newest first with the offset of the place they happened in.
func (p *Parcel) fedexResult(steps []Step, eta, ship time.Time) fedex.TrackResult {
	cur := fedexCodes[current(steps).Kind]
	r := fedex.TrackResult{
		TrackingNumberInfo: fedex.TrackingNumberInfo{
			TrackingNumber: p.TrackingNumber,
			// The day of shipping tells the shipments of a recycled number
			// apart, as FedEx's "12028~738488882438~FDEG" does.
			TrackingNumberUniqueID: fmt.Sprintf("%d~%s~FDXE", ship.Unix()/86400, p.TrackingNumber),
			CarrierCode:            "FDXE",
		},
		LatestStatusDetail: &fedex.StatusDetail{Code: cur.derived, DerivedCode: cur.derived, StatusByLocale: cur.text, Description: cur.text},
		ServiceDetail:      &fedex.ServiceDetail{Description: p.Service},
		ScanEvents:         newestFirst(steps, p.fedexScan),
	}
	if !eta.IsZero() {
		at := wallTime(eta, p.dest).Format(time.RFC3339)
		r.EstimatedDeliveryTimeWindow = &fedex.TimeWindow{Window: fedex.Window{Ends: at}}
		r.DateAndTimes = []fedex.DateAndTime{{Type: "ESTIMATED_DELIVERY", DateTime: at}}
	}
	return r
}

func (p *Parcel) fedexScan(st Step) fedex.ScanEvent {
	c := fedexCodes[st.Kind]
	return fedex.ScanEvent{
		Date:                 wallTime(st.At, p.where(st)).Format(time.RFC3339),
		EventType:            c.event,
		EventDescription:     c.text,
		ExceptionCode:        c.exception,
		ExceptionDescription: c.exceptionText,
		ScanLocation: fedex.Address{StreetLines: []string{""}, City: st.Place.city, StateOrProvinceCode: st.Place.state,
			PostalCode: st.Place.postal, CountryCode: st.Place.country},
		DerivedStatusCode: c.derived,
		DerivedStatus:     c.text,
	}
}
