package main

import (
	"flag"
	"os/user"
	"strings"

	"github.com/wismo/wismo/tracker"
	"github.com/wismo/wismo/ui"
)

// seat is who sits at this terminal's desk: the agent name every action is
// audited with, and whether the desk is a trainee's, read-only.
type seat struct {
	agent    string
	readOnly bool
}

// seatFlags adds --agent and --read-only to a command's flags.
func seatFlags(flags *flag.FlagSet, s *seat) {
	flags.StringVar(&s.agent, "agent", "", "the agent `NAME` actions are recorded under (default: the desk's config, else the OS user)")
	flags.BoolVar(&s.readOnly, "read-only", false, "a trainee's desk: everything reads, nothing changes")
}

// resolve fills the agent name from the config's (fromConfig, may be "")
// or the OS user when no flag gave one, and checks it.
func (s seat) resolve(fromConfig string) (seat, error) {
	for _, name := range []string{s.agent, fromConfig, osUser()} {
		if s.agent = strings.TrimSpace(name); s.agent != "" {
			break
		}
	}
	return s, tracker.CheckAgent(s.agent)
}

// osUser is the login name, "agent" if there is none.
func osUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "agent"
}

// seated seats the agent at m.
func (s seat) seated(m ui.Model) ui.Model {
	return m.WithAgent(s.agent).WithReadOnly(s.readOnly)
}
