package store

import (
	"fmt"
	"time"
)

// Order is a shop order: who bought what, where it goes, and the parcels
// that carry it.
type Order struct {
	Number   string     `json:"number"`
	Channel  string     `json:"channel,omitempty"`
	PlacedAt time.Time  `json:"placed_at"`
	Customer Customer   `json:"customer"`
	ShipTo   Address    `json:"ship_to"`
	Lines    []Line     `json:"lines,omitempty"`
	Parcels  []ParcelID `json:"parcels,omitempty"`
	Tags     []string   `json:"tags,omitempty"`
}

// Customer is the person an order belongs to.
type Customer struct {
	Name   string `json:"name"`
	Email  string `json:"email,omitempty"`
	Phone  string `json:"phone,omitempty"`
	Locale string `json:"locale,omitempty"`
}

// Address is a postal address.
type Address struct {
	Name       string `json:"name,omitempty"`
	Line1      string `json:"line1,omitempty"`
	Line2      string `json:"line2,omitempty"`
	City       string `json:"city,omitempty"`
	Region     string `json:"region,omitempty"`
	PostalCode string `json:"postal_code,omitempty"`
	Country    string `json:"country,omitempty"`
}

// Line is one item of an order.
type Line struct {
	SKU   string `json:"sku"`
	Title string `json:"title"`
	Qty   int    `json:"qty"`
}

// Order reads one order by its number.
func (t *Tx) Order(number string) (Order, error) {
	var o Order
	err := t.get(bucketOrders, []byte(number), &o)
	return o, err
}

// PutOrder writes o and keeps its search index in step.
func (t *Tx) PutOrder(o Order) error {
	if o.Number == "" {
		return fmt.Errorf("order without a number")
	}
	if err := t.put(bucketOrders, []byte(o.Number), o); err != nil {
		return err
	}
	return t.bucket(bucketIdxOrder).Put(indexKey(foldOrderNumber(o.Number), []byte(o.Number)), nil)
}
