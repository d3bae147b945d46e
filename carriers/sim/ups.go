package sim

import (
	"net/http"
	"time"

	"github.com/wismo/wismo/carriers/ups"
)

// upsFormat speaks the UPS Track API v1: GET /api/track/v1/details/{n}
// with a bearer token from POST /security/v1/oauth/token (client id and
// secret as HTTP Basic).
var upsFormat = oauthFormat("ups", "/security/v1/oauth/token", "GET /api/track/v1/details/{number}",
	(*Server).upsTrack, upsUnauthorized)

// upsCode is UPS's three codes for a step (activity type, 2-letter scan
// code, 3-digit status code) and its description. The status code decides
// the meaning, so each is one the reader maps to the step's status.
type upsCode struct{ typ, scan, status, text string }

// upsCodes are UPS's words for each step.
var upsCodes = map[Kind]upsCode{
	LabelCreated:   {"M", "MP", "003", "Shipper created a label, UPS has not received the package yet. "},
	PickedUp:       {"I", "PU", "038", "Pickup Scan "},
	OriginHub:      {"I", "AR", "005", "Arrived at Facility"},
	Exported:       {"I", "DP", "005", "Departed from Facility"},
	CustomsHeld:    {"X", "CI", "012", "Your package is being held for import duties and taxes."},
	CustomsCleared: {"I", "SR", "014", "Your package was released by the customs agency."},
	DestinationHub: {"I", "AR", "005", "Arrived at Facility"},
	OutForDelivery: {"I", "OT", "021", "Out For Delivery Today"},
	AddressProblem: {"X", "AI", "050", "The address is incomplete or incorrect. We're attempting to update this address."},
	NotHome:        {"X", "48", "022", "The receiver was not available for delivery. We'll make a second attempt the next business day."},
	Damaged:        {"X", "DR", "059", "Damage reported. The package is being repackaged."},
	Refused:        {"X", "RF", "064", "The receiver refused the delivery."},
	Returning:      {"I", "RS", "036", "Returning to Sender: In Transit to UPS Facility"},
	ReadyForPickup: {"X", "KB", "040", "Ready for Customer Pickup at a UPS Access Point™"},
	NotCollected:   {"X", "RT", "035", "Not collected from the UPS Access Point™ in time. Returning to Sender"},
	Collected:      {"D", "KM", "011", "Picked up at UPS Access Point™"},
	Delivered:      {"D", "FS", "011", "DELIVERED "},
	ETARevised:     {"U", "UP", "154", "Updated Delivery Date"},
}

func (s *Server) upsTrack(r *http.Request) (int, []byte) {
	number := r.PathValue("number")
	p, steps, ok := s.parcel("ups", number)
	if !ok {
		// UPS says "not found" with a warning inside a 200.
		return jsonAnswer(http.StatusOK, ups.Response{TrackResponse: ups.TrackResponse{Shipment: []ups.Shipment{{
			Warnings: []ups.Message{{Code: "TW0001", Message: "Tracking Information Not Found"}},
		}}}})
	}
	return jsonAnswer(http.StatusOK, ups.Response{TrackResponse: ups.TrackResponse{Shipment: []ups.Shipment{{
		InquiryNumber: number,
		Package:       []ups.Package{p.upsPackage(steps)},
	}}}})
}

func upsUnauthorized() (int, []byte) {
	return jsonAnswer(http.StatusUnauthorized, ups.ErrorResponse{Response: ups.ErrorList{
		Errors: []ups.Message{{Code: "250002", Message: "Invalid Authentication Information."}},
	}})
}

// upsPackage renders steps as UPS does: newest first, each with the local
// date and time of the scan and the same moment in GMT.
func (p *Parcel) upsPackage(steps []Step) ups.Package {
	cur := upsCodes[current(steps).Kind]
	return ups.Package{
		TrackingNumber: p.TrackingNumber,
		PackageCount:   1,
		Service:        &ups.Service{Description: p.Service},
		CurrentStatus:  &ups.Status{Code: cur.status, Description: cur.text},
		DeliveryDate:   p.upsDeliveryDate(steps),
		DeliveryTime:   p.upsDeliveryTime(steps),
		PackageAddress: []ups.PackageAddress{
			{Type: "ORIGIN", Address: upsAddress(origin)},
			{Type: "DESTINATION", Address: upsAddress(p.dest)},
		},
		Activity: newestFirst(steps, p.upsActivity),
	}
}

func (p *Parcel) upsActivity(st Step) ups.Activity {
	c := upsCodes[st.Kind]
	local := wallTime(st.At, p.where(st))
	gmt := st.At.UTC()
	loc := ups.Location{Address: upsAddress(st.Place)}
	if st.Place.country == "" {
		// Manifest and update events name only a country.
		loc.Address = ups.Address{Country: p.where(st).country, CountryCode: p.where(st).country}
	}
	return ups.Activity{
		Location:    loc,
		Status:      ups.Status{Type: c.typ, Code: c.scan, Description: c.text, StatusCode: c.status},
		Date:        local.Format(upsDate),
		Time:        local.Format(upsClock),
		GMTDate:     gmt.Format(upsDate),
		GMTTime:     gmt.Format(time.TimeOnly),
		GMTOffset:   local.Format("-07:00"),
		LogicalScan: st.Kind == ETARevised,
	}
}

// The compact date and clock of UPS's local times.
const (
	upsDate  = "20060102"
	upsClock = "150405"
)

// upsDeliveryDate is the scheduled date (SDD), rescheduled (RDD) once the
// carrier moved it, and the delivery date (DEL) once delivered; all on the
// destination's calendar.
func (p *Parcel) upsDeliveryDate(steps []Step) []ups.DeliveryDate {
	eta := p.ETA(steps)
	typ := "SDD"
	if !eta.Equal(p.PromisedBy) {
		typ = "RDD"
	}
	dates := []ups.DeliveryDate{{Type: typ, Date: wallTime(eta, p.dest).Format(upsDate)}}
	if ended(steps) {
		dates = append(dates, ups.DeliveryDate{Type: "DEL", Date: wallTime(current(steps).At, p.dest).Format(upsDate)})
	}
	return dates
}

// upsDeliveryTime is the end of the day's delivery window, or the time of
// the delivery once it happened.
func (p *Parcel) upsDeliveryTime(steps []Step) *ups.DeliveryTime {
	if ended(steps) {
		return &ups.DeliveryTime{Type: "DEL", EndTime: wallTime(current(steps).At, p.dest).Format(upsClock)}
	}
	return &ups.DeliveryTime{Type: "EOD", EndTime: wallTime(p.ETA(steps), p.dest).Format(upsClock)}
}

func upsAddress(pl place) ups.Address {
	return ups.Address{City: pl.city, StateProvince: pl.state, PostalCode: pl.postal, Country: pl.country, CountryCode: pl.country}
}
