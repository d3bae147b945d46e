package sim

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/http"
	"slices"
	"time"
)

// Helpers the carrier formats share: how a history is listed, how an
// answer is encoded, who may ask, and the ids and signatures they make up.

// newestFirst renders steps latest first, as most carriers list a history.
func newestFirst[T any](steps []Step, render func(Step) T) []T {
	out := make([]T, 0, len(steps))
	for i := len(steps) - 1; i >= 0; i-- {
		out = append(out, render(steps[i]))
	}
	return out
}

// oldestFirst renders steps in the order they happened, as the
// aggregators list them.
func oldestFirst[T any](steps []Step, render func(Step) T) []T {
	out := make([]T, 0, len(steps))
	for _, st := range steps {
		out = append(out, render(st))
	}
	return out
}

// current is the step a carrier reports as the parcel's status: the latest
// one that is not mere news about the delivery date. A journey's first step
// is never such news, so there always is one.
func current(steps []Step) Step {
	var cur Step
	for _, st := range steps {
		if st.Kind != ETARevised && !st.At.Before(cur.At) {
			cur = st
		}
	}
	return cur
}

// ended reports whether the parcel reached its recipient.
func ended(steps []Step) bool {
	k := current(steps).Kind
	return k == Delivered || k == Collected
}

// etaBefore is the delivery date the parcel had before the newest instant
// of steps, and whether an ETARevised step at that instant changed it: what
// an aggregator reports as the previous value of its ETA.
func (p *Parcel) etaBefore(steps []Step) (time.Time, bool) {
	newest := slices.MaxFunc(steps, func(a, b Step) int { return a.At.Compare(b.At) }).At
	var before []Step
	revised := false
	for _, st := range steps {
		switch {
		case st.At.Before(newest):
			before = append(before, st)
		case st.Kind == ETARevised:
			revised = true
		}
	}
	old := p.ETA(before)
	return old, revised && !old.Equal(p.ETA(steps))
}

// jsonAnswer encodes v as a tracking answer. The simulator's own values
// always encode, so an error is a bug worth a 500.
func jsonAnswer(code int, v any) (int, []byte) {
	body, err := json.Marshal(v)
	if err != nil {
		return http.StatusInternalServerError, []byte(`{"error":"` + err.Error() + `"}`)
	}
	return code, body
}

// oauthFormat is a carrier API behind an OAuth client-credentials token:
// issueToken answers tokenPath, and trackRoute answers through the fault
// injector only requests carrying a live token; others get refuse's
// answer, in the carrier's own error shape. The token endpoint is never
// faulty, so faults stay about tracking.
func oauthFormat(carrier, tokenPath, trackRoute string, track func(*Server, *http.Request) (int, []byte), refuse func() (int, []byte)) format {
	return format{carrier: carrier, routes: func(s *Server, mux *http.ServeMux) {
		mux.HandleFunc("POST "+tokenPath, s.issueToken)
		mux.HandleFunc(trackRoute, s.faulty(func(r *http.Request) (int, []byte) {
			if !s.bearer(r) {
				return refuse()
			}
			return track(s, r)
		}))
	}}
}

// hmacSHA256 is the MAC both aggregators sign their webhooks with.
func hmacSHA256(key string, body []byte) []byte {
	h := hmac.New(sha256.New, []byte(key))
	h.Write(body)
	return h.Sum(nil)
}

// idOf makes a stable, opaque id from parts, so a parcel keeps its
// tracker id across polls and a delivery keeps its event id across retries.
func idOf(parts ...any) string {
	h := fnv.New128a()
	fmt.Fprintln(h, parts...)
	return fmt.Sprintf("%x", h.Sum(nil))
}
