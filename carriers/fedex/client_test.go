package fedex

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/carriers/carrierstest"
)

const (
	testID     = "l7-test-client"
	testSecret = "s3cret-test-secret"
)

// fake is a FedEx stand-in: a token endpoint that counts its hits and a
// tracking endpoint that records the bearer and body of each request.
type fake struct {
	tokenHits atomic.Int32
	trackHits atomic.Int32
	// token answers the n-th token request (1-based).
	token func(w http.ResponseWriter, n int32)
	track http.HandlerFunc

	mu      sync.Mutex
	bearers []string
	bodies  []Request
}

// serve starts the fake and returns a Client pointed at it. Unless told
// otherwise, tokens last an hour and the tracking endpoint answers
// batch.json.
func serve(t *testing.T, f *fake) *Client {
	t.Helper()
	if f.token == nil {
		f.token = issue(3599)
	}
	if f.track == nil {
		f.track = carrierstest.Reply(http.StatusOK, string(carrierstest.Fixture(t, "batch.json")))
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth/token", func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "client_credentials" ||
			r.PostForm.Get("client_id") != testID || r.PostForm.Get("client_secret") != testSecret {
			http.Error(w, "bad token request", http.StatusBadRequest)
			return
		}
		f.token(w, f.tokenHits.Add(1))
	})
	mux.HandleFunc("POST /track/v1/trackingnumbers", func(w http.ResponseWriter, r *http.Request) {
		f.trackHits.Add(1)
		var body Request
		_ = json.NewDecoder(r.Body).Decode(&body)
		f.mu.Lock()
		f.bearers = append(f.bearers, r.Header.Get("Authorization"))
		f.bodies = append(f.bodies, body)
		f.mu.Unlock()
		f.track(w, r)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return New(Config{BaseURL: srv.URL + "/", ClientID: testID, ClientSecret: testSecret}, srv.Client())
}

// issue hands out "tok-N" tokens lasting secs seconds.
func issue(secs int) func(http.ResponseWriter, int32) {
	return func(w http.ResponseWriter, n int32) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token": "tok-%d", "token_type": "bearer", "expires_in": %d, "scope": "CXS"}`, n, secs)
	}
}

func TestTrackBatch(t *testing.T) {
	f := &fake{}
	c := serve(t, f)
	asked := []string{"79333", " 791111111111 ", "792222222222", "798888888888", "791111111111"}
	results, err := c.Track(context.Background(), asked)
	if err != nil {
		t.Fatalf("Track: %v", err)
	}
	if len(results) != len(asked) {
		t.Fatalf("got %d results, want %d", len(results), len(asked))
	}
	for i, r := range results {
		if r.TrackingNumber != asked[i] {
			t.Errorf("result %d is for %q, want %q in the order asked", i, r.TrackingNumber, asked[i])
		}
	}
	if err := results[0].Err; err == nil || errors.Is(err, carriers.ErrNotFound) || !strings.Contains(err.Error(), "INVALID") {
		t.Errorf("invalid number: err = %v, want FedEx's own error", err)
	}
	for _, i := range []int{1, 4} {
		if r := results[i]; r.Err != nil || len(r.Shipments) != 1 || r.Shipments[0].Ref != "12030~791111111111~FDEG" {
			t.Errorf("result %d = %+v, want the tracked shipment", i, r)
		}
	}
	for _, i := range []int{2, 3} { // not found, and left out of the answer
		if err := results[i].Err; !errors.Is(err, carriers.ErrNotFound) || !strings.HasPrefix(err.Error(), "fedex: ") {
			t.Errorf("result %d: err = %v, want fedex: … ErrNotFound", i, err)
		}
	}
	want := []string{"79333", "791111111111", "792222222222", "798888888888", "791111111111"}
	if got := requested(f.bodies[0]); !f.bodies[0].IncludeDetailedScans || strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("request body = %+v, want detailed scans for %v", f.bodies[0], want)
	}
	if f.bearers[0] != "Bearer tok-1" || f.tokenHits.Load() != 1 || f.trackHits.Load() != 1 {
		t.Errorf("bearer %q, %d token and %d track requests; want Bearer tok-1, one each",
			f.bearers[0], f.tokenHits.Load(), f.trackHits.Load())
	}
}

func requested(r Request) []string {
	out := make([]string, len(r.TrackingInfo))
	for i, ti := range r.TrackingInfo {
		out[i] = ti.TrackingNumberInfo.TrackingNumber
	}
	return out
}

func TestTrackOne(t *testing.T) {
	s, err := carrierstest.TrackOne(context.Background(), serve(t, &fake{}), "791111111111")
	if err != nil || s.Carrier != "fedex" || len(s.Events) != 3 {
		t.Errorf("TrackOne = %+v, %v", s, err)
	}
}

func TestTokenRefused(t *testing.T) {
	// The body echoes the secret, as a careless gateway might.
	body := `{"errors": [{"code": "NOT.AUTHORIZED.ERROR", "message": "Invalid client_secret ` + testSecret + `"}]}`
	f := &fake{token: func(w http.ResponseWriter, _ int32) { carrierstest.Reply(http.StatusUnauthorized, body)(w, nil) }}
	_, err := serve(t, f).Track(context.Background(), []string{"791111111111"})
	var he *carriers.HTTPError
	if !errors.As(err, &he) || he.Code != http.StatusUnauthorized || he.Temporary() {
		t.Fatalf("err = %#v, want a lasting HTTPError 401", err)
	}
	for _, want := range []string{"fedex: ", "token: HTTP 401 Unauthorized: credentials refused"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("err = %q, want it to contain %q", err, want)
		}
	}
	if strings.Contains(err.Error(), testSecret) || f.trackHits.Load() != 0 {
		t.Errorf("err = %q after %d track requests; want no secret and no tracking request", err, f.trackHits.Load())
	}
}

func TestTokenEndpointBusy(t *testing.T) {
	body := `{"errors": [{"code": "SERVICE.UNAVAILABLE.ERROR", "message": "try later, ` + testSecret + `"}]}`
	f := &fake{token: func(w http.ResponseWriter, _ int32) {
		w.Header().Set("Retry-After", "30")
		carrierstest.Reply(http.StatusServiceUnavailable, body)(w, nil)
	}}
	_, err := serve(t, f).Track(context.Background(), []string{"791111111111"})
	var he *carriers.HTTPError
	if !errors.As(err, &he) || !he.Temporary() || he.RetryAfter != 30*time.Second {
		t.Fatalf("err = %#v, want a temporary HTTPError asking for 30s", err)
	}
	if !strings.Contains(err.Error(), "SERVICE.UNAVAILABLE.ERROR: try later, [redacted]") {
		t.Errorf("err = %q, want FedEx's message with the secret blanked", err)
	}
}

func TestTrackErrorStatuses(t *testing.T) {
	tests := []struct {
		name      string
		handler   http.HandlerFunc
		code      int
		retry     time.Duration
		contains  string
		temporary bool
	}{
		{"429 with Retry-After", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "7")
			carrierstest.Reply(http.StatusTooManyRequests, `{"errors": [{"code": "RATE.LIMIT.EXCEEDED", "message": "We have received too many requests"}]}`)(w, r)
		}, 429, 7 * time.Second, "HTTP 429 Too Many Requests: RATE.LIMIT.EXCEEDED: We have received too many requests", true},
		{"500", carrierstest.Reply(http.StatusInternalServerError, `{"transactionId": "x", "errors": [{"code": "INTERNAL.SERVER.ERROR", "message": "We encountered an unexpected error"}]}`),
			500, 0, "HTTP 500 Internal Server Error: INTERNAL.SERVER.ERROR: We encountered an unexpected error", true},
		{"400 request-level", carrierstest.Reply(http.StatusBadRequest, `{"errors": [{"code": "TRACKING.TRACKINGNUMBER.EMPTY", "message": "Please provide tracking number."}]}`),
			400, 0, "HTTP 400 Bad Request: TRACKING.TRACKINGNUMBER.EMPTY", false},
		{"502 html", func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(http.StatusBadGateway)
			_, _ = w.Write([]byte("<html>bad gateway</html>"))
		}, 502, 0, "fedex: HTTP 502 Bad Gateway", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := serve(t, &fake{track: tt.handler}).Track(context.Background(), []string{"791111111111"})
			var he *carriers.HTTPError
			if !errors.As(err, &he) || he.Code != tt.code || he.RetryAfter != tt.retry || he.Temporary() != tt.temporary {
				t.Fatalf("err = %#v, want HTTPError %d retry %v", err, tt.code, tt.retry)
			}
			if !strings.HasPrefix(err.Error(), "fedex: ") || !strings.Contains(err.Error(), tt.contains) {
				t.Errorf("err = %q, want fedex: prefix and %q", err, tt.contains)
			}
		})
	}
}

func TestTrackMalformedBody(t *testing.T) {
	_, err := serve(t, &fake{track: carrierstest.Reply(http.StatusOK, `{"output": {"completeTrackResults": [`)}).
		Track(context.Background(), []string{"791111111111"})
	if err == nil || !strings.HasPrefix(err.Error(), "fedex: malformed response") {
		t.Errorf("err = %v, want fedex: malformed response", err)
	}
}

func TestTrackBatchLimit(t *testing.T) {
	f := &fake{}
	c := serve(t, f)
	if c.MaxBatch() != 30 || c.Carrier() != "fedex" {
		t.Errorf("MaxBatch, Carrier = %d, %q", c.MaxBatch(), c.Carrier())
	}
	numbers := make([]string, 31)
	for i := range numbers {
		numbers[i] = fmt.Sprintf("7911111111%02d", i)
	}
	if _, err := c.Track(context.Background(), numbers); err == nil || !strings.HasPrefix(err.Error(), "fedex: 31 tracking numbers") {
		t.Errorf("31 numbers: err = %v, want a refusal", err)
	}
	if res, err := c.Track(context.Background(), nil); res != nil || err != nil {
		t.Errorf("no numbers = %v, %v; want nothing", res, err)
	}
	if f.tokenHits.Load()+f.trackHits.Load() != 0 {
		t.Error("a refused or empty batch reached the server")
	}
	if res, err := c.Track(context.Background(), numbers[:30]); err != nil || len(res) != 30 || len(f.bodies[0].TrackingInfo) != 30 {
		t.Errorf("30 numbers: %d results, %v; want one request with 30", len(res), err)
	}
}

func TestTrackHonoursContext(t *testing.T) {
	carrierstest.TrackCancels(t, func(h http.HandlerFunc) carriers.Tracker { return serve(t, &fake{track: h}) }, "791111111111")
}

func TestTokenURL(t *testing.T) {
	var hits atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("POST /auth/elsewhere", func(w http.ResponseWriter, _ *http.Request) {
		issue(3599)(w, hits.Add(1))
	})
	mux.HandleFunc("POST /track/v1/trackingnumbers", carrierstest.Reply(http.StatusOK, `{"output": {"completeTrackResults": []}}`))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c := New(Config{BaseURL: srv.URL, TokenURL: srv.URL + "/auth/elsewhere", ClientID: testID, ClientSecret: testSecret}, srv.Client())
	res, err := c.Track(context.Background(), []string{"791111111111"})
	if err != nil || hits.Load() != 1 || !errors.Is(res[0].Err, carriers.ErrNotFound) {
		t.Errorf("Track = %v, %v after %d token requests; want not found after 1", res, err, hits.Load())
	}
}

func TestNewDefaults(t *testing.T) {
	c := New(Config{BaseURL: "https://apis.fedex.com/"}, nil)
	if c.hc.Timeout != defaultTimeout || c.trackURL != "https://apis.fedex.com/track/v1/trackingnumbers" {
		t.Errorf("New = timeout %v, url %q", c.hc.Timeout, c.trackURL)
	}
}
