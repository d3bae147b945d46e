package sim

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/carriers/carrierstest"
	"github.com/wismo/wismo/carriers/fedex"
	"github.com/wismo/wismo/carriers/ups"
	"github.com/wismo/wismo/carriers/usps"
)

// One FedEx request answers every number of a batch, the unknown one with
// its own "not found".
func TestFedExAnswersEveryNumberOfABatch(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	w := &World{parcels: map[string]*Parcel{}}
	var numbers []string
	for i, tr := range []Trouble{TroubleNone, TroubleNotHome, TroubleRefused} {
		p := testParcel(r, "fedex", 100+i, tr)
		w.parcels[p.TrackingNumber] = p
		numbers = append(numbers, p.TrackingNumber)
	}
	numbers = append(numbers, "799999999999")
	now := epoch.Add(30 * 24 * time.Hour)
	res, err := pollClients["fedex"](serve(t, w, &now, Faults{})).Track(context.Background(), numbers)
	if err != nil || len(res) != len(numbers) {
		t.Fatalf("%d results, %v; want %d", len(res), err, len(numbers))
	}
	for i, n := range numbers[:3] {
		p, _ := w.Parcel(n)
		if res[i].Err != nil || len(res[i].Shipments) != 1 {
			t.Errorf("%s: %d shipments, %v; want one", n, len(res[i].Shipments), res[i].Err)
			continue
		}
		statuses(t, "fedex batch "+n, p, res[i].Shipments[0])
	}
	if !errors.Is(res[3].Err, carriers.ErrNotFound) {
		t.Errorf("unknown number: %v, want not found", res[3].Err)
	}
}

// A recycled FedEx number answers with this shipment and the older one
// under the same number, told apart by their unique ids.
func TestFedExRecycledNumberGivesTwoShipments(t *testing.T) {
	p := testParcel(rand.New(rand.NewPCG(9, 10)), "fedex", 1, TroubleNone)
	p.recycled = true
	w := &World{parcels: map[string]*Parcel{p.TrackingNumber: p}}
	end := p.Steps[len(p.Steps)-1].At
	res, err := pollClients["fedex"](serve(t, w, &end, Faults{})).Track(context.Background(), []string{p.TrackingNumber})
	if err != nil || len(res) != 1 || len(res[0].Shipments) != 2 {
		t.Fatalf("%+v, %v; want two shipments", res, err)
	}
	now, old := res[0].Shipments[0], res[0].Shipments[1]
	if now.Ref == "" || now.Ref == old.Ref {
		t.Errorf("refs %q and %q do not tell the shipments apart", now.Ref, old.Ref)
	}
	statuses(t, "fedex recycled", p, now)
	if !old.LastEventTime().Before(p.ShippedAt) {
		t.Errorf("older shipment ends %v, after this one shipped", old.LastEventTime())
	}
	if s, err := carrierstest.TrackOne(context.Background(), pollClients["fedex"](serve(t, w, &end, Faults{})), p.TrackingNumber); err != nil || s.Ref != now.Ref {
		t.Errorf("TrackOne picks %q, %v; want the newer %q", s.Ref, err, now.Ref)
	}
}

// oauthPolls are the poll formats behind an OAuth token, with their token
// path, a tracking request, and a client built with a given secret.
var oauthPolls = map[string]struct {
	tokenPath, method, track string
	client                   func(url, secret string) carriers.Tracker
}{
	"ups": {"/security/v1/oauth/token", "GET", "/api/track/v1/details/1Z", func(url, secret string) carriers.Tracker {
		return ups.New(ups.Config{BaseURL: url, ClientID: testClient, ClientSecret: secret}, nil)
	}},
	"usps": {"/oauth2/v3/token", "GET", "/tracking/v3/tracking/9400", func(url, secret string) carriers.Tracker {
		return usps.New(usps.Config{BaseURL: url, ClientID: testClient, ClientSecret: secret}, nil)
	}},
	"fedex": {"/oauth/token", "POST", "/track/v1/trackingnumbers", func(url, secret string) carriers.Tracker {
		return fedex.New(fedex.Config{BaseURL: url, ClientID: testClient, ClientSecret: secret}, nil)
	}},
}

// The OAuth carriers refuse a wrong client secret with 401, and a client
// with the right one fetches one token and reuses it.
func TestOAuthTokensAreCheckedAndReused(t *testing.T) {
	for carrier, c := range oauthPolls {
		p := testParcel(rand.New(rand.NewPCG(11, 12)), carrier, 1, TroubleNone)
		w := &World{parcels: map[string]*Parcel{p.TrackingNumber: p}}
		end := p.Steps[len(p.Steps)-1].At
		var tokens atomic.Int32
		h := NewServer(w, func() time.Time { return end }, Options{APIKey: testKey, ClientID: testClient}).Handler()
		srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, c.tokenPath) {
				tokens.Add(1)
			}
			h.ServeHTTP(rw, r)
		}))
		t.Cleanup(srv.Close)
		if code := trackWithoutToken(t, c.method, srv.URL+c.track); code != http.StatusUnauthorized {
			t.Errorf("%s tracking without a token: HTTP %d, want 401", carrier, code)
		}
		var he *carriers.HTTPError
		if _, err := carrierstest.TrackOne(context.Background(), c.client(srv.URL, "wrong"), p.TrackingNumber); !errors.As(err, &he) || he.Code != http.StatusUnauthorized {
			t.Errorf("%s with a wrong secret: %v, want 401", carrier, err)
		}
		tokens.Store(0)
		good := c.client(srv.URL, testKey)
		for range 3 {
			if _, err := carrierstest.TrackOne(context.Background(), good, p.TrackingNumber); err != nil {
				t.Fatalf("%s: %v", carrier, err)
			}
		}
		if n := tokens.Load(); n != 1 {
			t.Errorf("%s: %d token requests for three polls, want one", carrier, n)
		}
	}
}

func trackWithoutToken(t *testing.T, method, url string) int {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(`{"trackingInfo":[]}`))
	req.Header.Set("Authorization", "Bearer made-up")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
