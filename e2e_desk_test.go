package main

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// An agent's call on the real binary in a real 120×40 terminal, the demo
// keeping its store in a directory of the test's: the exceptions come up,
// an order read off the screen is searched, Enter drills to its order and
// to a parcel's timeline, Esc walks back to the list, a acknowledges the
// selected exception and the status line confirms it, q quits. Each step
// waits for its screen and fails showing the screen it got.
func TestDeskCallEndToEndInTmux(t *testing.T) {
	bin, dir := buildForTmux(t)
	s := startTmux(t, "call", 120, 40,
		fmt.Sprintf("%s demo --orders 500 --data %s; echo EXIT:$?; sleep 60", bin, filepath.Join(dir, "data")))

	order := s.firstListedOrder()
	s.keys("/")
	s.tmux("send-keys", "-t", "e2e", "-l", order)
	s.waitFor("order number =", order)
	s.keys("Enter")
	s.waitFor("› Order "+order, "Customer", "Tracking")
	s.keys("Enter")
	s.waitFor("› Order "+order+" › Parcel ", "Carrier time", "Status")
	s.keys("Escape")
	s.waitUntil("the order again", func(scr string) bool {
		return strings.Contains(scr, "› Order "+order) && !strings.Contains(scr, "› Parcel")
	})
	s.keys("Escape")
	s.waitUntil("the exceptions list again", func(scr string) bool {
		return !strings.Contains(scr, "› Order") && strings.Contains(scr, "Tracking")
	})
	s.acknowledge()
	s.keys("q")
	if scr := s.waitFor("EXIT:0"); strings.Contains(scr, "Exceptions") {
		t.Errorf("the desk is still on screen after quitting:\n%s", scr)
	}
}

// waitUntil polls the screen until ok holds, for at most 20 s, and fails
// with the last screen if it never does.
func (s tmuxSession) waitUntil(what string, ok func(screen string) bool) string {
	s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		scr := s.screen()
		if ok(scr) {
			return scr
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the screen never showed %s:\n%s", what, scr)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// firstListedOrder waits for the exceptions list to show rows and reads
// the order number of the first, in the column under the header "Order".
func (s tmuxSession) firstListedOrder() string {
	s.t.Helper()
	var order string
	s.waitUntil("a row of exceptions", func(scr string) bool {
		order = listedOrder(scr)
		return order != ""
	})
	return order
}

// listedOrder is the order number of the list's first row on scr, or ""
// while there is none: the table's header line, a rule, then the rows.
func listedOrder(scr string) string {
	lines := strings.Split(scr, "\n")
	for i, line := range lines {
		head := []rune(line)
		col := strings.Index(line, " Order ")
		if col < 0 || !strings.Contains(line, "Tracking") || i+2 >= len(lines) {
			continue
		}
		col = len([]rune(line[:col])) + 1
		row := []rune(lines[i+2])
		if len(row) <= col || len(head) <= col {
			return ""
		}
		number, _, _ := strings.Cut(string(row[col:]), " ")
		if number == "" || strings.Trim(number, "0123456789") != "" {
			return ""
		}
		return number
	}
	return ""
}

// acknowledge presses a on the selected exception, waits for the status
// line to confirm it and for its row to be marked ✓. A carrier may change
// that exception in the moment between the screen and the key; the desk
// then refuses the stale action and says so, and the agent presses a
// again.
func (s tmuxSession) acknowledge() {
	s.t.Helper()
	for range 3 {
		s.keys("a")
		scr := s.waitUntil("the acknowledgement or a refusal", func(scr string) bool {
			return strings.Contains(scr, "Acknowledged ") || strings.Contains(scr, "Error:")
		})
		order, ok := acknowledgedOrder(scr)
		if !ok {
			continue
		}
		s.waitUntil("order "+order+"'s row marked ✓", func(scr string) bool {
			for _, line := range strings.Split(scr, "\n") {
				if strings.Contains(line, " "+order+" ") && strings.Contains(line, "✓") {
					return true
				}
			}
			return false
		})
		return
	}
	s.t.Fatalf("a was refused three times:\n%s", s.screen())
}

// acknowledgedOrder reads the status line's "Acknowledged <kind> · order
// <number>".
func acknowledgedOrder(scr string) (string, bool) {
	_, done, ok := strings.Cut(scr, "Acknowledged ")
	_, order, _ := strings.Cut(done, "· order ")
	if fields := strings.Fields(order); ok && len(fields) > 0 {
		return fields[0], true
	}
	return "", false
}

// colourCodes matches the SGR sequences tmux reports for a cell.
var colourCodes = regexp.MustCompile(`\x1b\[([0-9;:]*)m`)

// coloured reports whether any SGR sequence in s sets a colour (default
// foreground and background, 39 and 49, are no colour).
func coloured(s string) bool {
	for _, m := range colourCodes.FindAllStringSubmatch(s, -1) {
		for _, p := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ';' || r == ':' }) {
			n, err := strconv.Atoi(p)
			if err == nil && (n >= 30 && n <= 38 || n >= 40 && n <= 48 || n >= 90 && n <= 107) {
				return true
			}
		}
	}
	return false
}

// With NO_COLOR set the desk draws no colour at all, and still tells an
// exception someone must act on by its mark; without it, it draws colour.
func TestNoColorEndToEndInTmux(t *testing.T) {
	bin, dir := buildForTmux(t)
	for _, noColor := range []bool{true, false} {
		env := "TERM=xterm-256color COLORTERM=truecolor"
		if noColor {
			env += " NO_COLOR=1"
		}
		s := startTmux(t, fmt.Sprint("nocolor-", noColor), 120, 40,
			fmt.Sprintf("env %s %s demo --orders 300 --data %s; sleep 60", env, bin, filepath.Join(dir, fmt.Sprint(noColor))))
		s.waitFor("Tracking", " !  ")
		scr := s.tmux("capture-pane", "-e", "-p", "-t", "e2e")
		s.stop()
		if got := coloured(scr); got == noColor {
			t.Errorf("NO_COLOR set %v: the screen has colour %v:\n%q", noColor, got, scr[:min(len(scr), 400)])
		}
	}
}
