package carriers_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/carriers/aftership"
	"github.com/wismo/wismo/carriers/dhl"
	"github.com/wismo/wismo/carriers/easypost"
	"github.com/wismo/wismo/carriers/fedex"
	"github.com/wismo/wismo/carriers/ups"
	"github.com/wismo/wismo/carriers/usps"
)

// BenchmarkParse reads one captured-shape answer of each carrier: the cost
// of normalizing a poll answer or a webhook body, before the store.
func BenchmarkParse(b *testing.B) {
	cases := []struct {
		name, fixture string
		parse         func([]byte) ([]carriers.Shipment, error)
	}{
		{"dhl", "dhl/testdata/skeleton.json", dhl.Parse},
		{"ups", "ups/testdata/delivered.json", ups.Parse},
		{"fedex-batch", "fedex/testdata/batch.json", fedex.Parse},
		{"usps", "usps/testdata/delivered.json", usps.Parse},
		{"easypost", "easypost/testdata/tracker_returned.json", easypost.Parse},
		{"aftership", "aftership/testdata/skeleton_exception.json", aftership.Parse},
	}
	for _, c := range cases {
		body, err := os.ReadFile(filepath.FromSlash(c.fixture))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				if _, err := c.parse(body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkWebhookVerify checks an AfterShip signature against two secrets,
// as during a rotation: the work every webhook call does before anything
// else.
func BenchmarkWebhookVerify(b *testing.B) {
	body, err := os.ReadFile(filepath.FromSlash("aftership/testdata/skeleton_exception.json"))
	if err != nil {
		b.Fatal(err)
	}
	m := hmac.New(sha256.New, []byte("new"))
	m.Write(body)
	h := http.Header{}
	h.Set("aftership-hmac-sha256", base64.StdEncoding.EncodeToString(m.Sum(nil)))
	b.ReportAllocs()
	for b.Loop() {
		if err := (aftership.Webhook{}).Verify(h, body, []string{"old", "new"}); err != nil {
			b.Fatal(err)
		}
	}
}
