package tracker

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
)

// shopPost sends a body to the shop's webhook as Shopify would, signed with
// secret, and returns the answer's status.
func shopPost(t *testing.T, url, secret, topic, id string, body []byte) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	req.Header.Set("X-Shopify-Hmac-Sha256", base64.StdEncoding.EncodeToString(m.Sum(nil)))
	req.Header.Set("X-Shopify-Topic", topic)
	req.Header.Set("X-Shopify-Webhook-Id", id)
	req.Header.Set("X-Shopify-Shop-Domain", "tee.myshopify.com")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("intake/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestShopWebhookImportsOrdersOnceAndSaysWhatToRetry(t *testing.T) {
	st := openStore(t)
	tr, _ := newTracker(st, newClock(t0), &scripted{name: "dhl"})
	srv := httptest.NewServer(tr.Receiver([]string{"shop-secret"}))
	defer srv.Close()
	url := srv.URL + "/webhooks/shopify"
	order := fixture(t, "shopify_order.json")
	if code := shopPost(t, url, "shop-secret", "orders/create", "w1", order); code != 200 {
		t.Fatalf("order: HTTP %d", code)
	}
	d, err := st.Order("4711")
	if err != nil || len(d.Parcels) == 0 {
		t.Fatalf("order 4711: %+v, %v; want it stored with its fulfillments' parcels", d.Order, err)
	}
	if code := shopPost(t, url, "shop-secret", "orders/create", "w1", order); code != 200 {
		t.Errorf("replay: HTTP %d", code)
	}
	// A fulfillment of an order not seen yet is to be sent again later.
	if code := shopPost(t, url, "shop-secret", "fulfillments/create", "w2", fixture(t, "shopify_fulfillment.json")); code != http.StatusConflict {
		t.Errorf("fulfillment before its order: HTTP %d, want 409", code)
	}
	if code := shopPost(t, url, "wrong", "orders/create", "w3", order); code != http.StatusUnauthorized {
		t.Errorf("wrong signature: HTTP %d, want 401", code)
	}
	if code := shopPost(t, url, "shop-secret", "orders/create", "w4", []byte(`{"id": `)); code != http.StatusBadRequest {
		t.Errorf("malformed: HTTP %d, want 400", code)
	}
	if q, _ := st.Quarantined(5); len(q) != 1 || q[0].Provider != "shopify" {
		t.Errorf("quarantine = %+v, want the malformed order", q)
	}
	again, _ := st.Order("4711")
	if len(again.Parcels) != len(d.Parcels) {
		t.Errorf("the replay changed the order's parcels: %d then %d", len(d.Parcels), len(again.Parcels))
	}
}
