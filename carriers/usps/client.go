package usps

import (
	"context"
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
// one). A number USPS does not know, or refuses as malformed, is a Result
// with its own error (carriers.TrackSingle). Errors start with "usps:",
// name the number, and never contain the client secret.
func (c *Client) Track(ctx context.Context, numbers []string) ([]carriers.Result, error) {
	return carriers.TrackSingle(ctx, Carrier, numbers, c.track)
}

func (c *Client) track(ctx context.Context, number string) ([]carriers.Shipment, error) {
	u := c.baseURL + "/tracking/v3/tracking/" + url.PathEscape(number) + "?expand=DETAIL"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := carriers.Do(c.hc, req, c.secret)
	if err != nil {
		return nil, err
	}
	if !resp.OK() {
		return nil, answerError(resp)
	}
	shipment, err := parseDetails(resp.Body)
	if err != nil {
		return nil, carriers.Unreadable(err)
	}
	if !sameNumber(shipment.TrackingNumber, number) {
		return nil, fmt.Errorf("response is about %q", shipment.TrackingNumber)
	}
	return []carriers.Shipment{shipment}, nil
}

// sameNumber compares tracking numbers as USPS does: case and spaces
// aside ("9400 1000 …" is "94001000…").
func sameNumber(a, b string) bool {
	squash := func(s string) string { return strings.ToUpper(strings.Join(strings.Fields(s), "")) }
	return squash(a) == squash(b)
}
