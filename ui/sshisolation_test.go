package ui

import (
	"context"
	"io"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// A session whose desk panics ends alone: the agent on another session
// goes on working, and the next agent to come in gets a desk.
func TestSSHDeskPanicEndsThatSessionOnly(t *testing.T) {
	ana, crash, ben := newKey(t), newKey(t), newKey(t)
	agents := agentsFile(t, agentLine(ana, "ana", RoleAgent), agentLine(crash, "crash", RoleAgent), agentLine(ben, "ben", RoleAgent))
	addr := sshDesk(t, agents, func(c *SSHConfig) {
		desk := c.Desk
		c.Desk = func(ctx context.Context, a Agent) Model {
			if a.Name == "crash" {
				panic("a desk that cannot be built")
			}
			return desk(ctx, a)
		}
	})
	anas := session(t, addr, ana)
	anas.await(t, "7 open")

	client, err := dial(addr, gossh.PublicKeys(crash))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	in := shell(t, client, io.Discard)
	// Once the session is over, what the client types has nowhere to go.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if _, err := in.Write([]byte("j")); err != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the session whose desk panicked did not end")
		}
	}

	anas.in.Write([]byte("a"))
	anas.await(t, "Acknowledged lost · order 1001")
	session(t, addr, ben).await(t, "7 open", "✓")
}
