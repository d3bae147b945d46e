package dhl

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/wismo/wismo/carriers"
)

// defaultTimeout bounds a request when the caller supplies no http.Client.
const defaultTimeout = 10 * time.Second

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

// MaxBatch is 1: the API takes exactly one trackingNumber per request.
func (c *Client) MaxBatch() int { return 1 }

// Track fetches and normalizes one tracking number (numbers holds exactly
// one). A number DHL does not know, or refuses as malformed, is a Result
// with its own error (carriers.TrackSingle). Errors start with "dhl:",
// name the number, and never contain the API key.
func (c *Client) Track(ctx context.Context, numbers []string) ([]carriers.Result, error) {
	return carriers.TrackSingle(ctx, Carrier, numbers, c.track)
}

func (c *Client) track(ctx context.Context, trackingNumber string) ([]carriers.Shipment, error) {
	query := url.Values{"trackingNumber": {trackingNumber}}.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.baseURL+"/track/shipments?"+query, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("DHL-API-Key", c.apiKey)
	req.Header.Set("Accept", "application/json")
	resp, err := carriers.Do(c.hc, req, c.apiKey)
	if err != nil {
		return nil, err
	}
	switch {
	case resp.Code == http.StatusNotFound:
		return nil, fmt.Errorf("%w%s", carriers.ErrNotFound, colon(problemText(resp.Body)))
	case !resp.OK():
		return nil, resp.Err(problemText(resp.Body))
	}
	shipments, err := parseResponse(resp.Body)
	if err != nil {
		return nil, carriers.Unreadable(err)
	}
	return pick(shipments, trackingNumber)
}

// colon prefixes a non-empty detail with ": ".
func colon(detail string) string {
	if detail == "" {
		return ""
	}
	return ": " + detail
}

// problemText is the detail (or title) of a problem+json body, or "" when
// the body is not one. A field of the wrong type does not hide the
// others, so the decode error is deliberately ignored.
func problemText(body []byte) string {
	var p Problem
	_ = json.Unmarshal(body, &p)
	for _, s := range []string{p.Detail, p.Title} {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}

// pick keeps the shipments with the number asked about. DHL may return
// shipments of several business units; one with a different id is not ours,
// while two with our id are the same number in two units and both kept.
func pick(shipments []carriers.Shipment, trackingNumber string) ([]carriers.Shipment, error) {
	if len(shipments) == 0 {
		return nil, carriers.ErrNotFound
	}
	want := strings.TrimSpace(trackingNumber)
	var ours []carriers.Shipment
	for _, s := range shipments {
		if strings.EqualFold(s.TrackingNumber, want) {
			ours = append(ours, s)
		}
	}
	if len(ours) == 0 {
		return nil, fmt.Errorf("response has %d shipments, none with this id", len(shipments))
	}
	return ours, nil
}
