package intake

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/wismo/wismo/store"
)

// Order is a shop order as it arrives, before it has parcels in the store.
type Order struct {
	// Number is the shop's order number without the "#" Shopify shows.
	Number string
	// ShopID is the shop platform's own id of the order, 0 from a CSV.
	ShopID   int64
	Channel  string
	PlacedAt time.Time
	Customer store.Customer
	ShipTo   store.Address
	Lines    []store.Line
	// Fulfillments are the shipments the order already has.
	Fulfillments []Fulfillment
}

// Fulfillment is one shipment of an order: one carrier and the tracking
// numbers of its parcels (several when the shipment is several boxes).
type Fulfillment struct {
	// ShopID is the shop platform's own id of the fulfillment, 0 from a CSV.
	ShopID int64
	// Order is the number of the order it ships.
	Order string
	// Carrier is in wismo's names: see CarrierName.
	Carrier         string
	TrackingNumbers []string
	Service         string
	ShippedAt       time.Time
	// Cancelled is set when the shop reports the shipment cancelled or
	// failed: its parcels never left and are not to be tracked.
	Cancelled bool
}

// Return is a return merchandise authorization (RMA) and where it stands.
type Return struct {
	RMA    string
	Order  string
	Lines  []store.Line
	Reason string
	// Carrier and TrackingNumber are the return parcel's, once known.
	Carrier        string
	TrackingNumber string
	State          store.ReturnState
	// Refund is in the currency's minor units (cents), 0 until refunded.
	Refund     int64
	Currency   string
	RefundedAt time.Time
	// UpdatedAt is when the return reached State, when the sender says: a
	// late delivery about an earlier state can then be told from news.
	UpdatedAt time.Time
}

// ParseReturnState reads a return state's name (store.ReturnRequested
// and the others), ignoring case and surrounding space.
func ParseReturnState(s string) (store.ReturnState, error) {
	st := store.ReturnState(strings.ToLower(strings.TrimSpace(s)))
	if !st.Valid() {
		return "", fmt.Errorf("unknown return state %q (the states are %s)", s, returnStateNames)
	}
	return st, nil
}

const returnStateNames = "requested, approved, label_issued, in_transit, received, inspected, refunded, rejected"

// ownCarriers are the carriers wismo has feeds for, matched by prefix so a
// shop's "DHL Express" and "DHL eCommerce" or "FedEx Ground" file under
// the carrier.
var ownCarriers = []string{"usps", "ups", "fedex", "dhl", "dpd", "gls"}

// carrierAliases are long names shops type for those carriers.
var carrierAliases = map[string]string{
	"unitedstatespostalservice": "usps",
	"unitedparcelservice":       "ups",
	"federalexpress":            "fedex",
}

// CarrierName turns a shop's carrier name into wismo's: "UPS", "FedEx",
// "DHL Express", "DHL eCommerce", "USPS", "DPD" and "GLS" (and their
// variants) become "ups", "fedex", "dhl", "usps", "dpd" and "gls"; any
// other becomes its letters and digits, lower-cased ("Royal Mail" is
// "royalmail"), the way the EasyPost feed names carriers, so one carrier
// gets one name whichever way it arrived.
func CarrierName(name string) string {
	slug := strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, name)
	if c, ok := carrierAliases[slug]; ok {
		return c
	}
	for _, own := range ownCarriers {
		if strings.HasPrefix(slug, own) {
			return own
		}
	}
	return slug
}
