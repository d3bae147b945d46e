package easypost

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"

	"github.com/wismo/wismo/carriers/carrierstest"
	"golang.org/x/text/unicode/norm"
)

// FuzzParse feeds Parse arbitrary bodies: it must never panic, must be
// all or nothing, and what it returns must be well formed.
func FuzzParse(f *testing.F) {
	carrierstest.FuzzParse(f, Parse,
		[]byte(`{"id": "trk_1", "tracking_code": "1", "tracking_details": [{"status": "failure", "datetime": "2024-01-01T00:00:00+14:00"}]}`))
}

// FuzzWebhookParse is FuzzParse for Webhook.Parse.
func FuzzWebhookParse(f *testing.F) {
	carrierstest.FuzzWebhook(f, Webhook{})
}

// FuzzVerify feeds Verify arbitrary headers, bodies and secrets. It must
// never panic, and it may accept only the header EasyPost would compute.
func FuzzVerify(f *testing.F) {
	body := []byte(`{"id": "evt_1"}`)
	f.Add(body, sign("s", body), "s")
	f.Add(body, sign(norm.NFKD.String("caf\u00e9"), body), "caf\u00e9")
	f.Add(body, "hmac-sha256-hex=", "")
	f.Add([]byte{}, "hmac-sha256-hex=zz", "k")
	f.Fuzz(func(t *testing.T, body []byte, sig, secret string) {
		if (Webhook{}).Verify(header(sig), body, []string{secret}) != nil {
			return
		}
		h := hmac.New(sha256.New, []byte(norm.NFKD.String(secret)))
		h.Write(body)
		want := signaturePrefix + hex.EncodeToString(h.Sum(nil))
		if secret == "" || !strings.EqualFold(strings.TrimSpace(http.Header{"X": {sig}}.Get("X")), want) {
			t.Fatalf("accepted %q for secret %q, want %q", sig, secret, want)
		}
	})
}
