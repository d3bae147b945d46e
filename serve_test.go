package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"
)

// wismo serve: an agent in the agents file gets the desk over SSH under
// their name; a signal shuts the server down with the session still open.
func TestServeOverSSH(t *testing.T) {
	dir := t.TempDir()
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	agents := filepath.Join(dir, "agents")
	line := `agent="ana",role="agent" ` + string(gossh.MarshalAuthorizedKey(signer.PublicKey()))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	config := filepath.Join(dir, "wismo.toml")
	toml := "data = \"" + filepath.Join(dir, "data") + "\"\n[serve]\nlisten = \"" + addr + "\"\nagents = \"" + agents + "\"\n"
	for path, body := range map[string]string{agents: line, config: toml} {
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	done := make(chan error, 1)
	go func() { done <- runServe([]string{"--config", config}, io.Discard) }()

	client := dialWhenUp(t, addr, signer)
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	out, err := sess.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm-256color", 30, 100, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	select {
	case screen := <-readUntil(out, "0 open"):
		if !strings.Contains(screen, "0 open") {
			t.Fatalf("the session ended before the desk came up:\n%s", screen)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the desk never came up over ssh")
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	farewell := readUntil(out, "shutting down")
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve ended with %v", err)
		}
	case <-time.After(shutdownGrace + 5*time.Second):
		t.Fatal("serve did not shut down on a signal")
	}
	if said := <-farewell; !strings.Contains(said, "The desk is shutting down") {
		t.Errorf("the session was not told the desk is shutting down:\n%s", said)
	}
	if _, err := dialOnce(addr, signer); err == nil {
		t.Error("the server still takes connections after shutting down")
	}
}

// readUntil reads r, colour codes taken out, until it has shown want or
// ends, and sends what it read.
func readUntil(r io.Reader, want string) <-chan string {
	got := make(chan string, 1)
	go func() {
		var seen []byte
		buf := make([]byte, 4096)
		for {
			n, err := r.Read(buf)
			seen = append(seen, buf[:n]...)
			if s := ansi.Strip(string(seen)); strings.Contains(s, want) || err != nil {
				got <- s
				return
			}
		}
	}()
	return got
}

// dialOnce dials addr once.
func dialOnce(addr string, key gossh.Signer) (*gossh.Client, error) {
	return gossh.Dial("tcp", addr, clientConfig(key))
}

// clientConfig logs in with key, trusting the test's own server.
func clientConfig(key gossh.Signer) *gossh.ClientConfig {
	return &gossh.ClientConfig{User: "desk", Auth: []gossh.AuthMethod{gossh.PublicKeys(key)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: time.Second}
}

// dialWhenUp dials addr until the server answers.
func dialWhenUp(t *testing.T, addr string, key gossh.Signer) *gossh.Client {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; {
		c, err := dialOnce(addr, key)
		if err == nil {
			return c
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve never answered: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
