package easypost

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/wismo/wismo/carriers"
)

// seedFixtures adds every fixture body to f's corpus.
func seedFixtures(f *testing.F) {
	paths, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil || len(paths) == 0 {
		f.Fatalf("no fixtures: %v", err)
	}
	for _, p := range paths {
		body, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(body)
	}
}

// checkShipments fails unless every event has a status and a rule and the
// events are in time order.
func checkShipments(t *testing.T, shipments []carriers.Shipment) {
	for _, s := range shipments {
		for i, e := range s.Events {
			if e.Status == "" || e.Rule == "" {
				t.Fatalf("event %d has empty status or rule: %+v", i, e)
			}
			if i > 0 && e.Time.Before(s.Events[i-1].Time) {
				t.Fatalf("events out of order at %d", i)
			}
		}
	}
}

// FuzzParse feeds Parse and Webhook.Parse arbitrary bodies: they must never
// panic, must be all or nothing, and what they return must be well formed.
func FuzzParse(f *testing.F) {
	seedFixtures(f)
	f.Add([]byte(`{"id": "trk_1", "tracking_code": "1", "tracking_details": [{"status": "failure", "datetime": "2024-01-01T00:00:00+14:00"}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		shipments, err := Parse(body)
		if err != nil && shipments != nil {
			t.Fatalf("error %v came with a partial result", err)
		}
		checkShipments(t, shipments)
		d, err := Webhook{}.Parse(body)
		if err != nil && (d.ID != "" || d.Shipments != nil) {
			t.Fatalf("error %v came with a partial delivery", err)
		}
		checkShipments(t, d.Shipments)
	})
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
