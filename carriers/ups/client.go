package ups

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/wismo/wismo/carriers"
)

// defaultTimeout bounds a request when the caller supplies no http.Client.
const defaultTimeout = 10 * time.Second

// Config says where UPS is and who is asking.
type Config struct {
	// BaseURL is "https://onlinetools.ups.com", "https://wwwcie.ups.com"
	// (UPS's test environment) or the demo simulator's address.
	BaseURL string
	// TokenURL defaults to BaseURL + "/security/v1/oauth/token".
	TokenURL     string
	ClientID     string
	ClientSecret string
	// TransactionSrc names the calling application in UPS's logs; it
	// defaults to "wismo".
	TransactionSrc string
}

// Client asks the UPS Track API v1 about parcels. It is a carriers.Tracker
// and is safe for concurrent use; all its requests share one OAuth token.
type Client struct {
	cfg Config
	hc  *http.Client
}

var _ carriers.Tracker = (*Client)(nil)

// New returns a Client for cfg. hc carries the transport and timeout for
// both the token and the tracking requests; a nil hc gets a 10 s timeout.
func New(cfg Config, hc *http.Client) *Client {
	if hc == nil {
		hc = &http.Client{Timeout: defaultTimeout}
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if cfg.TokenURL == "" {
		cfg.TokenURL = cfg.BaseURL + "/security/v1/oauth/token"
	}
	if cfg.TransactionSrc == "" {
		cfg.TransactionSrc = "wismo"
	}
	oauth := carriers.OAuth{
		TokenURL:     cfg.TokenURL,
		ClientID:     cfg.ClientID,
		ClientSecret: cfg.ClientSecret,
		InHeader:     true, // UPS wants client_secret_basic
		ErrorDetail:  func(body []byte) string { return join(errorMessages(body)) },
	}
	return &Client{cfg: cfg, hc: oauth.Client(hc)}
}

// Carrier returns "ups".
func (c *Client) Carrier() string { return Carrier }

// MaxBatch is 1: the details endpoint takes one inquiry number per request.
func (c *Client) MaxBatch() int { return 1 }

// Track fetches and normalizes one inquiry number (numbers holds exactly
// one); a multi-piece shipment gives one Shipment per package. A number UPS
// does not know, or refuses as malformed, is a Result with its own error
// (carriers.TrackSingle). Errors start with "ups:", name the number, and
// never contain the client secret.
func (c *Client) Track(ctx context.Context, numbers []string) ([]carriers.Result, error) {
	return carriers.TrackSingle(ctx, Carrier, numbers, c.track)
}

func (c *Client) track(ctx context.Context, number string) ([]carriers.Shipment, error) {
	req, err := c.newRequest(ctx, number)
	if err != nil {
		return nil, err
	}
	resp, err := carriers.Do(c.hc, req, c.cfg.ClientSecret)
	if err != nil {
		return nil, err
	}
	if !resp.OK() {
		return nil, errorAnswer(resp)
	}
	inquiries, err := parseResponse(resp.Body)
	if err != nil {
		return nil, carriers.Unreadable(err)
	}
	return pick(inquiries, number)
}

// newRequest builds the details GET. transId must be unique per request,
// which 128 random bits (26 base32 characters) are; UPS logs it, so it is
// what to quote when asking UPS about one answer.
func (c *Client) newRequest(ctx context.Context, number string) (*http.Request, error) {
	u := c.cfg.BaseURL + "/api/track/v1/details/" + url.PathEscape(number) + "?locale=en_US&returnMilestones=false"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("transId", rand.Text())
	req.Header.Set("transactionSrc", c.cfg.TransactionSrc)
	req.Header.Set("Accept", "application/json")
	return req, nil
}

// notFoundCodes are the UPS codes that mean "no such parcel" rather than a
// failing feed. TW0001 (Tracking Information Not Found) is UPS saying it has
// no data yet, normal for a fresh label, whether it comes as a warning in a
// 200 or as an error with 404. TV1002 (Invalid inquiry number) is a number
// UPS will never know, usually a typo in the order: it concerns that parcel
// alone and must not make the whole UPS feed look broken.
var notFoundCodes = []string{"TW0001", "TV1002"}

// errorAnswer turns an error status into carriers.ErrNotFound when UPS's
// code says the number is unknown, else into a *carriers.HTTPError whose
// Detail is UPS's code and message.
func errorAnswer(resp carriers.Response) error {
	msgs := errorMessages(resp.Body)
	if slices.ContainsFunc(msgs, isNotFound) {
		return fmt.Errorf("%w: %s", carriers.ErrNotFound, join(msgs))
	}
	return resp.Err(join(msgs))
}

// errorMessages reads an ErrorResponse body; a body of another shape (an
// HTML gateway page) has none.
func errorMessages(body []byte) []Message {
	var e ErrorResponse
	if json.Unmarshal(body, &e) != nil {
		return nil
	}
	return e.Response.Errors
}

func isNotFound(m Message) bool {
	return slices.Contains(notFoundCodes, strings.ToUpper(strings.TrimSpace(m.Code)))
}

// join renders messages as "TV1002 Invalid inquiry number; ...".
func join(msgs []Message) string {
	parts := make([]string, 0, len(msgs))
	for _, m := range msgs {
		if s := strings.TrimSpace(strings.TrimSpace(m.Code) + " " + strings.TrimSpace(m.Message)); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, "; ")
}

// pick keeps the packages of the inquiry asked about. An inquiry without a
// number (UPS's not-found shape) counts as ours, since we asked about one
// number; an answer only about other numbers is an error, not "not found".
func pick(inquiries []inquiry, number string) ([]carriers.Shipment, error) {
	want := strings.TrimSpace(number)
	var packages []carriers.Shipment
	var warnings []Message
	ours := 0
	for _, inq := range inquiries {
		if inq.number != "" && !strings.EqualFold(inq.number, want) {
			continue
		}
		ours++
		packages = append(packages, inq.packages...)
		warnings = append(warnings, inq.warnings...)
	}
	switch {
	case len(inquiries) > 0 && ours == 0:
		return nil, fmt.Errorf("response has %d shipments, none for this number", len(inquiries))
	case len(packages) == 0 && len(warnings) > 0:
		return nil, fmt.Errorf("%w: %s", carriers.ErrNotFound, join(warnings))
	case len(packages) == 0:
		return nil, carriers.ErrNotFound
	}
	return packages, nil
}
