package carrierstest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wismo/wismo/carriers"
)

// Reply is a handler answering with a fixed status and JSON body.
func Reply(code int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_, _ = io.WriteString(w, body)
	}
}

// TrackCancels checks that Track gives up with context.Canceled when its
// context is cancelled while the carrier is still answering. serve starts
// the carrier's server with handler answering tracking requests and
// returns a client for it.
func TrackCancels(t *testing.T, serve func(handler http.HandlerFunc) carriers.Tracker, number string) {
	t.Helper()
	arrived := make(chan struct{})
	c := serve(func(_ http.ResponseWriter, r *http.Request) {
		// The server notices the client hanging up only once the body is read.
		_, _ = io.Copy(io.Discard, r.Body)
		close(arrived)
		<-r.Context().Done()
	})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-arrived
		cancel()
	}()
	done := make(chan error, 1)
	go func() {
		_, err := TrackOne(ctx, c, number)
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Track did not return after cancel")
	}
}

// NumberErr asks c about number and returns the number's own error,
// failing the test unless Track answered with one result for it, that
// result's error set and no request error. The error must start with
// "carrier: track "number": ".
func NumberErr(t *testing.T, c carriers.Tracker, number string) error {
	t.Helper()
	res, err := c.Track(context.Background(), []string{number})
	if err != nil || len(res) != 1 || res[0].TrackingNumber != number || res[0].Err == nil {
		t.Fatalf("Track = %+v, %v; want one result for %q with its own error", res, err, number)
	}
	prefix := c.Carrier() + ": track \"" + number + "\": "
	if !strings.HasPrefix(res[0].Err.Error(), prefix) {
		t.Errorf("result error = %q, want it to start %q", res[0].Err, prefix)
	}
	return res[0].Err
}

// TrackOne asks t about one number and returns its newest shipment (the one
// whose last event is latest), or the request's or the number's error.
func TrackOne(ctx context.Context, t carriers.Tracker, number string) (carriers.Shipment, error) {
	res, err := t.Track(ctx, []string{number})
	if err != nil {
		return carriers.Shipment{}, err
	}
	if len(res) != 1 || res[0].TrackingNumber != number {
		return carriers.Shipment{}, fmt.Errorf("%s: asked about %q, got %d results", t.Carrier(), number, len(res))
	}
	if res[0].Err != nil {
		return carriers.Shipment{}, res[0].Err
	}
	if len(res[0].Shipments) == 0 {
		return carriers.Shipment{}, fmt.Errorf("%s: %q: %w", t.Carrier(), number, carriers.ErrNotFound)
	}
	return slices.MaxFunc(res[0].Shipments, func(a, b carriers.Shipment) int { return a.LastEventTime().Compare(b.LastEventTime()) }), nil
}
