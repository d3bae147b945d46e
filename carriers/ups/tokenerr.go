package ups

import (
	"errors"
	"net/http"
	"strings"

	"golang.org/x/oauth2"

	"github.com/wismo/wismo/carriers"
)

// tokenErrors turns a failed token fetch into a *carriers.HTTPError before
// http.Client wraps it. oauth2's own error prints the token endpoint's
// whole body, which may echo the credentials; this one says "credentials
// refused" for 401 and 403, carries Retry-After for 429 and 5xx, and lets
// the tracker tell a rejected key from a busy server by Temporary.
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

// RoundTrip sends req, translating a token endpoint's error answer.
func (t tokenErrors) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.Response == nil {
		return resp, err
	}
	answer := carriers.Response{Code: re.Response.StatusCode, Header: re.Response.Header, Body: re.Body}
	detail := join(errorMessages(re.Body))
	if detail == "" {
		detail = strings.TrimSpace(re.ErrorCode + " " + re.ErrorDescription)
	}
	if t.secret != "" {
		detail = strings.ReplaceAll(detail, t.secret, "[redacted]")
	}
	return nil, answer.Err(detail)
}
