package intake

import (
	"slices"
	"strings"
	"testing"
)

func FuzzParseShopify(f *testing.F) {
	f.Add("orders/create", fixture(f, "shopify_order.json"))
	f.Add("fulfillments/create", fixture(f, "shopify_fulfillment.json"))
	f.Add(TopicReturn, fixture(f, "wismo_return.json"))
	f.Add("orders/updated", []byte(`{"id": "12", "name": null, "order_number": 7, "created_at": "2026-03-01", "customer": null}`))
	f.Add("fulfillments/update", []byte(`{"name": "#1.1", "tracking_numbers": null, "status": "cancelled"}`))
	f.Fuzz(func(t *testing.T, topic string, body []byte) {
		d, err := ParseShopify(topic, body)
		if err != nil {
			if d.Order != nil || d.Fulfillment != nil || d.Return != nil {
				t.Fatalf("error %v with content %+v", err, d)
			}
			return
		}
		if d.Order != nil {
			checkOrder(t, *d.Order)
		}
		if d.Fulfillment != nil && d.Fulfillment.Order == "" {
			t.Fatalf("fulfillment without order: %+v", d.Fulfillment)
		}
		if d.Return != nil && (d.Return.RMA == "" || d.Return.Order == "" || !d.Return.State.Valid()) {
			t.Fatalf("return missing its keys: %+v", d.Return)
		}
	})
}

func FuzzReadOrdersCSV(f *testing.F) {
	f.Add(string(fixture(f, "orders.csv")))
	f.Add(string(fixture(f, "orders_bad.csv")))
	f.Add("\ufeff" + minimalHeader + "1,2026-03-01,\"A\r\nB\",,S,T,1\r\n1,,,,S,\"\"\"\",2\r\n")
	f.Fuzz(func(t *testing.T, in string) {
		res, err := ReadOrdersCSV(strings.NewReader(in))
		if err != nil {
			if res.Rows != 0 || res.Good != nil || res.Bad != nil {
				t.Fatalf("error %v with a result %+v", err, res)
			}
			return
		}
		var numbers []string
		for _, o := range res.Good {
			checkOrder(t, o)
			if slices.Contains(numbers, o.Number) {
				t.Fatalf("order %s twice", o.Number)
			}
			numbers = append(numbers, o.Number)
		}
		for _, e := range res.Bad {
			if e.Line < 2 || e.Reason == "" || slices.Contains(numbers, e.Key) && e.Key != "" {
				t.Fatalf("bad row %+v (good orders %v)", e, numbers)
			}
		}
		if len(res.Good) > res.Rows {
			t.Fatalf("%d orders from %d rows", len(res.Good), res.Rows)
		}
	})
}

// checkOrder fails t unless o is an order a caller can store as it is.
func checkOrder(t *testing.T, o Order) {
	t.Helper()
	if o.Number == "" || strings.HasPrefix(o.Number, "#") {
		t.Fatalf("order number %q", o.Number)
	}
	for _, l := range o.Lines {
		if l.Qty <= 0 || l.SKU == "" && l.Title == "" {
			t.Fatalf("order %s line %+v", o.Number, l)
		}
	}
	for _, f := range o.Fulfillments {
		if f.Order != o.Number || len(f.TrackingNumbers) > 0 && f.Carrier == "" {
			t.Fatalf("order %s fulfillment %+v", o.Number, f)
		}
	}
}
