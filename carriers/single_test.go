package carriers

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestTrackSingleClassifies(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		perNumber bool
	}{
		{"not found", fmt.Errorf("no data: %w", ErrNotFound), true},
		{"400", &HTTPError{Code: 400}, true},
		{"404", &HTTPError{Code: 404}, true},
		{"422 invalid code", &HTTPError{Code: 422, Detail: "TRACKER.CREATE.ERROR"}, true},
		{"401", &HTTPError{Code: 401}, false},
		{"403", &HTTPError{Code: 403}, false},
		{"408", &HTTPError{Code: 408}, false},
		{"429", &HTTPError{Code: 429}, false},
		{"500", &HTTPError{Code: 500}, false},
		{"503", &HTTPError{Code: 503}, false},
		{"token refused with 400", &tokenError{err: &HTTPError{Code: 400}}, false},
		{"transport", context.DeadlineExceeded, false},
		{"malformed body", errors.New("malformed response"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			track := func(context.Context, string) ([]Shipment, error) { return nil, tt.err }
			res, err := TrackSingle(context.Background(), "dhl", []string{"N1"}, track)
			got := err
			if tt.perNumber {
				if err != nil || len(res) != 1 || res[0].TrackingNumber != "N1" {
					t.Fatalf("TrackSingle = %+v, %v; want the number's own error", res, err)
				}
				got = res[0].Err
			} else if res != nil {
				t.Fatalf("TrackSingle = %+v, %v; want a request error", res, err)
			}
			if !errors.Is(got, tt.err) || !strings.HasPrefix(got.Error(), `dhl: track "N1": `) {
				t.Errorf("err = %v, want %v prefixed with the carrier and number", got, tt.err)
			}
		})
	}
}

func TestTrackSingleAnswers(t *testing.T) {
	want := []Shipment{{Carrier: "dhl", TrackingNumber: "N1"}}
	var asked string
	track := func(_ context.Context, number string) ([]Shipment, error) {
		asked = number
		return want, nil
	}
	res, err := TrackSingle(context.Background(), "dhl", []string{"N1"}, track)
	if err != nil || len(res) != 1 || res[0].Err != nil || len(res[0].Shipments) != 1 || asked != "N1" {
		t.Errorf("TrackSingle = %+v, %v after asking about %q", res, err, asked)
	}
	for _, numbers := range [][]string{nil, {"A", "B"}} {
		if _, err := TrackSingle(context.Background(), "dhl", numbers, track); err == nil {
			t.Errorf("TrackSingle(%q): want an error", numbers)
		}
	}
}

func TestUnreadableAnswersAreTheNumbers(t *testing.T) {
	res, err := TrackSingle(context.Background(), "dhl", []string{"N1"},
		func(context.Context, string) ([]Shipment, error) {
			return nil, Unreadable(errors.New("malformed response: unexpected end of JSON input"))
		})
	if err != nil || len(res) != 1 || !errors.Is(res[0].Err, ErrUnreadable) {
		t.Errorf("TrackSingle = %+v, %v; want the number's own error", res, err)
	}
}
