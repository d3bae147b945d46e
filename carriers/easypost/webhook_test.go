package easypost

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/carriers/carrierstest"
)

// sign is the header EasyPost sends for body under key (already
// normalized: the test decides which form of the secret EasyPost used).
func sign(key string, body []byte) string {
	h := hmac.New(sha256.New, []byte(key))
	h.Write(body)
	return signaturePrefix + hex.EncodeToString(h.Sum(nil))
}

func header(v string) http.Header {
	h := http.Header{}
	if v != "" {
		h.Set(SignatureHeader, v)
	}
	return h
}

func TestVerify(t *testing.T) {
	body := carrierstest.Fixture(t, "event_updated.json")
	good := sign("whsec-1", body)
	// "é" composed (U+00E9) in the configured secret; EasyPost keys with
	// the NFKD form, "e" + U+0301.
	const composed, decomposed = "caf\u00e9-secret", "cafe\u0301-secret"
	tests := []struct {
		name    string
		header  string
		secrets []string
		ok      bool
	}{
		{"right", good, []string{"whsec-1"}, true},
		{"upper-case hex", signaturePrefix + strings.ToUpper(strings.TrimPrefix(good, signaturePrefix)), []string{"whsec-1"}, true},
		{"rotation: second secret", good, []string{"whsec-0", "whsec-1"}, true},
		{"NFKD key", sign(decomposed, body), []string{composed}, true},
		{"composed key is not what EasyPost signs with", sign(composed, body), []string{composed}, false},
		{"wrong secret", good, []string{"whsec-2"}, false},
		{"missing header", "", []string{"whsec-1"}, false},
		{"wrong prefix", "sha256=" + strings.TrimPrefix(good, signaturePrefix), []string{"whsec-1"}, false},
		{"bare hex", strings.TrimPrefix(good, signaturePrefix), []string{"whsec-1"}, false},
		{"malformed hex", signaturePrefix + "zz" + good[len(signaturePrefix)+2:], []string{"whsec-1"}, false},
		{"short MAC", good[:len(good)-2], []string{"whsec-1"}, false},
		{"other body", sign("whsec-1", append([]byte(nil), body[:len(body)-2]...)), []string{"whsec-1"}, false},
		{"no secrets", good, nil, false},
		{"empty secret never matches an empty-key MAC", sign("", body), []string{""}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Webhook{}.Verify(header(tt.header), body, tt.secrets)
			if tt.ok && err != nil {
				t.Fatalf("Verify = %v, want nil", err)
			}
			if !tt.ok && !errors.Is(err, carriers.ErrSignature) {
				t.Fatalf("Verify = %v, want ErrSignature", err)
			}
			if err != nil && (!strings.HasPrefix(err.Error(), "easypost: ") || strings.Contains(err.Error(), "whsec")) {
				t.Errorf("error %q: want easypost: prefix and no secret", err)
			}
		})
	}
}

func TestWebhookProvider(t *testing.T) {
	if got := (Webhook{}).Provider(); got != "easypost" {
		t.Errorf("Provider = %q", got)
	}
}

// TestWebhookDuplicate: EasyPost delivers at least once. A retry is the
// same body, so it must give the same Delivery, and every event the same
// fingerprint as before.
func TestWebhookDuplicate(t *testing.T) {
	body := carrierstest.Fixture(t, "event_updated.json")
	first, err1 := Webhook{}.Parse(body)
	again, err2 := Webhook{}.Parse(body)
	if err1 != nil || err2 != nil || !reflect.DeepEqual(first, again) || first.ID != "evt_5c1f0a7e2b3d4c5e" {
		t.Fatalf("two parses differ or fail: %v, %v", err1, err2)
	}
	// The ETA revision resends the old Richmond scan: same fingerprint.
	revised, err := Webhook{}.Parse(carrierstest.Fixture(t, "event_eta_revised.json"))
	if err != nil {
		t.Fatal(err)
	}
	old, resent := first.Shipments[0].Events[4], revised.Shipments[0].Events[0]
	if old.RawCode != resent.RawCode || old.RawSubcode != resent.RawSubcode || old.RawText != resent.RawText ||
		old.LocalTime != resent.LocalTime || old.Location.City != resent.Location.City {
		t.Errorf("the resent scan reads differently: %+v vs %+v", old, resent)
	}
}

// TestWebhookRevisedETA: previous_attributes.est_delivery_date is the old
// ETA; the shipment carries the new one.
func TestWebhookRevisedETA(t *testing.T) {
	d, err := Webhook{}.Parse(carrierstest.Fixture(t, "event_eta_revised.json"))
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2024, 9, 9, 0, 0, 0, 0, time.UTC); !d.Shipments[0].EstimatedDelivery.Equal(want) {
		t.Errorf("ETA = %v, want the revised %v", d.Shipments[0].EstimatedDelivery, want)
	}
}

func TestWebhookOtherEvents(t *testing.T) {
	for _, body := range []string{
		string(carrierstest.Fixture(t, "event_batch.json")),
		`{"id": "evt_1", "object": "Event", "description": "insurance.purchased", "result": {"status": 3}}`,
		`{"id": "evt_2", "object": "Event", "description": "refund.successful"}`,
	} {
		d, err := Webhook{}.Parse([]byte(body))
		if err != nil || len(d.Shipments) != 0 || d.ID == "" {
			t.Errorf("Parse(%.60s) = %+v, %v; want its id, no shipments, no error", body, d, err)
		}
	}
}

func TestWebhookParseErrors(t *testing.T) {
	tests := []struct{ name, body, want string }{
		{"empty", ``, "malformed event"},
		{"not an object", `[1]`, "malformed event"},
		{"not an Event", `{"id": "trk_1", "object": "Tracker"}`, `object "Tracker" is not an Event`},
		{"no result", `{"id": "evt_1", "object": "Event", "description": "tracker.updated"}`, "event evt_1: malformed tracker"},
		{"null result", `{"id": "evt_1", "object": "Event", "description": "tracker.updated", "result": null}`, "event evt_1: tracker without id"},
		{"bad scan", `{"id": "evt_1", "object": "Event", "description": "tracker.created", "result": {"id": "trk_1",
			"tracking_code": "C1", "tracking_details": [{"status": "in_transit", "datetime": "soon"}]}}`, "tracker trk_1: tracking_details[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Webhook{}.Parse([]byte(tt.body))
			if err == nil || d.ID != "" || d.Shipments != nil {
				t.Fatalf("Parse = %+v, %v; want an empty Delivery and an error", d, err)
			}
			if !strings.HasPrefix(err.Error(), "easypost: ") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q, want easypost: prefix and %q", err, tt.want)
			}
		})
	}
}
