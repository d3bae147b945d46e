package store

import (
	"cmp"
	"errors"
	"fmt"
	"strings"
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
	// Returns are the RMAs of the order's returns, oldest first.
	Returns []string `json:"returns,omitempty"`
	Tags    []string `json:"tags,omitempty"`
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

// Order reads one order of the hot file by its number; Store.Order finds
// archived ones too.
func (t *Tx) Order(number string) (Order, error) {
	var o Order
	err := t.get(bucketOrders, []byte(number), &o)
	return o, err
}

// PutOrder writes o and moves its index entries (order number, customer
// keys, placing time) to match, in the same transaction. An archived order
// is read-only: writing it again is ErrArchived.
func (t *Tx) PutOrder(o Order) error {
	if o.Number == "" {
		return fmt.Errorf("order without a number")
	}
	if strings.ContainsRune(o.Number, 0) {
		return fmt.Errorf("order number %q holds a zero byte", o.Number)
	}
	old, err := t.Order(o.Number)
	if errors.Is(err, ErrNotFound) && t.arch.hasOrder(o.Number) {
		return fmt.Errorf("order %s: %w", o.Number, ErrArchived)
	}
	if err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("order %s: %w", o.Number, err)
	}
	for _, id := range o.Parcels {
		p, err := t.Parcel(id)
		if err != nil {
			return fmt.Errorf("order %s parcel %d: %w", o.Number, id, err)
		}
		if p.Order != o.Number {
			return fmt.Errorf("order %s lists parcel %d of order %s", o.Number, id, p.Order)
		}
	}
	if err := t.put(bucketOrders, []byte(o.Number), o); err != nil {
		return err
	}
	if err := t.indexOrder(old, o); err != nil {
		return err
	}
	if old.Customer.Name == o.Customer.Name {
		return nil
	}
	return t.nameOpenExceptions(o)
}

// nameOpenExceptions copies the order's customer name to its parcels' open
// exceptions, which the exceptions list shows without reading the order.
func (t *Tx) nameOpenExceptions(o Order) error {
	for _, id := range o.Parcels {
		p, err := t.Parcel(id)
		if errors.Is(err, ErrNotFound) || (err == nil && p.Exception == 0) {
			continue
		}
		if err != nil {
			return err
		}
		e, err := t.Exception(p.Exception)
		if err != nil {
			return fmt.Errorf("parcel %d exception %d: %w", id, p.Exception, err)
		}
		e.Customer = o.Customer.Name
		if err := t.put(bucketExceptions, u64(uint64(e.ID)), e); err != nil {
			return err
		}
	}
	return nil
}

// indexOrder moves an order's index entries (its search entries with
// their hit values, its parcels' tracking entries among them, and its
// placing time) from what old needed to what o needs; old is the zero
// Order for a new one, o for one that goes.
func (t *Tx) indexOrder(old, o Order) error {
	if err := t.reindex(bucketIdxPlaced, old.PlacedAt, o.PlacedAt, []byte(cmp.Or(o.Number, old.Number))); err != nil {
		return err
	}
	was, err := t.orderEntries(old)
	if err != nil {
		return err
	}
	now, err := t.orderEntries(o)
	if err != nil {
		return err
	}
	return moveEntries(t.bucket, was, now)
}

// OrderRow is one line of the orders list.
type OrderRow struct {
	Cursor Cursor
	Order  Order
}

// OrdersBefore returns up to n orders, most recently placed first, starting
// just before from (nil for the newest).
func (s *Store) OrdersBefore(from Cursor, n int) ([]OrderRow, error) {
	var rows []OrderRow
	err := s.View(func(tx *Tx) error {
		c := tx.bucket(bucketIdxPlaced).Cursor()
		for k := seekPage(c, nil, from, true); k != nil && len(rows) < n; k, _ = c.Prev() {
			o, err := tx.Order(string(k[8:]))
			if err != nil {
				return fmt.Errorf("placed index entry %q: %w", k[8:], err)
			}
			rows = append(rows, OrderRow{Cursor: clone(k), Order: o})
		}
		return nil
	})
	return rows, err
}
