package carriers

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
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

// VerifyHMAC checks mac, the HMAC-SHA256 a sender put on body, against
// every non-empty secret, each made a key by key (nil: as it is). An empty secret is skipped, as anyone can sign with it. Errors
// start with name and wrap ErrSignature.
func VerifyHMAC(name string, body, mac []byte, secrets []string, key func(string) string) error {
	var keys [][]byte
	for _, s := range secrets {
		switch {
		case s == "":
		case key == nil:
			keys = append(keys, []byte(s))
		default:
			keys = append(keys, []byte(key(s)))
		}
	}
	if len(keys) == 0 {
		return fmt.Errorf("%s: no webhook secret configured: %w", name, ErrSignature)
	}
	if !MatchHMAC(body, mac, keys) {
		return fmt.Errorf("%s: %w", name, ErrSignature)
	}
	return nil
}

// Base64MAC reads the value of a header carrying a base64 HMAC-SHA256, as
// AfterShip and Shopify send it. Errors start with name and wrap
// ErrSignature.
func Base64MAC(name, header, value string) ([]byte, error) {
	v := strings.TrimSpace(value)
	if v == "" {
		return nil, fmt.Errorf("%s: no %s header: %w", name, header, ErrSignature)
	}
	mac, err := base64.StdEncoding.Strict().DecodeString(v)
	if err != nil || len(mac) != sha256.Size {
		return nil, fmt.Errorf("%s: %s is not a base64 SHA-256 MAC: %w", name, header, ErrSignature)
	}
	return mac, nil
}
