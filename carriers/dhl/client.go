package dhl

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/wismo/wismo/carriers"
)

// maxBody caps how much of a response is read: a real answer is a few KiB,
// so anything past 1 MiB is a misbehaving server, not tracking data.
const maxBody = 1 << 20

// defaultTimeout bounds a request when the caller supplies no http.Client.
const defaultTimeout = 10 * time.Second

var errTooLarge = errors.New("response larger than 1 MiB")

// Client asks DHL's Shipment Tracking – Unified API about parcels. It is a
// carriers.Tracker and is safe for concurrent use.
type Client struct {
	baseURL string
	apiKey  string
	hc      *http.Client
}

var _ carriers.Tracker = (*Client)(nil)

// New returns a Client for baseURL (such as "https://api-eu.dhl.com", or the
// demo simulator's address) that authenticates with apiKey. A nil hc gets a
// client with a 10 s timeout.
func New(baseURL, apiKey string, hc *http.Client) *Client {
	if hc == nil {
		hc = &http.Client{Timeout: defaultTimeout}
	}
	return &Client{baseURL: strings.TrimRight(baseURL, "/"), apiKey: apiKey, hc: hc}
}

// Carrier returns "dhl".
func (c *Client) Carrier() string { return Carrier }

// Track fetches and normalizes one tracking number. Errors start with "dhl:"
// and name the number; they wrap carriers.ErrNotFound when DHL does not know
// it, and never contain the API key.
func (c *Client) Track(ctx context.Context, trackingNumber string) (carriers.Shipment, error) {
	s, err := c.track(ctx, trackingNumber)
	if err != nil {
		return carriers.Shipment{}, fmt.Errorf("dhl: track %q: %w", trackingNumber, err)
	}
	return s, nil
}

func (c *Client) track(ctx context.Context, trackingNumber string) (carriers.Shipment, error) {
	code, body, err := c.get(ctx, trackingNumber)
	if err != nil {
		return carriers.Shipment{}, err
	}
	if err := statusError(code, c.redact(body)); err != nil {
		return carriers.Shipment{}, err
	}
	shipments, err := parseResponse(body)
	if err != nil {
		return carriers.Shipment{}, err
	}
	return pick(shipments, trackingNumber)
}

// get performs the request and returns the status code and the body.
func (c *Client) get(ctx context.Context, trackingNumber string) (int, []byte, error) {
	query := url.Values{"trackingNumber": {trackingNumber}}.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.baseURL+"/track/shipments?"+query, nil)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("DHL-API-Key", c.apiKey)
	req.Header.Set("Accept", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	// One byte over the cap tells a body of exactly 1 MiB from a longer one.
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return 0, nil, fmt.Errorf("HTTP %d: reading body: %w", resp.StatusCode, err)
	}
	if len(body) > maxBody {
		return 0, nil, fmt.Errorf("HTTP %d: %w", resp.StatusCode, errTooLarge)
	}
	return resp.StatusCode, body, nil
}

// redact blanks the API key wherever a server echoes it back, so no error
// built from the body can carry it into a log or onto a screen.
func (c *Client) redact(body []byte) []byte {
	if c.apiKey == "" {
		return body
	}
	return bytes.ReplaceAll(body, []byte(c.apiKey), []byte("[redacted]"))
}

// statusError turns a non-2xx answer into an error. For 401/403 the body is
// left out: it could echo the credentials back.
func statusError(code int, body []byte) error {
	switch {
	case code >= 200 && code < 300:
		return nil
	case code == http.StatusNotFound:
		return fmt.Errorf("%w%s", carriers.ErrNotFound, problemText(body))
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		return fmt.Errorf("API key refused (HTTP %d %s)", code, http.StatusText(code))
	}
	return fmt.Errorf("HTTP %d %s%s", code, http.StatusText(code), problemText(body))
}

// problemText is ": detail" (or ": title") from a problem+json body, or ""
// when the body is not one. A field of the wrong type does not hide the
// others, so the decode error is deliberately ignored.
func problemText(body []byte) string {
	var p Problem
	_ = json.Unmarshal(body, &p)
	for _, s := range []string{p.Detail, p.Title} {
		if s = strings.TrimSpace(s); s != "" {
			return ": " + s
		}
	}
	return ""
}

// pick returns the shipment for the number asked about. DHL may return
// shipments of several business units; one with a different id is not ours.
func pick(shipments []carriers.Shipment, trackingNumber string) (carriers.Shipment, error) {
	if len(shipments) == 0 {
		return carriers.Shipment{}, carriers.ErrNotFound
	}
	want := strings.TrimSpace(trackingNumber)
	for _, s := range shipments {
		if strings.EqualFold(s.TrackingNumber, want) {
			return s, nil
		}
	}
	return carriers.Shipment{}, fmt.Errorf("response has %d shipments, none with this id", len(shipments))
}
