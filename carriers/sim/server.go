package sim

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"sync"
	"time"
)

// Options configure a Server.
type Options struct {
	// APIKey is the credential every simulated carrier expects: DHL's
	// DHL-API-Key header, EasyPost's Basic user, and the client secret of
	// the OAuth carriers (UPS, FedEx, USPS), whose client id is ClientID.
	APIKey   string
	ClientID string
	// Faults makes some answers and pushes go wrong, as real feeds do.
	Faults Faults
	// PushURL is the desk's webhook receiver ("http://127.0.0.1:8480");
	// EasyPost and AfterShip news is posted to PushURL/webhooks/{provider},
	// signed with PushSecrets[provider]. Empty sends no pushes.
	PushURL     string
	PushSecrets map[string]string
	// PushEvery is how often (wall clock) the pusher looks for news.
	PushEvery time.Duration
	// Log receives the HTTP server's own complaints (bad requests, broken
	// connections) and failed pushes; nil discards them. They must never
	// reach stderr, which is the terminal the desk draws on.
	Log *slog.Logger
}

// Server answers tracking requests for a World on loopback, in each
// carrier's own format, and pushes the aggregators' webhooks.
type Server struct {
	world *World
	now   func() time.Time
	opts  Options
	log   *slog.Logger
	http  *http.Server
	url   string
	stop  context.CancelFunc // ends what Start started

	mu     sync.Mutex
	rand   *mrand.Rand
	tokens map[string]time.Time // OAuth bearer tokens and when they expire

	// pushMu serializes push rounds; sent counts the steps each pushed
	// parcel's last delivery carried, late holds deliveries for the next
	// round.
	pushMu sync.Mutex
	sent   map[*Parcel]int
	late   []delivery
}

// NewServer returns a server for world whose journeys advance with now.
func NewServer(world *World, now func() time.Time, opts Options) *Server {
	log := opts.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Server{world: world, now: now, opts: opts, log: log,
		rand: mrand.New(mrand.NewPCG(mrand.Uint64(), mrand.Uint64())), tokens: map[string]time.Time{}, sent: map[*Parcel]int{}}
}

// Start listens on a random loopback port and serves until ctx ends or
// Close is called; it also starts the pusher when Options.PushURL is set.
// It returns once the port is open.
func (s *Server) Start(ctx context.Context) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("sim: listen: %w", err)
	}
	ctx, s.stop = context.WithCancel(ctx)
	s.url = "http://" + ln.Addr().String()
	s.http = &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	go func() {
		<-ctx.Done()
		s.Close()
	}()
	// Serve ends with ErrServerClosed on Close; any other end means the
	// listener broke, and the desk sees that as a failing feed.
	go s.http.Serve(ln)
	if s.opts.PushURL != "" {
		go s.push(ctx)
	}
	return nil
}

// URL is the base URL to give every carrier client, valid after Start.
func (s *Server) URL() string { return s.url }

// Close stops the server and its pusher.
func (s *Server) Close() error {
	if s.http == nil {
		return nil
	}
	s.stop()
	return s.http.Close()
}

// Handler serves every carrier's tracking API and the OAuth token
// endpoints. Tracking requests pass through the fault injector.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, f := range formats {
		f.routes(s, mux)
	}
	return mux
}

// format is one carrier API the simulator speaks.
type format struct {
	carrier string
	routes  func(*Server, *http.ServeMux)
}

// formats lists the APIs, one file each.
var formats = []format{dhlFormat, upsFormat, fedexFormat, uspsFormat, easypostFormat}

// parcel finds a parcel of a carrier (or an aggregator's feed) whose journey
// has begun, and the steps visible now, as the fault injector leaves them.
func (s *Server) parcel(carrier, number string) (*Parcel, []Step, bool) {
	p, ok := s.world.Parcel(number)
	if !ok || (p.Carrier != carrier && p.Feed != carrier) {
		return nil, nil, false
	}
	steps := p.Visible(s.now())
	if len(steps) == 0 {
		return nil, nil, false
	}
	return p, s.disorder(steps), true
}

// Visible returns the steps that have happened by now.
func (p *Parcel) Visible(now time.Time) []Step {
	n := 0
	for n < len(p.Steps) && !p.Steps[n].At.After(now) {
		n++
	}
	return p.Steps[:n]
}

// ETA is the delivery date the parcel's visible steps last announced.
func (p *Parcel) ETA(steps []Step) time.Time {
	eta := p.PromisedBy
	for _, st := range steps {
		if st.Kind == ETARevised && st.At.After(p.ShippedAt) {
			eta = st.ETA
		}
	}
	return eta
}

// previousLife is the journey an older shipment under a recycled number
// took, delivered months before this one.
func (p *Parcel) previousLife() []Step {
	then := p.ShippedAt.Add(-200 * 24 * time.Hour)
	r := mrand.New(mrand.NewPCG(uint64(len(p.TrackingNumber)), uint64(then.Unix())))
	steps, _ := plan(r, then, p.dest, TroubleNone)
	return steps
}

// issueToken answers an OAuth client-credentials request, with the client
// id and secret as HTTP Basic auth (UPS) or in the form (FedEx, USPS).
func (s *Server) issueToken(w http.ResponseWriter, r *http.Request) {
	id, secret, basic := r.BasicAuth()
	if !basic {
		id, secret = r.PostFormValue("client_id"), r.PostFormValue("client_secret")
	}
	if r.PostFormValue("grant_type") != "client_credentials" || id != s.opts.ClientID || secret != s.opts.APIKey {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_client", "error_description": "Client authentication failed"})
		return
	}
	b := make([]byte, 16)
	rand.Read(b)
	token := hex.EncodeToString(b)
	s.mu.Lock()
	s.tokens[token] = time.Now().Add(time.Hour)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": token, "token_type": "Bearer", "expires_in": 3599,
		"issued_at": fmt.Sprint(time.Now().UnixMilli()), "scope": r.PostFormValue("scope"),
	})
}

// bearer reports whether the request carries a live token from issueToken.
func (s *Server) bearer(r *http.Request) bool {
	const prefix = "Bearer "
	h := r.Header.Get("Authorization")
	if len(h) <= len(prefix) || h[:len(prefix)] != prefix {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.tokens[h[len(prefix):]]
	return ok && time.Now().Before(exp)
}
