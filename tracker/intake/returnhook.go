package intake

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/wismo/wismo/store"
)

// ReturnWebhook is the body of wismo's own return webhook, topic
// "wismo/return". Shopify's returns webhooks name neither the items' SKUs,
// nor the return parcel, nor the refund, so a returns platform or a shop's
// script posts this instead, to the same endpoint and signed the same way
// as Shopify's (X-Shopify-Hmac-Sha256, X-Shopify-Topic: wismo/return, and
// a fresh X-Shopify-Webhook-Id per delivery). Each delivery says the whole
// of what is known now:
//
//	{
//	  "rma": "RMA-2041",
//	  "order_number": "#1001",
//	  "state": "in_transit",
//	  "reason": "too small",
//	  "lines": [{"sku": "TEE-BLK-M", "title": "Tee - Black / M", "quantity": 1}],
//	  "carrier": "DHL Express",
//	  "tracking_number": "JJD0099887766",
//	  "refund": {"amount": "24.90", "currency": "EUR"},
//	  "refunded_at": "2026-03-04T10:00:00Z",
//	  "updated_at": "2026-03-02T09:15:00+01:00"
//	}
//
// rma, order_number and state are required; state is one of the states
// of store.ReturnState. carrier and tracking_number come together or not
// at all.
// refund is null or absent until there is one; its amount is a decimal
// string, as Shopify sends prices, never a float. Times are RFC 3339.
type ReturnWebhook struct {
	RMA            string       `json:"rma"`
	OrderNumber    string       `json:"order_number"`
	State          string       `json:"state"`
	Reason         string       `json:"reason"`
	Lines          []ReturnLine `json:"lines"`
	Carrier        string       `json:"carrier"`
	TrackingNumber string       `json:"tracking_number"`
	Refund         *Money       `json:"refund"`
	RefundedAt     string       `json:"refunded_at"`
	UpdatedAt      string       `json:"updated_at"`
}

// ReturnLine is one returned item in a ReturnWebhook.
type ReturnLine struct {
	SKU      string `json:"sku"`
	Title    string `json:"title"`
	Quantity int    `json:"quantity"`
}

// Money is an amount as a decimal string and its ISO 4217 currency.
type Money struct {
	Amount   string `json:"amount"`
	Currency string `json:"currency"`
}

func parseReturnWebhook(body []byte) (*Return, error) {
	var w ReturnWebhook
	if err := decode(body, &w); err != nil {
		return nil, err
	}
	r, err := w.normalize()
	if err != nil {
		return nil, fmt.Errorf("return %q: %w", w.RMA, err)
	}
	return r, nil
}

// normalize checks the webhook's fields and returns the Return they say.
func (w ReturnWebhook) normalize() (*Return, error) {
	r := &Return{Reason: strings.TrimSpace(w.Reason)}
	var errs []error
	note := func(field string, err error) {
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", field, err))
		}
	}
	var err error
	r.RMA, err = normKey(w.RMA)
	note("rma", err)
	r.Order, err = normKey(w.OrderNumber)
	note("order_number", err)
	r.State, err = ParseReturnState(w.State)
	note("state", err)
	r.Carrier, r.TrackingNumber, err = parcelOf(w.Carrier, w.TrackingNumber)
	note("tracking_number", err)
	if w.Refund != nil {
		r.Refund, err = parseMoney(w.Refund.Amount, w.Refund.Currency)
		r.Currency = strings.TrimSpace(w.Refund.Currency)
		note("refund", err)
	}
	r.RefundedAt, err = optTime(w.RefundedAt)
	note("refunded_at", err)
	r.UpdatedAt, err = optTime(w.UpdatedAt)
	note("updated_at", err)
	for i, l := range w.Lines {
		line, err := lineOf(l.SKU, l.Title, l.Quantity)
		note(fmt.Sprintf("lines[%d]", i), err)
		r.Lines = append(r.Lines, line)
	}
	return r, errors.Join(errs...)
}

// optTime is parseTime for a time that may be left out.
func optTime(s string) (time.Time, error) {
	if strings.TrimSpace(s) == "" {
		return time.Time{}, nil
	}
	return parseTime(s)
}

// parcelOf checks a parcel's carrier and tracking number, which come
// together or not at all, and returns the carrier in wismo's names.
func parcelOf(carrier, number string) (string, string, error) {
	carrier, number = strings.TrimSpace(carrier), strings.TrimSpace(number)
	switch {
	case carrier == "" && number == "":
		return "", "", nil
	case number == "":
		return "", "", errors.New("a carrier is given without a tracking number")
	case CarrierName(carrier) == "":
		return "", "", errors.New("a tracking number is given without a carrier")
	}
	return CarrierName(carrier), number, checkTracking(number)
}

// lineOf checks a line item: a SKU or a title, and a positive quantity.
func lineOf(sku, title string, qty int) (store.Line, error) {
	l := store.Line{SKU: strings.TrimSpace(sku), Title: strings.TrimSpace(title), Qty: qty}
	if l.SKU == "" && l.Title == "" {
		return l, errors.New("a line needs a sku or a title")
	}
	if qty <= 0 || qty > maxQty {
		return l, fmt.Errorf("quantity %d is not from 1 to %d", qty, maxQty)
	}
	return l, nil
}
