package sim

import (
	"net/http"
	"slices"
	"time"
)

// Faults are the shares (0 to 1) of tracking answers and pushes that go
// wrong, each in one way.
type Faults struct {
	// RateLimited answers 429 with Retry-After.
	RateLimited float64
	// ServerError answers 500.
	ServerError float64
	// Timeout gives no answer until the client gives up.
	Timeout float64
	// Truncated answers 200 with the body cut off half way.
	Truncated float64
	// Malformed answers 200 with a body that is not JSON.
	Malformed float64
	// Duplicated repeats one event of a history, or delivers a push twice.
	Duplicated float64
	// Disordered sends a history in no order, or delivers a push after the
	// next one.
	Disordered float64
}

// DemoFaults are what `wismo demo` runs with: rare enough to leave the desk
// useful, frequent enough that feed health always has something to show.
func DemoFaults() Faults {
	return Faults{RateLimited: 0.01, ServerError: 0.005, Timeout: 0.001, Truncated: 0.002, Malformed: 0.002,
		Duplicated: 0.05, Disordered: 0.05}
}

// chance is true with probability p.
func (s *Server) chance(p float64) bool {
	if p <= 0 {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rand.Float64() < p
}

// answer is a tracking handler's reply before faults are applied.
type answer func(r *http.Request) (code int, body []byte)

// faulty serves an answer through the fault injector.
func (s *Server) faulty(a answer) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f := s.opts.Faults
		switch {
		case s.chance(f.RateLimited):
			w.Header().Set("Retry-After", "1")
			writeJSON(w, http.StatusTooManyRequests, map[string]string{"error": "Too many requests, slow down"})
			return
		case s.chance(f.ServerError):
			writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "Internal server error"})
			return
		case s.chance(f.Timeout):
			select {
			case <-r.Context().Done():
			case <-time.After(time.Minute):
			}
			return
		}
		code, body := a(r)
		switch {
		case code == http.StatusOK && s.chance(f.Truncated):
			body = body[:len(body)/2]
		case code == http.StatusOK && s.chance(f.Malformed):
			body = []byte("<html><body>502 Bad Gateway</body></html>")
		}
		// A cut or garbled body still claims to be JSON, as broken
		// gateways' answers do.
		writeBody(w, code, "application/json", body)
	}
}

// disorder applies the history faults to a parcel's visible steps: one step
// repeated, or all of them shuffled. The result is a copy.
func (s *Server) disorder(steps []Step) []Step {
	out := slices.Clone(steps)
	if s.chance(s.opts.Faults.Duplicated) {
		s.mu.Lock()
		i := s.rand.IntN(len(out))
		s.mu.Unlock()
		out = slices.Insert(out, i, out[i])
	}
	if s.chance(s.opts.Faults.Disordered) {
		s.mu.Lock()
		s.rand.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
		s.mu.Unlock()
	}
	return out
}
