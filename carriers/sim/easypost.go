package sim

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/wismo/wismo/carriers/easypost"
)

// easypostFormat speaks EasyPost's tracker API: POST /v2/trackers with the
// API key as the Basic auth user creates (or finds) the tracker for a code.
var easypostFormat = format{carrier: "easypost", routes: func(s *Server, mux *http.ServeMux) {
	mux.HandleFunc("POST /v2/trackers", s.faulty(s.easypostTrack))
}}

// easypostPush is EasyPost's tracker.updated webhook, signed
// X-Hmac-Signature: hmac-sha256-hex=… with the secret NFKD-normalized.
var easypostPush = pushFormat{
	body: func(p *Parcel, steps []Step) ([]byte, error) { return json.Marshal(p.easypostEvent(steps)) },
	sign: func(secret string, body []byte) (string, string) {
		return easypost.SignatureHeader, "hmac-sha256-hex=" + hex.EncodeToString(hmacSHA256(norm.NFKD.String(secret), body))
	},
}

// easypostCode is a step's status and status_detail, EasyPost's pair,
// and the message it carries.
type easypostCode struct{ status, detail, message string }

// easypostCodes are EasyPost's words for each step. A hold across a border
// is failure/held: EasyPost has no customs detail.
var easypostCodes = map[Kind]easypostCode{
	LabelCreated:   {"pre_transit", "label_created", "Shipping label created"},
	PickedUp:       {"in_transit", "received_at_origin_facility", "The parcel has been picked up"},
	OriginHub:      {"in_transit", "arrived_at_facility", "The parcel has reached the parcel center"},
	Exported:       {"in_transit", "departed_facility", "The parcel has left the parcel center"},
	CustomsHeld:    {"failure", "held", "The parcel is held by customs, import duties are due"},
	CustomsCleared: {"in_transit", "in_transit", "Customs clearance completed"},
	DestinationHub: {"in_transit", "arrived_at_destination", "The parcel has reached the destination parcel center"},
	OutForDelivery: {"out_for_delivery", "out_for_delivery", "The parcel is expected to be delivered during the day"},
	AddressProblem: {"failure", "address_correction", "The consignee could not be found at the given address"},
	NotHome:        {"failure", "delivery_exception", "The consignee was not at home, a notification card was left"},
	Damaged:        {"failure", "damaged", "The parcel was damaged and is being repacked"},
	Refused:        {"failure", "refused", "The consignee refused to accept the parcel"},
	Returning:      {"return_to_sender", "return", "The parcel is on its way back to the sender"},
	ReadyForPickup: {"available_for_pickup", "arrived_at_pickup_location", "The parcel is ready for collection at the GLS ParcelShop"},
	NotCollected:   {"failure", "expired", "The parcel was not collected from the GLS ParcelShop in time"},
	Collected:      {"delivered", "arrived_at_destination", "The parcel has been collected from the GLS ParcelShop"},
	Delivered:      {"delivered", "arrived_at_destination", "The parcel has been delivered"},
	ETARevised:     {"unknown", "status_update", "The expected delivery date has changed"},
}

func (s *Server) easypostTrack(r *http.Request) (int, []byte) {
	if user, _, ok := r.BasicAuth(); !ok || user != s.opts.APIKey {
		return easypostError(http.StatusUnauthorized, "APIKEY.INACTIVE", "This api key is no longer active. Please use a different api key or reactivate this key.")
	}
	var req struct {
		Tracker struct {
			TrackingCode string `json:"tracking_code"`
		} `json:"tracker"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Tracker.TrackingCode == "" {
		return easypostError(http.StatusUnprocessableEntity, "TRACKER.CREATE.ERROR", "Invalid tracking code.")
	}
	code := req.Tracker.TrackingCode
	p, steps, ok := s.parcel("easypost", code)
	if !ok {
		// EasyPost makes a tracker for any code; it has no scans until
		// the carrier reports one.
		return jsonAnswer(http.StatusOK, easypost.Tracker{ID: easypostTrackerID(code), Object: "Tracker", Mode: "test",
			TrackingCode: code, Status: "unknown", TrackingDetails: []easypost.TrackingDetail{}})
	}
	return jsonAnswer(http.StatusOK, p.easypostTracker(steps))
}

func easypostError(status int, code, message string) (int, []byte) {
	return jsonAnswer(status, easypost.ErrorResponse{Error: easypost.APIError{Code: code, Message: message}})
}

// easypostTrackerID is the tracker a code always finds: EasyPost answers a
// second create for the same code with the tracker it made the first time.
func easypostTrackerID(code string) string { return "trk_" + idOf("tracker", code)[:32] }

// easypostEvent wraps the tracker in a tracker.updated Event whose id
// names the parcel and how many steps it reports, so a retry repeats it.
// When the newest news moved the delivery date, previous_attributes holds
// the old one.
func (p *Parcel) easypostEvent(steps []Step) easypost.Event {
	t := p.easypostTracker(steps)
	e := easypost.Event{ID: fmt.Sprintf("evt_%s_%d", p.TrackingNumber, len(steps)), Object: "Event", Mode: "test",
		Description: "tracker.updated", Result: t, CreatedAt: t.UpdatedAt, UpdatedAt: t.UpdatedAt}
	if old, revised := p.etaBefore(steps); revised {
		e.PreviousAttributes = &easypost.PreviousAttributes{EstDeliveryDate: easypostTime(old)}
	}
	return e
}

// easypostTracker renders steps as EasyPost does: oldest first, in UTC.
func (p *Parcel) easypostTracker(steps []Step) easypost.Tracker {
	cur := current(steps)
	c := easypostCodes[cur.Kind]
	return easypost.Tracker{
		ID: easypostTrackerID(p.TrackingNumber), Object: "Tracker", Mode: "test",
		TrackingCode: p.TrackingNumber, Status: c.status, StatusDetail: c.detail,
		EstDeliveryDate: easypostTime(p.ETA(steps)),
		Carrier:         strings.ToUpper(p.Carrier),
		PublicURL:       "https://track.easypost.com/" + easypostTrackerID(p.TrackingNumber),
		CreatedAt:       easypostTime(steps[0].At),
		UpdatedAt:       easypostTime(cur.At),
		Finalized:       ended(steps),
		TrackingDetails: oldestFirst(steps, p.easypostDetail),
		CarrierDetail: &easypost.CarrierDetail{Object: "CarrierDetail", Service: p.Service,
			OriginTrackingLocation:      &easypost.TrackingLocation{Object: "TrackingLocation", Country: origin.country},
			DestinationTrackingLocation: &easypost.TrackingLocation{Object: "TrackingLocation", Country: p.dest.country}},
	}
}

func (p *Parcel) easypostDetail(st Step) easypost.TrackingDetail {
	c := easypostCodes[st.Kind]
	return easypost.TrackingDetail{
		Object: "TrackingDetail", Message: c.message, Status: c.status, StatusDetail: c.detail,
		Datetime: easypostTime(st.At), Source: strings.ToUpper(p.Carrier),
		TrackingLocation: easypost.TrackingLocation{Object: "TrackingLocation", City: st.Place.city,
			State: st.Place.state, Country: st.Place.country, Zip: st.Place.postal},
	}
}

func easypostTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }
