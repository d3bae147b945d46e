package aftership

import (
	"net/http"

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
	mac, err := carriers.Base64MAC("aftership", SignatureHeader, h.Get(SignatureHeader))
	if err != nil {
		return err
	}
	return carriers.VerifyHMAC("aftership", body, mac, secrets, nil)
}

// Parse normalizes a verified body: a tracking_update gives a Delivery with
// its event_id and one shipment; any other event code gives the event_id
// and no shipments, so AfterShip does not keep retrying it.
func (Webhook) Parse(body []byte) (carriers.Delivery, error) {
	return parseDelivery(body)
}
