package sim

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/carriers/carrierstest"
	"github.com/wismo/wismo/carriers/dhl"
	"github.com/wismo/wismo/carriers/easypost"
	"github.com/wismo/wismo/carriers/fedex"
	"github.com/wismo/wismo/carriers/ups"
	"github.com/wismo/wismo/carriers/usps"
)

var epoch = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

const (
	testKey    = "sim-test-api-key"
	testClient = "sim-test-client"
)

// pollClients makes a real client of each carrier format the simulator
// speaks, pointed at url, by the carrier (or feed) name parcels carry.
var pollClients = map[string]func(url string) carriers.Tracker{
	"dhl": func(url string) carriers.Tracker { return dhl.New(url, testKey, nil) },
	"easypost": func(url string) carriers.Tracker {
		return easypost.New(easypost.Config{BaseURL: url, APIKey: testKey}, nil)
	},
	"fedex": func(url string) carriers.Tracker {
		return fedex.New(fedex.Config{BaseURL: url, ClientID: testClient, ClientSecret: testKey}, nil)
	},
	"ups": func(url string) carriers.Tracker {
		return ups.New(ups.Config{BaseURL: url, ClientID: testClient, ClientSecret: testKey}, nil)
	},
	"usps": func(url string) carriers.Tracker {
		return usps.New(usps.Config{BaseURL: url, ClientID: testClient, ClientSecret: testKey}, nil)
	},
}

// serve runs the simulator for w on a real loopback server with the clock
// held at *now and the given faults, and returns its URL.
func serve(t *testing.T, w *World, now *time.Time, faults Faults) string {
	t.Helper()
	s := NewServer(w, func() time.Time { return *now }, Options{APIKey: testKey, ClientID: testClient, Faults: faults})
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return srv.URL
}

// testParcel plans one journey with a trouble for a carrier.
func testParcel(r *rand.Rand, carrier string, n int, tr Trouble) *Parcel {
	dest := destinations[0]
	if tr == TroubleCustoms {
		dest = destinations[len(destinations)-1] // Austin, Texas
	}
	p := &Parcel{Carrier: carrier, TrackingNumber: fmt.Sprintf("9400%018d", n), Service: "test", ShippedAt: epoch, Trouble: tr, dest: dest}
	p.Steps, p.PromisedBy = plan(r, epoch, dest, tr)
	return p
}

var troubles = []Trouble{TroubleNone, TroubleAddress, TroubleNotHome, TroubleCustoms, TroubleStall,
	TroubleLost, TroubleDamaged, TroubleRefused, TroublePickup, TroubleNoPickup}

// journeyEnds are the statuses a journey with each trouble may end in.
var journeyEnds = map[Trouble][]carriers.Status{
	TroubleNone:     {carriers.StatusDelivered},
	TroubleAddress:  {carriers.StatusDelivered, carriers.StatusReturning},
	TroubleNotHome:  {carriers.StatusDelivered},
	TroubleCustoms:  {carriers.StatusDelivered},
	TroubleStall:    {carriers.StatusDelivered},
	TroubleDamaged:  {carriers.StatusDelivered},
	TroublePickup:   {carriers.StatusDelivered},
	TroubleLost:     {carriers.StatusInTransit},
	TroubleRefused:  {carriers.StatusReturning},
	TroubleNoPickup: {carriers.StatusException, carriers.StatusExpired, carriers.StatusReturning},
}

// Every journey of every format, read back through the carrier's real
// client at its end, has one event per step at the planned instant, passes
// its trouble's defining status and ends where its trouble should.
func TestJourneysEndAsPlanned(t *testing.T) {
	passes := map[Trouble][]carriers.Status{
		TroubleNotHome: {carriers.StatusAttemptFailed},
		TroubleCustoms: {carriers.StatusException},
		TroubleDamaged: {carriers.StatusException},
		TroublePickup:  {carriers.StatusAvailableForPickup},
		TroubleAddress: {carriers.StatusAttemptFailed, carriers.StatusException},
		TroubleRefused: {carriers.StatusException, carriers.StatusAttemptFailed, carriers.StatusReturning},
	}
	for carrier, client := range pollClients {
		r := rand.New(rand.NewPCG(1, 2))
		for i, tr := range troubles {
			p := testParcel(r, carrier, i, tr)
			w := &World{parcels: map[string]*Parcel{p.TrackingNumber: p}}
			end := p.Steps[len(p.Steps)-1].At
			s, err := carrierstest.TrackOne(context.Background(), client(serve(t, w, &end, Faults{})), p.TrackingNumber)
			if err != nil {
				t.Fatalf("%s %s: %v", carrier, tr, err)
			}
			seen := statuses(t, carrier+" "+string(tr), p, s)
			if last := seen[len(seen)-1]; !slices.Contains(journeyEnds[tr], last) {
				t.Errorf("%s %s: ends %s, want one of %v (timeline %v)", carrier, tr, last, journeyEnds[tr], seen)
			}
			if want, ok := passes[tr]; ok && !slices.ContainsFunc(seen, func(s carriers.Status) bool { return slices.Contains(want, s) }) {
				t.Errorf("%s %s: never one of %v (timeline %v)", carrier, tr, want, seen)
			}
		}
	}
}

// statuses checks a shipment has one event per planned step at its planned
// instant, and returns the statuses the events set, leaving out the
// informational ones.
func statuses(t *testing.T, name string, p *Parcel, s carriers.Shipment) []carriers.Status {
	t.Helper()
	if len(s.Events) != len(p.Steps) {
		t.Errorf("%s: %d events, planned %d", name, len(s.Events), len(p.Steps))
	}
	var seen []carriers.Status
	for i, e := range s.Events {
		if i < len(p.Steps) && !e.Time.Equal(p.Steps[i].At) {
			t.Errorf("%s: event %d at %v, planned %v (local %q)", name, i, e.Time, p.Steps[i].At, e.LocalTime)
		}
		if e.Unmapped {
			t.Errorf("%s: event %d code %q is unmapped", name, i, e.RawCode)
		}
		if e.Status != carriers.StatusUnknown {
			seen = append(seen, e.Status)
		}
	}
	return seen
}

func TestServerRevealsStepsWithTheClock(t *testing.T) {
	for carrier, client := range pollClients {
		p := testParcel(rand.New(rand.NewPCG(3, 4)), carrier, 1, TroubleNone)
		w := &World{parcels: map[string]*Parcel{p.TrackingNumber: p}}
		now := p.Steps[0].At.Add(-time.Minute)
		c := client(serve(t, w, &now, Faults{}))
		if _, err := carrierstest.TrackOne(context.Background(), c, p.TrackingNumber); !errors.Is(err, carriers.ErrNotFound) {
			t.Fatalf("%s before the label: %v, want not found", carrier, err)
		}
		now = p.Steps[2].At
		s, err := carrierstest.TrackOne(context.Background(), c, p.TrackingNumber)
		if err != nil || len(s.Events) != 3 {
			t.Errorf("%s: %d events visible, %v; want 3", carrier, len(s.Events), err)
		}
		if eta := p.ETA(p.Steps[:3]); !s.EstimatedDelivery.Equal(eta) {
			t.Errorf("%s: ETA %v, want %v", carrier, s.EstimatedDelivery, eta)
		}
		if _, err := carrierstest.TrackOne(context.Background(), c, "9400999999999999999999"); !errors.Is(err, carriers.ErrNotFound) {
			t.Errorf("%s unknown number: %v", carrier, err)
		}
	}
}

func TestWrongCredentialsAreRefused(t *testing.T) {
	w := NewWorld(7, 5, epoch)
	now := epoch.Add(30 * 24 * time.Hour)
	url := serve(t, w, &now, Faults{})
	bad := dhl.New(url, "wrong", nil)
	var he *carriers.HTTPError
	if _, err := carrierstest.TrackOne(context.Background(), bad, "00340434000000000000"); !errors.As(err, &he) || he.Code != http.StatusUnauthorized {
		t.Errorf("DHL with a wrong key: %v, want 401", err)
	}
	badEP := easypost.New(easypost.Config{BaseURL: url, APIKey: "wrong"}, nil)
	if _, err := carrierstest.TrackOne(context.Background(), badEP, "6000000000"); !errors.As(err, &he) || he.Code != http.StatusUnauthorized {
		t.Errorf("EasyPost with a wrong key: %v, want 401", err)
	}
}

// Each fault shows as the client sees it in the wild, in every format.
func TestFaultsAreInjected(t *testing.T) {
	for carrier, client := range pollClients {
		t.Run(carrier, func(t *testing.T) { testFaults(t, carrier, client) })
	}
}

func testFaults(t *testing.T, carrier string, client func(string) carriers.Tracker) {
	p := testParcel(rand.New(rand.NewPCG(5, 6)), carrier, 1, TroubleNone)
	w := &World{parcels: map[string]*Parcel{p.TrackingNumber: p}}
	end := p.Steps[len(p.Steps)-1].At
	track := func(f Faults) (carriers.Shipment, error) {
		return carrierstest.TrackOne(context.Background(), client(serve(t, w, &end, f)), p.TrackingNumber)
	}
	var he *carriers.HTTPError
	if _, err := track(Faults{RateLimited: 1}); !errors.As(err, &he) || he.Code != 429 || he.RetryAfter != time.Second {
		t.Errorf("rate limited: %v, want 429 asking for 1s", err)
	}
	if _, err := track(Faults{ServerError: 1}); !errors.As(err, &he) || !he.Temporary() {
		t.Errorf("server error: %v, want a temporary HTTP error", err)
	}
	for _, f := range []Faults{{Truncated: 1}, {Malformed: 1}} {
		if _, err := track(f); err == nil || errors.As(err, &he) {
			t.Errorf("%+v: %v, want a body that does not parse", f, err)
		}
	}
	if s, err := track(Faults{Duplicated: 1}); err != nil || len(s.Events) != len(p.Steps)+1 {
		t.Errorf("duplicated: %d events, %v; want one repeated", len(s.Events), err)
	}
	if s, err := track(Faults{Disordered: 1}); err != nil || len(s.Events) != len(p.Steps) || !slices.IsSortedFunc(s.Events,
		func(a, b carriers.Event) int { return a.Time.Compare(b.Time) }) {
		t.Errorf("disordered: %v; want every event, sorted by the parser", err)
	}
}

func TestWorldIsDeterministic(t *testing.T) {
	a, b := NewWorld(42, 200, epoch), NewWorld(42, 200, epoch)
	for i := range a.Orders {
		if a.Orders[i].Customer != b.Orders[i].Customer ||
			a.Orders[i].Parcels[0].TrackingNumber != b.Orders[i].Parcels[0].TrackingNumber {
			t.Fatalf("order %d differs between two worlds from one seed", i)
		}
	}
	byCarrier := map[string]int{}
	numeric := 0
	for _, o := range a.Orders {
		for _, p := range o.Parcels {
			if _, ok := a.Parcel(p.TrackingNumber); !ok {
				t.Errorf("parcel %s not indexed", p.TrackingNumber)
			}
			byCarrier[p.Carrier+"/"+p.Feed]++
			if p.numericID {
				numeric++
			}
		}
	}
	for _, c := range []string{"dhl/", "ups/", "fedex/", "usps/", "gls/easypost", "dpd/aftership"} {
		if byCarrier[c] == 0 {
			t.Errorf("no parcel goes by %s (%v)", c, byCarrier)
		}
	}
	if numeric == 0 {
		t.Error("no parcel exercises DHL's numeric ids")
	}
}
