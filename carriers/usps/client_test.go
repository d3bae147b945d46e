package usps

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/carriers/carrierstest"
)

const (
	testID     = "wismo-test-id"
	testSecret = "s3cret-test-secret"
	number     = "9400100000000000123456"
)

// fakeUSPS is an httptest USPS: an OAuth token endpoint handing out
// "tok-1", "tok-2", … and a tracking endpoint answering with track.
type fakeUSPS struct {
	tokenHits atomic.Int32
	// token, when set, answers token requests instead.
	token http.HandlerFunc
	track http.HandlerFunc
}

func (f *fakeUSPS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/oauth2/v3/token" {
		f.serveToken(w, r)
		return
	}
	f.track(w, r)
}

func (f *fakeUSPS) serveToken(w http.ResponseWriter, r *http.Request) {
	n := f.tokenHits.Add(1)
	if f.token != nil {
		f.token(w, r)
		return
	}
	if r.PostFormValue("client_secret") != testSecret || r.PostFormValue("grant_type") != "client_credentials" {
		carrierstest.Reply(http.StatusUnauthorized, `{"error": "invalid_client"}`)(w, r)
		return
	}
	carrierstest.Reply(http.StatusOK, fmt.Sprintf(`{"access_token": "tok-%d", "token_type": "Bearer", "expires_in": %d}`,
		n, 3600))(w, r)
}

// serve starts fake on a real HTTP server and returns a Client for it.
func serve(t *testing.T, fake *fakeUSPS) *Client {
	t.Helper()
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return New(Config{BaseURL: srv.URL + "/", ClientID: testID, ClientSecret: testSecret}, srv.Client())
}

// tracking answers every tracking request with the delivered fixture.
func tracking(t *testing.T) http.HandlerFunc {
	return carrierstest.Reply(http.StatusOK, string(carrierstest.Fixture(t, "delivered.json")))
}

func TestTrackRequest(t *testing.T) {
	var got *http.Request
	var form map[string][]string
	fake := &fakeUSPS{}
	fake.token = func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		form = r.PostForm
		if _, _, basic := r.BasicAuth(); basic {
			t.Error("credentials sent as Basic auth; USPS wants them in the form")
		}
		carrierstest.Reply(http.StatusOK, `{"access_token": "tok-1", "token_type": "Bearer", "expires_in": 3600}`)(w, r)
	}
	fake.track = func(w http.ResponseWriter, r *http.Request) {
		got = r
		tracking(t)(w, r)
	}
	s, err := carrierstest.TrackOne(context.Background(), serve(t, fake), number)
	if err != nil {
		t.Fatalf("Track: %v", err)
	}
	if s.TrackingNumber != number || s.Carrier != "usps" || len(s.Events) != 12 {
		t.Errorf("shipment = %s %s with %d events", s.Carrier, s.TrackingNumber, len(s.Events))
	}
	if got.URL.Path != "/tracking/v3/tracking/"+number || got.URL.RawQuery != "expand=DETAIL" {
		t.Errorf("request = %s?%s", got.URL.Path, got.URL.RawQuery)
	}
	if got.Header.Get("Authorization") != "Bearer tok-1" || got.Header.Get("Accept") != "application/json" {
		t.Errorf("headers = %v", got.Header)
	}
	want := map[string]string{"grant_type": "client_credentials", "client_id": testID,
		"client_secret": testSecret, "scope": "tracking"}
	for k, v := range want {
		if len(form[k]) != 1 || form[k][0] != v {
			t.Errorf("token form %s = %v, want %q", k, form[k], v)
		}
	}
}

func TestTrackEscapesNumber(t *testing.T) {
	var raw string
	fake := &fakeUSPS{track: func(w http.ResponseWriter, r *http.Request) {
		raw = r.URL.EscapedPath()
		carrierstest.Reply(http.StatusOK, `{"trackingNumber": "9400100000000000123456"}`)(w, r)
	}}
	if _, err := carrierstest.TrackOne(context.Background(), serve(t, fake), "9400 1000/0000?0000123456"); err == nil {
		t.Error("a different number in the answer was accepted")
	}
	if raw != "/tracking/v3/tracking/9400%201000%2F0000%3F0000123456" {
		t.Errorf("path = %s, want the number escaped as one segment", raw)
	}
	s, err := carrierstest.TrackOne(context.Background(), serve(t, fake), "9400 1000 0000 0000 1234 56")
	if err != nil || s.TrackingNumber != number {
		t.Errorf("spaced number: %q, %v; want USPS's spelling accepted", s.TrackingNumber, err)
	}
}

// trackErr asks about number and returns the request's error, failing
// the test if there is none.
func trackErr(t *testing.T, fake *fakeUSPS) error {
	t.Helper()
	_, err := serve(t, fake).Track(context.Background(), []string{number})
	if err == nil {
		t.Fatal("Track succeeded; want an error")
	}
	if !strings.HasPrefix(err.Error(), `usps: track "`+number+`": `) {
		t.Errorf("err = %q, want the usps: prefix naming the number", err)
	}
	if strings.Contains(err.Error(), testSecret) {
		t.Errorf("error leaks the secret: %v", err)
	}
	return err
}

func TestTokenRefused(t *testing.T) {
	tests := []struct {
		name     string
		token    http.HandlerFunc
		code     int
		contains string
	}{
		{"401 invalid_client", carrierstest.Reply(http.StatusUnauthorized, `{"error": "invalid_client",
			"error_description": "Client authentication failed."}`), 401, "token: HTTP 401 Unauthorized: credentials refused"},
		{"description echoing the secret", carrierstest.Reply(http.StatusBadRequest, `{"error": "invalid_client",
			"error_description": "Unknown secret `+testSecret+`"}`), 400, "invalid_client: Unknown secret [redacted]"},
		{"400 invalid_client", carrierstest.Reply(http.StatusBadRequest, `{"error": "invalid_client",
			"error_description": "Client authentication failed."}`), 400, "invalid_client: Client authentication failed."},
		{"plain body echoing the secret", carrierstest.Reply(http.StatusBadGateway, `bad gateway `+testSecret), 502, "token: HTTP 502 Bad Gateway"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := trackErr(t, &fakeUSPS{token: tt.token, track: tracking(t)})
			if !strings.Contains(err.Error(), tt.contains) {
				t.Errorf("err = %q, want %q", err, tt.contains)
			}
			var he *carriers.HTTPError
			if !errors.As(err, &he) || he.Code != tt.code {
				t.Errorf("err = %#v, want an HTTPError %d", err, tt.code)
			}
		})
	}
}

func TestRetryAfter(t *testing.T) {
	busy := func(code int, wait string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", wait)
			carrierstest.Reply(code, `{"apiVersion": "v3", "error": {"code": "`+fmt.Sprint(code)+`", "message": "Slow down"}}`)(w, r)
		}
	}
	tests := []struct {
		name  string
		fake  *fakeUSPS
		code  int
		after time.Duration
	}{
		{"tracking 429", &fakeUSPS{track: busy(http.StatusTooManyRequests, "7")}, 429, 7 * time.Second},
		{"tracking 503", &fakeUSPS{track: busy(http.StatusServiceUnavailable, "30")}, 503, 30 * time.Second},
		{"token 503", &fakeUSPS{token: busy(http.StatusServiceUnavailable, "12"), track: tracking(t)}, 503, 12 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := trackErr(t, tt.fake)
			var he *carriers.HTTPError
			if !errors.As(err, &he) || he.Code != tt.code || he.RetryAfter != tt.after || !he.Temporary() {
				t.Errorf("err = %#v, want a temporary HTTPError %d asking for %v", err, tt.code, tt.after)
			}
		})
	}
}

func TestTrackErrorBodies(t *testing.T) {
	tests := []struct {
		name     string
		track    http.HandlerFunc
		contains string
	}{
		{"500 echoing the secret", carrierstest.Reply(http.StatusInternalServerError, `{"error": {"message": "upstream failed for `+testSecret+`"}}`),
			"HTTP 500 Internal Server Error: upstream failed for [redacted]"},
		{"502 html", func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(http.StatusBadGateway)
			_, _ = w.Write([]byte("<html>bad gateway</html>"))
		}, "HTTP 502 Bad Gateway"},
		{"401 on tracking", carrierstest.Reply(http.StatusUnauthorized, `{"error": {"message": "token `+testSecret+`"}}`), "credentials refused"},
		{"200 other number", carrierstest.Reply(http.StatusOK, `{"trackingNumber": "9400100000000000999999"}`), `response is about "9400100000000000999999"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := trackErr(t, &fakeUSPS{track: tt.track})
			if errors.Is(err, carriers.ErrNotFound) || !strings.Contains(err.Error(), tt.contains) {
				t.Errorf("err = %q, want a feed error containing %q", err, tt.contains)
			}
		})
	}
}

// An answer that cannot be read is that number's error, not the feed's.
func TestTrackUnreadableAnswer(t *testing.T) {
	res, err := serve(t, &fakeUSPS{track: carrierstest.Reply(http.StatusOK, `{"trackingNumber": `)}).Track(context.Background(), []string{number})
	if err != nil || len(res) != 1 || !errors.Is(res[0].Err, carriers.ErrUnreadable) || !strings.Contains(res[0].Err.Error(), "malformed response") {
		t.Errorf("Track = %+v, %v; want the number's own unreadable-answer error", res, err)
	}
}

func TestTrackNotFound(t *testing.T) {
	tests := map[string]http.HandlerFunc{
		"404":         carrierstest.Reply(http.StatusNotFound, `{"apiVersion": "v3", "error": {"code": "404", "message": "Tracking number not found"}}`),
		"404 no body": carrierstest.Reply(http.StatusNotFound, ``),
		"400 not-found code": carrierstest.Reply(http.StatusBadRequest, `{"error": {"code": "400",
			"errors": [{"code": "TRACKING_NOT_FOUND", "detail": "No record of that item"}]}}`),
	}
	for name, track := range tests {
		t.Run(name, func(t *testing.T) {
			if err := carrierstest.NumberErr(t, serve(t, &fakeUSPS{track: track}), number); !errors.Is(err, carriers.ErrNotFound) {
				t.Errorf("result error = %v, want ErrNotFound", err)
			}
		})
	}
}

// TestTrackBadNumber: a 400 about the number is that number's error, not
// the feed's.
func TestTrackBadNumber(t *testing.T) {
	track := carrierstest.Reply(http.StatusBadRequest, `{"apiVersion": "v3", "error": {"code": "400",
		"message": "Invalid request", "errors": [{"status": "400", "code": "0042", "title": "Bad number",
		"detail": "trackingNumber must be 10 to 34 characters", "source": {"parameter": "trackingNumber"}}]}}`)
	err := carrierstest.NumberErr(t, serve(t, &fakeUSPS{track: track}), number)
	var he *carriers.HTTPError
	want := `usps: track "` + number + `": HTTP 400 Bad Request: Invalid request; trackingNumber must be 10 to 34 characters`
	if !errors.As(err, &he) || err.Error() != want {
		t.Errorf("result error = %v, want %q", err, want)
	}
}

func TestTrackHonoursContext(t *testing.T) {
	carrierstest.TrackCancels(t, func(h http.HandlerFunc) carriers.Tracker { return serve(t, &fakeUSPS{track: h}) }, number)
}

func TestTrackOneNumberPerRequest(t *testing.T) {
	c := New(Config{BaseURL: "http://127.0.0.1:1"}, nil)
	if c.MaxBatch() != 1 || c.Carrier() != "usps" {
		t.Errorf("MaxBatch, Carrier = %d, %q", c.MaxBatch(), c.Carrier())
	}
	for _, numbers := range [][]string{nil, {"A", "B"}} {
		if _, err := c.Track(context.Background(), numbers); err == nil {
			t.Errorf("Track(%q): want an error", numbers)
		}
	}
}

func TestTokenURL(t *testing.T) {
	var tokenPath string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			tokenPath = r.URL.Path
			carrierstest.Reply(http.StatusOK, `{"access_token": "t", "token_type": "Bearer"}`)(w, r)
			return
		}
		tracking(t)(w, r)
	}))
	t.Cleanup(srv.Close)
	c := New(Config{BaseURL: srv.URL, TokenURL: srv.URL + "/auth/token", ClientSecret: testSecret}, srv.Client())
	if _, err := carrierstest.TrackOne(context.Background(), c, number); err != nil || tokenPath != "/auth/token" {
		t.Errorf("Track: %v; token fetched from %q, want /auth/token", err, tokenPath)
	}
}
