package ui

import (
	"errors"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/wismo/wismo/store"
	"github.com/wismo/wismo/tracker"
)

// liveDesk is the desk run by a real Bubble Tea program, without a
// terminal: input comes by Send, output is dropped, and what the desk
// shows after every message is kept, as if the terminal drew each one.
type liveDesk struct {
	p     *tea.Program
	shown *shown
	// holdQuit drops quit requests while set, so a storm of keys that
	// happens to press q runs to its end.
	holdQuit atomic.Bool
	done     chan struct{}
	final    tea.Model
	err      error
}

// shown is the screen after the latest message and which pane it was.
type shown struct {
	mu     sync.Mutex
	screen string
	top    string // the top pane's title
	news   chan struct{}
}

func (s *shown) set(m Model) {
	screen, top := ansi.Strip(m.View().Content), m.top().Title()
	s.mu.Lock()
	s.screen, s.top = screen, top
	s.mu.Unlock()
	select {
	case s.news <- struct{}{}:
	default:
	}
}

func (s *shown) get() (screen, top string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.screen, s.top
}

// drawEach wraps the desk so every state it reaches is drawn: a View that
// panics fails the test even if the renderer never drew that state.
type drawEach struct {
	tea.Model
	shown *shown
}

func (r drawEach) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m, cmd := r.Model.Update(msg)
	r.Model = m
	r.shown.set(m.(Model))
	return r, cmd
}

// runDesk starts desk as a program in a w×h window.
func runDesk(t *testing.T, desk Model, w, h int) *liveDesk {
	t.Helper()
	d := &liveDesk{shown: &shown{news: make(chan struct{}, 1)}, done: make(chan struct{})}
	hold := func(_ tea.Model, msg tea.Msg) tea.Msg {
		if _, quit := msg.(tea.QuitMsg); quit && d.holdQuit.Load() {
			return nil
		}
		return msg
	}
	d.p = tea.NewProgram(drawEach{Model: desk, shown: d.shown}, tea.WithInput(nil), tea.WithOutput(io.Discard),
		tea.WithoutSignals(), tea.WithWindowSize(w, h), tea.WithFilter(hold))
	go func() {
		defer close(d.done)
		d.final, d.err = d.p.Run()
	}()
	t.Cleanup(func() {
		d.p.Kill()
		<-d.done
	})
	return d
}

// keys presses each key as a terminal would send it; a key name longer
// than one rune that namedKeys does not know is typed rune by rune.
func (d *liveDesk) keys(keys ...string) {
	for _, k := range keys {
		if _, named := namedKeys[k]; named || len([]rune(k)) == 1 {
			d.p.Send(keyPress(k))
			continue
		}
		for _, r := range k {
			d.p.Send(keyPress(string(r)))
		}
	}
}

// await waits until the screen shows every one of wants and none of
// nots, and returns it.
func (d *liveDesk) await(t *testing.T, wants []string, nots ...string) string {
	t.Helper()
	deadline := time.NewTimer(10 * time.Second)
	defer deadline.Stop()
	for {
		screen, _ := d.shown.get()
		if containsAll(screen, wants...) && !containsAny(screen, nots...) {
			return screen
		}
		select {
		case <-d.shown.news:
		case <-d.done:
			t.Fatalf("the desk ended (%v) before the screen showed %q without %q:\n%s", d.err, wants, nots, screen)
		case <-deadline.C:
			t.Fatalf("the screen never showed %q without %q:\n%s", wants, nots, screen)
		}
	}
}

// awaitTop waits until the top pane's title starts with title.
func (d *liveDesk) awaitTop(t *testing.T, title string) {
	t.Helper()
	deadline := time.NewTimer(10 * time.Second)
	defer deadline.Stop()
	for {
		screen, top := d.shown.get()
		if strings.HasPrefix(top, title) {
			return
		}
		select {
		case <-d.shown.news:
		case <-d.done:
			t.Fatalf("the desk ended (%v) before %q was on top:\n%s", d.err, title, screen)
		case <-deadline.C:
			t.Fatalf("%q never came on top (%q is):\n%s", title, top, screen)
		}
	}
}

// finish waits for the desk to quit and returns its last state. A panic
// the program caught anywhere, in Update, View or a command, fails.
func (d *liveDesk) finish(t *testing.T) Model {
	t.Helper()
	select {
	case <-d.done:
	case <-time.After(10 * time.Second):
		t.Fatal("the desk did not quit")
	}
	if errors.Is(d.err, tea.ErrProgramPanic) {
		t.Fatalf("the desk panicked (stack above): %v", d.err)
	}
	if d.err != nil {
		t.Fatalf("the desk ended with %v", d.err)
	}
	return d.final.(drawEach).Model.(Model)
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// actingDesk is a live desk over openDesk's 30 orders whose actions go
// through a real tracker, as ana, in a w×h window.
func actingDesk(t *testing.T, w, h int) (*liveDesk, *store.Store) {
	t.Helper()
	st := openDesk(t, 30)
	changes, cancel := st.Subscribe()
	t.Cleanup(cancel)
	tr := tracker.New(st, nil, clock, tracker.Config{}, nil)
	return runDesk(t, New(st, clock, changes).WithActions(tr).WithAgent("ana"), w, h), st
}

// An agent's call, through the real program: find the order, open a
// parcel, walk back, acknowledge the worst exception, quit. The store has
// the acknowledgement under ana's name, in the parcel's audit trail.
func TestProgramAgentCall(t *testing.T) {
	d, st := actingDesk(t, 100, 30)
	id := openExceptionOf(t, st, "1001")
	d.await(t, []string{"7 open", "Order", "Tracking"})

	d.keys("/", "1004")
	d.await(t, []string{"Karl Schröder", "1004"})
	d.keys("enter")
	d.await(t, []string{"› Order 1004", "Customer", "Karl Schröder", "00340430000000001004"})
	d.keys("enter")
	d.await(t, []string{"› Parcel 00340430000000001004", "Carrier time", "Bochum"})
	d.keys("esc")
	d.await(t, []string{"› Order 1004"}, "› Parcel")
	d.keys("esc")
	d.awaitTop(t, "Exceptions")

	d.keys("a")
	// The confirmation comes first, the list read again with the ✓ after.
	d.await(t, []string{"Acknowledged lost · order 1001", "✓"})
	d.keys("q")
	final := d.finish(t)

	if top := final.top().Title(); top != "Exceptions" {
		t.Errorf("the desk quit on %q, want the exceptions list", top)
	}
	mustContain(t, screen(final), "✓", "1001")
	e := exceptionOf(t, st, id)
	if e.State != store.StateAcknowledged || e.UpdatedBy != "ana" {
		t.Errorf("order 1001's exception is %s by %q, want acknowledged by ana", e.State, e.UpdatedBy)
	}
	if a := lastAudit(t, st, e); a.Agent != "ana" || a.Action != string(tracker.Acknowledge) || a.Order != "1001" {
		t.Errorf("the parcel's last audit entry is %+v, want ana's acknowledge on order 1001", a)
	}
}

// openExceptionOf is the open exception of order number's first parcel.
func openExceptionOf(t *testing.T, st *store.Store, number string) store.ExceptionID {
	t.Helper()
	d, err := st.Order(number)
	if err != nil || len(d.Parcels) == 0 {
		t.Fatalf("order %s: %v", number, err)
	}
	e, ok := d.Exceptions[d.Parcels[0].ID]
	if !ok {
		t.Fatalf("order %s has no open exception", number)
	}
	return e.ID
}

// The window changes while the resolve dialog is open, down to too small
// and back: the dialog and what was typed survive, and enter resolves
// with the note, under ana's name.
func TestProgramResizeMidAction(t *testing.T) {
	d, st := actingDesk(t, 100, 30)
	id := openExceptionOf(t, st, "1001")
	// The header's count and the list load apart: r needs the row.
	d.await(t, []string{"7 open", "00340430000000001001"})
	d.keys("r")
	d.await(t, []string{"Resolve with a note"})
	d.keys("parcel found at the depot")
	d.p.Send(tea.WindowSizeMsg{Width: 160, Height: 50})
	d.await(t, []string{"Resolve with a note", "parcel found at the depot"})
	d.p.Send(tea.WindowSizeMsg{Width: 20, Height: 5})
	d.await(t, []string{"Terminal too small"})
	d.keys(", reshipped")
	d.p.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
	d.await(t, []string{"Resolve with a note", "parcel found at the depot, reshipped"})
	d.keys("enter")
	d.await(t, []string{"Resolved lost · order 1001", "6 open"})
	d.keys("q")
	d.finish(t)

	e := exceptionOf(t, st, id)
	if e.State != store.StateResolved || e.Resolution != "parcel found at the depot, reshipped" || e.UpdatedBy != "ana" {
		t.Errorf("order 1001's exception: %s, %q, by %q; want resolved with the note by ana", e.State, e.Resolution, e.UpdatedBy)
	}
	if a := lastAudit(t, st, e); a.Agent != "ana" || a.Action != string(tracker.Resolve) {
		t.Errorf("the parcel's last audit entry is %+v, want ana's resolve", a)
	}
}

// A 20×5 terminal: the desk says it is too small, keys and clicks meet no
// panic, and q still quits.
func TestProgramTinyTerminal(t *testing.T) {
	d, _ := actingDesk(t, 20, 5)
	d.await(t, []string{"Terminal too small", "20×5"})
	d.keys("down", "enter", "tab", "/", "1004", "enter", "esc", "esc", "?")
	d.p.Send(tea.MouseClickMsg{X: 3, Y: 2, Button: tea.MouseLeft})
	d.p.Send(tea.MouseWheelMsg{X: 3, Y: 2, Button: tea.MouseWheelDown})
	d.p.Send(tea.PasteMsg{Content: "1001\n1002"})
	d.keys("esc", "q")
	final := d.finish(t)
	mustContain(t, screen(final), "Terminal too small", "20×5")
}
