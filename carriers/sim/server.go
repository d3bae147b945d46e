package sim

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"time"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/carriers/dhl"
)

// Options configure a Server.
type Options struct {
	// APIKey is the DHL-API-Key the server expects; requests without it get
	// 401, as from DHL.
	APIKey string
	// ErrorRate is the share of requests answered 503, so the desk's feed
	// health has something to show. 0 disables.
	ErrorRate float64
	// Log receives the HTTP server's own complaints (bad requests, broken
	// connections); nil discards them. They must never reach stderr, which
	// is the terminal the desk draws on.
	Log *slog.Logger
}

// Server answers DHL Unified Tracking requests for a World on loopback.
type Server struct {
	world *World
	now   func() time.Time
	opts  Options
	http  *http.Server
	url   string
}

// NewServer returns a server for world whose journeys advance with now.
func NewServer(world *World, now func() time.Time, opts Options) *Server {
	return &Server{world: world, now: now, opts: opts}
}

// Start listens on a random loopback port and serves until ctx ends or
// Close is called. It returns once the port is open.
func (s *Server) Start(ctx context.Context) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("sim: listen: %w", err)
	}
	s.url = "http://" + ln.Addr().String()
	logger := s.opts.Log
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s.http = &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	go func() {
		<-ctx.Done()
		s.Close()
	}()
	// Serve ends with ErrServerClosed on Close; any other end means the
	// listener broke, and the desk sees that as a failing feed.
	go s.http.Serve(ln)
	return nil
}

// URL is the base URL to give a DHL client, valid after Start.
func (s *Server) URL() string { return s.url }

// Close stops the server.
func (s *Server) Close() error {
	if s.http == nil {
		return nil
	}
	return s.http.Close()
}

// Handler serves GET /track/shipments?trackingNumber=… in DHL's format.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /track/shipments", s.track)
	return mux
}

func (s *Server) track(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Header.Get("DHL-API-Key") != s.opts.APIKey:
		problem(w, http.StatusUnauthorized, "Unauthorized", "Invalid API key")
		return
	case s.opts.ErrorRate > 0 && rand.Float64() < s.opts.ErrorRate:
		problem(w, http.StatusServiceUnavailable, "Service Unavailable", "The tracking service is temporarily unavailable")
		return
	}
	number := r.URL.Query().Get("trackingNumber")
	p, ok := s.world.Parcel(number)
	var steps []Step
	if ok {
		steps = p.Visible(s.now())
	}
	if len(steps) == 0 {
		problem(w, http.StatusNotFound, "No result found", "No shipment with given tracking number found.")
		return
	}
	body, err := json.Marshal(dhl.Response{Shipments: []dhl.Shipment{p.shipment(steps)}})
	if err != nil {
		problem(w, http.StatusInternalServerError, "Internal Server Error", err.Error())
		return
	}
	if p.numericID {
		body = bytes.Replace(body, []byte(`"id":"`+p.TrackingNumber+`"`), []byte(`"id":`+p.TrackingNumber), 1)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(body)
}

func problem(w http.ResponseWriter, status int, title, detail string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(dhl.Problem{Title: title, Detail: detail, Status: status})
}

// shipment renders the visible steps as DHL does: newest first, naive local
// timestamps, the latest event repeated as the status.
func (p *Parcel) shipment(steps []Step) dhl.Shipment {
	dest := p.dest
	s := dhl.Shipment{
		ID:                      dhl.ID(p.TrackingNumber),
		Service:                 p.Service,
		Origin:                  dhl.Place{Address: address(origin)},
		Destination:             dhl.Place{Address: address(dest)},
		EstimatedTimeOfDelivery: p.PromisedBy.UTC().Format(time.RFC3339),
		Details:                 &dhl.Details{Product: dhl.Product{ProductName: "DHL PAKET"}},
	}
	for i := len(steps) - 1; i >= 0; i-- {
		st := steps[i]
		at := st.Place
		if at.country == "" {
			at.country = dest.country
		}
		e := dhl.Event{
			Timestamp:   localTime(st.At, at.country),
			StatusCode:  st.Code,
			Status:      st.Text,
			Description: st.Text,
			Location:    dhl.Place{Address: address(st.Place)},
		}
		s.Events = append(s.Events, e)
		s.ReturnFlag = s.ReturnFlag || st.ReturnFlag
	}
	s.Status = &s.Events[0]
	return s
}

func address(pl place) dhl.Address {
	return dhl.Address{AddressLocality: pl.city, PostalCode: pl.postal, CountryCode: pl.country}
}

// localTime writes t as DHL does: wall time where the scan happened, with
// no zone.
func localTime(t time.Time, country string) string {
	if loc, ok := carriers.Zone(country, ""); ok {
		t = t.In(loc)
	}
	return t.Format("2006-01-02T15:04:05")
}
