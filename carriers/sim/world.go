package sim

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// World is the demo's simulated shop and carrier: orders, the DHL parcels
// that carry them, and each parcel's journey laid out in advance. It is
// fixed after NewWorld and safe for concurrent reads.
type World struct {
	Orders  []Order
	parcels map[string]*Parcel
}

// Customer is who placed a simulated order.
type Customer struct {
	Name, Email, Phone, Locale string
}

// Address is where a simulated order goes.
type Address struct {
	Name, Line1, City, PostalCode, Country string
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

// Parcel is a simulated DHL parcel and its planned journey.
type Parcel struct {
	TrackingNumber string
	Service        string
	ShippedAt      time.Time
	// PromisedBy is the delivery date the carrier first gave.
	PromisedBy time.Time
	Trouble    Trouble
	Steps      []Step
	dest       place
	// numericID makes the server send the id as a JSON number, as some
	// DHL responses do for all-digit numbers.
	numericID bool
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

// Visible returns the steps that have happened by now.
func (p *Parcel) Visible(now time.Time) []Step {
	n := 0
	for n < len(p.Steps) && !p.Steps[n].At.After(now) {
		n++
	}
	return p.Steps[:n]
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
			Phone:  fmt.Sprintf("+49 15%d %07d", r.IntN(10), r.IntN(10_000_000)),
			Locale: localeOf(dest.country),
		},
		ShipTo: Address{
			Name: name, Line1: fmt.Sprintf("%s %d", pick(r, streets), 1+r.IntN(120)),
			City: dest.city, PostalCode: dest.postal, Country: dest.country,
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
	switch {
	case dest.country == origin.country && r.IntN(6) == 0:
		p.Service = "express"
		p.TrackingNumber = fmt.Sprint(1_000_000_000 + r.Int64N(9_000_000_000))
		p.numericID = true
	case dest.country == origin.country:
		p.Service = "parcel-de"
		p.TrackingNumber = fmt.Sprintf("00340434%012d", r.Int64N(1e12))
	default:
		p.Service = "ecommerce-europe"
		p.TrackingNumber = fmt.Sprintf("JJD0%016d", r.Int64N(1e16))
	}
	p.Steps, p.PromisedBy = plan(r, ship, dest, p.Trouble)
	return p
}

func pick[T any](r *rand.Rand, from []T) T { return from[r.IntN(len(from))] }

// emailOf makes an address from a name, dropping what mail systems dislike.
func emailOf(first, last string, n int) string {
	clean := strings.NewReplacer("ü", "ue", "ö", "oe", "ä", "ae", "ß", "ss", "é", "e", "ë", "e", "í", "i", "ç", "c", "'", "")
	return fmt.Sprintf("%s.%s%d@example.com", strings.ToLower(clean.Replace(first)), strings.ToLower(clean.Replace(last)), n%97)
}

func localeOf(country string) string {
	switch country {
	case "DE", "AT", "CH":
		return "de-" + country
	case "NL":
		return "nl-NL"
	}
	return "en-GB"
}
