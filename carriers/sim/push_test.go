package sim

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/carriers/aftership"
	"github.com/wismo/wismo/carriers/easypost"
)

var (
	pushSecrets = map[string]string{"easypost": "sim-easypost-sécret", "aftership": "sim-aftership-secret"}
	webhooks    = map[string]carriers.Webhook{"easypost": easypost.Webhook{}, "aftership": aftership.Webhook{}}
)

// receiver is the desk's side of the webhooks: it checks every delivery
// with the provider's real verifier and parser and keeps what it learnt.
type receiver struct {
	t  *testing.T
	mu sync.Mutex
	// last is the newest shipment pushed per tracking number.
	last map[string]carriers.Shipment
	ids  map[string]bool
	// revised holds the numbers of EasyPost events that named an old ETA.
	revised map[string]bool
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	provider := r.PathValue("provider")
	body, _ := io.ReadAll(r.Body)
	wh := webhooks[provider]
	if err := wh.Verify(r.Header, body, []string{"not-the-secret"}); !errors.Is(err, carriers.ErrSignature) {
		rc.t.Errorf("%s: a wrong secret verifies: %v", provider, err)
	}
	if err := wh.Verify(r.Header, body, []string{pushSecrets[provider]}); err != nil {
		rc.t.Errorf("%s: %v", provider, err)
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	d, err := wh.Parse(body)
	if err != nil || len(d.Shipments) != 1 {
		rc.t.Errorf("%s: %d shipments, %v", provider, len(d.Shipments), err)
		return
	}
	var ev easypost.Event
	json.Unmarshal(body, &ev)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.ids[d.ID] {
		rc.t.Errorf("%s: delivery id %q sent twice", provider, d.ID)
	}
	rc.ids[d.ID] = true
	rc.last[d.Shipments[0].TrackingNumber] = d.Shipments[0]
	rc.revised[ev.Result.TrackingCode] = rc.revised[ev.Result.TrackingCode] || ev.PreviousAttributes != nil
}

// events is how many events the newest push about a number carried.
func (rc *receiver) events(number string) int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return len(rc.last[number].Events)
}

// pushedWorld has a few parcels of each aggregator, with troubles that
// revise the delivery date and end in a return.
func pushedWorld() *World {
	r := rand.New(rand.NewPCG(13, 14))
	w := &World{parcels: map[string]*Parcel{}}
	n := 200
	for _, tr := range []Trouble{TroubleNone, TroubleCustoms, TroubleRefused, TroubleNoPickup} {
		for _, c := range [][2]string{{"gls", "easypost"}, {"dpd", "aftership"}} {
			p := testParcel(r, c[0], n, tr)
			p.Feed = c[1]
			w.parcels[p.TrackingNumber] = p
			w.pushed = append(w.pushed, p)
			n++
		}
	}
	return w
}

// The pusher posts each step as it comes due, signed so the real verifier
// takes it, and the last push about a parcel tells its whole journey.
func TestPushesEndAsPlanned(t *testing.T) {
	w := pushedWorld()
	rc := &receiver{t: t, last: map[string]carriers.Shipment{}, ids: map[string]bool{}, revised: map[string]bool{}}
	mux := http.NewServeMux()
	mux.Handle("POST /webhooks/{provider}", rc)
	desk := httptest.NewServer(mux)
	t.Cleanup(desk.Close)
	var clock atomic.Int64
	clock.Store(epoch.Add(-time.Hour).Unix())
	s := NewServer(w, func() time.Time { return time.Unix(clock.Load(), 0).UTC() },
		Options{PushURL: desk.URL, PushSecrets: pushSecrets, PushEvery: 10 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if err := s.Start(ctx); err != nil {
		t.Fatal(err)
	}
	// Walk the clock over every step, waiting each time for the news.
	for _, at := range stepTimes(w.pushed) {
		clock.Store(at.Unix())
		waitForPushes(t, rc, w.pushed, at)
	}
	for _, p := range w.pushed {
		checkLastPush(t, rc, p)
	}
}

// stepTimes are the distinct instants of the parcels' steps, in order.
func stepTimes(parcels []*Parcel) []time.Time {
	var out []time.Time
	for _, p := range parcels {
		for _, st := range p.Steps {
			out = append(out, st.At)
		}
	}
	slices.SortFunc(out, time.Time.Compare)
	return slices.Compact(out)
}

// waitForPushes waits, at most a few seconds, until every parcel's newest
// push tells all its steps due by now.
func waitForPushes(t *testing.T, rc *receiver, parcels []*Parcel, now time.Time) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for _, p := range parcels {
		for want := len(p.Visible(now)); rc.events(p.TrackingNumber) < want; {
			if time.Now().After(deadline) {
				t.Fatalf("%s: %d events pushed by %v, want %d", p.TrackingNumber, rc.events(p.TrackingNumber), now, want)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
}

func checkLastPush(t *testing.T, rc *receiver, p *Parcel) {
	t.Helper()
	rc.mu.Lock()
	s := rc.last[p.TrackingNumber]
	revised := rc.revised[p.TrackingNumber]
	rc.mu.Unlock()
	name := p.Feed + " " + string(p.Trouble)
	if s.Carrier != p.Carrier {
		t.Errorf("%s: carrier %q, want %q", name, s.Carrier, p.Carrier)
	}
	seen := statuses(t, name, p, s)
	if last := seen[len(seen)-1]; !slices.Contains(journeyEnds[p.Trouble], last) {
		t.Errorf("%s: ends %s, want one of %v (timeline %v)", name, last, journeyEnds[p.Trouble], seen)
	}
	if eta := p.ETA(p.Steps); !s.EstimatedDelivery.Equal(eta) {
		t.Errorf("%s: ETA %v, want %v", name, s.EstimatedDelivery, eta)
	}
	if p.Feed == "easypost" && revised != (p.Trouble == TroubleCustoms) {
		t.Errorf("%s: previous ETA sent %v, want it only for the revised date", name, revised)
	}
}
