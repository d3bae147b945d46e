package main

import (
	"io"
	"strings"
	"testing"
)

// The agent's name comes from --agent, else the config's desk.agent, else
// the OS user; a name no audit record should carry is refused.
func TestSeat(t *testing.T) {
	cfg, err := loadConfig(writeConfig(t, readmeConfig(t)))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		flag, config, want string
	}{
		{"ben", cfg.Desk.Agent, "ben"},
		{"", cfg.Desk.Agent, "ana"},
		{"  ", "", osUser()},
	} {
		s, err := seat{agent: c.flag}.resolve(c.config)
		if err != nil || s.agent != c.want {
			t.Errorf("flag %q config %q: agent %q (%v), want %q", c.flag, c.config, s.agent, err, c.want)
		}
	}
	for _, bad := range []string{strings.Repeat("x", 65), "ana\x1b[2J", "wismo", "carrier", "\xff"} {
		if _, err := (seat{agent: bad}).resolve(""); err == nil {
			t.Errorf("agent %q was accepted", bad)
		}
	}
}

// The demo takes the seat's flags.
func TestDemoSeatFlags(t *testing.T) {
	f, err := parseDemoFlags([]string{"--agent", "trainee", "--read-only"}, io.Discard)
	if err != nil || f.seat.agent != "trainee" || !f.seat.readOnly {
		t.Fatalf("demo flags: %+v, %v", f.seat, err)
	}
	if _, err := parseDemoFlags([]string{"--agent", "a\nb"}, io.Discard); err == nil {
		t.Fatal("an agent name with a newline was accepted")
	}
}
