package easypost

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/wismo/wismo/carriers"
)

// DefaultBaseURL is EasyPost's production API.
const DefaultBaseURL = "https://api.easypost.com"

// defaultTimeout bounds a request when the caller supplies no http.Client.
const defaultTimeout = 10 * time.Second

// Config is what a Client needs to reach EasyPost.
type Config struct {
	// BaseURL is DefaultBaseURL, or the demo simulator's address; empty
	// means DefaultBaseURL.
	BaseURL string
	// APIKey authenticates as the Basic auth user name.
	APIKey string
}

// Client polls EasyPost trackers. It is a carriers.Tracker and is safe for
// concurrent use.
type Client struct {
	baseURL string
	apiKey  string
	hc      *http.Client
}

var _ carriers.Tracker = (*Client)(nil)

// New returns a Client for cfg. A nil hc gets a client with a 10 s timeout.
func New(cfg Config, hc *http.Client) *Client {
	if hc == nil {
		hc = &http.Client{Timeout: defaultTimeout}
	}
	base := strings.TrimRight(cfg.BaseURL, "/")
	if base == "" {
		base = DefaultBaseURL
	}
	return &Client{baseURL: base, apiKey: cfg.APIKey, hc: hc}
}

// Carrier returns "easypost": the feed, not the carriers behind it.
func (c *Client) Carrier() string { return Provider }

// MaxBatch is 1: a tracker is created or fetched one code at a time.
func (c *Client) MaxBatch() int { return 1 }

// Track creates or fetches the tracker for one tracking number (numbers
// holds exactly one) and normalizes it. A number EasyPost reports as not
// found, a tracker the carrier has told nothing yet (carriers.ErrNotFound),
// or a code EasyPost refuses as invalid (422) is a Result with its own
// error (carriers.TrackSingle). Errors start with "easypost:", name the
// number, and never contain the API key.
func (c *Client) Track(ctx context.Context, numbers []string) ([]carriers.Result, error) {
	return carriers.TrackSingle(ctx, Provider, numbers, c.track)
}

// track posts the number to /v2/trackers. Creating is also how a tracker is
// read: EasyPost answers a create for a code the same user already tracks
// (same code and carrier, within three months) with the existing tracker
// instead of a new one (CARRIERS.md §5), so one call serves the first poll
// and every later one without wismo storing tracker ids.
func (c *Client) track(ctx context.Context, number string) ([]carriers.Shipment, error) {
	req, err := c.newCreate(ctx, number)
	if err != nil {
		return nil, err
	}
	resp, err := carriers.Do(c.hc, req, c.apiKey, basicToken(c.apiKey))
	if err != nil {
		return nil, err
	}
	if !resp.OK() {
		return nil, responseError(resp)
	}
	s, err := parseTrackerBody(resp.Body)
	if err != nil {
		return nil, carriers.Unreadable(err)
	}
	if len(s.Events) == 0 {
		return nil, fmt.Errorf("%w: tracker %s has no scans yet", carriers.ErrNotFound, s.Ref)
	}
	return []carriers.Shipment{s}, nil
}

func (c *Client) newCreate(ctx context.Context, number string) (*http.Request, error) {
	body, err := json.Marshal(createRequest{Tracker: createTracker{TrackingCode: number}})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.baseURL+"/v2/trackers", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.SetBasicAuth(c.apiKey, "")
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	return req, nil
}

// basicToken is the Authorization credential the key travels as; a server
// echoing the header would otherwise leak the key in base64.
func basicToken(apiKey string) string {
	if apiKey == "" {
		return ""
	}
	return base64.StdEncoding.EncodeToString([]byte(apiKey + ":"))
}

// responseError turns an error answer into carriers.ErrNotFound for an
// unknown tracker, else an *carriers.HTTPError with EasyPost's code and
// message.
func responseError(resp carriers.Response) error {
	e := errorBody(resp.Body)
	if resp.Code == http.StatusNotFound || isNotFoundCode(e.Code) {
		return fmt.Errorf("%w%s", carriers.ErrNotFound, colon(detail(e)))
	}
	return resp.Err(detail(e))
}

// errorBody reads {"error": {...}}. A field of the wrong type does not hide
// the others, so the decode error is deliberately ignored.
func errorBody(body []byte) APIError {
	var r ErrorResponse
	_ = json.Unmarshal(body, &r)
	return r.Error
}

// isNotFoundCode matches "NOT_FOUND" and namespaced forms such as
// "TRACKER.NOT_FOUND".
func isNotFoundCode(code string) bool {
	code = strings.ToUpper(strings.TrimSpace(code))
	return code == "NOT_FOUND" || strings.HasSuffix(code, ".NOT_FOUND")
}

// detail is "CODE: message", or whichever of the two is present.
func detail(e APIError) string {
	code, msg := strings.TrimSpace(e.Code), strings.TrimSpace(e.Message)
	if code != "" && msg != "" {
		return code + ": " + msg
	}
	return code + msg
}

// colon prefixes a non-empty detail with ": ".
func colon(s string) string {
	if s == "" {
		return ""
	}
	return ": " + s
}
