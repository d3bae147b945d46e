package sim

import (
	"bytes"
	"encoding/json"
	"net/http"
	"time"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/carriers/dhl"
)

// dhlFormat speaks DHL's Shipment Tracking – Unified API:
// GET /track/shipments?trackingNumber=… with the DHL-API-Key header.
var dhlFormat = format{carrier: "dhl", routes: func(s *Server, mux *http.ServeMux) {
	mux.HandleFunc("GET /track/shipments", s.faulty(s.dhlTrack))
}}

// dhlTexts are DHL's words for each step: a coarse statusCode and the text
// that carries the meaning.
var dhlTexts = map[Kind][2]string{
	LabelCreated:   {"pre-transit", "The instruction data for this shipment have been provided by the sender to DHL electronically"},
	PickedUp:       {"transit", "The shipment has been picked up"},
	OriginHub:      {"transit", "The shipment has been processed in the parcel center of origin"},
	Exported:       {"transit", "The shipment has left the country of origin"},
	CustomsHeld:    {"failure", "The shipment is being held by customs. Import duties must be paid"},
	CustomsCleared: {"transit", "Customs clearance completed"},
	DestinationHub: {"transit", "The shipment has been processed in the destination parcel center"},
	OutForDelivery: {"transit", "The shipment has been loaded onto the delivery vehicle"},
	AddressProblem: {"failure", "The recipient could not be found at the address given"},
	NotHome:        {"failure", "Delivery attempt failed: the recipient was not at home. A notification card was left"},
	Damaged:        {"failure", "The shipment was damaged in transit and is being repacked"},
	Refused:        {"failure", "The recipient refused to accept the shipment"},
	Returning:      {"failure", "The shipment is being returned to the sender"},
	ReadyForPickup: {"transit", "The shipment is ready for pick-up at the DHL Packstation"},
	NotCollected:   {"failure", "The shipment was not collected from the Packstation and has expired"},
	Collected:      {"delivered", "The shipment has been picked up by the recipient from the Packstation"},
	Delivered:      {"delivered", "The shipment has been successfully delivered"},
	ETARevised:     {"unknown", "The expected delivery date has changed"},
}

func (s *Server) dhlTrack(r *http.Request) (int, []byte) {
	if r.Header.Get("DHL-API-Key") != s.opts.APIKey {
		return dhlProblem(http.StatusUnauthorized, "Unauthorized", "Invalid API key")
	}
	number := r.URL.Query().Get("trackingNumber")
	p, steps, ok := s.parcel("dhl", number)
	if !ok {
		return dhlProblem(http.StatusNotFound, "No result found", "No shipment with given tracking number found.")
	}
	resp := dhl.Response{Shipments: []dhl.Shipment{p.dhlShipment(steps, p.ETA(steps))}}
	if p.recycled {
		// The same number once named an express shipment of another
		// business unit; DHL lists both.
		old := p.dhlShipment(p.previousLife(), time.Time{})
		old.Service = "express"
		resp.Shipments = append(resp.Shipments, old)
	}
	body, err := json.Marshal(resp)
	if err != nil {
		return dhlProblem(http.StatusInternalServerError, "Internal Server Error", err.Error())
	}
	if p.numericID {
		body = bytes.ReplaceAll(body, []byte(`"id":"`+p.TrackingNumber+`"`), []byte(`"id":`+p.TrackingNumber))
	}
	return http.StatusOK, body
}

func dhlProblem(status int, title, detail string) (int, []byte) {
	body, _ := json.Marshal(dhl.Problem{Title: title, Detail: detail, Status: status})
	return status, body
}

// dhlShipment renders steps as DHL does: newest first, naive local
// timestamps, the latest event repeated as the status.
func (p *Parcel) dhlShipment(steps []Step, eta time.Time) dhl.Shipment {
	s := dhl.Shipment{
		ID:          dhl.ID(p.TrackingNumber),
		Service:     p.Service,
		Origin:      dhl.Place{Address: dhlAddress(origin)},
		Destination: dhl.Place{Address: dhlAddress(p.dest)},
		Details:     &dhl.Details{Product: dhl.Product{ProductName: "DHL PAKET"}},
	}
	if !eta.IsZero() {
		s.EstimatedTimeOfDelivery = eta.UTC().Format(time.RFC3339)
	}
	for i := len(steps) - 1; i >= 0; i-- {
		st := steps[i]
		at := p.where(st)
		code := dhlTexts[st.Kind]
		s.Events = append(s.Events, dhl.Event{
			Timestamp:   localTime(st.At, at),
			StatusCode:  code[0],
			Status:      code[1],
			Description: code[1],
			Location:    dhl.Place{Address: dhlAddress(st.Place)},
		})
		s.ReturnFlag = s.ReturnFlag || st.Kind == Returning
	}
	s.Status = &s.Events[0]
	return s
}

func dhlAddress(pl place) dhl.Address {
	return dhl.Address{AddressLocality: pl.city, PostalCode: pl.postal, CountryCode: pl.country, AddressRegion: pl.state}
}

// where is the place whose clock a step's local time is read on: the
// scan's own, or the destination's for steps that name none.
func (p *Parcel) where(st Step) place {
	if st.Place.country == "" {
		return p.dest
	}
	return st.Place
}

// localTime writes t as carriers with naive timestamps do: wall time where
// the scan happened, with no zone.
func localTime(t time.Time, at place) string {
	return wallTime(t, at).Format("2006-01-02T15:04:05")
}

// wallTime is t on the clock of the place, or UTC where that is unknown.
func wallTime(t time.Time, at place) time.Time {
	if loc, ok := carriers.Zone(at.country, at.state); ok {
		return t.In(loc)
	}
	return t.UTC()
}
