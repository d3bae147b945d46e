package intake

import (
	"io"
	"slices"

	"github.com/wismo/wismo/store"
)

// ReadOrdersCSV reads an orders file. Its first line names the columns,
// in any order and any case:
//
//	order_number     required  the shop's order number; a leading "#" is dropped
//	placed_at        required  RFC 3339 time (2026-03-01T14:05:00+01:00) or date (2026-03-01)
//	customer_name    required
//	email            required  the customer's address; the value may be empty
//	sku              required  the line item's SKU
//	title            required  the line item's title
//	qty              required  the line item's quantity: a whole number, 1 or more
//	channel          optional  where the order was placed: "web", "amazon", ...
//	phone            optional  the customer's phone: digits, "+", spaces, ".-()"
//	locale           optional  the customer's language: en, de-AT, pt_BR
//	ship_to_name     optional
//	address1         optional
//	address2         optional
//	city             optional
//	region           optional  state or province code
//	postal_code      optional
//	country          optional  ISO 3166 code: 2 letters (or a common 3-letter one)
//	carrier          optional  UPS, FedEx, DHL, USPS, DPD, GLS or any other carrier's name
//	tracking_number  optional  the parcel's; needs a carrier, as a carrier needs it
//	service          optional  the shipping service: "Express", "Ground", ...
//
// A row is a line item (sku or title, and qty), a parcel (carrier and
// tracking_number), or both; an order with several items or parcels has
// several rows with the same order_number. The order's own columns
// (placed_at to country) may be given on one of its rows and left empty on
// the others, or repeated; a row that gives another value is an error.
//
// The error is for the file as a whole (a bad header, a CSV syntax error,
// a limit passed); the result lists the good orders and the bad rows.
func ReadOrdersCSV(r io.Reader) (ImportResult[Order], error) {
	rows, err := readTable(r, orderColumns)
	if err != nil {
		return ImportResult[Order]{}, err
	}
	return assemble(rows, "order_number", "order", buildOrder), nil
}

var orderColumns = columns{
	required: []string{"order_number", "placed_at", "customer_name", "email", "sku", "title", "qty"},
	optional: []string{"channel", "phone", "locale", "ship_to_name", "address1", "address2",
		"city", "region", "postal_code", "country", "carrier", "tracking_number", "service"},
}

// orderLevel are the columns an order has once, whatever its rows.
var orderLevel = []string{"placed_at", "channel", "customer_name", "email", "phone", "locale",
	"ship_to_name", "address1", "address2", "city", "region", "postal_code", "country"}

var orderSetters = map[string]setter[Order]{
	"placed_at":     func(o *Order, v string) (err error) { o.PlacedAt, err = parseTime(v); return err },
	"channel":       func(o *Order, v string) error { o.Channel = v; return nil },
	"customer_name": func(o *Order, v string) error { o.Customer.Name = v; return nil },
	"email":         func(o *Order, v string) error { o.Customer.Email = v; return checkEmail(v) },
	"phone":         func(o *Order, v string) error { o.Customer.Phone = v; return checkPhone(v) },
	"locale":        func(o *Order, v string) (err error) { o.Customer.Locale, err = normLocale(v); return err },
	"ship_to_name":  func(o *Order, v string) error { o.ShipTo.Name = v; return nil },
	"address1":      func(o *Order, v string) error { o.ShipTo.Line1 = v; return nil },
	"address2":      func(o *Order, v string) error { o.ShipTo.Line2 = v; return nil },
	"city":          func(o *Order, v string) error { o.ShipTo.City = v; return nil },
	"region":        func(o *Order, v string) error { o.ShipTo.Region = v; return nil },
	"postal_code":   func(o *Order, v string) error { o.ShipTo.PostalCode = v; return nil },
	"country":       func(o *Order, v string) (err error) { o.ShipTo.Country, err = normCountry(v); return err },
}

func buildOrder(number string, rows []row) (Order, []RowError) {
	o := Order{Number: number}
	vals, errs := resolve(rows, orderLevel)
	errs = append(errs, apply(&o, vals, orderLevel, orderSetters, []string{"placed_at", "customer_name"}, rows[0].line)...)
	for _, r := range rows {
		errs = append(errs, o.addRow(r)...)
	}
	return o, errs
}

// addRow adds a row's line item and parcel to the order.
func (o *Order) addRow(r row) []RowError {
	line, hasLine, lineErr := rowLine(r)
	carrier, number := r.get("carrier"), r.get("tracking_number")
	if !hasLine && carrier == "" && number == "" {
		return []RowError{{Line: r.line, Reason: "the row has neither a line item (sku, title, qty) nor a parcel (carrier, tracking_number)"}}
	}
	var errs []RowError
	if lineErr != nil {
		errs = append(errs, *lineErr)
	} else if hasLine {
		o.Lines = append(o.Lines, line)
	}
	carrier, number, err := parcelOf(carrier, number)
	switch {
	case err != nil:
		errs = append(errs, RowError{Line: r.line, Column: parcelColumn(r.get("carrier")), Reason: err.Error()})
	case number != "":
		o.addParcel(carrier, number, r.get("service"))
	}
	return errs
}

// parcelColumn names the column at fault when parcelOf refuses a carrier
// and a tracking number.
func parcelColumn(carrier string) string {
	if carrier == "" {
		return "carrier"
	}
	return "tracking_number"
}

// addParcel files a tracking number under the order's fulfillment by its
// carrier; a number on several rows (one per item in the box) is one
// parcel.
func (o *Order) addParcel(carrier, number, service string) {
	i := slices.IndexFunc(o.Fulfillments, func(f Fulfillment) bool { return f.Carrier == carrier })
	if i < 0 {
		o.Fulfillments = append(o.Fulfillments, Fulfillment{Order: o.Number, Carrier: carrier})
		i = len(o.Fulfillments) - 1
	}
	f := &o.Fulfillments[i]
	if !slices.Contains(f.TrackingNumbers, number) {
		f.TrackingNumbers = append(f.TrackingNumbers, number)
	}
	if f.Service == "" {
		f.Service = service
	}
}

// rowLine reads a row's line item, if it has one: hasLine is false when
// sku, title and qty are all empty.
func rowLine(r row) (line store.Line, hasLine bool, bad *RowError) {
	sku, title, qty := r.get("sku"), r.get("title"), r.get("qty")
	if sku == "" && title == "" && qty == "" {
		return line, false, nil
	}
	col := "qty"
	n, err := parseQty(qty)
	if err == nil {
		col = "sku"
		line, err = lineOf(sku, title, n)
	}
	if err != nil {
		return line, true, &RowError{Line: r.line, Column: col, Reason: err.Error()}
	}
	return line, true, nil
}
