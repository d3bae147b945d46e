package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// tmuxSession drives the real binary in a terminal of its own.
type tmuxSession struct {
	t      *testing.T
	socket string
}

// buildForTmux builds the real binary for an end-to-end run, in a
// directory of the test's that also holds tmux's socket (tmux leaves it
// behind when its server is killed). It skips in -short mode and without
// tmux; .ci/run installs tmux where it can.
func buildForTmux(t *testing.T) (bin, dir string) {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end run skipped in -short mode")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed: .ci/run installs it where it can")
	}
	dir = t.TempDir()
	t.Setenv("TMUX_TMPDIR", dir)
	bin = filepath.Join(dir, "wismo")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin, dir
}

// startTmux runs command in a detached w×h tmux session of its own, named
// name, killed when the test ends.
func startTmux(t *testing.T, name string, w, h int, command string) tmuxSession {
	t.Helper()
	s := tmuxSession{t: t, socket: fmt.Sprintf("wismo-%s-%d", name, os.Getpid())}
	s.tmux("new-session", "-d", "-s", "e2e", "-x", fmt.Sprint(w), "-y", fmt.Sprint(h), command)
	t.Cleanup(func() { s.stop() })
	return s
}

// stop kills the session's tmux server.
func (s tmuxSession) stop() { exec.Command("tmux", "-L", s.socket, "kill-server").Run() }

func (s tmuxSession) tmux(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", s.socket}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func (s tmuxSession) screen() string { return s.tmux("capture-pane", "-p", "-t", "e2e") }

// waitFor polls the screen until it shows every want.
func (s tmuxSession) waitFor(wants ...string) string {
	s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		scr := s.screen()
		missing := ""
		for _, w := range wants {
			if !strings.Contains(scr, w) {
				missing = w
			}
		}
		if missing == "" {
			return scr
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("screen never showed %q:\n%s", missing, scr)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitForRowsToChange polls until the rows under the header differ from
// before's: the list moves on its own, with no key pressed.
func (s tmuxSession) waitForRowsToChange(before string) {
	s.t.Helper()
	rows := func(scr string) string {
		lines := strings.Split(scr, "\n")
		return strings.Join(lines[min(5, len(lines)):], "\n")
	}
	deadline := time.Now().Add(20 * time.Second)
	for rows(s.screen()) == rows(before) {
		if time.Now().After(deadline) {
			s.t.Fatalf("the exceptions pane did not change on its own:\n%s", before)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// keys sends tmux key names, pausing so the terminal reads Escape as a key
// of its own rather than the start of a sequence.
func (s tmuxSession) keys(keys ...string) {
	for _, k := range keys {
		s.tmux("send-keys", "-t", "e2e", k)
		time.Sleep(150 * time.Millisecond)
	}
}

// The newcomer's path through the real binary in a real terminal: the demo
// comes up and its exceptions change by themselves, search finds an order, Enter drills to a parcel, Esc walks
// back, q quits and gives the terminal back.
func TestDemoEndToEndInTmux(t *testing.T) {
	bin, _ := buildForTmux(t)
	s := startTmux(t, "e2e", 100, 30, bin+" demo --orders 300; echo EXIT:$?; sleep 60")

	first := s.waitFor("wismo", "Exceptions", "open ·", "Tracking")
	s.waitForRowsToChange(first)
	s.keys("/")
	s.tmux("send-keys", "-t", "e2e", "-l", "1001")
	s.waitFor("order number =", "1001")
	s.keys("Enter")
	s.waitFor("Exceptions › Order 1001", "Customer", "Tracking")
	s.keys("Enter")
	s.waitFor("› Parcel ", "Carrier time", "by dhl/")
	s.keys("Escape")
	s.waitFor("Exceptions › Order 1001")
	s.keys("Escape")
	s.keys("?")
	s.waitFor("page down")
	s.keys("q")
	scr := s.waitFor("EXIT:0")
	if strings.Contains(scr, "Exceptions") {
		t.Errorf("the desk is still on screen after quitting:\n%s", scr)
	}
}
