package carriers_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/carriers/carrierstest"
)

const (
	testID     = "wismo-test-client"
	testSecret = "s3cret-test-secret"
)

// fakeAuth is a carrier with an OAuth token endpoint handing out "tok-1",
// "tok-2", … and an API endpoint that records each request's bearer.
type fakeAuth struct {
	tokenHits atomic.Int32
	// expiresIn is each token's lifetime in seconds, the last value
	// repeating. oauth2 treats a token as expired 10 s early, so 1 makes a
	// token stale at once: deterministic, no clock involved.
	expiresIn []int
	// token, when set, answers token requests instead.
	token http.HandlerFunc
	// api answers API requests; nil answers 200.
	api http.HandlerFunc

	mu      sync.Mutex
	bearers []string
}

func (f *fakeAuth) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/token" {
		f.serveToken(w, r)
		return
	}
	f.mu.Lock()
	f.bearers = append(f.bearers, r.Header.Get("Authorization"))
	f.mu.Unlock()
	if f.api != nil {
		f.api(w, r)
	}
}

func (f *fakeAuth) serveToken(w http.ResponseWriter, r *http.Request) {
	n := int(f.tokenHits.Add(1))
	if f.token != nil {
		f.token(w, r)
		return
	}
	secs := 3600
	if len(f.expiresIn) > 0 {
		secs = f.expiresIn[min(n, len(f.expiresIn))-1]
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"access_token": "tok-%d", "token_type": "Bearer", "expires_in": %d}`, n, secs)
}

// start serves f and returns a function that sends one GET through an
// OAuth client made from o (its TokenURL and credentials filled in).
func (f *fakeAuth) start(t *testing.T, o carriers.OAuth) func() error {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	o.TokenURL, o.ClientID, o.ClientSecret = srv.URL+"/token", testID, testSecret
	hc := o.Client(srv.Client())
	return func() error {
		req, err := http.NewRequest(http.MethodGet, srv.URL+"/track", nil)
		if err != nil {
			return err
		}
		_, err = carriers.Do(hc, req, testSecret)
		return err
	}
}

func TestOAuthSendsCredentials(t *testing.T) {
	for _, inHeader := range []bool{false, true} {
		var form url.Values
		var basic bool
		f := &fakeAuth{}
		f.token = func(w http.ResponseWriter, r *http.Request) {
			_ = r.ParseForm()
			form = r.PostForm
			_, _, basic = r.BasicAuth()
			carrierstest.Reply(http.StatusOK, `{"access_token": "tok", "token_type": "Bearer", "expires_in": 3600}`)(w, r)
		}
		if err := f.start(t, carriers.OAuth{InHeader: inHeader, Scopes: []string{"tracking"}})(); err != nil {
			t.Fatal(err)
		}
		inForm := form["client_secret"] != nil
		if basic != inHeader || inForm == inHeader || form.Get("grant_type") != "client_credentials" || form.Get("scope") != "tracking" {
			t.Errorf("InHeader %v: basic auth %v, form %v", inHeader, basic, form)
		}
		if f.bearers[0] != "Bearer tok" {
			t.Errorf("InHeader %v: bearer %q", inHeader, f.bearers[0])
		}
	}
}

// TestOAuthTokenShared: requests that start together wait for one token
// rather than each asking for their own.
func TestOAuthTokenShared(t *testing.T) {
	const n = 20
	var started sync.WaitGroup
	started.Add(n)
	f := &fakeAuth{}
	get := f.start(t, carriers.OAuth{})
	// The first token request waits until every request has begun, so the
	// others are queued behind it rather than done already.
	f.token = func(w http.ResponseWriter, r *http.Request) {
		started.Wait()
		carrierstest.Reply(http.StatusOK, `{"access_token": "tok", "token_type": "Bearer", "expires_in": 3600}`)(w, r)
	}
	errs := make(chan error, n)
	for range n {
		go func() {
			started.Done()
			errs <- get()
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if hits := f.tokenHits.Load(); hits != 1 {
		t.Errorf("%d token requests for %d concurrent requests, want 1", hits, n)
	}
}

// TestOAuthTokenRefreshed: the first token is stale as soon as it is used,
// so the next request fetches a second token and the one after reuses it.
func TestOAuthTokenRefreshed(t *testing.T) {
	f := &fakeAuth{expiresIn: []int{1, 3599}}
	get := f.start(t, carriers.OAuth{})
	for range 3 {
		if err := get(); err != nil {
			t.Fatal(err)
		}
	}
	want := "Bearer tok-1,Bearer tok-2,Bearer tok-2"
	if got := strings.Join(f.bearers, ","); got != want || f.tokenHits.Load() != 2 {
		t.Errorf("bearers %s after %d token requests, want %s after 2", got, f.tokenHits.Load(), want)
	}
}

// TestOAuthDropsRefusedToken: a token the API answers 401 to is not sent
// again, however long it was meant to last; other answers keep it.
func TestOAuthDropsRefusedToken(t *testing.T) {
	codes := []int{http.StatusOK, http.StatusUnauthorized, http.StatusForbidden, http.StatusOK}
	var calls atomic.Int32
	f := &fakeAuth{api: func(w http.ResponseWriter, r *http.Request) {
		carrierstest.Reply(codes[calls.Add(1)-1], `{}`)(w, r)
	}}
	get := f.start(t, carriers.OAuth{})
	for range codes {
		_ = get()
	}
	want := "Bearer tok-1,Bearer tok-1,Bearer tok-2,Bearer tok-2"
	if got := strings.Join(f.bearers, ","); got != want {
		t.Errorf("bearers %s, want %s: a new token after the 401 only", got, want)
	}
}

func TestOAuthTokenRefused(t *testing.T) {
	tests := []struct {
		name   string
		detail func([]byte) string
		token  http.HandlerFunc
		code   int
		retry  time.Duration
		want   string
	}{
		// The body echoes the secret, as a careless gateway might.
		{"401", nil, carrierstest.Reply(http.StatusUnauthorized, `{"error": "invalid_client", "error_description": "bad `+testSecret+`"}`),
			401, 0, "token: HTTP 401 Unauthorized: credentials refused"},
		{"400 standard fields", nil, carrierstest.Reply(http.StatusBadRequest, `{"error": "invalid_client", "error_description": "unknown `+testSecret+`"}`),
			400, 0, "token: HTTP 400 Bad Request: invalid_client: unknown [redacted]"},
		{"503 carrier's own body", func(b []byte) string { return strings.TrimPrefix(string(b), "busy: ") },
			func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", "30")
				carrierstest.Reply(http.StatusServiceUnavailable, "busy: try later, "+testSecret)(w, r)
			}, 503, 30 * time.Second, "token: HTTP 503 Service Unavailable: try later, [redacted]"},
		{"502 html", nil, carrierstest.Reply(http.StatusBadGateway, "<html>"+testSecret+"</html>"), 502, 0, "token: HTTP 502 Bad Gateway"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeAuth{token: tt.token}
			err := f.start(t, carriers.OAuth{ErrorDetail: tt.detail})()
			var he *carriers.HTTPError
			if !errors.As(err, &he) || he.Code != tt.code || he.RetryAfter != tt.retry || he.Temporary() != (tt.code >= 500) {
				t.Fatalf("err = %#v, want an HTTPError %d asking for %v", err, tt.code, tt.retry)
			}
			if err.Error() != tt.want || strings.Contains(he.Detail, testSecret) {
				t.Errorf("err = %q (detail %q), want %q", err, he.Detail, tt.want)
			}
			if len(f.bearers) != 0 {
				t.Errorf("%d API requests went out without a token", len(f.bearers))
			}
		})
	}
}
