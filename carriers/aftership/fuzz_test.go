package aftership

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/wismo/wismo/carriers/carrierstest"
)

// FuzzParse feeds Webhook.Parse arbitrary bodies, seeded with the
// fixtures. It must never panic, must be all or nothing, and every event it
// returns must carry a status and a rule and be in time order.
func FuzzParse(f *testing.F) {
	carrierstest.FuzzWebhook(f, Webhook{})
}

// FuzzVerify feeds Verify arbitrary headers, bodies and secrets. It must
// never panic, and it may accept only the MAC AfterShip would compute.
func FuzzVerify(f *testing.F) {
	body := []byte(`{"event": "tracking_update"}`)
	f.Add(body, sign("s", body), "s")
	f.Add(body, "", "")
	f.Add([]byte{}, "AAAA", "k")
	f.Fuzz(func(t *testing.T, body []byte, sig, secret string) {
		if (Webhook{}).Verify(header(sig), body, []string{secret}) != nil {
			return
		}
		got, err := base64.StdEncoding.DecodeString(strings.TrimSpace(header(sig).Get(SignatureHeader)))
		want, _ := base64.StdEncoding.DecodeString(sign(secret, body))
		if secret == "" || err != nil || !bytes.Equal(got, want) {
			t.Fatalf("accepted %q for secret %q, want %q", sig, secret, sign(secret, body))
		}
	})
}
