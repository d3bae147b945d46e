package sim

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// World is the demo's simulated shop and its carriers: orders, the parcels
// that carry them, each with its carrier, and each parcel's journey laid out
// in advance. It is fixed after NewWorld and safe for concurrent reads.
type World struct {
	Orders  []Order
	parcels map[string]*Parcel
	// pushed are the parcels an aggregator reports on by webhook.
	pushed []*Parcel
}

// Customer is who placed a simulated order.
type Customer struct {
	Name, Email, Phone, Locale string
}

// Address is where a simulated order goes.
type Address struct {
	Name, Line1, City, Region, PostalCode, Country string
}

// Line is one item of a simulated order.
type Line struct {
	SKU, Title string
	Qty        int
}

// Order is a simulated shop order.
type Order struct {
	Number   string
	PlacedAt time.Time
	Customer Customer
	ShipTo   Address
	Lines    []Line
	Parcels  []*Parcel
}

// Parcel is a simulated parcel and its planned journey.
type Parcel struct {
	// Carrier is who carries it, in wismo's names ("dhl", "ups").
	Carrier string
	// Feed is the aggregator that reports on it ("easypost", "aftership"),
	// empty when the desk asks the carrier itself.
	Feed           string
	TrackingNumber string
	Service        string
	ShippedAt      time.Time
	// PromisedBy is the delivery date the carrier first gave.
	PromisedBy time.Time
	Trouble    Trouble
	Steps      []Step
	dest       place
	// numericID makes the DHL format send the id as a JSON number, as some
	// DHL responses do for all-digit numbers.
	numericID bool
	// recycled: the carrier also reports an older shipment under the same
	// number, as FedEx and DHL do for numbers they reuse.
	recycled bool
}

// NewWorld generates n orders deterministically from seed. Parcels ship
// between five days before now and one day after it, so the demo opens on
// journeys at every stage.
func NewWorld(seed uint64, n int, now time.Time) *World {
	r := rand.New(rand.NewPCG(seed, seed^0x5eed))
	w := &World{parcels: map[string]*Parcel{}}
	for i := range n {
		o := newOrder(r, 1001+i, now)
		for _, p := range o.Parcels {
			w.parcels[p.TrackingNumber] = p
			if p.Feed != "" {
				w.pushed = append(w.pushed, p)
			}
		}
		w.Orders = append(w.Orders, o)
	}
	return w
}

// Parcel finds a parcel by tracking number.
func (w *World) Parcel(trackingNumber string) (*Parcel, bool) {
	p, ok := w.parcels[trackingNumber]
	return p, ok
}

func newOrder(r *rand.Rand, number int, now time.Time) Order {
	first, last := pick(r, firstNames), pick(r, lastNames)
	dest := pick(r, destinations)
	name := first + " " + last
	o := Order{
		Number: fmt.Sprint(number),
		Customer: Customer{
			Name:   name,
			Email:  emailOf(first, last, number),
			Phone:  phoneIn(r, dest.country),
			Locale: localeOf(dest.country),
		},
		ShipTo: Address{
			Name: name, Line1: fmt.Sprintf("%s %d", pick(r, streets), 1+r.IntN(120)),
			City: dest.city, Region: dest.state, PostalCode: dest.postal, Country: dest.country,
		},
	}
	ship := now.Add(-5*24*time.Hour + time.Duration(r.Int64N(int64(6*24*time.Hour))))
	o.PlacedAt = ship.Add(-time.Duration(2+r.IntN(46)) * time.Hour)
	for range 1 + r.IntN(3) {
		prod := pick(r, products)
		o.Lines = append(o.Lines, Line{SKU: prod.sku, Title: prod.title, Qty: 1 + r.IntN(2)})
	}
	for i := range parcelCount(r) {
		o.Parcels = append(o.Parcels, newParcel(r, ship.Add(time.Duration(i*r.IntN(20))*time.Hour), dest))
	}
	return o
}

// parcelCount: most orders ship in one parcel, some in two or three.
func parcelCount(r *rand.Rand) int {
	switch n := r.IntN(100); {
	case n < 65:
		return 1
	case n < 90:
		return 2
	}
	return 3
}

func newParcel(r *rand.Rand, ship time.Time, dest place) *Parcel {
	p := &Parcel{ShippedAt: ship, Trouble: pickTrouble(r, dest), dest: dest}
	c := pickCarrier(r, dest.country)
	p.Carrier, p.Feed, p.Service = c.carrier, c.feed, c.service
	p.TrackingNumber = c.number(r)
	p.numericID = c.numeric
	p.recycled = c.recycles && r.IntN(10) == 0
	p.Steps, p.PromisedBy = plan(r, ship, dest, p.Trouble)
	return p
}

// carrierChoice is one way the shop ships to a country.
type carrierChoice struct {
	percent                int
	carrier, feed, service string
	number                 func(*rand.Rand) string
	numeric, recycles      bool
}

// carrierMix is how the shop ships to each country: domestic parcels mostly
// with DHL, some with DPD and GLS whose news comes through AfterShip and
// EasyPost; US parcels with USPS, UPS and FedEx; the rest of Europe with
// DHL, UPS and FedEx.
var carrierMix = map[string][]carrierChoice{
	"DE": {
		{45, "dhl", "", "parcel-de", digits("00340434", 12), false, false},
		{10, "dhl", "", "express", digits("1", 9), true, true},
		{25, "dpd", "aftership", "DPD Classic", digits("0150", 10), false, false},
		{20, "gls", "easypost", "GLS BusinessParcel", digits("6", 10), false, false},
	},
	"US": {
		{50, "usps", "", "Priority Mail", digits("9400", 18), false, false},
		{25, "ups", "", "UPS Worldwide Saver", upsNumber, false, false},
		{25, "fedex", "", "FedEx International Priority", digits("7", 11), false, true},
	},
	"": {
		{40, "dhl", "", "ecommerce-europe", digits("JJD0", 16), false, false},
		{30, "ups", "", "UPS Standard", upsNumber, false, false},
		{30, "fedex", "", "FedEx International Economy", digits("7", 11), false, true},
	},
}

func pickCarrier(r *rand.Rand, country string) carrierChoice {
	mix, ok := carrierMix[country]
	if !ok {
		mix = carrierMix[""]
	}
	n := r.IntN(100)
	for _, c := range mix {
		if n < c.percent {
			return c
		}
		n -= c.percent
	}
	return mix[len(mix)-1]
}

// digits makes tracking numbers of a prefix and n random digits.
func digits(prefix string, n int) func(*rand.Rand) string {
	return func(r *rand.Rand) string {
		b := []byte(prefix)
		for range n {
			b = append(b, byte('0'+r.IntN(10)))
		}
		return string(b)
	}
}

// upsNumber is a 1Z number: shipper account, service, package digits.
func upsNumber(r *rand.Rand) string {
	const alnum = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
	b := []byte("1Z")
	for range 6 {
		b = append(b, alnum[r.IntN(len(alnum))])
	}
	return digits(string(b)+"03", 8)(r)
}

func pick[T any](r *rand.Rand, from []T) T { return from[r.IntN(len(from))] }

// emailOf makes an address from a name, dropping what mail systems dislike.
func emailOf(first, last string, n int) string {
	clean := strings.NewReplacer("ü", "ue", "ö", "oe", "ä", "ae", "ß", "ss", "é", "e", "ë", "e", "í", "i", "ç", "c", "'", "")
	return fmt.Sprintf("%s.%s%d@example.com", strings.ToLower(clean.Replace(first)), strings.ToLower(clean.Replace(last)), n%97)
}

// phoneIn is a mobile number as a customer in the country writes it.
func phoneIn(r *rand.Rand, country string) string {
	if country == "US" {
		return fmt.Sprintf("+1 (%d) 555-%04d", 200+r.IntN(800), r.IntN(10_000))
	}
	return fmt.Sprintf("+49 15%d %07d", r.IntN(10), r.IntN(10_000_000))
}

func localeOf(country string) string {
	switch country {
	case "US":
		return "en-US"
	case "DE", "AT", "CH":
		return "de-" + country
	case "NL":
		return "nl-NL"
	}
	return "en-GB"
}
