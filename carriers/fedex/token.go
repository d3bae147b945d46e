package fedex

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"golang.org/x/oauth2"

	"github.com/wismo/wismo/carriers"
)

// tokenErrors turns a refused token request into a *carriers.HTTPError,
// so a 401 reads "credentials refused", a 429 or 5xx carries Retry-After
// and is Temporary, and nothing quotes the token endpoint's body, which
// oauth2's own error prints whole and which may echo the secret. It
// translates below http.Client, so the error keeps its type even when
// carriers.Do has a secret to blank.
type tokenErrors struct {
	next   http.RoundTripper
	secret string
}

// withTokenErrors wraps hc's transport (the OAuth one) in tokenErrors.
func withTokenErrors(hc *http.Client, secret string) *http.Client {
	out := *hc
	out.Transport = tokenErrors{next: hc.Transport, secret: secret}
	return &out
}

// RoundTrip sends req, translating the token endpoint's error answer.
func (t tokenErrors) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.Response == nil {
		return resp, err
	}
	detail := bodyErrors(re.Body)
	if t.secret != "" {
		detail = strings.ReplaceAll(detail, t.secret, "[redacted]")
	}
	answer := carriers.Response{Code: re.Response.StatusCode, Header: re.Response.Header}
	return nil, fmt.Errorf("token: %w", answer.Err(detail))
}
