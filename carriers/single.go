package carriers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// TrackSingle is Tracker.Track for a carrier whose API takes one tracking
// number per request (MaxBatch 1): numbers must hold exactly one, and
// track asks about it. An error about the number rather than the feed
// (see NumberError) becomes the number's Result.Err, so a mistyped
// number never counts against the feed; any other error fails the
// request. Both are prefixed "carrier: track "number": ".
func TrackSingle(ctx context.Context, carrier string, numbers []string,
	track func(ctx context.Context, number string) ([]Shipment, error)) ([]Result, error) {
	if len(numbers) != 1 {
		return nil, fmt.Errorf("%s: one tracking number per request, got %d", carrier, len(numbers))
	}
	number := numbers[0]
	shipments, err := track(ctx, number)
	if err == nil {
		return []Result{{TrackingNumber: number, Shipments: shipments}}, nil
	}
	err = fmt.Errorf("%s: track %q: %w", carrier, number, err)
	if !NumberError(err) {
		return nil, err
	}
	return []Result{{TrackingNumber: number, Err: err}}, nil
}

// ErrUnreadable marks a carrier's 2xx answer that could not be read: cut
// short, not JSON, or not the documented shape. Asked about one number, it
// is that number's error: the parcel is asked again on its own backoff, and
// the answer does not count against the feed's breaker, so one odd record
// cannot pause a carrier for every parcel.
var ErrUnreadable = errors.New("unreadable answer")

// Unreadable marks a parse error of a 2xx answer as ErrUnreadable.
func Unreadable(err error) error { return fmt.Errorf("%w: %w", ErrUnreadable, err) }

// NumberError reports whether err is about the tracking number asked
// rather than the feed: ErrNotFound, an unreadable answer about it
// (ErrUnreadable), or a carrier's answer with a 4xx
// status (a 400 or 422 for a malformed number) other than 401 and 403
// (credentials), 408 (a timeout) and 429 (busy). A refused token request
// is about the credentials whatever its status.
func NumberError(err error) bool {
	if errors.Is(err, ErrNotFound) || errors.Is(err, ErrUnreadable) {
		return true
	}
	var te *tokenError
	var he *HTTPError
	if errors.As(err, &te) || !errors.As(err, &he) {
		return false
	}
	switch he.Code {
	case http.StatusUnauthorized, http.StatusForbidden, http.StatusRequestTimeout, http.StatusTooManyRequests:
		return false
	}
	return he.Code >= 400 && he.Code < 500
}
