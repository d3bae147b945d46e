package easypost

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/carriers/carrierstest"
)

const testKey = "EZAK-s3cret-test-key"

// serve starts a real HTTP server answering every request with handler.
func serve(t *testing.T, handler http.HandlerFunc) *Client {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	return New(Config{BaseURL: srv.URL + "/", APIKey: testKey}, srv.Client())
}

func apiError(code, message string) string {
	b, _ := json.Marshal(ErrorResponse{Error: APIError{Code: code, Message: message}})
	return string(b)
}

func TestTrackCreatesTracker(t *testing.T) {
	var got struct {
		method, path, user, pass, contentType string
		basic                                 bool
		body                                  createRequest
	}
	c := serve(t, func(w http.ResponseWriter, r *http.Request) {
		got.method, got.path, got.contentType = r.Method, r.URL.Path, r.Header.Get("Content-Type")
		got.user, got.pass, got.basic = r.BasicAuth()
		if err := json.NewDecoder(r.Body).Decode(&got.body); err != nil {
			t.Error(err)
		}
		carrierstest.Reply(http.StatusOK, string(carrierstest.Fixture(t, "tracker_local_times.json")))(w, r)
	})
	s, err := carrierstest.TrackOne(context.Background(), c, "1Z999AA10123456784")
	if err != nil {
		t.Fatalf("Track: %v", err)
	}
	if s.Carrier != "ups" || s.Ref != "trk_5e6f7a8b9c" || len(s.Events) != 6 {
		t.Errorf("shipment = %s %s with %d events", s.Carrier, s.Ref, len(s.Events))
	}
	if got.method != http.MethodPost || got.path != "/v2/trackers" || got.contentType != "application/json" {
		t.Errorf("request = %s %s (%s)", got.method, got.path, got.contentType)
	}
	if !got.basic || got.user != testKey || got.pass != "" {
		t.Errorf("basic auth = %v %q %q, want the key as user, empty password", got.basic, got.user, got.pass)
	}
	if got.body.Tracker.TrackingCode != "1Z999AA10123456784" {
		t.Errorf("body = %+v", got.body)
	}
}

func TestTrackNotFound(t *testing.T) {
	noScans := string(carrierstest.Marshal(t, Tracker{ID: "trk_new", TrackingCode: "N1", Carrier: "USPS", Status: "unknown"}))
	tests := map[string]http.HandlerFunc{
		"404":              carrierstest.Reply(http.StatusNotFound, apiError("NOT_FOUND", "The requested resource could not be found.")),
		"namespaced code":  carrierstest.Reply(http.StatusUnprocessableEntity, apiError("TRACKER.NOT_FOUND", "no such tracker")),
		"tracker no scans": carrierstest.Reply(http.StatusCreated, noScans),
	}
	for name, handler := range tests {
		t.Run(name, func(t *testing.T) {
			if err := carrierstest.NumberErr(t, serve(t, handler), "N1"); !errors.Is(err, carriers.ErrNotFound) {
				t.Errorf("result error = %v, want ErrNotFound", err)
			}
		})
	}
}

// TestTrackInvalidCode: EasyPost's 422 for a code it cannot track is that
// number's error, not the feed's.
func TestTrackInvalidCode(t *testing.T) {
	c := serve(t, carrierstest.Reply(http.StatusUnprocessableEntity, apiError("TRACKER.CREATE.ERROR", "invalid tracking code")))
	err := carrierstest.NumberErr(t, c, "N1")
	var he *carriers.HTTPError
	if want := `easypost: track "N1": HTTP 422 Unprocessable Entity: TRACKER.CREATE.ERROR: invalid tracking code`; !errors.As(err, &he) || err.Error() != want {
		t.Errorf("result error = %v, want %q", err, want)
	}
}

func TestTrackRetryAfter(t *testing.T) {
	c := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "12")
		carrierstest.Reply(http.StatusTooManyRequests, apiError("RATE_LIMITED", "slow down"))(w, r)
	})
	_, err := carrierstest.TrackOne(context.Background(), c, "N1")
	var he *carriers.HTTPError
	if !errors.As(err, &he) || he.RetryAfter != 12*time.Second || !he.Temporary() {
		t.Fatalf("err = %#v, want a temporary HTTPError asking for 12s", err)
	}
	if he.Detail != "RATE_LIMITED: slow down" || !strings.HasPrefix(err.Error(), `easypost: track "N1": HTTP 429`) {
		t.Errorf("err = %q, detail %q", err, he.Detail)
	}
}

func TestTrackKeyNeverLeaks(t *testing.T) {
	echo := func(code int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			carrierstest.Reply(code, apiError("APIKEY.INVALID", "bad key "+testKey+" sent as "+r.Header.Get("Authorization")))(w, r)
		}
	}
	for _, code := range []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusInternalServerError} {
		_, err := carrierstest.TrackOne(context.Background(), serve(t, echo(code)), "N1")
		if err == nil || errors.Is(err, carriers.ErrNotFound) {
			t.Fatalf("HTTP %d: err = %v, want a feed error", code, err)
		}
		if strings.Contains(err.Error(), testKey) || strings.Contains(err.Error(), basicToken(testKey)) {
			t.Errorf("HTTP %d: error leaks the key: %v", code, err)
		}
	}
}

func TestTrackServerErrors(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    string
	}{
		{"502 html", carrierstest.Reply(http.StatusBadGateway, "<html>bad gateway</html>"), "HTTP 502 Bad Gateway"},
		{"200 malformed", carrierstest.Reply(http.StatusOK, `{"id": "trk_1", "tracking_details": [`), "malformed tracker"},
		{"200 not a tracker", carrierstest.Reply(http.StatusOK, `{"trackers": []}`), "tracker without id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := carrierstest.TrackOne(context.Background(), serve(t, tt.handler), "N1")
			if err == nil || errors.Is(err, carriers.ErrNotFound) || !strings.Contains(err.Error(), tt.want) ||
				!strings.HasPrefix(err.Error(), `easypost: track "N1": `) {
				t.Errorf("err = %v, want easypost: prefix and %q", err, tt.want)
			}
		})
	}
}

func TestTrackHonoursContext(t *testing.T) {
	carrierstest.TrackCancels(t, func(h http.HandlerFunc) carriers.Tracker { return serve(t, h) }, "N1")
}

func TestTrackOneNumberPerRequest(t *testing.T) {
	c := New(Config{APIKey: testKey}, nil)
	if c.MaxBatch() != 1 || c.Carrier() != "easypost" || c.baseURL != DefaultBaseURL || c.hc.Timeout != defaultTimeout {
		t.Errorf("New defaults = %d %q %q %v", c.MaxBatch(), c.Carrier(), c.baseURL, c.hc.Timeout)
	}
	if _, err := c.Track(context.Background(), []string{"A", "B"}); err == nil {
		t.Error("two numbers in one request: want an error")
	}
}
