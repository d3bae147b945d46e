package intake

import (
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/wismo/wismo/store"
)

func TestReturnWebhook(t *testing.T) {
	body := fixture(t, "wismo_return.json")
	h := http.Header{}
	h.Set(HeaderHMAC, sign("s", body))
	h.Set(HeaderTopic, TopicReturn)
	h.Set(HeaderWebhookID, "ret-1")
	if err := VerifyShopify(h, body, []string{"s"}); err != nil {
		t.Fatal(err)
	}
	d, err := ParseShopifyRequest(h, body)
	if err != nil {
		t.Fatal(err)
	}
	want := Return{
		RMA: "RMA-2041", Order: "4711", Reason: "too small", State: store.ReturnRefunded,
		Lines:   []store.Line{{SKU: "TEE-BLK-M", Title: "Merino Tee - Black / M", Qty: 1}},
		Carrier: "dhl", TrackingNumber: "JJD0099887766",
		Refund: 2990, Currency: "EUR", RefundedAt: at("2026-03-12T10:00:00Z"),
		UpdatedAt: at("2026-03-09T09:15:00+01:00"),
	}
	if d.ID != "ret-1" || d.Return == nil || !reflect.DeepEqual(*d.Return, want) {
		t.Fatalf("delivery %q return\n got %+v\nwant %+v", d.ID, d.Return, want)
	}
}

func TestReturnWebhookMinimal(t *testing.T) {
	d, err := ParseShopify(TopicReturn, []byte(`{"rma": "R1", "order_number": "1001", "state": "Requested", "refund": null}`))
	if err != nil {
		t.Fatal(err)
	}
	if want := (Return{RMA: "R1", Order: "1001", State: store.ReturnRequested}); !reflect.DeepEqual(*d.Return, want) {
		t.Errorf("return = %+v, want %+v", *d.Return, want)
	}
}

func TestReturnWebhookRefuses(t *testing.T) {
	tests := []struct{ name, body, want string }{
		{"no rma", `{"order_number": "1", "state": "approved"}`, "rma: empty"},
		{"no order", `{"rma": "R1", "state": "approved"}`, "order_number: empty"},
		{"unknown state", `{"rma": "R1", "order_number": "1", "state": "lost"}`, `unknown return state "lost"`},
		{"carrier without number", `{"rma": "R1", "order_number": "1", "state": "approved", "carrier": "UPS"}`, "without a tracking number"},
		{"number without carrier", `{"rma": "R1", "order_number": "1", "state": "approved", "tracking_number": "1Z1"}`, "without a carrier"},
		{"float refund", `{"rma": "R1", "order_number": "1", "state": "refunded", "refund": {"amount": 12.5, "currency": "EUR"}}`, "cannot unmarshal number"},
		{"refund without currency", `{"rma": "R1", "order_number": "1", "state": "refunded", "refund": {"amount": "12.50"}}`, "needs its currency"},
		{"too many decimals", `{"rma": "R1", "order_number": "1", "state": "refunded", "refund": {"amount": "12.505", "currency": "EUR"}}`, "at most 2 decimals"},
		{"bad line", `{"rma": "R1", "order_number": "1", "state": "requested", "lines": [{"sku": "A", "quantity": 0}]}`, "lines[0]: quantity 0"},
		{"bad time", `{"rma": "R1", "order_number": "1", "state": "refunded", "refunded_at": "12/03/2026"}`, "refunded_at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseShopify(TopicReturn, []byte(tt.body))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one saying %q", err, tt.want)
			}
			if d.Return != nil {
				t.Errorf("a refused delivery carries %+v", d.Return)
			}
		})
	}
}

func TestParseMoney(t *testing.T) {
	tests := []struct {
		amount, currency string
		want             int64
		ok               bool
	}{
		{"24.90", "EUR", 2490, true},
		{"24.9", "EUR", 2490, true},
		{"24", "USD", 2400, true},
		{"0", "GBP", 0, true},
		{"1500", "JPY", 1500, true},
		{"1.5", "JPY", 0, false},
		{"1.250", "KWD", 1250, true},
		{"-3.00", "EUR", 0, false},
		{"1,000.00", "EUR", 0, false},
		{".50", "EUR", 0, false},
		{"1e3", "EUR", 0, false},
		{"10.00", "eur", 0, false},
		{"10.00", "EURO", 0, false},
		{"9999999999999.99", "EUR", 0, false},
	}
	for _, tt := range tests {
		got, err := parseMoney(tt.amount, tt.currency)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseMoney(%q, %q) = %d, %v; want %d, ok %v", tt.amount, tt.currency, got, err, tt.want, tt.ok)
		}
	}
}

func TestParseReturnStateNamesEveryState(t *testing.T) {
	for name := range strings.SplitSeq(returnStateNames, ", ") {
		if _, err := ParseReturnState(" " + strings.ToUpper(name) + " "); err != nil {
			t.Errorf("ParseReturnState(%q): %v", name, err)
		}
	}
	if _, err := ParseReturnState("shipped"); err == nil {
		t.Error("ParseReturnState(shipped) succeeded")
	}
}
