package ui

import (
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// recorder is a pane that keeps every message it is handed.
type recorder struct {
	loads
	got []tea.Msg
}

func (r *recorder) Title() string             { return "Recorder" }
func (r *recorder) Reload() tea.Cmd           { return nil }
func (r *recorder) View() string              { return "recorder" }
func (r *recorder) SetSize(int, int)          {}
func (r *recorder) ShortHelp() []key.Binding  { return nil }
func (r *recorder) FullHelp() [][]key.Binding { return nil }
func (r *recorder) Update(msg tea.Msg) (Pane, tea.Cmd) {
	r.got = append(r.got, msg)
	return r, nil
}

// received is the messages of type T the recorder got.
func received[T any](r *recorder) []T {
	var out []T
	for _, msg := range r.got {
		if m, ok := msg.(T); ok {
			out = append(out, m)
		}
	}
	return out
}

// withRecorder puts a recorder at the bottom of the desk's stack, in the
// exceptions list's place.
func withRecorder(t *testing.T, m tea.Model) (tea.Model, *recorder) {
	t.Helper()
	desk := m.(Model)
	r := &recorder{loads: newLoads()}
	desk.stack[0] = r
	return desk, r
}

// run types line on the command line and runs it.
func run(t *testing.T, m tea.Model, line string) tea.Model {
	t.Helper()
	m = typeText(t, press(t, m, ":"), line)
	return press(t, m, "enter")
}

func statusError(m tea.Model) error { return m.(Model).err }

func TestCommandOrder(t *testing.T) {
	m := run(t, start(t, openDesk(t, 30), 100, 30), "order 1004")
	mustContain(t, screen(m), "› Order 1004", "Karl Schröder")
	m = run(t, m, "order #1005")
	mustContain(t, screen(m), "› Order 1004 › Order 1005")
}

func TestCommandOrderBad(t *testing.T) {
	for line, want := range map[string]string{
		"order 9999":      `no order "9999"`,
		"order":           ":order needs number",
		"order 1004 1005": ":order takes one order number",
	} {
		m := run(t, start(t, openDesk(t, 30), 100, 30), line)
		mustContain(t, screen(m), "Error: "+want)
		if n := len(m.(Model).stack); n != 1 {
			t.Errorf(":%s opened a pane", line)
		}
	}
}

// One parcel opens over its order; a number several parcels start with
// lists their orders in the search box.
func TestCommandTracking(t *testing.T) {
	m := run(t, start(t, openDesk(t, 30), 100, 30), "tracking 00340430000000001004")
	mustContain(t, screen(m), "› Order 1004 › Parcel 00340430000000001004", "Bochum")
	if n := len(m.(Model).stack); n != 3 {
		t.Errorf("stack is %d deep, want the exceptions, the order and the parcel", n)
	}
	m = press(t, m, "esc")
	mustContain(t, screen(m), "› Order 1004")

	m = run(t, start(t, openDesk(t, 30), 100, 30), "tracking 003404300000000010")
	mustContain(t, screen(m), "› Search", "1010", "1011")
	if got := m.(Model).top().(*searchPane).input.Value(); got != "003404300000000010" {
		t.Errorf("search box holds %q", got)
	}

	m = run(t, start(t, openDesk(t, 30), 100, 30), "tracking 1Z999")
	mustContain(t, screen(m), `Error: no parcel has tracking number "1Z999"`)
}

// :view and :carrier close every pane over the exceptions list and hand
// it the request.
func TestCommandViewAndCarrier(t *testing.T) {
	health := fabricatedHealth()
	m, r := withRecorder(t, start(t, openDesk(t, 30), 100, 30, withHealth(&health)))
	m = press(t, m, "O", "F")
	m = run(t, m, "view customs")
	if len(m.(Model).stack) != 1 {
		t.Errorf(":view left %d panes stacked", len(m.(Model).stack))
	}
	m = run(t, m, "view all")
	m = run(t, m, "carrier ups")
	m = run(t, m, "carrier")
	views, carriers := received[showViewMsg](r), received[filterCarrierMsg](r)
	if len(views) != 2 || views[0].name != "customs" || views[1].name != "all" {
		t.Errorf("views asked for: %+v", views)
	}
	if len(carriers) != 2 || carriers[0].carrier != "ups" || carriers[1].carrier != "" {
		t.Errorf("carrier filters asked for: %+v", carriers)
	}
	if statusError(m) != nil {
		t.Errorf("error after good commands: %v", statusError(m))
	}
}

func TestCommandViewAndCarrierBad(t *testing.T) {
	health := fabricatedHealth()
	for line, want := range map[string]string{
		"view":              ":view needs name",
		"view nowhere":      `unknown view "nowhere": try all, delayed, `,
		"carrier dpd":       `unknown carrier "dpd": try dhl, fedex, ups, usps`,
		"carrier u":         `carrier "u" could be ups or usps`,
		"carrier aftership": `unknown carrier "aftership"`, // webhooks only: not a carrier
	} {
		m, r := withRecorder(t, start(t, openDesk(t, 30), 100, 30, withHealth(&health)))
		m = run(t, m, line)
		mustContain(t, screen(m), "Error: "+want)
		if len(r.got) > 0 && (len(received[showViewMsg](r)) > 0 || len(received[filterCarrierMsg](r)) > 0) {
			t.Errorf(":%s asked the exceptions list for something", line)
		}
	}
	m := run(t, start(t, openDesk(t, 30), 100, 30), "carrier ups")
	mustContain(t, screen(m), `Error: unknown carrier "ups": this desk has no carrier feeds`)
}

func TestCommandPanesHelpQuit(t *testing.T) {
	m := run(t, start(t, openDesk(t, 3), 100, 30), "feeds")
	mustContain(t, screen(m), "› Feeds")
	m = run(t, m, "outbox")
	mustContain(t, screen(m), "Feeds › Outbox")
	m = run(t, m, "help")
	mustContain(t, screen(m), "feed health", "command", "page down")

	m = typeText(t, press(t, m, ":"), "quit")
	if _, cmd := m.Update(keyPress("enter")); cmd == nil {
		t.Fatal(":quit gave no command")
	} else if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Fatal(":quit did not quit")
	}
}

// Tab completes the command's name, then its argument; the choices show
// above the box.
func TestCommandCompletion(t *testing.T) {
	health := fabricatedHealth()
	m := typeText(t, press(t, start(t, openDesk(t, 3), 100, 30, withHealth(&health)), ":"), "vi")
	m = press(t, m, "tab")
	if got := commandValue(m); got != "view " {
		t.Fatalf("tab after vi gives %q, want %q", got, "view ")
	}
	mustContain(t, screen(m), "all · delayed · stalled", ":view ")
	m = typeText(t, m, "cu")
	m = press(t, m, "tab")
	if got := commandValue(m); got != "view customs" {
		t.Fatalf("tab after view cu gives %q", got)
	}

	m = typeText(t, press(t, m, "esc", ":"), "carrier u")
	mustContain(t, screen(m), "ups · usps")
	m = press(t, m, "down", "tab")
	if got := commandValue(m); got != "carrier usps" {
		t.Fatalf("down, tab after carrier u gives %q", got)
	}
	m = typeText(t, press(t, m, "esc", ":"), "order ")
	mustContain(t, screen(m), "order NUMBER — open an order")
	m = typeText(t, press(t, m, "esc", ":"), "fe x")
	mustContain(t, screen(m), "feeds — the carrier feeds' health")
	m = typeText(t, press(t, m, "esc", ":"), "zz")
	mustContain(t, screen(m), `unknown command "zz"`)
}

func commandValue(m tea.Model) string { return m.(Model).command.input.Value() }

// Whatever is typed or pasted, the command line answers with an error in
// the status line or nothing, never a panic; esc closes it untouched, and
// while it is open q is a letter, not quit.
func TestCommandBadInput(t *testing.T) {
	m := press(t, start(t, openDesk(t, 3), 100, 30), ":", "enter")
	if statusError(m) != nil || m.(Model).command.open {
		t.Errorf("an empty command left the line open or gave %v", statusError(m))
	}
	for line, want := range map[string]string{
		"frobnicate": `unknown command "frobnicate": try order`,
		"o 1004":     `command "o" could be order or outbox`,
		"feeds now":  ":feeds takes nothing after its name",
	} {
		mustContain(t, screen(run(t, m, line)), "Error: "+want)
	}
	for _, paste := range []string{"order 1004\nquit", "\x1b[31m\x00\x07", strings.Repeat("tracking ", 100), "\xff\xfe"} {
		p := settle(t, press(t, m, ":"), func() tea.Msg { return tea.PasteMsg{Content: paste} })
		if got := len(commandValue(p)); got > commandCharLimit {
			t.Errorf("the line holds %d bytes, limit %d", got, commandCharLimit)
		}
		if _, cmd := p.Update(keyPress("enter")); cmd == nil {
			continue
		} else if msg, ok := runCmd(cmd); ok {
			if _, quit := msg.(tea.QuitMsg); quit {
				t.Errorf("paste %q quit the desk", paste)
			}
		}
	}
	// ↑ with nothing to suggest, then tab: nothing to complete, no panic.
	m = press(t, typeText(t, press(t, m, ":"), "zz"), "up", "tab", "esc")
	m = typeText(t, press(t, m, ":"), "q")
	if !m.(Model).command.open || commandValue(m) != "q" {
		t.Errorf("q on the open command line did not type: %q", commandValue(m))
	}
	m = press(t, m, "esc")
	if m.(Model).command.open || statusError(m) != nil {
		t.Error("esc did not close the command line quietly")
	}
	if s := screen(m); strings.Contains(s, "tab completes") {
		t.Errorf("the footer still shows the command line after esc:\n%s", s)
	}
}

// From an order, :view closes it and the exceptions list shows the view.
func TestCommandViewOnExceptions(t *testing.T) {
	m := run(t, run(t, start(t, openDesk(t, 30), 100, 30), "order 1004"), "view customs")
	p, ok := m.(Model).top().(*exceptionsPane)
	if !ok || len(m.(Model).stack) != 1 {
		t.Fatalf(":view left %s on top, %d deep", m.(Model).top().Title(), len(m.(Model).stack))
	}
	if got := p.views[p.view].Name; got != "customs" {
		t.Errorf("the list shows view %q, want customs", got)
	}
}
