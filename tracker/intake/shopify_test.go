package intake

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/store"
)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func sign(secret string, body []byte) string {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write(body)
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestVerifyShopify(t *testing.T) {
	body := fixture(t, "shopify_order.json")
	good := sign("new-secret", body)
	tests := []struct {
		name    string
		header  string
		secrets []string
		ok      bool
	}{
		{"right", good, []string{"new-secret"}, true},
		{"rotated: old secret still listed", sign("old-secret", body), []string{"new-secret", "old-secret"}, true},
		{"rotated: new secret listed second", good, []string{"old-secret", "new-secret"}, true},
		{"wrong secret", sign("other", body), []string{"new-secret"}, false},
		{"missing", "", []string{"new-secret"}, false},
		{"not base64", "%%%", []string{"new-secret"}, false},
		{"short MAC", base64.StdEncoding.EncodeToString([]byte("short")), []string{"new-secret"}, false},
		{"hex instead of base64", strings.Repeat("ab", 32), []string{"new-secret"}, false},
		{"no secret configured", good, nil, false},
		{"only an empty secret", sign("", body), []string{""}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.header != "" {
				h.Set("X-Shopify-Hmac-SHA256", tt.header)
			}
			err := VerifyShopify(h, body, tt.secrets)
			if tt.ok && err != nil {
				t.Fatalf("VerifyShopify: %v", err)
			}
			if !tt.ok && !errors.Is(err, carriers.ErrSignature) {
				t.Fatalf("VerifyShopify = %v, want ErrSignature", err)
			}
		})
	}
}

func TestVerifyShopifyTamperedBody(t *testing.T) {
	body := fixture(t, "shopify_order.json")
	h := http.Header{HeaderHMAC: {sign("s", body)}}
	tampered := []byte(strings.Replace(string(body), `"#4711"`, `"#4712"`, 1))
	if err := VerifyShopify(h, tampered, []string{"s"}); !errors.Is(err, carriers.ErrSignature) {
		t.Fatalf("VerifyShopify(tampered) = %v, want ErrSignature", err)
	}
}

func TestParseShopifyOrder(t *testing.T) {
	d, err := ParseShopify("orders/create", fixture(t, "shopify_order.json"))
	if err != nil {
		t.Fatal(err)
	}
	if d.Fulfillment != nil || d.Return != nil || d.Order == nil {
		t.Fatalf("delivery = %+v, want only an order", d)
	}
	want := Order{
		Number:   "4711",
		ShopID:   7340212345678901234,
		Channel:  "shopify",
		PlacedAt: at("2026-03-01T14:05:00+01:00"),
		Customer: store.Customer{Name: "Ada Brandt", Email: "ada.brandt@example.org", Phone: "+43 660 1234567", Locale: "de-AT"},
		ShipTo:   store.Address{Name: "Ada Brandt", Line1: "Lindengasse 12", City: "Wien", PostalCode: "1070", Country: "AT"},
		Lines: []store.Line{
			{SKU: "TEE-BLK-M", Title: "Merino Tee - Black / M", Qty: 2},
			{Title: "Trail Socks", Qty: 1},
		},
		Fulfillments: []Fulfillment{
			{ShopID: 7340255555555555001, Order: "4711", Carrier: "dhl", Service: "Express",
				TrackingNumbers: []string{"JD014600006281230704", "JD014600006281230705"},
				ShippedAt:       at("2026-03-02T09:30:00+01:00")},
			{ShopID: 7340255555555555002, Order: "4711", Carrier: "ups", Service: "Express",
				TrackingNumbers: []string{"1Z999AA10123456784"},
				ShippedAt:       at("2026-03-02T11:00:00+01:00")},
		},
	}
	if !reflect.DeepEqual(*d.Order, want) {
		t.Errorf("order\n got %+v\nwant %+v", *d.Order, want)
	}
}

func TestParseShopifyGuestOrderWithNulls(t *testing.T) {
	body := `{"id": 9007199254740993, "name": null, "order_number": 1002, "created_at": "2026-03-01T10:00:00Z",
		"email": null, "contact_email": "guest@example.com", "phone": null, "customer": null, "customer_locale": null,
		"shipping_address": {"first_name": "Bo", "last_name": "Li", "name": null, "phone": "+1 555 0100",
			"address1": "1 Main St", "address2": null, "city": "Austin", "province_code": "TX", "zip": "78701", "country_code": "us"},
		"line_items": [{"sku": "A-1", "title": "Mug", "name": null, "quantity": 1, "price": "12.00"},
			{"sku": "GONE", "title": "Removed", "quantity": 2, "current_quantity": 0}],
		"shipping_lines": null, "fulfillments": null}`
	d, err := ParseShopify("orders/updated", []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	o := d.Order
	if o.ShopID != 9007199254740993 {
		t.Errorf("ShopID = %d: an id past 2^53 lost digits", o.ShopID)
	}
	if o.Number != "1002" {
		t.Errorf("Number = %q, want order_number when name is null", o.Number)
	}
	wantCustomer := store.Customer{Name: "Bo Li", Email: "guest@example.com", Phone: "+1 555 0100"}
	if o.Customer != wantCustomer {
		t.Errorf("Customer = %+v, want %+v", o.Customer, wantCustomer)
	}
	if o.ShipTo.Country != "US" || o.ShipTo.Name != "Bo Li" {
		t.Errorf("ShipTo = %+v", o.ShipTo)
	}
	if want := []store.Line{{SKU: "A-1", Title: "Mug", Qty: 1}}; !reflect.DeepEqual(o.Lines, want) {
		t.Errorf("Lines = %+v, want %+v (a line an edit removed is dropped)", o.Lines, want)
	}
}

func TestParseShopifyFulfillment(t *testing.T) {
	d, err := ParseShopify("fulfillments/create", fixture(t, "shopify_fulfillment.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := Fulfillment{ShopID: 7340255555555555003, Order: "4712", Carrier: "fedex",
		TrackingNumbers: []string{"794612345678"}, ShippedAt: at("2026-03-03T08:15:00-05:00")}
	if d.Fulfillment == nil || !reflect.DeepEqual(*d.Fulfillment, want) {
		t.Fatalf("fulfillment = %+v, want %+v", d.Fulfillment, want)
	}
}

func TestParseShopifyCancelledFulfillment(t *testing.T) {
	body := `{"id": 5, "name": "#A-77.3", "status": "cancelled", "tracking_company": "DHL eCommerce",
		"tracking_number": null, "tracking_numbers": ["GM6045213310000123"], "created_at": null}`
	d, err := ParseShopify("fulfillments/update", []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	f := d.Fulfillment
	if f.Order != "A-77" || f.Carrier != "dhl" || !f.Cancelled || !f.ShippedAt.IsZero() {
		t.Errorf("fulfillment = %+v", f)
	}
}

func TestParseShopifyRequest(t *testing.T) {
	body := fixture(t, "shopify_fulfillment.json")
	h := http.Header{}
	h.Set(HeaderTopic, "fulfillments/create")
	h.Set(HeaderWebhookID, "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043")
	h.Set(HeaderShop, "north-loop.myshopify.com")
	d, err := ParseShopifyRequest(h, body)
	if err != nil {
		t.Fatal(err)
	}
	if d.ID != "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043" || d.Shop != "north-loop.myshopify.com" || d.Fulfillment == nil {
		t.Errorf("delivery = %+v", d)
	}
}

func TestParseShopifyUnknownTopic(t *testing.T) {
	for _, topic := range []string{"products/update", "app/uninstalled", ""} {
		d, err := ParseShopify(topic, []byte(`{"id": 1}`))
		if err != nil || d.Order != nil || d.Fulfillment != nil || d.Return != nil {
			t.Errorf("ParseShopify(%q) = %+v, %v; want an empty delivery", topic, d, err)
		}
	}
}

func TestParseShopifyRefuses(t *testing.T) {
	tests := []struct{ name, topic, body, want string }{
		{"malformed JSON", "orders/create", `{"id": 1, "name": "#1"`, "unexpected EOF"},
		{"not an object", "orders/create", `[1, 2]`, "cannot unmarshal"},
		{"trailing data", "orders/create", `{"name": "#1", "created_at": "2026-03-01"} {}`, "after the JSON"},
		{"float id", "orders/create", `{"id": 1.5e3, "name": "#1", "created_at": "2026-03-01"}`, "not a whole number"},
		{"id past int64", "orders/create", `{"id": 99999999999999999999, "name": "#1"}`, "not a whole number"},
		{"no number", "orders/create", `{"id": 3, "created_at": "2026-03-01T10:00:00Z"}`, "number: empty"},
		{"no created_at", "orders/create", `{"name": "#1"}`, "created_at"},
		{"quantity as string", "orders/create", `{"name": "#1", "created_at": "2026-03-01", "line_items": [{"quantity": "2"}]}`, "quantity"},
		{"fulfillment without order", "fulfillments/create", `{"id": 8, "name": "", "order_id": 5}`, "does not name its order"},
		{"tracking number with a space", "fulfillments/create", `{"id": 8, "name": "#1.1", "tracking_number": "1Z 999"}`, "space"},
		{"bad shipped time", "fulfillments/create", `{"id": 8, "name": "#1.1", "created_at": "yesterday"}`, "created_at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseShopify(tt.topic, []byte(tt.body))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one saying %q", err, tt.want)
			}
			if d.Order != nil || d.Fulfillment != nil {
				t.Errorf("a refused delivery carries %+v", d)
			}
		})
	}
}

func TestCarrierName(t *testing.T) {
	for in, want := range map[string]string{
		"UPS": "ups", "FedEx": "fedex", "FedEx Ground": "fedex", "DHL Express": "dhl", "DHL eCommerce": "dhl",
		"DHL eCommerce Asia": "dhl", "USPS": "usps", "United States Postal Service": "usps", "DPD": "dpd",
		"DPD UK": "dpd", "GLS": "gls", "Royal Mail": "royalmail", "Canada Post": "canadapost",
		"PostNL International": "postnlinternational", "Other": "other", "": "", "  ": "",
	} {
		if got := CarrierName(in); got != want {
			t.Errorf("CarrierName(%q) = %q, want %q", in, got, want)
		}
	}
}
