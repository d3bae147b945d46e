package sim

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/wismo/wismo/carriers/aftership"
)

// aftershipPush is AfterShip's tracking_update webhook, signed
// aftership-hmac-sha256: the base64 HMAC-SHA256 of the body.
var aftershipPush = pushFormat{
	body: func(p *Parcel, steps []Step) ([]byte, error) { return json.Marshal(p.aftershipPayload(steps)) },
	sign: func(secret string, body []byte) (string, string) {
		return aftership.SignatureHeader, base64.StdEncoding.EncodeToString(hmacSHA256(secret, body))
	},
}

// aftershipCode is a step's AfterShip tag, subtag, subtag message, and the
// courier's own message.
type aftershipCode struct{ tag, subtag, subtagMessage, message string }

// aftershipCodes are AfterShip's words for each step. A new delivery date
// is no checkpoint of its own at AfterShip (it sends edd_revise for that),
// so the courier's note of it arrives as a Pending checkpoint, which says
// nothing once real ones exist.
var aftershipCodes = map[Kind]aftershipCode{
	LabelCreated:   {"InfoReceived", "InfoReceived_001", "Info Received", "The parcel data has been transmitted to DPD"},
	PickedUp:       {"InTransit", "InTransit_002", "Shipment accepted by the carrier", "The parcel has been picked up"},
	OriginHub:      {"InTransit", "InTransit_003", "Arrived at a hub or sorting center", "At parcel delivery centre"},
	Exported:       {"InTransit", "InTransit_007", "Departure Scan", "The parcel has left the country of origin"},
	CustomsHeld:    {"Exception", "Exception_004", "Delayed (Customs clearance)", "The parcel is held by customs, import duties are due"},
	CustomsCleared: {"InTransit", "InTransit_005", "Customs clearance completed", "Customs clearance completed"},
	DestinationHub: {"InTransit", "InTransit_003", "Arrived at a hub or sorting center", "At parcel delivery centre"},
	OutForDelivery: {"OutForDelivery", "OutForDelivery_001", "Out for Delivery", "Out for delivery"},
	AddressProblem: {"Exception", "Exception_007", "Incorrect Address", "The address is incomplete or incorrect"},
	NotHome:        {"AttemptFail", "AttemptFail_001", "Failed Attempt", "Consignee not at home, notification card left"},
	Damaged:        {"Exception", "Exception_012", "Shipment damage", "The parcel was damaged and is being repacked"},
	Refused:        {"Exception", "Exception_003", "Customer refused delivery", "Acceptance refused by consignee"},
	Returning:      {"Exception", "Exception_010", "Returning to sender", "The parcel is on its way back to the sender"},
	ReadyForPickup: {"AvailableForPickup", "AvailableForPickup_001", "Available for pickup", "Delivered to DPD Pickup parcelshop"},
	NotCollected:   {"Exception", "Exception_008", "Pick up missed", "Not collected from the DPD Pickup parcelshop"},
	Collected:      {"Delivered", "Delivered_002", "Picked up by the customer", "Collected from the DPD Pickup parcelshop"},
	Delivered:      {"Delivered", "Delivered_001", "Delivered", "Delivered"},
	ETARevised:     {"Pending", "Pending_001", "Pending", "The expected delivery date has changed"},
}

// alpha3 names the simulated countries as AfterShip does.
var alpha3 = map[string]string{"DE": "DEU", "AT": "AUT", "NL": "NLD", "CH": "CHE", "GB": "GBR", "US": "USA"}

// aftershipPayload renders steps as AfterShip's webhook: checkpoints oldest
// first, each at the local time and offset of its place. The event id names
// the parcel and how many steps it reports, so a retry repeats it.
func (p *Parcel) aftershipPayload(steps []Step) aftership.Payload {
	cur := aftershipCodes[current(steps).Kind]
	eta := p.ETA(steps)
	return aftership.Payload{
		Event:   "tracking_update",
		EventID: uuidOf(p.TrackingNumber, len(steps)),
		TS:      current(steps).At.Unix(),
		Msg: aftership.Tracking{
			ID: idOf("tracking", p.TrackingNumber)[:24], TrackingNumber: p.TrackingNumber,
			Slug: p.Carrier, Tag: cur.tag, Subtag: cur.subtag, SubtagMessage: cur.subtagMessage,
			ShipmentType: p.Service, UpdatedAt: current(steps).At.UTC().Format(time.RFC3339),
			FirstEstimatedDelivery:  &aftership.EstimatedDelivery{Type: "specific", Source: "Carrier EDD", Datetime: wallTime(p.PromisedBy, p.dest).Format(time.RFC3339)},
			LatestEstimatedDelivery: &aftership.EstimatedDelivery{Type: "specific", Source: "Carrier EDD", Datetime: wallTime(eta, p.dest).Format(time.RFC3339)},
			DestinationCountryISO3:  alpha3[p.dest.country],
			DestinationState:        p.dest.state,
			ReturnToSender:          current(steps).Kind == Returning,
			Checkpoints:             oldestFirst(steps, p.aftershipCheckpoint),
		},
	}
}

func (p *Parcel) aftershipCheckpoint(st Step) aftership.Checkpoint {
	c := aftershipCodes[st.Kind]
	return aftership.Checkpoint{
		Slug: p.Carrier,
		// AfterShip learns of a scan a few minutes after it happened.
		CreatedAt:      st.At.Add(7 * time.Minute).UTC().Format(time.RFC3339),
		CheckpointTime: wallTime(st.At, p.where(st)).Format(time.RFC3339),
		Location:       strings.Trim(st.Place.city+", "+st.Place.country, ", "),
		City:           st.Place.city, State: st.Place.state, Zip: st.Place.postal,
		CountryISO3: alpha3[st.Place.country],
		Message:     c.message, Tag: c.tag, Subtag: c.subtag, SubtagMessage: c.subtagMessage,
	}
}

// uuidOf shapes a stable id as the version 4 UUID AfterShip's event_id is.
func uuidOf(parts ...any) string {
	h := idOf(parts...)
	return fmt.Sprintf("%s-%s-4%s-a%s-%s", h[0:8], h[8:12], h[13:16], h[17:20], h[20:32])
}
