package easypost

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/wismo/wismo/carriers"
)

// SignatureHeader carries EasyPost's webhook signature.
const SignatureHeader = "X-Hmac-Signature"

// signaturePrefix precedes the lowercase hex HMAC-SHA256 in SignatureHeader.
const signaturePrefix = "hmac-sha256-hex="

// Webhook reads EasyPost's webhook Events. The zero value is ready to use.
type Webhook struct{}

var _ carriers.Webhook = Webhook{}

// Provider returns "easypost".
func (Webhook) Provider() string { return Provider }

// Verify checks X-Hmac-Signature: "hmac-sha256-hex=" and the hex
// HMAC-SHA256 of the raw body, keyed with the webhook secret after Unicode
// NFKD normalization as EasyPost's own client libraries do
// (easypost-go webhook validation, CARRIERS.md §7), so a secret typed with
// a composed "é" matches one stored decomposed. Empty secrets are skipped:
// an empty key is one anybody can sign with.
func (Webhook) Verify(h http.Header, body []byte, secrets []string) error {
	mac, err := headerMAC(h.Get(SignatureHeader))
	if err != nil {
		return err
	}
	return carriers.VerifyHMAC("easypost", body, mac, secrets, norm.NFKD.String)
}

// headerMAC decodes the signature header into the 32 bytes of the MAC.
func headerMAC(v string) ([]byte, error) {
	if v == "" {
		return nil, fmt.Errorf("easypost: no %s header: %w", SignatureHeader, carriers.ErrSignature)
	}
	hexMAC, ok := strings.CutPrefix(strings.TrimSpace(v), signaturePrefix)
	if !ok {
		return nil, fmt.Errorf("easypost: %s without %q: %w", SignatureHeader, signaturePrefix, carriers.ErrSignature)
	}
	mac, err := hex.DecodeString(hexMAC)
	if err != nil || len(mac) != 32 {
		return nil, fmt.Errorf("easypost: %s is not a hex SHA-256 MAC: %w", SignatureHeader, carriers.ErrSignature)
	}
	return mac, nil
}

// envelope is the part of an Event read before its type is known: the
// result of a batch or insurance event is not a Tracker and may not even
// decode as one.
type envelope struct {
	ID          string          `json:"id"`
	Object      string          `json:"object"`
	Description string          `json:"description"`
	Result      json.RawMessage `json:"result"`
}

// Parse normalizes a verified Event body. tracker.created and
// tracker.updated give a Delivery with the tracker's shipment; any other
// event type gives a Delivery with its id and no shipments, so EasyPost
// does not keep retrying it. The ETA is the result's est_delivery_date:
// when previous_attributes holds one, that is the ETA before the revision.
func (Webhook) Parse(body []byte) (carriers.Delivery, error) {
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return carriers.Delivery{}, fmt.Errorf("easypost: malformed event: %w", err)
	}
	if env.Object != "" && env.Object != "Event" {
		return carriers.Delivery{}, fmt.Errorf("easypost: object %q is not an Event", env.Object)
	}
	d := carriers.Delivery{ID: env.ID}
	if !isTrackerEvent(env.Description) {
		return d, nil
	}
	var t Tracker
	if err := json.Unmarshal(env.Result, &t); err != nil {
		return carriers.Delivery{}, fmt.Errorf("easypost: event %s: malformed tracker: %w", env.ID, err)
	}
	s, err := normalizeTracker(t)
	if err != nil {
		return carriers.Delivery{}, fmt.Errorf("easypost: event %s: %w", env.ID, err)
	}
	d.Shipments = []carriers.Shipment{s}
	return d, nil
}

// isTrackerEvent reports whether an event type carries a Tracker.
func isTrackerEvent(description string) bool {
	return description == "tracker.updated" || description == "tracker.created"
}
