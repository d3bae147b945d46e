package intake

import (
	"errors"
	"io"
)

// ReadReturnsCSV reads a returns file. Its first line names the columns,
// in any order and any case:
//
//	rma              required  the return's id (RMA number)
//	order_number     required  the order it returns items of; a leading "#" is dropped
//	state            required  requested, approved, label_issued, in_transit,
//	                           received, inspected, refunded or rejected
//	sku              required  the returned item's SKU
//	qty              required  how many of it: a whole number, 1 or more
//	title            optional  the returned item's title
//	reason           optional  why it comes back
//	carrier          optional  the return parcel's carrier
//	tracking_number  optional  the return parcel's; needs a carrier, as a carrier needs it
//	refund_amount    optional  a decimal amount: 24.90 (no thousands separator)
//	currency         optional  ISO 4217 code: EUR; needed with refund_amount
//	refunded_at      optional  RFC 3339 time or YYYY-MM-DD date
//	updated_at       optional  when the return reached its state, same form
//
// A row is one returned item; a return of several items has several rows
// with the same rma. The return's own columns (order_number to updated_at
// but sku, qty and title) may be given on one of its rows and left empty
// on the others, or repeated; a row that gives another value is an error.
//
// The error is for the file as a whole; the result lists the good returns
// and the bad rows, as for ReadOrdersCSV.
func ReadReturnsCSV(r io.Reader) (ImportResult[Return], error) {
	rows, err := readTable(r, returnColumns)
	if err != nil {
		return ImportResult[Return]{}, err
	}
	return assemble(rows, "rma", "return", buildReturn), nil
}

var returnColumns = columns{
	required: []string{"rma", "order_number", "state", "sku", "qty"},
	optional: []string{"title", "reason", "carrier", "tracking_number", "refund_amount",
		"currency", "refunded_at", "updated_at"},
}

// returnLevel are the columns a return has once, whatever its rows; the
// first five are read alone, the last four in pairs by finishReturn.
var returnLevel = []string{"order_number", "state", "reason", "refunded_at", "updated_at",
	"carrier", "tracking_number", "refund_amount", "currency"}

var returnSetters = map[string]setter[Return]{
	"order_number": func(rt *Return, v string) (err error) { rt.Order, err = normKey(v); return err },
	"state":        func(rt *Return, v string) (err error) { rt.State, err = ParseReturnState(v); return err },
	"reason":       func(rt *Return, v string) error { rt.Reason = v; return nil },
	"refunded_at":  func(rt *Return, v string) (err error) { rt.RefundedAt, err = parseTime(v); return err },
	"updated_at":   func(rt *Return, v string) (err error) { rt.UpdatedAt, err = parseTime(v); return err },
}

func buildReturn(rma string, rows []row) (Return, []RowError) {
	rt := Return{RMA: rma}
	vals, errs := resolve(rows, returnLevel)
	errs = append(errs, apply(&rt, vals, returnLevel[:5], returnSetters, []string{"order_number", "state"}, rows[0].line)...)
	errs = append(errs, finishReturn(&rt, vals)...)
	for _, r := range rows {
		line, hasLine, bad := rowLine(r)
		switch {
		case bad != nil:
			errs = append(errs, *bad)
		case !hasLine:
			errs = append(errs, RowError{Line: r.line, Reason: "the row has no returned item (sku, title, qty)"})
		default:
			rt.Lines = append(rt.Lines, line)
		}
	}
	return rt, errs
}

// finishReturn reads the return parcel and the refund, whose columns are
// checked in pairs.
func finishReturn(rt *Return, vals map[string]cell) []RowError {
	var errs []RowError
	carrier, number := vals["carrier"], vals["tracking_number"]
	var err error
	rt.Carrier, rt.TrackingNumber, err = parcelOf(carrier.value, number.value)
	if err != nil {
		errs = append(errs, RowError{Line: lineOfPair(carrier, number), Column: parcelColumn(carrier.value), Reason: err.Error()})
	}
	amount, currency := vals["refund_amount"], vals["currency"]
	if amount.value == "" && currency.value == "" {
		return errs
	}
	rt.Currency = currency.value
	if rt.Refund, err = parseMoney(amount.value, currency.value); err != nil {
		col := "refund_amount"
		if errors.Is(err, errNoCurrency) {
			col = "currency"
		}
		errs = append(errs, RowError{Line: lineOfPair(amount, currency), Column: col, Reason: err.Error()})
	}
	return errs
}

// lineOfPair is the line of whichever of a pair of cells was given.
func lineOfPair(a, b cell) int {
	if a.line != 0 {
		return a.line
	}
	return b.line
}
