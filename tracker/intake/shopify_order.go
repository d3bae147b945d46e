package intake

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/wismo/wismo/store"
)

// shopID is a Shopify id. Shopify sends ids as JSON numbers that outgrow a
// float64's 53 bits of precision, so they are read as int64; a quoted id,
// as some tools resend them, is accepted too, and null is 0.
type shopID int64

func (id *shopID) UnmarshalJSON(b []byte) error {
	s := string(bytes.Trim(b, `"`))
	if s == "null" || s == "" {
		*id = 0
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return fmt.Errorf("id %s is not a whole number", b)
	}
	*id = shopID(n)
	return nil
}

// shopifyOrder holds the parts of Shopify's Order resource the desk uses;
// the rest of the payload is ignored.
type shopifyOrder struct {
	ID             shopID `json:"id"`
	Name           string `json:"name"`
	OrderNumber    shopID `json:"order_number"`
	CreatedAt      string `json:"created_at"`
	Email          string `json:"email"`
	ContactEmail   string `json:"contact_email"`
	Phone          string `json:"phone"`
	CustomerLocale string `json:"customer_locale"`
	Customer       *struct {
		FirstName string `json:"first_name"`
		LastName  string `json:"last_name"`
		Email     string `json:"email"`
		Phone     string `json:"phone"`
		Locale    string `json:"locale"`
	} `json:"customer"`
	ShippingAddress *shopifyAddress `json:"shipping_address"`
	LineItems       []shopifyLine   `json:"line_items"`
	ShippingLines   []struct {
		Title string `json:"title"`
	} `json:"shipping_lines"`
	Fulfillments []shopifyFulfillment `json:"fulfillments"`
}

type shopifyAddress struct {
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name"`
	Name         string `json:"name"`
	Address1     string `json:"address1"`
	Address2     string `json:"address2"`
	City         string `json:"city"`
	ProvinceCode string `json:"province_code"`
	Zip          string `json:"zip"`
	CountryCode  string `json:"country_code"`
	Phone        string `json:"phone"`
}

// shopifyLine is a line item. Newer API versions add current_quantity,
// which an order edit lowers while quantity keeps what was first ordered.
type shopifyLine struct {
	SKU             string `json:"sku"`
	Title           string `json:"title"`
	Name            string `json:"name"`
	Quantity        int    `json:"quantity"`
	CurrentQuantity *int   `json:"current_quantity"`
}

func (l shopifyLine) qty() int {
	if l.CurrentQuantity != nil {
		return *l.CurrentQuantity
	}
	return l.Quantity
}

type shopifyFulfillment struct {
	ID              shopID   `json:"id"`
	OrderID         shopID   `json:"order_id"`
	Name            string   `json:"name"`
	Status          string   `json:"status"`
	CreatedAt       string   `json:"created_at"`
	TrackingCompany string   `json:"tracking_company"`
	TrackingNumber  string   `json:"tracking_number"`
	TrackingNumbers []string `json:"tracking_numbers"`
}

// decode reads a JSON object into v, refusing anything after it.
func decode(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("data after the JSON object")
	}
	return nil
}

func parseShopifyOrder(body []byte) (*Order, error) {
	var so shopifyOrder
	if err := decode(body, &so); err != nil {
		return nil, err
	}
	num := so.Name
	if num == "" && so.OrderNumber != 0 {
		num = strconv.FormatInt(int64(so.OrderNumber), 10)
	}
	number, err := normKey(num)
	if err != nil {
		return nil, fmt.Errorf("order %d: number: %w", so.ID, err)
	}
	placed, err := parseTime(so.CreatedAt)
	if err != nil {
		return nil, fmt.Errorf("order %s: created_at: %w", number, err)
	}
	o := &Order{Number: number, ShopID: int64(so.ID), Channel: "shopify", PlacedAt: placed,
		Customer: so.customer(), ShipTo: so.ShippingAddress.address()}
	for _, l := range so.LineItems {
		if q := l.qty(); q > 0 {
			o.Lines = append(o.Lines, store.Line{SKU: l.SKU, Title: first(l.Name, l.Title), Qty: q})
		}
	}
	var service string
	if len(so.ShippingLines) > 0 {
		service = so.ShippingLines[0].Title
	}
	for _, sf := range so.Fulfillments {
		f, err := sf.fulfillment(number)
		if err != nil {
			return nil, fmt.Errorf("order %s: %w", number, err)
		}
		f.Service = service
		o.Fulfillments = append(o.Fulfillments, f)
	}
	return o, nil
}

// customer gathers the buyer's contact from wherever the order has it: a
// guest checkout has no customer object, only the order's own fields.
func (so shopifyOrder) customer() store.Customer {
	var c store.Customer
	var name string
	if so.Customer != nil {
		name = joinName(so.Customer.FirstName, so.Customer.LastName)
		c = store.Customer{Email: so.Customer.Email, Phone: so.Customer.Phone, Locale: so.Customer.Locale}
	}
	var ship shopifyAddress
	if so.ShippingAddress != nil {
		ship = *so.ShippingAddress
	}
	c.Name = first(name, ship.Name, joinName(ship.FirstName, ship.LastName))
	c.Email = first(so.Email, c.Email, so.ContactEmail)
	c.Phone = first(so.Phone, c.Phone, ship.Phone)
	c.Locale = first(so.CustomerLocale, c.Locale)
	return c
}

func (a *shopifyAddress) address() store.Address {
	if a == nil {
		return store.Address{}
	}
	return store.Address{
		Name:  first(a.Name, joinName(a.FirstName, a.LastName)),
		Line1: a.Address1, Line2: a.Address2, City: a.City, Region: a.ProvinceCode,
		PostalCode: a.Zip, Country: strings.ToUpper(a.CountryCode),
	}
}

// fulfillment normalizes a Shopify fulfillment of order. Its tracking
// numbers are tracking_numbers with tracking_number, which older API
// versions send alone, each once.
func (sf shopifyFulfillment) fulfillment(order string) (Fulfillment, error) {
	f := Fulfillment{ShopID: int64(sf.ID), Order: order, Carrier: CarrierName(sf.TrackingCompany)}
	for _, n := range append([]string{sf.TrackingNumber}, sf.TrackingNumbers...) {
		n = strings.TrimSpace(n)
		if n == "" || slices.Contains(f.TrackingNumbers, n) {
			continue
		}
		if err := checkTracking(n); err != nil {
			return f, fmt.Errorf("fulfillment %d: %w", sf.ID, err)
		}
		f.TrackingNumbers = append(f.TrackingNumbers, n)
	}
	if strings.TrimSpace(sf.CreatedAt) != "" {
		t, err := parseTime(sf.CreatedAt)
		if err != nil {
			return f, fmt.Errorf("fulfillment %d: created_at: %w", sf.ID, err)
		}
		f.ShippedAt = t
	}
	switch sf.Status {
	case "cancelled", "error", "failure":
		f.Cancelled = true
	}
	return f, nil
}

// parseShopifyFulfillment reads a fulfillments/create or /update body. Its
// order is named by the fulfillment's own name, "#1001.2": the order's
// name and the fulfillment's place in it.
func parseShopifyFulfillment(body []byte) (*Fulfillment, error) {
	var sf shopifyFulfillment
	if err := decode(body, &sf); err != nil {
		return nil, err
	}
	dot := strings.LastIndexByte(sf.Name, '.')
	if dot < 0 {
		return nil, fmt.Errorf("fulfillment %d: name %q does not name its order", sf.ID, sf.Name)
	}
	number, err := normKey(sf.Name[:dot])
	if err != nil {
		return nil, fmt.Errorf("fulfillment %d: order number: %w", sf.ID, err)
	}
	f, err := sf.fulfillment(number)
	if err != nil {
		return nil, err
	}
	return &f, nil
}

// first returns the first of values that is not blank, trimmed.
func first(values ...string) string {
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

func joinName(given, family string) string {
	return strings.TrimSpace(strings.TrimSpace(given) + " " + strings.TrimSpace(family))
}
