package carriers_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/wismo/wismo/carriers"
)

// failing is a transport that fails every request with err.
type failing struct{ err error }

func (f failing) RoundTrip(*http.Request) (*http.Response, error) { return nil, f.err }

// TestDoRedactsTransportErrors: a secret is blanked from a failed round
// trip's text, and the error keeps its type.
func TestDoRedactsTransportErrors(t *testing.T) {
	do := func(err error) error {
		req, _ := http.NewRequest(http.MethodGet, "http://carrier.test/track?key="+testSecret, nil)
		_, got := carriers.Do(&http.Client{Transport: failing{err}}, req, testSecret)
		if got == nil || strings.Contains(got.Error(), testSecret) {
			t.Fatalf("err = %v, want an error without the secret", got)
		}
		return got
	}
	err := do(fmt.Errorf("dial for %s: %w", testSecret, context.Canceled))
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "key=[redacted]") {
		t.Errorf("err = %v, want context.Canceled still wrapped, the URL's key blanked", err)
	}
	err = do(&carriers.HTTPError{Code: http.StatusServiceUnavailable, Detail: "busy for " + testSecret})
	var he *carriers.HTTPError
	if !errors.As(err, &he) || he.Detail != "busy for [redacted]" || !he.Temporary() {
		t.Fatalf("err = %#v, want an HTTPError with a clean detail", err)
	}
	if want := "token: HTTP 503 Service Unavailable: busy for [redacted]"; err.Error() != want {
		t.Errorf("err = %q, want %q", err, want)
	}
}

func TestRetryAfterReadsSecondsAndDatesWithinADay(t *testing.T) {
	tests := map[string]time.Duration{
		"":                              0,
		"7":                             7 * time.Second,
		" 120 ":                         2 * time.Minute,
		"0":                             0,
		"-5":                            0,
		"soon":                          0,
		"999999999":                     24 * time.Hour,
		"Tue, 24 Nov 2015 11:00:00 GMT": 0,
		"Fri, 31 Dec 9999 23:59:59 GMT": 24 * time.Hour,
	}
	for v, want := range tests {
		r := carriers.Response{Code: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {v}}}
		if got := r.Err("").RetryAfter; got != want {
			t.Errorf("Retry-After %q: %v, want %v", v, got, want)
		}
	}
}
