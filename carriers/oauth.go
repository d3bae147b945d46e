package carriers

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// OAuth is a carrier's OAuth 2.0 client-credentials grant (UPS, FedEx,
// USPS).
type OAuth struct {
	TokenURL     string
	ClientID     string
	ClientSecret string
	// InHeader sends the client's id and secret as HTTP Basic auth
	// (client_secret_basic, as UPS wants); otherwise they go in the form
	// body (FedEx, USPS).
	InHeader bool
	Scopes   []string
	// ErrorDetail reads the carrier's explanation from the body of a
	// refused token request, for carriers whose token endpoint answers in
	// their own error format. When it is nil or finds nothing, the
	// standard error and error_description fields (RFC 6749 §5.2) are used.
	ErrorDetail func(body []byte) string
}

// Client returns an HTTP client that sends a bearer token with every
// request. The token is fetched on first use, cached, and fetched again a
// little before it expires; concurrent requests that find it expired wait
// for one refresh rather than each asking the carrier. A request answered
// 401 drops the token it carried, so the next request fetches a new one: a
// carrier may revoke a token before its time.
//
// A refused token request fails the request with an *HTTPError: "credentials
// refused" for 401 and 403, Retry-After kept, and the carrier's
// explanation with the client secret blanked. oauth2's own error would
// quote the token endpoint's whole body, which may echo the secret.
//
// base carries the transport and timeout for both the token and the
// tracking requests; a nil base uses http.DefaultClient.
func (o OAuth) Client(base *http.Client) *http.Client {
	if base == nil {
		base = http.DefaultClient
	}
	style := oauth2.AuthStyleInParams
	if o.InHeader {
		style = oauth2.AuthStyleInHeader
	}
	t := &bearer{
		cfg: clientcredentials.Config{
			ClientID:     o.ClientID,
			ClientSecret: o.ClientSecret,
			TokenURL:     o.TokenURL,
			Scopes:       o.Scopes,
			AuthStyle:    style,
		},
		hc:     base,
		next:   base.Transport,
		detail: o.ErrorDetail,
		secret: o.ClientSecret,
	}
	if t.next == nil {
		t.next = http.DefaultTransport
	}
	return &http.Client{Transport: t, Timeout: base.Timeout}
}

// bearer is the transport OAuth.Client returns: it adds the cached token to
// each request and keeps the cache honest.
type bearer struct {
	cfg    clientcredentials.Config
	hc     *http.Client
	next   http.RoundTripper
	detail func(body []byte) string
	secret string

	// mu is held across a token fetch, so concurrent requests wait for
	// one fetch instead of each making their own.
	mu  sync.Mutex
	tok *oauth2.Token
}

// RoundTrip sends req with a bearer token. As a RoundTripper it closes
// req.Body even when no request goes out.
func (b *bearer) RoundTrip(req *http.Request) (*http.Response, error) {
	tok, err := b.token(req.Context())
	if err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, err
	}
	out := req.Clone(req.Context())
	tok.SetAuthHeader(out)
	resp, err := b.next.RoundTrip(out)
	if err == nil && resp.StatusCode == http.StatusUnauthorized {
		b.drop(tok)
	}
	return resp, err
}

// token returns the cached token, fetching a new one when there is none or
// it is about to expire.
func (b *bearer) token(ctx context.Context) (*oauth2.Token, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.tok.Valid() {
		return b.tok, nil
	}
	tok, err := b.cfg.Token(context.WithValue(ctx, oauth2.HTTPClient, b.hc))
	if err != nil {
		return nil, b.refused(err)
	}
	b.tok = tok
	return tok, nil
}

// drop forgets tok unless another request has already replaced it.
func (b *bearer) drop(tok *oauth2.Token) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.tok == tok {
		b.tok = nil
	}
}

// refused turns a token endpoint's error answer into an *HTTPError. Other
// errors (the endpoint unreachable, the context done) pass unchanged.
func (b *bearer) refused(err error) error {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.Response == nil {
		return err
	}
	var detail string
	if b.detail != nil {
		detail = b.detail(re.Body)
	}
	if strings.TrimSpace(detail) == "" {
		detail = joinNonBlank(": ", re.ErrorCode, re.ErrorDescription)
	}
	answer := Response{Code: re.Response.StatusCode, Header: re.Response.Header}
	return answer.Err(redact(detail, []string{b.secret}))
}

// joinNonBlank joins the parts that are not blank with sep.
func joinNonBlank(sep string, parts ...string) string {
	kept := make([]string, 0, len(parts))
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, sep)
}
