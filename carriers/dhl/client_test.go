package dhl

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/carriers/carrierstest"
)

const testKey = "s3cret-test-key"

// serve starts a real HTTP server answering every request with handler.
func serve(t *testing.T, handler http.HandlerFunc) *Client {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	return New(srv.URL+"/", testKey, srv.Client())
}

// oneShipment is a 200 body with one in-transit shipment per id.
func oneShipment(t *testing.T, ids ...ID) string {
	var resp Response
	for _, id := range ids {
		resp.Shipments = append(resp.Shipments, Shipment{ID: id, Service: "parcel-de",
			Events: []Event{{Timestamp: "2024-03-05T10:12:00", StatusCode: "transit", Status: "PROCESSED"}}})
	}
	return string(carrierstest.Marshal(t, resp))
}

func TestTrackSendsKeyAndEscapedQuery(t *testing.T) {
	const number = "JJD 0001+&x=1"
	var got *http.Request
	c := serve(t, func(w http.ResponseWriter, r *http.Request) {
		got = r
		carrierstest.Reply(http.StatusOK, oneShipment(t, number))(w, r)
	})
	s, err := carrierstest.TrackOne(context.Background(), c, number)
	if err != nil {
		t.Fatalf("Track: %v", err)
	}
	if s.TrackingNumber != number || s.Carrier != "dhl" || len(s.Events) != 1 {
		t.Errorf("shipment = %+v", s)
	}
	if got.URL.Path != "/track/shipments" || got.URL.RawQuery != "trackingNumber=JJD+0001%2B%26x%3D1" {
		t.Errorf("request = %s?%s", got.URL.Path, got.URL.RawQuery)
	}
	if got.Header.Get("DHL-API-Key") != testKey || got.Header.Get("Accept") != "application/json" {
		t.Errorf("headers = %v", got.Header)
	}
}

func TestTrackPicksMatchingShipment(t *testing.T) {
	c := serve(t, carrierstest.Reply(http.StatusOK, oneShipment(t, "OTHER-BU-1", "abc123")))
	s, err := carrierstest.TrackOne(context.Background(), c, "ABC123")
	if err != nil || s.TrackingNumber != "abc123" {
		t.Errorf("Track = %q, %v; want the shipment with id abc123", s.TrackingNumber, err)
	}
}

func TestTrackNoMatchingShipment(t *testing.T) {
	c := serve(t, carrierstest.Reply(http.StatusOK, oneShipment(t, "OTHER-BU-1")))
	_, err := carrierstest.TrackOne(context.Background(), c, "ABC123")
	if err == nil || errors.Is(err, carriers.ErrNotFound) || !strings.Contains(err.Error(), "none with this id") {
		t.Errorf("err = %v, want a non-NotFound error about the id", err)
	}
}

func TestTrackNotFound(t *testing.T) {
	problem := `{"title": "No result found", "detail": "No shipment with given tracking number found.", "status": 404}`
	tests := map[string]http.HandlerFunc{
		"404 problem":     carrierstest.Reply(http.StatusNotFound, problem),
		"200 no shipment": carrierstest.Reply(http.StatusOK, `{"shipments": []}`),
	}
	for name, handler := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := carrierstest.TrackOne(context.Background(), serve(t, handler), "00340434161234567890")
			if !errors.Is(err, carriers.ErrNotFound) {
				t.Fatalf("err = %v, want ErrNotFound", err)
			}
			if !strings.HasPrefix(err.Error(), `dhl: track "00340434161234567890": `) {
				t.Errorf("err = %q, want dhl: prefix with the number", err)
			}
		})
	}
}

func TestTrackKeyRefused(t *testing.T) {
	// The body echoes the key, as a careless gateway might.
	body := `{"title": "Unauthorized", "detail": "Invalid key ` + testKey + `"}`
	for _, code := range []int{http.StatusUnauthorized, http.StatusForbidden} {
		_, err := carrierstest.TrackOne(context.Background(), serve(t, carrierstest.Reply(code, body)), "N1")
		if err == nil || !strings.Contains(err.Error(), "credentials refused") {
			t.Fatalf("HTTP %d: err = %v, want credentials refused", code, err)
		}
		if strings.Contains(err.Error(), testKey) {
			t.Errorf("HTTP %d: error leaks the key: %v", code, err)
		}
	}
}

func TestTrackServerErrors(t *testing.T) {
	tests := []struct {
		name     string
		handler  http.HandlerFunc
		contains []string
	}{
		{"500 problem detail", carrierstest.Reply(http.StatusInternalServerError, `{"title": "Internal", "detail": "backend timeout", "status": "500"}`), []string{"HTTP 500", "backend timeout"}},
		{"429 title only", carrierstest.Reply(http.StatusTooManyRequests, `{"title": "Too many requests", "status": 429}`), []string{"HTTP 429", "Too many requests"}},
		{"502 html", carrierstest.Reply(http.StatusBadGateway, `<html>bad gateway</html>`), []string{"HTTP 502 Bad Gateway"}},
		// A gateway that echoes the request's key must not put it in the error.
		{"503 echoing the key", carrierstest.Reply(http.StatusServiceUnavailable, `{"detail": "upstream down for key `+testKey+`"}`), []string{"HTTP 503", "upstream down for key [redacted]"}},
		{"200 malformed", carrierstest.Reply(http.StatusOK, `{"shipments": [`), []string{"malformed response"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := carrierstest.TrackOne(context.Background(), serve(t, tt.handler), "N1")
			if err == nil || errors.Is(err, carriers.ErrNotFound) {
				t.Fatalf("err = %v, want a feed error", err)
			}
			for _, want := range append(tt.contains, `dhl: track "N1"`) {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("err = %q, want it to contain %q", err, want)
				}
			}
			if strings.Contains(err.Error(), testKey) {
				t.Errorf("error leaks the key: %v", err)
			}
		})
	}
}

func TestTrackBodyLimit(t *testing.T) {
	// Exactly 1 MiB is still read; one byte more is refused.
	exact := `{"shipments": []}` + strings.Repeat(" ", carriers.MaxBody-len(`{"shipments": []}`))
	_, err := carrierstest.TrackOne(context.Background(), serve(t, carrierstest.Reply(http.StatusOK, exact)), "N1")
	if !errors.Is(err, carriers.ErrNotFound) {
		t.Errorf("1 MiB body: err = %v, want ErrNotFound", err)
	}
	_, err = carrierstest.TrackOne(context.Background(), serve(t, carrierstest.Reply(http.StatusOK, exact+" ")), "N1")
	if err == nil || !strings.Contains(err.Error(), "response larger than 1 MiB") {
		t.Errorf("oversized body: err = %v, want response larger than 1 MiB", err)
	}
}

func TestTrackHonoursContext(t *testing.T) {
	carrierstest.TrackCancels(t, func(h http.HandlerFunc) carriers.Tracker { return serve(t, h) }, "N1")
}

func TestTrackOneNumberPerRequest(t *testing.T) {
	c := New("http://127.0.0.1:1", testKey, nil)
	if c.MaxBatch() != 1 {
		t.Errorf("MaxBatch = %d, want 1", c.MaxBatch())
	}
	if _, err := c.Track(context.Background(), []string{"A", "B"}); err == nil {
		t.Error("two numbers in one request: want an error")
	}
}

func TestTrackRetryAfter(t *testing.T) {
	c := serve(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "7")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	_, err := carrierstest.TrackOne(context.Background(), c, "N1")
	var he *carriers.HTTPError
	if !errors.As(err, &he) || !he.Temporary() || he.RetryAfter != 7*time.Second {
		t.Errorf("err = %#v, want a temporary HTTPError asking for 7s", err)
	}
}

func TestNewDefaults(t *testing.T) {
	c := New("https://api-eu.dhl.com", "k", nil)
	if c.hc.Timeout != defaultTimeout || c.Carrier() != "dhl" {
		t.Errorf("New(nil client) = timeout %v, carrier %q", c.hc.Timeout, c.Carrier())
	}
}
