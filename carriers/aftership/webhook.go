package aftership

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"

	"github.com/wismo/wismo/carriers"
)

// SignatureHeader carries AfterShip Tracking's webhook signature. AfterShip
// Returns signs with another header and format; this one is Tracking's.
const SignatureHeader = "aftership-hmac-sha256"

// Webhook reads AfterShip's tracking webhooks. The zero value is ready to
// use.
type Webhook struct{}

var _ carriers.Webhook = Webhook{}

// Provider returns "aftership".
func (Webhook) Provider() string { return Provider }

// Verify checks aftership-hmac-sha256: the base64 HMAC-SHA256 of the raw
// body keyed with the webhook secret (CARRIERS.md §7), against each secret.
// Empty secrets are skipped: an empty key is one anybody can sign with.
func (Webhook) Verify(h http.Header, body []byte, secrets []string) error {
	v := strings.TrimSpace(h.Get(SignatureHeader))
	if v == "" {
		return fmt.Errorf("aftership: no %s header: %w", SignatureHeader, carriers.ErrSignature)
	}
	mac, err := base64.StdEncoding.Strict().DecodeString(v)
	if err != nil || len(mac) != 32 {
		return fmt.Errorf("aftership: %s is not a base64 SHA-256 MAC: %w", SignatureHeader, carriers.ErrSignature)
	}
	var keys [][]byte
	for _, s := range secrets {
		if s != "" {
			keys = append(keys, []byte(s))
		}
	}
	if len(keys) == 0 {
		return fmt.Errorf("aftership: no webhook secret configured: %w", carriers.ErrSignature)
	}
	if !carriers.MatchHMAC(body, mac, keys) {
		return fmt.Errorf("aftership: %w", carriers.ErrSignature)
	}
	return nil
}

// Parse normalizes a verified body: a tracking_update gives a Delivery with
// its event_id and one shipment; any other event code gives the event_id
// and no shipments, so AfterShip does not keep retrying it.
func (Webhook) Parse(body []byte) (carriers.Delivery, error) {
	return parseDelivery(body)
}
