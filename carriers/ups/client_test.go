package ups

import (
	"context"
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
	testID     = "wismo-test-client"
	testSecret = "s3cret-test-value"
)

// fakeUPS is a UPS stand-in: a token endpoint that counts its hits and a
// details endpoint answering with track.
type fakeUPS struct {
	tokens atomic.Int32
	token  http.HandlerFunc
	track  http.HandlerFunc
}

func (f *fakeUPS) serve(t *testing.T) *Client {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("POST /security/v1/oauth/token", func(w http.ResponseWriter, r *http.Request) {
		n := f.tokens.Add(1)
		if f.token != nil {
			f.token(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		// UPS sends expires_in as a string.
		fmt.Fprintf(w, `{"token_type":"Bearer","access_token":"tok-%d","expires_in":"14399","status":"approved"}`, n)
	})
	mux.HandleFunc("GET /api/track/v1/details/{number}", func(w http.ResponseWriter, r *http.Request) { f.track(w, r) })
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return New(Config{BaseURL: srv.URL + "/", ClientID: testID, ClientSecret: testSecret}, srv.Client())
}

// serve is a fake UPS with a long-lived token answering details with track.
func serve(t *testing.T, track http.HandlerFunc) *Client {
	return (&fakeUPS{track: track}).serve(t)
}

// upsError is UPS's error body with one code and message.
func upsError(code, message string) string {
	return fmt.Sprintf(`{"response":{"errors":[{"code":%q,"message":%q}]}}`, code, message)
}

// inTransit is a 200 body with one package moving under number.
func inTransit(t *testing.T, number string) string {
	a := Activity{Date: "20240305", Time: "101500", GMTDate: "20240305", GMTTime: "181500",
		Status: Status{Type: "I", Code: "AR", StatusCode: "005", Description: "Arrived at Facility"}}
	sh := Shipment{InquiryNumber: number, Package: []Package{{TrackingNumber: number, Activity: []Activity{a}}}}
	return string(carrierstest.Marshal(t, Response{TrackResponse{Shipment: []Shipment{sh}}}))
}

func TestTrackRequest(t *testing.T) {
	const number = "1Z 999/AA1"
	var mu sync.Mutex
	var got []*http.Request
	f := &fakeUPS{track: func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r)
		mu.Unlock()
		carrierstest.Reply(http.StatusOK, inTransit(t, number))(w, r)
	}}
	f.token = func(w http.ResponseWriter, r *http.Request) {
		id, secret, ok := r.BasicAuth()
		if !ok || id != testID || secret != testSecret || r.FormValue("grant_type") != "client_credentials" {
			t.Errorf("token request: basic=%v %q, grant_type=%q", ok, id, r.FormValue("grant_type"))
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"token_type":"Bearer","access_token":"tok-1","expires_in":3600}`)
	}
	c := f.serve(t)
	for range 2 {
		if _, err := carrierstest.TrackOne(context.Background(), c, number); err != nil {
			t.Fatalf("Track: %v", err)
		}
	}
	r := got[0]
	if r.URL.EscapedPath() != "/api/track/v1/details/1Z%20999%2FAA1" || r.URL.RawQuery != "locale=en_US&returnMilestones=false" {
		t.Errorf("request = %s?%s", r.URL.EscapedPath(), r.URL.RawQuery)
	}
	if r.Header.Get("Authorization") != "Bearer tok-1" || r.Header.Get("transactionSrc") != "wismo" {
		t.Errorf("headers = %v", r.Header)
	}
	id1, id2 := r.Header.Get("transId"), got[1].Header.Get("transId")
	if id1 == "" || id1 == id2 {
		t.Errorf("transId = %q then %q, want a unique id per request", id1, id2)
	}
}

func TestTokenRefused(t *testing.T) {
	// The body echoes the secret, as a careless gateway might.
	f := &fakeUPS{token: carrierstest.Reply(http.StatusUnauthorized, upsError("250002", "Invalid Authentication Information: "+testSecret))}
	c := f.serve(t)
	_, err := carrierstest.TrackOne(context.Background(), c, "1ZAUTH")
	var he *carriers.HTTPError
	if !errors.As(err, &he) || he.Code != http.StatusUnauthorized || he.Temporary() {
		t.Fatalf("err = %v, want a permanent HTTPError 401", err)
	}
	if want := `ups: track "1ZAUTH": token: HTTP 401 Unauthorized: credentials refused`; err.Error() != want {
		t.Errorf("err = %q, want %q", err, want)
	}
}

func TestTokenBusy(t *testing.T) {
	f := &fakeUPS{token: func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "30")
		carrierstest.Reply(http.StatusServiceUnavailable, upsError("10500", "Service busy for "+testSecret))(w, r)
	}}
	_, err := carrierstest.TrackOne(context.Background(), f.serve(t), "1ZBUSY")
	var he *carriers.HTTPError
	if !errors.As(err, &he) || !he.Temporary() || he.RetryAfter != 30*time.Second {
		t.Fatalf("err = %#v, want a temporary HTTPError asking for 30s", err)
	}
	if want := "token: HTTP 503 Service Unavailable: 10500 Service busy for [redacted]"; !strings.Contains(err.Error(), want) {
		t.Errorf("err = %q, want it to contain %q", err, want)
	}
}

func TestTrackNotFound(t *testing.T) {
	tests := map[string]http.HandlerFunc{
		"200 TW0001 warning": carrierstest.Reply(http.StatusOK, string(carrierstest.Fixture(t, "not_found.json"))),
		"404 TW0001 error":   carrierstest.Reply(http.StatusNotFound, upsError("TW0001", "Tracking Information Not Found")),
		"400 TV1002 invalid": carrierstest.Reply(http.StatusBadRequest, upsError("TV1002", "Invalid inquiry number")),
		"200 no shipment":    carrierstest.Reply(http.StatusOK, `{"trackResponse":{"shipment":[]}}`),
	}
	for name, handler := range tests {
		t.Run(name, func(t *testing.T) {
			if err := carrierstest.NumberErr(t, serve(t, handler), "1ZNOTFOUND01"); !errors.Is(err, carriers.ErrNotFound) {
				t.Errorf("result err = %v, want ErrNotFound", err)
			}
		})
	}
}

// TestTrackBadNumber: a client error UPS gives no not-found code is still
// about the number asked, not the feed.
func TestTrackBadNumber(t *testing.T) {
	err := carrierstest.NumberErr(t, serve(t, carrierstest.Reply(http.StatusNotFound, `<html>no route</html>`)), "1ZBAD")
	var he *carriers.HTTPError
	if !errors.As(err, &he) || err.Error() != `ups: track "1ZBAD": HTTP 404 Not Found` {
		t.Errorf("result error = %v, want the number's own HTTP 404", err)
	}
}

func TestTrackMultiPiece(t *testing.T) {
	res, err := serve(t, carrierstest.Reply(http.StatusOK, string(carrierstest.Fixture(t, "multi_piece.json")))).
		Track(context.Background(), []string{"1zv9y8490361234561"})
	if err != nil || res[0].Err != nil || len(res[0].Shipments) != 2 {
		t.Fatalf("Track = %+v, %v; want both pieces under the inquiry number", res, err)
	}
}

func TestTrackFailures(t *testing.T) {
	tests := []struct {
		name     string
		handler  http.HandlerFunc
		contains []string
	}{
		{"500 UPS error", carrierstest.Reply(http.StatusInternalServerError, upsError("TS0001", "Internal error")), []string{"HTTP 500", "TS0001 Internal error"}},
		{"403 echoing the secret", carrierstest.Reply(http.StatusForbidden, upsError("250003", "Blocked "+testSecret)), []string{"HTTP 403 Forbidden: credentials refused"}},
		{"502 echoing the secret", carrierstest.Reply(http.StatusBadGateway, upsError("X1", "upstream "+testSecret)), []string{"X1 upstream [redacted]"}},
		{"200 malformed", carrierstest.Reply(http.StatusOK, `{"trackResponse": {"shipment": [`), []string{"malformed response"}},
		{"200 other number", carrierstest.Reply(http.StatusOK, inTransit(t, "1ZSOMEONEELSE")), []string{"none for this number"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := carrierstest.TrackOne(context.Background(), serve(t, tt.handler), "1ZFAIL")
			if err == nil || errors.Is(err, carriers.ErrNotFound) {
				t.Fatalf("err = %v, want a feed error", err)
			}
			for _, want := range append(tt.contains, `ups: track "1ZFAIL"`) {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("err = %q, want it to contain %q", err, want)
				}
			}
			if strings.Contains(err.Error(), testSecret) {
				t.Errorf("error leaks the secret: %v", err)
			}
		})
	}
}

func TestTrackRetryAfter(t *testing.T) {
	c := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "7")
		carrierstest.Reply(http.StatusTooManyRequests, upsError("TR0001", "Rate limit exceeded"))(w, r)
	})
	_, err := carrierstest.TrackOne(context.Background(), c, "1ZBUSY")
	var he *carriers.HTTPError
	if !errors.As(err, &he) || !he.Temporary() || he.RetryAfter != 7*time.Second || he.Detail != "TR0001 Rate limit exceeded" {
		t.Errorf("err = %#v, want a temporary HTTPError asking for 7s with UPS's code", err)
	}
}

func TestTrackHonoursContext(t *testing.T) {
	carrierstest.TrackCancels(t, func(h http.HandlerFunc) carriers.Tracker { return serve(t, h) }, "1ZCANCEL")
}

func TestTrackOneNumberPerRequest(t *testing.T) {
	c := New(Config{BaseURL: "http://127.0.0.1:1"}, nil)
	if c.MaxBatch() != 1 || c.Carrier() != "ups" {
		t.Errorf("MaxBatch = %d, Carrier = %q", c.MaxBatch(), c.Carrier())
	}
	if _, err := c.Track(context.Background(), []string{"A", "B"}); err == nil {
		t.Error("two numbers in one request: want an error")
	}
}

func TestNewDefaults(t *testing.T) {
	c := New(Config{BaseURL: "https://onlinetools.ups.com/"}, nil)
	if c.cfg.TokenURL != "https://onlinetools.ups.com/security/v1/oauth/token" || c.cfg.TransactionSrc != "wismo" {
		t.Errorf("config = %+v", c.cfg)
	}
	if c.hc.Timeout != defaultTimeout {
		t.Errorf("timeout = %v, want %v", c.hc.Timeout, defaultTimeout)
	}
	c = New(Config{BaseURL: "https://x", TokenURL: "https://auth/token", TransactionSrc: "desk"}, nil)
	if c.cfg.TokenURL != "https://auth/token" || c.cfg.TransactionSrc != "desk" {
		t.Errorf("explicit config overridden: %+v", c.cfg)
	}
}
