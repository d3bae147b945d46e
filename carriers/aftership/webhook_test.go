package aftership

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/carriers/carrierstest"
)

// sign is the header AfterShip sends for body under secret.
func sign(secret string, body []byte) string {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write(body)
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

func header(v string) http.Header {
	h := http.Header{}
	if v != "" {
		h.Set(SignatureHeader, v)
	}
	return h
}

func TestVerify(t *testing.T) {
	body := carrierstest.Fixture(t, "skeleton_exception.json")
	good := sign("as-secret-1", body)
	tests := []struct {
		name    string
		header  string
		secrets []string
		ok      bool
	}{
		{"right", good, []string{"as-secret-1"}, true},
		{"rotation: second secret", good, []string{"as-secret-0", "as-secret-1"}, true},
		{"wrong secret", good, []string{"as-secret-2"}, false},
		{"missing header", "", []string{"as-secret-1"}, false},
		{"returns-style prefix", "hmac-sha256=" + good, []string{"as-secret-1"}, false},
		{"hex instead of base64", "6a" + strings.Repeat("00", 31), []string{"as-secret-1"}, false},
		{"malformed base64", "!!" + good[2:], []string{"as-secret-1"}, false},
		{"truncated MAC", base64.StdEncoding.EncodeToString([]byte("short")), []string{"as-secret-1"}, false},
		{"other body", sign("as-secret-1", body[:len(body)-1]), []string{"as-secret-1"}, false},
		{"no secrets", good, nil, false},
		{"empty secret never matches an empty-key MAC", sign("", body), []string{""}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Webhook{}.Verify(header(tt.header), body, tt.secrets)
			if tt.ok && err != nil {
				t.Fatalf("Verify = %v, want nil", err)
			}
			if !tt.ok && !errors.Is(err, carriers.ErrSignature) {
				t.Fatalf("Verify = %v, want ErrSignature", err)
			}
			if err != nil && (!strings.HasPrefix(err.Error(), "aftership: ") || strings.Contains(err.Error(), "as-secret")) {
				t.Errorf("error %q: want aftership: prefix and no secret", err)
			}
		})
	}
}

func TestWebhookProvider(t *testing.T) {
	if got := (Webhook{}).Provider(); got != "aftership" {
		t.Errorf("Provider = %q", got)
	}
}
