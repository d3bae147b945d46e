package aftership

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse feeds Webhook.Parse arbitrary bodies, seeded with the fixtures.
// It must never panic, must be all or nothing, and every event it returns
// must carry a status and a rule and be in time order.
func FuzzParse(f *testing.F) {
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
	f.Fuzz(func(t *testing.T, body []byte) {
		d, err := Webhook{}.Parse(body)
		if err != nil {
			if d.ID != "" || d.Shipments != nil {
				t.Fatalf("error %v came with a partial delivery", err)
			}
			return
		}
		for _, s := range d.Shipments {
			for i, e := range s.Events {
				if e.Status == "" || e.Rule == "" {
					t.Fatalf("event %d has empty status or rule: %+v", i, e)
				}
				if i > 0 && e.Time.Before(s.Events[i-1].Time) {
					t.Fatalf("events out of order at %d", i)
				}
			}
		}
	})
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
