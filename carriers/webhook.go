package carriers

import (
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"net/http"
)

// Delivery is one webhook call's content.
type Delivery struct {
	// ID is the provider's id for this delivery (EasyPost's event id,
	// AfterShip's event_id): a retry or a replay carries the same one, so
	// the receiver applies it once. Empty when the provider sends none.
	ID        string     `json:"id"`
	Shipments []Shipment `json:"shipments"`
}

// Webhook reads one provider's tracking pushes.
type Webhook interface {
	// Provider names the route the provider posts to ("easypost").
	Provider() string
	// Verify checks the request's signature over the raw body against each
	// of secrets (several while a secret is being rotated), in constant
	// time. It returns ErrSignature, or an error wrapping it, when the
	// signature is missing or matches none.
	Verify(h http.Header, body []byte, secrets []string) error
	// Parse normalizes a verified body. An event the provider sends that
	// is not about tracking gives a Delivery with no shipments, not an
	// error, so the provider does not keep retrying it.
	Parse(body []byte) (Delivery, error)
}

// ErrSignature reports a webhook whose signature is missing or wrong.
var ErrSignature = errors.New("webhook signature missing or wrong")

// MatchHMAC reports whether mac is the HMAC-SHA256 of body under any of the
// keys. Each comparison takes the same time whatever the bytes, and every
// key is tried, so timing tells an attacker nothing about how close a guess
// came or which key matched.
func MatchHMAC(body, mac []byte, keys [][]byte) bool {
	ok := false
	for _, key := range keys {
		h := hmac.New(sha256.New, key)
		h.Write(body)
		if hmac.Equal(h.Sum(nil), mac) {
			ok = true
		}
	}
	return ok
}
