package carriers

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// MaxBody caps how much of a carrier's response is read: a real answer is a
// few KiB (a FedEx batch of 30 some hundred), so anything past 1 MiB is a
// misbehaving server, not tracking data.
const MaxBody = 1 << 20

// ErrTooLarge reports a response body over MaxBody.
var ErrTooLarge = errors.New("response larger than 1 MiB")

// Response is a carrier's answer, read whole and with secrets blanked.
type Response struct {
	Code   int
	Header http.Header
	Body   []byte
}

// Do sends req and reads the answer, at most MaxBody bytes of it. In an
// error answer every secret (an API key, a client secret) is replaced by
// "[redacted]" wherever the server echoed it, so no error built from the
// body can carry it into a log or onto a screen. A 2xx body is tracking
// data and is left exactly as sent. A refused token request (see
// OAuth.Client) is an *HTTPError reading "token: HTTP 401 …".
func Do(hc *http.Client, req *http.Request, secrets ...string) (Response, error) {
	resp, err := hc.Do(req)
	if err != nil {
		return Response{}, transportErr(err, secrets)
	}
	defer resp.Body.Close()
	// One byte over the cap tells a body of exactly MaxBody from a longer one.
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody+1))
	if err != nil {
		return Response{}, fmt.Errorf("HTTP %d: reading body: %w", resp.StatusCode, err)
	}
	if len(body) > MaxBody {
		return Response{}, fmt.Errorf("HTTP %d: %w", resp.StatusCode, ErrTooLarge)
	}
	ok := resp.StatusCode >= 200 && resp.StatusCode < 300
	for _, s := range secrets {
		if s != "" && !ok {
			body = bytes.ReplaceAll(body, []byte(s), []byte("[redacted]"))
		}
	}
	return Response{Code: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

// transportErr blanks secrets from a failed round trip: a URL in the
// error may carry a key in its query. The error keeps its type. The only
// *HTTPError a transport returns is OAuth.Client's refused token request;
// it loses the url.Error around it, which would only repeat the tracking
// URL, and is named as the token's.
func transportErr(err error, secrets []string) error {
	var he *HTTPError
	if errors.As(err, &he) {
		clean := *he
		clean.Detail = redact(he.Detail, secrets)
		return &tokenError{err: &clean}
	}
	if msg := redact(err.Error(), secrets); msg != err.Error() {
		return &redactedError{msg: msg, err: err}
	}
	return err
}

// tokenError is a refused token request: an *HTTPError about the
// credentials, whatever its status, never about a tracking number.
type tokenError struct{ err *HTTPError }

func (e *tokenError) Error() string { return "token: " + e.err.Error() }

func (e *tokenError) Unwrap() error { return e.err }

// redact replaces every non-empty secret in s with "[redacted]".
func redact(s string, secrets []string) string {
	for _, secret := range secrets {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, "[redacted]")
		}
	}
	return s
}

// redactedError is an error whose text had a secret blanked. It unwraps to
// the original, so errors.Is(err, context.Canceled) and errors.As still
// see what went wrong.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }

func (e *redactedError) Unwrap() error { return e.err }

// OK reports whether the answer is a 2xx.
func (r Response) OK() bool { return r.Code >= 200 && r.Code < 300 }

// HTTPError is a carrier's answer with an error status.
type HTTPError struct {
	Code int
	// RetryAfter is the wait the carrier asked for in Retry-After (as
	// seconds or an HTTP date), zero when it asked for none.
	RetryAfter time.Duration
	// Detail is the carrier's own explanation, if it gave one. It is left
	// out for 401 and 403, whose bodies may echo credentials.
	Detail string
}

// Error is "HTTP 503 Service Unavailable: detail".
func (e *HTTPError) Error() string {
	msg := fmt.Sprintf("HTTP %d %s", e.Code, http.StatusText(e.Code))
	if e.Code == http.StatusUnauthorized || e.Code == http.StatusForbidden {
		return msg + ": credentials refused"
	}
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

// Temporary reports whether asking again later may succeed: the carrier was
// busy (429), timed out (408) or failed (5xx). Other 4xx answers will not
// change by themselves.
func (e *HTTPError) Temporary() bool {
	return e.Code == http.StatusTooManyRequests || e.Code == http.StatusRequestTimeout || e.Code >= 500
}

// Err turns the answer into an *HTTPError carrying detail, the carrier's
// explanation taken from the body by the caller.
func (r Response) Err(detail string) *HTTPError {
	e := &HTTPError{Code: r.Code, Detail: strings.TrimSpace(detail)}
	if e.Code == http.StatusUnauthorized || e.Code == http.StatusForbidden {
		e.Detail = ""
	}
	e.RetryAfter = retryAfter(r.Header.Get("Retry-After"), time.Now())
	return e
}

// retryAfter reads a Retry-After value: delay seconds or an HTTP date. A
// value that is neither, negative or in the past asks for no wait.
func retryAfter(v string, now time.Time) time.Duration {
	const longest = 24 * time.Hour // a wait past a day is a broken header
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		return time.Duration(min(secs, int64(longest/time.Second))) * time.Second
	}
	if at, err := http.ParseTime(v); err == nil && at.After(now) {
		return min(at.Sub(now), longest)
	}
	return 0
}
