package usps

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/wismo/wismo/carriers"
)

// answerError turns a non-2xx answer into the error Track reports:
// carriers.ErrNotFound for a 404 or a client error whose code says "not
// found", else a *carriers.HTTPError carrying USPS's message.
func answerError(resp carriers.Response) error {
	msg := readErrorMessage(resp.Body)
	text := msg.text()
	if resp.Code == http.StatusNotFound || (resp.Code < 500 && msg.notFound()) {
		if text == "" {
			return carriers.ErrNotFound
		}
		return fmt.Errorf("%w: %s", carriers.ErrNotFound, text)
	}
	return resp.Err(text)
}

// readErrorMessage decodes an error body as far as it goes. A gateway's
// HTML page or a field of the wrong type must not hide the status, so the
// decode error is deliberately ignored.
func readErrorMessage(body []byte) ErrorMessage {
	var m ErrorMessage
	_ = json.Unmarshal(body, &m)
	return m
}

// text is USPS's explanation: the message (or the code when there is no
// message), then each detail that says something more.
func (m ErrorMessage) text() string {
	parts := []string{strings.TrimSpace(m.Error.Message)}
	if parts[0] == "" {
		parts[0] = strings.TrimSpace(m.Error.Code)
	}
	for _, e := range m.Error.Errors {
		d := strings.TrimSpace(e.Detail)
		if d == "" {
			d = strings.TrimSpace(e.Title)
		}
		if !slices.Contains(parts, d) {
			parts = append(parts, d)
		}
	}
	return strings.Join(slices.DeleteFunc(parts, func(p string) bool { return p == "" }), "; ")
}

// notFound reports whether an error code says the number is unknown:
// "404", or a name such as "NOT_FOUND" or "TrackingNotFound".
func (m ErrorMessage) notFound() bool {
	codes := []string{m.Error.Code}
	for _, e := range m.Error.Errors {
		codes = append(codes, e.Code, e.Status)
	}
	for _, c := range codes {
		c = strings.ToLower(strings.NewReplacer("_", "", "-", "", " ", "").Replace(c))
		if c == "404" || strings.Contains(c, "notfound") {
			return true
		}
	}
	return false
}
