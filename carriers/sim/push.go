package sim

import (
	"bytes"
	"cmp"
	"context"
	"net/http"
	"time"
)

// pushFormat is one aggregator's tracking webhook.
type pushFormat struct {
	// body renders a parcel's visible steps as one delivery.
	body func(p *Parcel, steps []Step) ([]byte, error)
	// sign returns the signature header for a body signed with secret.
	sign func(secret string, body []byte) (header, value string)
}

// pushFormats are the webhooks the pusher speaks, by provider.
var pushFormats = map[string]pushFormat{"easypost": easypostPush, "aftership": aftershipPush}

// delivery is one signed webhook call.
type delivery struct {
	provider, header, signature string
	body                        []byte
}

// push runs a push round every PushEvery until ctx ends.
func (s *Server) push(ctx context.Context) {
	tick := time.NewTicker(cmp.Or(s.opts.PushEvery, 500*time.Millisecond))
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			s.Push(ctx)
		}
	}
}

// Push posts each aggregator-fed parcel's news since the last round to
// Options.PushURL and returns how many deliveries the desk took. A delivery
// the desk does not take (not 2xx, or no answer) is sent again the next
// round, with whatever news came since. Faults repeat a delivery, or hold one back to arrive after the
// next round's. Start runs rounds on its own; a test with a clock of its
// own calls Push after moving it.
func (s *Server) Push(ctx context.Context) int {
	s.pushMu.Lock()
	defer s.pushMu.Unlock()
	held := s.late
	s.late = nil
	now, took := s.now(), 0
	for _, p := range s.world.pushed {
		steps := p.Visible(now)
		f, ok := pushFormats[p.Feed]
		if !ok || len(steps) <= s.sent[p] {
			continue
		}
		d, err := s.delivery(p, f, steps)
		if err != nil {
			s.log.Error("push not built", "tracking", p.TrackingNumber, "err", err)
			continue
		}
		if s.chance(s.opts.Faults.Disordered) {
			s.late, s.sent[p] = append(s.late, d), len(steps)
			continue
		}
		if s.post(ctx, d) {
			s.sent[p] = len(steps)
			took++
			if s.chance(s.opts.Faults.Duplicated) {
				s.post(ctx, d)
			}
		}
	}
	for _, d := range held {
		if s.post(ctx, d) {
			took++
		} else {
			s.late = append(s.late, d) // not taken: again next round
		}
	}
	return took
}

func (s *Server) delivery(p *Parcel, f pushFormat, steps []Step) (delivery, error) {
	body, err := f.body(p, s.disorder(steps))
	if err != nil {
		return delivery{}, err
	}
	header, sig := f.sign(s.opts.PushSecrets[p.Feed], body)
	return delivery{provider: p.Feed, header: header, signature: sig, body: body}, nil
}

// post delivers one webhook and reports whether the desk took it.
func (s *Server) post(ctx context.Context, d delivery) bool {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.opts.PushURL+"/webhooks/"+d.provider, bytes.NewReader(d.body))
	if err != nil {
		s.log.Error("push", "provider", d.provider, "err", err)
		return false
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(d.header, d.signature)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.log.Warn("push not delivered", "provider", d.provider, "err", err)
		return false
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		s.log.Warn("push refused", "provider", d.provider, "status", resp.StatusCode)
		return false
	}
	return true
}
