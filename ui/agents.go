package ui

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/wismo/wismo/tracker"
)

// Role is what an agent may do at the desk.
type Role string

// The roles: a trainee reads and changes nothing; an agent works
// exceptions and resends; a supervisor also sees the supervisor's picture
// and may pause a feed.
const (
	RoleReadOnly   Role = "readonly"
	RoleAgent      Role = "agent"
	RoleSupervisor Role = "supervisor"
)

// Agent is who a key belongs to.
type Agent struct {
	Name string
	Role Role
}

// AgentKeys is the desk's authorized-keys file: one public key a line in
// OpenSSH's authorized_keys form, its options naming the agent and role:
//
//	agent="ana",role="supervisor" ssh-ed25519 AAAAC3Nza… ana@laptop
//
// The file is read again whenever it changes, so a key removed from it is
// refused at the next connection without a restart. A file that no longer
// reads keeps nobody in: every key is refused until it is put right.
type AgentKeys struct {
	path string

	mu     sync.Mutex
	stamp  fileStamp
	agents map[string]Agent // by the key's wire form
	err    error
}

// fileStamp is what tells that a file changed.
type fileStamp struct {
	mod  time.Time
	size int64
}

// LoadAgentKeys reads the agents file at path; an unreadable file or a bad
// line is an error naming the line.
func LoadAgentKeys(path string) (*AgentKeys, error) {
	k := &AgentKeys{path: path}
	k.refresh()
	return k, k.err
}

// Lookup is the agent whose key pub is, if the file (as it is now) names
// one.
func (k *AgentKeys) Lookup(pub gossh.PublicKey) (Agent, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.refresh()
	if k.err != nil || pub == nil {
		return Agent{}, false
	}
	a, ok := k.agents[string(pub.Marshal())]
	return a, ok
}

// refresh reads the file again if it changed. The caller holds mu (or is
// the constructor).
func (k *AgentKeys) refresh() {
	info, err := os.Stat(k.path)
	if err != nil {
		k.agents, k.err = nil, fmt.Errorf("agents file: %w", err)
		return
	}
	stamp := fileStamp{mod: info.ModTime(), size: info.Size()}
	if stamp == k.stamp && k.agents != nil {
		return
	}
	data, err := os.ReadFile(k.path)
	if err == nil {
		k.agents, err = parseAgentKeys(data)
	}
	if err != nil {
		k.agents, k.err = nil, fmt.Errorf("agents file %s: %w", k.path, err)
		return
	}
	k.stamp, k.err = stamp, nil
}

// parseAgentKeys reads every line; blank lines and # comments are skipped.
func parseAgentKeys(data []byte) (map[string]Agent, error) {
	agents := map[string]Agent{}
	for i, line := range bytes.Split(data, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		pub, a, err := parseAgentLine(line)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", i+1, err)
		}
		agents[string(pub.Marshal())] = a
	}
	return agents, nil
}

// parseAgentLine reads one key and its agent and role options.
func parseAgentLine(line []byte) (gossh.PublicKey, Agent, error) {
	pub, _, options, rest, err := gossh.ParseAuthorizedKey(line)
	if err != nil {
		return nil, Agent{}, err
	}
	if len(bytes.TrimSpace(rest)) > 0 {
		return nil, Agent{}, errors.New("one key a line")
	}
	a := Agent{Role: RoleAgent}
	for _, o := range options {
		name, value, _ := strings.Cut(o, "=")
		value = strings.Trim(value, `"`)
		switch name {
		case "agent":
			a.Name = value
		case "role":
			a.Role = Role(value)
		default:
			return nil, Agent{}, fmt.Errorf("unknown option %q: a key takes agent=\"NAME\" and role=\"agent|supervisor|readonly\"", name)
		}
	}
	if err := a.check(); err != nil {
		return nil, Agent{}, err
	}
	return pub, a, nil
}

// check refuses a nameless agent, a name no agent may act under, and an
// unknown role.
func (a Agent) check() error {
	if a.Name == "" {
		return errors.New(`the key names no agent: add agent="NAME"`)
	}
	if err := tracker.CheckAgent(a.Name); err != nil {
		return err
	}
	switch a.Role {
	case RoleReadOnly, RoleAgent, RoleSupervisor:
		return nil
	}
	return fmt.Errorf("unknown role %q: agent, supervisor or readonly", a.Role)
}
