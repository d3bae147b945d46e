package ui

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"go.uber.org/goleak"
	gossh "golang.org/x/crypto/ssh"

	"github.com/wismo/wismo/store"
	"github.com/wismo/wismo/tracker"
)

// newKey is a fresh ed25519 key for an SSH client.
func newKey(t testing.TB) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// agentLine is key's line in an agents file.
func agentLine(key gossh.Signer, name string, role Role) string {
	return `agent="` + name + `",role="` + string(role) + `" ` + string(gossh.MarshalAuthorizedKey(key.PublicKey()))
}

// sshDesk serves a desk over openDesk's 30 orders on loopback to the
// agents file's keys, and returns its address.
func sshDesk(t *testing.T, agentsFile string, tune ...func(*SSHConfig)) string {
	t.Helper()
	return sshDeskOver(t, openDesk(t, 30), agentsFile, tune...)
}

// sshDeskOver is sshDesk over st.
func sshDeskOver(t *testing.T, st *store.Store, agentsFile string, tune ...func(*SSHConfig)) string {
	t.Helper()
	tr := tracker.New(st, nil, clock, tracker.Config{}, nil)
	keys, err := LoadAgentKeys(agentsFile)
	if err != nil {
		t.Fatal(err)
	}
	cfg := SSHConfig{
		HostKeyPath: filepath.Join(t.TempDir(), "host_ed25519"),
		Context:     t.Context(),
		Keys:        keys,
		Desk: func(ctx context.Context, a Agent) Model {
			changes, cancel := st.Subscribe()
			context.AfterFunc(ctx, cancel)
			return New(st, clock, changes).WithActions(tr).WithAgent(a.Name).WithRole(a.Role)
		},
	}
	for _, f := range tune {
		f(&cfg)
	}
	_, addr := serveSSH(t, cfg)
	return addr
}

// serveSSH serves cfg's desk on loopback until the test ends, and returns
// the server and its address.
func serveSSH(t testing.TB, cfg SSHConfig) (*SSHServer, string) {
	t.Helper()
	srv, err := NewSSHServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return srv, ln.Addr().String()
}

// dial connects to the desk with auth.
func dial(addr string, auth gossh.AuthMethod) (*gossh.Client, error) {
	return gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User: "desk", Auth: []gossh.AuthMethod{auth},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), // the test's own server
		Timeout:         5 * time.Second,
	})
}

// terminal is an SSH session with a PTY whose screen output the test reads.
type terminal struct {
	in  io.WriteCloser
	mu  sync.Mutex
	out bytes.Buffer
}

func (tm *terminal) Write(p []byte) (int, error) {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return tm.out.Write(p)
}

// await waits until the session has written every want (colour codes
// taken out).
func (tm *terminal) await(t *testing.T, wants ...string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		tm.mu.Lock()
		got := ansi.Strip(tm.out.String())
		tm.mu.Unlock()
		if containsAll(got, wants...) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the session never showed %q; it showed:\n%s", wants, got)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// open starts the desk in a 100×30 PTY on client.
func open(t *testing.T, client *gossh.Client) *terminal {
	t.Helper()
	tm := &terminal{}
	tm.in = shell(t, client, tm)
	return tm
}

// shell starts the desk in a 100×30 PTY on client, writing its screen to
// out, and returns what the client types into.
func shell(t testing.TB, client *gossh.Client, out io.Writer) io.WriteCloser {
	t.Helper()
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sess.Close() })
	if err := sess.RequestPty("xterm-256color", 30, 100, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	sess.Stdout, sess.Stderr = out, out
	in, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	return in
}

// An authorized key gets the desk under its agent's name; unknown keys and
// passwords are refused at the handshake; a key taken out of the agents
// file is refused from the next connection on, without a restart.
func TestSSHDeskKeys(t *testing.T) {
	ana, ben, stranger := newKey(t), newKey(t), newKey(t)
	agents := agentsFile(t, agentLine(ana, "ana", RoleAgent), agentLine(ben, "ben", RoleReadOnly))
	write := func(lines ...string) {
		if err := os.WriteFile(agents, []byte(strings.Join(lines, "")), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	addr := sshDesk(t, agents)

	client, err := dial(addr, gossh.PublicKeys(ana))
	if err != nil {
		t.Fatalf("ana's key: %v", err)
	}
	defer client.Close()
	tm := open(t, client)
	tm.await(t, "wismo", "Exceptions", "7 open")

	for name, auth := range map[string]gossh.AuthMethod{
		"an unknown key": gossh.PublicKeys(stranger),
		"a password":     gossh.Password("hunter2"),
		"keyboard-interactive": gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) {
			return nil, nil
		}),
	} {
		if c, err := dial(addr, auth); err == nil {
			c.Close()
			t.Errorf("%s got in", name)
		}
	}

	write(agentLine(ana, "ana", RoleAgent)) // ben is revoked
	if c, err := dial(addr, gossh.PublicKeys(ben)); err == nil {
		c.Close()
		t.Error("ben's revoked key got in")
	}
}

// agentsFile writes an agents file with the given lines.
func agentsFile(t testing.TB, lines ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "agents")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "")), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// session dials addr with key and opens the desk, waiting for its list.
func session(t *testing.T, addr string, key gossh.Signer) *terminal {
	t.Helper()
	client, err := dial(addr, gossh.PublicKeys(key))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	return open(t, client)
}

// A readonly agent sees the desk and is refused every change, with a
// message; an agent who is not a supervisor is refused the supervisor's
// picture, which a supervisor sees.
func TestSSHDeskRoles(t *testing.T) {
	trainee, agent, boss := newKey(t), newKey(t), newKey(t)
	addr := sshDesk(t, agentsFile(t, agentLine(trainee, "tia", RoleReadOnly), agentLine(agent, "ana", RoleAgent),
		agentLine(boss, "sam", RoleSupervisor)))
	tm := session(t, addr, trainee)
	tm.await(t, "7 open")
	tm.in.Write([]byte("a"))
	tm.await(t, "read-only")

	tm = session(t, addr, agent)
	tm.await(t, "7 open")
	tm.in.Write([]byte("P"))
	tm.await(t, "the supervisor's picture is for supervisors")

	tm = session(t, addr, boss)
	tm.await(t, "7 open")
	tm.in.Write([]byte("P"))
	tm.await(t, "Opened by kind")
}

// Two agents on one desk: what one does, the other sees without a key
// (how soon is the desk's refresh benchmark's to say, not a test's).
func TestSSHDeskSessionsSeeEachOther(t *testing.T) {
	ana, ben := newKey(t), newKey(t)
	st := openDesk(t, 30)
	addr := sshDeskOver(t, st, agentsFile(t, agentLine(ana, "ana", RoleAgent), agentLine(ben, "ben", RoleAgent)))
	anas, bens := session(t, addr, ana), session(t, addr, ben)
	anas.await(t, "7 open")
	bens.await(t, "7 open")
	anas.in.Write([]byte("a"))
	anas.await(t, "Acknowledged lost · order 1001")
	bens.await(t, "✓")
	// The audit log names the agent the key names, whoever the SSH user.
	trail, err := st.OrderAudit("1001", 1)
	if err != nil || len(trail) != 1 || trail[0].Agent != "ana" || trail[0].Action != "acknowledge" {
		t.Errorf("order 1001's audit trail = %+v, %v; want ana's acknowledgement", trail, err)
	}
}

// A desk nobody types in ends after the idle timeout, saying why, though
// it keeps drawing (the list changes under it); keys keep it open.
func TestSSHDeskIdleSessionEnds(t *testing.T) {
	ana := newKey(t)
	st := openDesk(t, 30)
	addr := sshDeskOver(t, st, agentsFile(t, agentLine(ana, "ana", RoleAgent)), func(c *SSHConfig) { c.IdleTimeout = 1500 * time.Millisecond })
	tm := session(t, addr, ana)
	tm.await(t, "7 open")
	stop := make(chan struct{})
	defer close(stop)
	go func() { // the carriers keep reporting: the desk redraws
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
			}
			st.Update(func(tx *store.Tx) error { return tx.PutOrder(store.Order{Number: fmt.Sprint(9000 + i)}) })
		}
	}()
	for range 4 { // typing keeps it open past the timeout
		time.Sleep(500 * time.Millisecond)
		tm.in.Write([]byte("j"))
	}
	tm.mu.Lock()
	typed := ansi.Strip(tm.out.String())
	tm.mu.Unlock()
	if strings.Contains(typed, "Nobody typed") {
		t.Fatal("the desk closed while the agent was typing")
	}
	tm.await(t, "Nobody typed at this desk for 1.5s, so it was closed")
}

// A full desk says so to the one too many; one address opening sessions
// too fast is turned away with why.
func TestSSHDeskLimits(t *testing.T) {
	ana, ben := newKey(t), newKey(t)
	agents := agentsFile(t, agentLine(ana, "ana", RoleAgent), agentLine(ben, "ben", RoleAgent))
	full := sshDesk(t, agents, func(c *SSHConfig) { c.MaxSessions = 1 })
	session(t, full, ana).await(t, "7 open")
	session(t, full, ben).await(t, "The desk is full: 1 agents are on it")

	limited := sshDesk(t, agents, func(c *SSHConfig) { c.PerIP, c.PerIPBurst = 0.001, 1 })
	session(t, limited, ana).await(t, "7 open")
	session(t, limited, ben).await(t, "rate limit")
}

// The agents file says what is wrong with it, by line: a bad key, an
// unknown option, no agent name, a name the desk keeps for itself, an
// unknown role. A file that breaks later lets nobody in until it is fixed.
func TestAgentKeysBadFile(t *testing.T) {
	key := newKey(t)
	pub := string(gossh.MarshalAuthorizedKey(key.PublicKey()))
	path := filepath.Join(t.TempDir(), "agents")
	for line, want := range map[string]string{
		"ssh-ed25519 AAAAnotakey\n":       "line 1",
		`agent="ana",shell="x" ` + pub:    `unknown option "shell"`,
		pub:                               "names no agent",
		`agent="wismo" ` + pub:            "the desk's own",
		`agent="ana",role="admin" ` + pub: `unknown role "admin"`,
		"# the team\n\n" + `agent="ana",role="agent"`: "line 3",
	} {
		if err := os.WriteFile(path, []byte(line), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadAgentKeys(path); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want it to say %q", line, err, want)
		}
	}
	if err := os.WriteFile(path, []byte(`agent="ana" `+pub), 0o600); err != nil {
		t.Fatal(err)
	}
	keys, err := LoadAgentKeys(path)
	if err != nil {
		t.Fatal(err)
	}
	if a, ok := keys.Lookup(key.PublicKey()); !ok || a != (Agent{Name: "ana", Role: RoleAgent}) {
		t.Fatalf("ana's key: %+v %v", a, ok)
	}
	if err := os.WriteFile(path, []byte("garbage, and longer than before\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, ok := keys.Lookup(key.PublicKey()); ok {
		t.Error("a broken agents file still lets ana in")
	}
	if _, err := LoadAgentKeys(filepath.Join(t.TempDir(), "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a missing file: %v", err)
	}
}

// A session killed mid-frame (the client's connection dropped) leaves no
// goroutine of its own behind: its program, its resize watcher and its
// change signal end at once, and the clock's last tick within its second.
func TestSSHDeskKilledSessionLeaksNothing(t *testing.T) {
	ana := newKey(t)
	addr := sshDesk(t, agentsFile(t, agentLine(ana, "ana", RoleAgent)))
	before := goleak.IgnoreCurrent()

	client, err := dial(addr, gossh.PublicKeys(ana))
	if err != nil {
		t.Fatal(err)
	}
	tm := open(t, client)
	tm.await(t, "7 open")
	tm.in.Write([]byte("jjjj"))
	client.Close() // mid-frame: the desk is still drawing the moves
	// Bubble Tea's input reader (ultraviolet's TerminalReader) sends each
	// key it decoded on the program's channel without minding the
	// program's end: keys typed as the desk quit leave it blocked there
	// for good. That goroutine is upstream's; every other must end.
	awaitNoLeaks(t, goleak.IgnoreAnyFunction("github.com/charmbracelet/ultraviolet.(*TerminalReader).sendEvents"), before)
}

// awaitNoLeaks waits up to 5 s for every goroutine but those ignore names
// (those running before, say) to end: a desk's clock ends within its
// second.
func awaitNoLeaks(t testing.TB, ignore ...goleak.Option) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		err := goleak.Find(ignore...)
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal(err)
		}
	}
}
