package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"charm.land/ssh"
	"golang.org/x/time/rate"

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
	flags := flag.NewFlagSet("serve", flag.ContinueOnError)
	flags.SetOutput(stderr)
	path := flags.String("config", "", "the configuration `FILE` (TOML; see README.md)")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if *path == "" || flags.NArg() > 0 {
		return errors.New("usage: wismo serve --config FILE")
	}
	cfg, err := loadConfig(*path)
	if err != nil {
		return err
	}
	if cfg.Serve.Listen == "" || cfg.Serve.Agents == "" {
		return fmt.Errorf("config %s: serve.listen and serve.agents are required to serve the desk", *path)
	}
	keys, err := ui.LoadAgentKeys(cfg.Serve.Agents)
	if err != nil {
		return fmt.Errorf("config %s: serve.agents: %w", *path, err)
	}
	d, err := startDesk(cfg, *path)
	if err != nil {
		return err
	}
	defer d.close()
	srv, err := ui.NewSSHServer(ui.SSHConfig{
		Addr: cfg.Serve.Listen, HostKeyPath: filepath.Join(cfg.Data, "ssh_host_ed25519"),
		Keys: keys, Store: d.st, IdleTimeout: cfg.Serve.IdleTimeout, Context: d.ctx, MaxSessions: cfg.Serve.MaxSessions,
		PerIP: rate.Limit(float64(cfg.Serve.PerIPPerMinute) / 60), PerIPBurst: cfg.Serve.PerIPPerMinute,
		Desk: func(ctx context.Context, a ui.Agent) ui.Model {
			return d.model(ctx).WithAgent(a.Name).WithRole(a.Role).WithOpener(nil)
		},
	})
	if err != nil {
		return err
	}
	return serveUntilDone(d.ctx, srv, d)
}

// serveUntilDone serves until the desk's context ends (a signal), then
// gives sessions shutdownGrace to end.
func serveUntilDone(ctx context.Context, srv *ui.SSHServer, d *runningDesk) error {
	served := make(chan error, 1)
	go func() { served <- srv.ListenAndServe() }()
	d.log.Info("serving the desk over ssh", "addr", srv.Addr)
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
