package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"net"
	"os"
	"path/filepath"

	"golang.org/x/crypto/ssh"
	"golang.org/x/time/rate"

	"github.com/wismo/wismo/ui"
)

// hostKeyFile is the SSH server's key, kept in the data directory.
const hostKeyFile = "ssh_host_ed25519"

// door is the desk's SSH door as s configures it: every agent the agents
// file names gets a desk of their own over the running parts, under their
// name and role, until d.ctx ends.
func (d *runningDesk) door(s serveSection, dataDir string, keys *ui.AgentKeys) (*ui.SSHServer, error) {
	return ui.NewSSHServer(ui.SSHConfig{
		Addr: s.Listen, HostKeyPath: filepath.Join(dataDir, hostKeyFile),
		Keys: keys, Store: d.st, IdleTimeout: s.IdleTimeout, Context: d.ctx, MaxSessions: s.MaxSessions,
		PerIP: rate.Limit(float64(s.PerIPPerMinute) / 60), PerIPBurst: s.PerIPPerMinute,
		Desk: func(ctx context.Context, a ui.Agent) ui.Model {
			return d.model(ctx).WithAgent(a.Name).WithRole(a.Role).WithOpener(nil)
		},
	})
}

// listenDoor opens the door's address before anything is drawn, so an
// address in use is said at once.
func listenDoor(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("ssh door: %w", err)
	}
	return ln, nil
}

// newcomer is who tries the demo's SSH door: a key made for the demo, let
// in as a supervisor so every key of the desk can be tried.
const newcomer = "newcomer"

// newcomerFiles makes a key for the newcomer in dir, the agents file that
// lets it in, and an ssh_config for the door at addr, so "ssh -F
// DIR/ssh_config desk" comes in. The demo's host key is new each run, so
// the config neither checks nor remembers it. It returns the agents file
// and the ssh_config's paths.
func newcomerFiles(dir string, addr net.Addr) (agents, config string, err error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return "", "", err
	}
	block, err := ssh.MarshalPrivateKey(priv, newcomer+"@wismo-demo")
	if err != nil {
		return "", "", err
	}
	sshPub, err := ssh.NewPublicKey(pub)
	if err != nil {
		return "", "", err
	}
	host, port, _ := net.SplitHostPort(addr.String())
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	keyPath := filepath.Join(dir, newcomer+"_ed25519")
	agents, config = filepath.Join(dir, "agents"), filepath.Join(dir, "ssh_config")
	files := []struct {
		path string
		body []byte
	}{
		{keyPath, pem.EncodeToMemory(block)},
		{agents, fmt.Appendf(nil, "agent=%q,role=%q %s", newcomer, ui.RoleSupervisor, ssh.MarshalAuthorizedKey(sshPub))},
		{config, fmt.Appendf(nil, "Host desk\n  HostName %s\n  Port %s\n  User %s\n  IdentityFile %s\n  IdentitiesOnly yes\n"+
			"  StrictHostKeyChecking no\n  UserKnownHostsFile /dev/null\n  LogLevel ERROR\n", host, port, newcomer, keyPath)},
	}
	for _, f := range files {
		if err := os.WriteFile(f.path, f.body, 0o600); err != nil {
			return "", "", fmt.Errorf("the newcomer's door: %w", err)
		}
	}
	return agents, config, nil
}
