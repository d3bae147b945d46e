package carriers

import (
	"context"
	"net/http"

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
}

// Client returns an HTTP client that sends a bearer token with every
// request. The token is fetched on first use, cached, and fetched again a
// little before it expires; concurrent requests that find it expired wait
// for one refresh rather than each asking the carrier (the token source
// holds a lock across the refresh). base carries the transport and
// timeout for both the token and the tracking requests; a nil base uses
// http.DefaultClient.
func (o OAuth) Client(base *http.Client) *http.Client {
	if base == nil {
		base = http.DefaultClient
	}
	style := oauth2.AuthStyleInParams
	if o.InHeader {
		style = oauth2.AuthStyleInHeader
	}
	cfg := clientcredentials.Config{
		ClientID:     o.ClientID,
		ClientSecret: o.ClientSecret,
		TokenURL:     o.TokenURL,
		Scopes:       o.Scopes,
		AuthStyle:    style,
	}
	// The token source keeps this context for every refresh; it only
	// carries which HTTP client to use.
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, base)
	return &http.Client{
		Transport: &oauth2.Transport{Source: cfg.TokenSource(ctx), Base: base.Transport},
		Timeout:   base.Timeout,
	}
}
