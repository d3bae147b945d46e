package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"
)

// wismo demo --serve: the local desk says where the SSH door is, the
// newcomer comes in with OpenSSH's own client and the files the demo made
// for them, asks for an order and gets its JSON, gets a desk of their own
// as a supervisor, and is told why it went away when the local desk quits.
func TestDemoDoorEndToEndInTmux(t *testing.T) {
	bin, dir := buildForTmux(t)
	if _, err := exec.LookPath("ssh"); err != nil {
		t.Skip("no OpenSSH client to come in with")
	}
	data := filepath.Join(dir, "data")
	local := startTmux(t, "door", 120, 40,
		fmt.Sprintf("%s demo --serve --listen 127.0.0.1:0 --orders 300 --data %s; echo EXIT:$?; sleep 60", bin, data))
	local.waitFor("SSH door open: from another terminal, ssh -F " + filepath.Join(data, "ssh_config") + " desk")
	config := readWhenWritten(t, filepath.Join(data, "ssh_config"))
	if !regexp.MustCompile(`Port [1-9][0-9]*\n`).MatchString(config) {
		t.Fatalf("ssh_config names no port:\n%s", config)
	}

	// The same door answers a command and exits.
	out, err := exec.Command("ssh", "-F", filepath.Join(data, "ssh_config"), "desk", "order", "1001", "--json").Output()
	var order struct {
		Number  string            `json:"number"`
		Parcels []json.RawMessage `json:"parcels"`
	}
	if err != nil || json.Unmarshal(out, &order) != nil || order.Number != "1001" || len(order.Parcels) == 0 {
		t.Fatalf("ssh desk order 1001 --json: %v\n%s", err, out)
	}

	remote := startTmux(t, "newcomer", 100, 30, fmt.Sprintf("ssh -F %s desk; echo GONE:$?; sleep 60", filepath.Join(data, "ssh_config")))
	remote.waitFor("Exceptions", "open")
	remote.keys("P")
	remote.waitFor("Supervisor")
	remote.keys("Escape")

	local.keys("q")
	local.waitFor("EXIT:0")
	remote.waitFor("The desk is shutting down", "GONE:")
}

// readWhenWritten reads path once it is there and whole.
func readWhenWritten(t *testing.T, path string) string {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); ; {
		if b, err := os.ReadFile(path); err == nil && len(b) > 0 {
			return string(b)
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s was never written", path)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
