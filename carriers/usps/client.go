package usps

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/wismo/wismo/carriers"
)

// defaultTimeout bounds a request when the caller supplies no http.Client.
const defaultTimeout = 10 * time.Second

// Config is what a Client needs to reach USPS.
type Config struct {
	// BaseURL is the API host, such as "https://apis.usps.com",
	// "https://apis-tem.usps.com" or the demo simulator's address.
	BaseURL string
	// TokenURL is the OAuth token endpoint; empty means
	// BaseURL + "/oauth2/v3/token".
	TokenURL string
	// ClientID and ClientSecret are the app's credentials from the USPS
	// developer portal; the secret never appears in an error.
	ClientID     string
	ClientSecret string
}

// Client asks USPS's Tracking API v3 about parcels. It is a
// carriers.Tracker and is safe for concurrent use: all requests share one
// cached OAuth token.
type Client struct {
	baseURL string
	secret  string
	hc      *http.Client
}

var _ carriers.Tracker = (*Client)(nil)

// New returns a Client for cfg. hc carries the transport and timeout for
// both token and tracking requests; a nil hc gets a 10 s timeout.
func New(cfg Config, hc *http.Client) *Client {
	if hc == nil {
		hc = &http.Client{Timeout: defaultTimeout}
	}
	base := strings.TrimRight(cfg.BaseURL, "/")
	tokenURL := cfg.TokenURL
	if tokenURL == "" {
		tokenURL = base + "/oauth2/v3/token"
	}
	auth := carriers.OAuth{
		TokenURL:     tokenURL,
		ClientID:     cfg.ClientID,
		ClientSecret: cfg.ClientSecret,
		Scopes:       []string{"tracking"},
	}
	return &Client{baseURL: base, secret: cfg.ClientSecret, hc: auth.Client(hc)}
}

// Carrier returns "usps".
func (c *Client) Carrier() string { return Carrier }

// MaxBatch is 1: the documented GET takes one tracking number. Clients in
// the wild also POST arrays to /tracking/v3r2/tracking, but that endpoint is
// not in USPS's published v3 spec, so wismo does not rely on it.
func (c *Client) MaxBatch() int { return 1 }

// Track fetches and normalizes one tracking number (numbers holds exactly
// one). A number USPS does not know is a Result with carriers.ErrNotFound.
// Errors start with "usps:", name the number, and never contain the client
// secret.
func (c *Client) Track(ctx context.Context, numbers []string) ([]carriers.Result, error) {
	if len(numbers) != 1 {
		return nil, fmt.Errorf("usps: one tracking number per request, got %d", len(numbers))
	}
	number := numbers[0]
	shipment, err := c.track(ctx, number)
	if errors.Is(err, carriers.ErrNotFound) {
		return []carriers.Result{{TrackingNumber: number, Err: fmt.Errorf("usps: track %q: %w", number, err)}}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("usps: track %q: %w", number, err)
	}
	return []carriers.Result{{TrackingNumber: number, Shipments: []carriers.Shipment{shipment}}}, nil
}

func (c *Client) track(ctx context.Context, number string) (carriers.Shipment, error) {
	u := c.baseURL + "/tracking/v3/tracking/" + url.PathEscape(number) + "?expand=DETAIL"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return carriers.Shipment{}, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := carriers.Do(c.hc, req, c.secret)
	if err != nil {
		return carriers.Shipment{}, err
	}
	if !resp.OK() {
		return carriers.Shipment{}, answerError(resp)
	}
	shipment, err := parseDetails(resp.Body)
	if err != nil {
		return carriers.Shipment{}, err
	}
	if !sameNumber(shipment.TrackingNumber, number) {
		return carriers.Shipment{}, fmt.Errorf("response is about %q", shipment.TrackingNumber)
	}
	return shipment, nil
}

// sameNumber compares tracking numbers as USPS does: case and spaces
// aside ("9400 1000 …" is "94001000…").
func sameNumber(a, b string) bool {
	squash := func(s string) string { return strings.ToUpper(strings.Join(strings.Fields(s), "")) }
	return squash(a) == squash(b)
}
