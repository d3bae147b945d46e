package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"time"

	"charm.land/ssh"

	"github.com/wismo/wismo/ui"
)

// serveSection is how the desk serves agents over SSH.
type serveSection struct {
	// Listen is the SSH address ("0.0.0.0:23234").
	Listen string `toml:"listen"`
	// Agents is the agents file: public keys with each agent's name and
	// role (see ui.AgentKeys).
	Agents string `toml:"agents"`
	// IdleTimeout ends a session nobody typed in for this long.
	IdleTimeout time.Duration `toml:"idle_timeout"`
	// MaxSessions caps the sessions at once; PerIPPerMinute how many one
	// address may open a minute. Zero is no limit.
	MaxSessions    int `toml:"max_sessions"`
	PerIPPerMinute int `toml:"per_ip_per_minute"`
}

// shutdownGrace is how long sessions get to end on a signal before the
// server closes them.
const shutdownGrace = 10 * time.Second

// runServe runs the desk as one server: it owns the store and the tracker
// and serves the desk to every agent over SSH.
func runServe(args []string, stderr io.Writer) error {
	cfg, path, err := configCommand("serve", args, stderr, nil)
	if err != nil {
		return err
	}
	if cfg.Serve.Listen == "" || cfg.Serve.Agents == "" {
		return fmt.Errorf("config %s: serve.listen and serve.agents are required to serve the desk", path)
	}
	keys, err := ui.LoadAgentKeys(cfg.Serve.Agents)
	if err != nil {
		return fmt.Errorf("config %s: serve.agents: %w", path, err)
	}
	ln, err := listenDoor(cfg.Serve.Listen)
	if err != nil {
		return err
	}
	d, err := startDesk(cfg, path)
	if err != nil {
		ln.Close()
		return err
	}
	defer d.close()
	srv, err := d.door(cfg.Serve, cfg.Data, keys)
	if err != nil {
		ln.Close()
		return err
	}
	return serveUntilDone(d.ctx, srv, ln, d.log)
}

// serveUntilDone serves on ln until ctx ends (a signal), then gives
// sessions shutdownGrace to end.
func serveUntilDone(ctx context.Context, srv *ui.SSHServer, ln net.Listener, log *slog.Logger) error {
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	log.Info("serving the desk over ssh", "addr", ln.Addr().String())
	select {
	case err := <-served:
		return fmt.Errorf("ssh server: %w", err)
	case <-ctx.Done():
	}
	stop, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(stop); err != nil && !errors.Is(err, ssh.ErrServerClosed) {
		return fmt.Errorf("ssh server shutdown: %w", err)
	}
	return nil
}
