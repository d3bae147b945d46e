package sim

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/carriers/dhl"
)

var epoch = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// serve runs the simulator for w on a real loopback server with the clock
// held at *now, and returns its URL and a DHL client pointed at it.
func serve(t *testing.T, w *World, now *time.Time) (string, *dhl.Client) {
	t.Helper()
	srv := httptest.NewServer(NewServer(w, func() time.Time { return *now }, Options{APIKey: "k"}).Handler())
	t.Cleanup(srv.Close)
	return srv.URL, dhl.New(srv.URL, "k", srv.Client())
}

// Every journey, read back through the real DHL parser at its end, lands
// on the status its trouble should produce.
func TestJourneysEndAsPlanned(t *testing.T) {
	want := map[Trouble]carriers.Status{
		TroubleNone:     carriers.StatusDelivered,
		TroubleNotHome:  carriers.StatusDelivered,
		TroubleCustoms:  carriers.StatusDelivered,
		TroubleStall:    carriers.StatusDelivered,
		TroubleDamaged:  carriers.StatusDelivered,
		TroublePickup:   carriers.StatusDelivered,
		TroubleLost:     carriers.StatusInTransit,
		TroubleRefused:  carriers.StatusReturning,
		TroubleNoPickup: carriers.StatusException,
	}
	// Each trouble's defining scan, seen on the way.
	passes := map[Trouble]carriers.Status{
		TroubleNotHome: carriers.StatusAttemptFailed,
		TroubleCustoms: carriers.StatusException,
		TroubleDamaged: carriers.StatusException,
		TroublePickup:  carriers.StatusAvailableForPickup,
		TroubleAddress: carriers.StatusAttemptFailed,
	}
	r := rand.New(rand.NewPCG(1, 2))
	for _, tr := range []Trouble{TroubleNone, TroubleAddress, TroubleNotHome, TroubleCustoms, TroubleStall,
		TroubleLost, TroubleDamaged, TroubleRefused, TroublePickup, TroubleNoPickup} {
		dest := destinations[0]
		if tr == TroubleCustoms {
			dest = destinations[len(destinations)-1]
		}
		p := &Parcel{TrackingNumber: "JJD" + string(tr), Service: "parcel-de", Trouble: tr, dest: dest}
		p.Steps, p.PromisedBy = plan(r, epoch, dest, tr)
		w := &World{parcels: map[string]*Parcel{p.TrackingNumber: p}}
		end := p.Steps[len(p.Steps)-1].At
		_, c := serve(t, w, &end)
		s, err := carriers.TrackOne(context.Background(), c, p.TrackingNumber)
		if err != nil {
			t.Fatalf("%s: %v", tr, err)
		}
		if len(s.Events) != len(p.Steps) {
			t.Errorf("%s: %d events, planned %d", tr, len(s.Events), len(p.Steps))
		}
		var seen []carriers.Status
		for _, e := range s.Events {
			seen = append(seen, e.Status)
			if !e.Time.Equal(p.Steps[len(seen)-1].At) {
				t.Errorf("%s: event %d at %v, planned %v (local %q)", tr, len(seen)-1, e.Time, p.Steps[len(seen)-1].At, e.LocalTime)
			}
		}
		last := seen[len(seen)-1]
		if tr == TroubleAddress {
			if last != carriers.StatusDelivered && last != carriers.StatusReturning {
				t.Errorf("address: ends %s", last)
			}
		} else if last != want[tr] {
			t.Errorf("%s: ends %s, want %s (timeline %v)", tr, last, want[tr], seen)
		}
		if st, ok := passes[tr]; ok && !slices.Contains(seen, st) {
			t.Errorf("%s: never %s (timeline %v)", tr, st, seen)
		}
	}
}

func TestServerRevealsStepsWithTheClock(t *testing.T) {
	w := NewWorld(7, 20, epoch)
	p := w.Orders[0].Parcels[0]
	now := p.Steps[0].At.Add(-time.Minute)
	url, c := serve(t, w, &now)
	if _, err := carriers.TrackOne(context.Background(), c, p.TrackingNumber); !errors.Is(err, carriers.ErrNotFound) {
		t.Fatalf("before the label: %v, want not found", err)
	}
	now = p.Steps[2].At
	s, err := carriers.TrackOne(context.Background(), c, p.TrackingNumber)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Events) != 3 {
		t.Errorf("%d events visible, want 3", len(s.Events))
	}
	if _, err := carriers.TrackOne(context.Background(), c, "NOPE"); !errors.Is(err, carriers.ErrNotFound) {
		t.Errorf("unknown number: %v", err)
	}
	bad := dhl.New(url, "wrong", nil)
	if _, err := carriers.TrackOne(context.Background(), bad, p.TrackingNumber); err == nil || errors.Is(err, carriers.ErrNotFound) {
		t.Errorf("wrong key: %v", err)
	}
}

func TestWorldIsDeterministic(t *testing.T) {
	a, b := NewWorld(42, 50, epoch), NewWorld(42, 50, epoch)
	for i := range a.Orders {
		if a.Orders[i].Customer != b.Orders[i].Customer ||
			a.Orders[i].Parcels[0].TrackingNumber != b.Orders[i].Parcels[0].TrackingNumber {
			t.Fatalf("order %d differs between two worlds from one seed", i)
		}
	}
	numeric := 0
	for _, o := range a.Orders {
		for _, p := range o.Parcels {
			if _, ok := a.Parcel(p.TrackingNumber); !ok {
				t.Errorf("parcel %s not indexed", p.TrackingNumber)
			}
			if p.numericID {
				numeric++
			}
		}
	}
	if numeric == 0 {
		t.Error("no parcel exercises DHL's numeric ids")
	}
}
