package fedex

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/wismo/wismo/carriers"
)

// MaxBatch is how many numbers one request may carry
// (Full_Schema_Tracking_Numbers allows 30 trackingInfo entries).
const MaxBatch = 30

// defaultTimeout bounds a request when the caller supplies no http.Client.
const defaultTimeout = 10 * time.Second

// Config is where and as whom to ask FedEx.
type Config struct {
	// BaseURL is "https://apis.fedex.com", the sandbox, or the demo
	// simulator's address.
	BaseURL string
	// TokenURL defaults to BaseURL + "/oauth/token".
	TokenURL string
	// ClientID and ClientSecret are the Track API project's key pair; FedEx
	// Track is its own project, with keys apart from shipping's.
	ClientID     string
	ClientSecret string
}

// Client asks FedEx's Track API about parcels. It is a carriers.Tracker and
// is safe for concurrent use: requests share one cached token.
type Client struct {
	trackURL string
	secret   string
	hc       *http.Client
}

var _ carriers.Tracker = (*Client)(nil)

// New returns a Client for cfg. hc carries the transport and timeout for
// both the token and the tracking requests; a nil hc gets a client with a
// 10 s timeout.
func New(cfg Config, hc *http.Client) *Client {
	if hc == nil {
		hc = &http.Client{Timeout: defaultTimeout}
	}
	base := strings.TrimRight(cfg.BaseURL, "/")
	tokenURL := cfg.TokenURL
	if tokenURL == "" {
		tokenURL = base + "/oauth/token"
	}
	auth := carriers.OAuth{TokenURL: tokenURL, ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, ErrorDetail: bodyErrors}
	return &Client{
		trackURL: base + "/track/v1/trackingnumbers",
		secret:   cfg.ClientSecret,
		hc:       auth.Client(hc),
	}
}

// Carrier returns "fedex".
func (c *Client) Carrier() string { return Carrier }

// MaxBatch is 30.
func (c *Client) MaxBatch() int { return MaxBatch }

// Track asks about up to 30 numbers in one request and returns one Result
// per number, in the order asked. A number FedEx does not know, or leaves
// out of its answer, has carriers.ErrNotFound; any other error of its own
// is that Result's Err. The error is for the request as a whole: more than
// 30 numbers, the token, the transport, an error status (*carriers.HTTPError)
// or an unreadable body. Errors start with "fedex:" and never contain the
// client secret.
func (c *Client) Track(ctx context.Context, numbers []string) ([]carriers.Result, error) {
	if len(numbers) > MaxBatch {
		return nil, fmt.Errorf("fedex: %d tracking numbers in one request, at most %d", len(numbers), MaxBatch)
	}
	if len(numbers) == 0 {
		return nil, nil
	}
	answers, err := c.track(ctx, numbers)
	if err != nil {
		return nil, fmt.Errorf("fedex: %w", err)
	}
	out := make([]carriers.Result, len(numbers))
	for i, n := range numbers {
		out[i] = resultFor(n, answers)
	}
	return out, nil
}

func (c *Client) track(ctx context.Context, numbers []string) ([]answer, error) {
	req, err := c.request(ctx, numbers)
	if err != nil {
		return nil, err
	}
	resp, err := carriers.Do(c.hc, req, c.secret)
	if err != nil {
		return nil, err
	}
	if !resp.OK() {
		return nil, resp.Err(bodyErrors(resp.Body))
	}
	return parseResponse(resp.Body)
}

func (c *Client) request(ctx context.Context, numbers []string) (*http.Request, error) {
	body := Request{IncludeDetailedScans: true, TrackingInfo: make([]TrackingInfo, len(numbers))}
	for i, n := range numbers {
		body.TrackingInfo[i].TrackingNumberInfo.TrackingNumber = strings.TrimSpace(n)
	}
	data, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.trackURL, bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-Locale", "en_US")
	return req, nil
}

// bodyErrors is the errors list of an error body as one line, or "" when
// the body is not one. A field of the wrong type does not hide the others,
// so the decode error is deliberately ignored.
func bodyErrors(body []byte) string {
	var resp Response
	_ = json.Unmarshal(body, &resp)
	return errorsText(resp.Errors)
}

// resultFor gathers what the answers say about one asked number. A number
// asked twice gets the same answer twice.
func resultFor(number string, answers []answer) carriers.Result {
	r := carriers.Result{TrackingNumber: number}
	want := strings.TrimSpace(number)
	for _, a := range answers {
		if !strings.EqualFold(a.number, want) {
			continue
		}
		r.Shipments = append(r.Shipments, a.shipments...)
		if r.Err == nil {
			r.Err = a.err
		}
	}
	switch {
	case len(r.Shipments) > 0:
		r.Err = nil
	case r.Err == nil:
		r.Err = fmt.Errorf("fedex: track %q: %w", number, carriers.ErrNotFound)
	}
	return r
}
