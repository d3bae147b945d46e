package ui

import (
	"fmt"
	"image/color"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/wismo/wismo/store"
	"github.com/wismo/wismo/tracker"
)

// exPane is the exceptions list at the bottom of the stack.
func exPane(m tea.Model) *exceptionsPane {
	return m.(Model).stack[0].(*exceptionsPane)
}

// After :view from a pane over the list, the list still follows changes.
func TestListLiveAfterViewFromAbove(t *testing.T) {
	m, _, tr := workDesk(t, "ana")
	m = press(t, m, "enter") // open order 1001
	if len(m.(Model).stack) != 2 {
		t.Fatal("order did not open")
	}
	m = settle(t, m, emit(showViewMsg{name: "all"}))
	othersAcknowledgeTop(t, m, tr)
}

// othersAcknowledgeTop has another agent acknowledge the list's first row
// and checks the list shows it once told of the change.
func othersAcknowledgeTop(t *testing.T, m tea.Model, tr *tracker.Tracker) {
	t.Helper()
	e := exPane(m).rows[0].Exception
	if _, err := tr.Act(tracker.Act{Exception: e.ID, Seen: e.Version, Agent: "ben", Action: tracker.Acknowledge}); err != nil {
		t.Fatal(err)
	}
	for _, r := range exPane(changed(t, m)).rows {
		if r.Exception.ID == e.ID && r.Exception.State != store.StateAcknowledged {
			t.Errorf("the list missed the change: the row is still %s", r.Exception.State)
		}
	}
}

// A resize while a new order is being read does not stop the list
// following changes.
func TestListLiveAfterResizeMidLoad(t *testing.T) {
	m, _, tr := workDesk(t, "ana")
	// A sort key starts a restart; a resize arrives before its result.
	var cmd tea.Cmd
	m, cmd = m.Update(keyPress("S"))
	m = settle(t, m, func() tea.Msg { return tea.WindowSizeMsg{Width: 100, Height: 30} })
	m = settle(t, m, cmd) // the restart's result arrives: stale
	othersAcknowledgeTop(t, m, tr)
}

// From the index order to a sorted list and back, the selection stays.
func TestSelectionListToIndex(t *testing.T) {
	m, _, _ := workDesk(t, "ana")
	m = press(t, m, "down", "down", "down")
	want := selectedID(t, m)
	m = press(t, m, "S") // severity descending: list mode
	if got := selectedID(t, m); got != want {
		t.Fatalf("index->list lost selection: %d want %d", got, want)
	}
	m = press(t, m, "S") // back to index order
	if got := selectedID(t, m); got != want {
		t.Errorf("list->index lost selection: %d want %d (sel=%d)", got, want, exPane(m).sel)
	}
}

// A window holds as many rows as the table shows.
func TestPageSize(t *testing.T) {
	st := openDeskWith(t, 60, 60)
	m := start(t, st, 100, 30)
	p := exPane(m)
	lines := splitLines(screen(m))
	blank := 0
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			blank++
		}
	}
	if p.pageSize() != p.table.Height() {
		t.Errorf("pageSize %d, viewport shows %d rows", p.pageSize(), p.table.Height())
	}
}

// On a timeline scrolled past its first rows, a click never selects a scan
// other than the one under it.
func TestParcelClickScrolled(t *testing.T) {
	st := openDesk(t, 3)
	var pid store.ParcelID
	err := st.Update(func(tx *store.Tx) error {
		d, err := tx.Order("1001")
		if err != nil {
			return err
		}
		pid = d.Parcels[0]
		var evs []store.Event
		for i := range 60 {
			at := now.Add(-time.Duration(100-i) * time.Hour)
			evs = append(evs, store.Event{Time: at, LocalTime: at.Format(time.RFC3339), RawCode: fmt.Sprint("c", i),
				RawText: fmt.Sprint("scan ", i), Status: store.StatusInTransit, Rule: "dhl/transit"})
		}
		_, err = tx.AddEvents(pid, store.SourcePoll, evs)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	m := start(t, st, 100, 30)
	m = settle(t, m, emit(openParcelMsg{from: exPane(m).id, id: pid}))
	pp := m.(Model).top().(*parcelPane)
	for range 40 {
		m = press(t, m, "down")
	}
	pp = m.(Model).top().(*parcelPane)
	before := pp.table.Cursor()
	top := lineOf(screen(m), pp.events[before].RawText)
	// click on the selected row itself, in pane coordinates
	y := top - headerLines(m)
	pp.Click(0, y)
	if got := pp.table.Cursor(); got != before {
		t.Errorf("click on the selected row (line %d) selected row %d, want %d", y, got, before)
	}
}

// lineOf is the first screen line showing want, -1 if none.
func lineOf(s, want string) int {
	for i, l := range splitLines(s) {
		if strings.Contains(l, want+" ") || strings.HasSuffix(strings.TrimSpace(l), want) {
			return i
		}
	}
	return -1
}

// headerLines is how many lines the desk's header takes.
func headerLines(m tea.Model) int {
	return strings.Count(m.(Model).header(), "\n") + 1
}

// Any size, down to nothing, with keys and clicks anywhere: no panic.
func TestOddSizes(t *testing.T) {
	m, _, _ := workDesk(t, "ana")
	for _, w := range []int{1, 2, 10, 30, 59, 60} {
		for _, h := range []int{0, 1, 2, 3, 5, 11, 12} {
			mm := settle(t, m, func() tea.Msg { return tea.WindowSizeMsg{Width: w, Height: h} })
			_ = screen(mm)
			for _, k := range []string{"down", "end", "up", "tab", "s", "0", "9", "f", "x", "enter", "esc"} {
				mm = press(t, mm, k)
			}
			for _, xy := range [][2]int{{0, 0}, {-5, -5}, {500, 500}, {w, 3}, {3, h}} {
				mm = settle(t, mm, func() tea.Msg { return tea.MouseClickMsg{X: xy[0], Y: xy[1], Button: tea.MouseLeft} })
			}
			_ = screen(mm)
		}
	}
}

// A snooze so long it would wrap around is refused, not shortened.
func TestSnoozeOverflow(t *testing.T) {
	// 1099511775394 days wraps a Duration into the allowed range.
	if d, err := parseSnooze("1099511775394d"); err == nil {
		t.Errorf("a snooze of 1099511775394 days was read as %v", d)
	}
}

// Far down the list, sorting and back (S S, or s round every column) keeps
// the selection.
func TestSelectionListToIndexFar(t *testing.T) {
	st := openDeskWith(t, 60, 60)
	tr := tracker.New(st, nil, clock, tracker.Config{}, nil)
	m := start(t, st, 100, 30, func(m Model) Model { return m.WithActions(tr).WithAgent("ana") })
	m = press(t, m, "end", "up", "up")
	want := selectedID(t, m)
	for _, k := range []string{"S", "S"} {
		m = press(t, m, k)
	}
	if got := selectedID(t, m); got != want {
		t.Errorf("list->index lost selection: %d want %d", got, want)
	}
	// sort wrap-around: s through every key back to severity
	m = press(t, m, "end", "up")
	want = selectedID(t, m)
	for range 9 {
		m = press(t, m, "s")
	}
	if got := selectedID(t, m); got != want {
		t.Errorf("s wrap lost selection: %d want %d", got, want)
	}
}

// racySource runs hook once, between a sorted list's ids and its rows.
type racySource struct {
	*store.Store
	hook func()
}

func (r *racySource) ExceptionRows(ids []store.ExceptionID) ([]store.ExceptionRow, error) {
	if r.hook != nil {
		h := r.hook
		r.hook = nil
		h()
	}
	return r.Store.ExceptionRows(ids)
}

// An exception resolved between reading a sorted list's ids and its rows
// is not listed.
func TestResolvedBetweenIdsAndRows(t *testing.T) {
	st := openDesk(t, 30)
	tr := tracker.New(st, nil, clock, tracker.Config{}, nil)
	src := &racySource{Store: st}
	m := startOver(t, src, st, 100, 30, func(m Model) Model { return m.WithActions(tr).WithAgent("ana") })
	rows, _ := st.ExceptionsAfter(store.ExceptionFilter{}, nil, 1)
	e := rows[0].Exception
	src.hook = func() {
		if _, err := tr.Act(tracker.Act{Exception: e.ID, Seen: e.Version, Agent: "ben", Action: tracker.Resolve, Note: "done"}); err != nil {
			t.Error(err)
		}
	}
	m = press(t, m, "s") // sort by order: list mode
	for _, r := range exPane(m).rows {
		if r.Exception.State == store.StateResolved {
			t.Errorf("resolved exception %d listed in sorted view", r.Exception.ID)
		}
	}
}

// A sorted list that arrives while another pane covers it still leaves the
// list live.
func TestListLiveAfterCoveredLoad(t *testing.T) {
	m, _, _ := workDesk(t, "ana")
	var cmd tea.Cmd
	m, cmd = m.Update(keyPress("s"))
	m = press(t, m, "/")
	m = settle(t, m, cmd) // the sorted list arrives while search is on top
	m = press(t, m, "esc")
	if exPane(m).scrolling {
		t.Error("scrolling stuck after a covered load")
	}
}

// failingSource fails every page once fail is set.
type failingSource struct {
	*store.Store
	fail bool
}

func (f *failingSource) ExceptionsAfter(fl store.ExceptionFilter, c store.Cursor, n int) ([]store.ExceptionRow, error) {
	if f.fail {
		return nil, fmt.Errorf("disk on fire")
	}
	return f.Store.ExceptionsAfter(fl, c, n)
}

// While the list cannot be read, the action keys act on nothing: the rows
// kept are not on screen.
func TestActOnHiddenRows(t *testing.T) {
	st := openDesk(t, 30)
	tr := tracker.New(st, nil, clock, tracker.Config{}, nil)
	src := &failingSource{Store: st}
	m := startOver(t, src, st, 100, 30, func(m Model) Model { return m.WithActions(tr).WithAgent("ana") })
	src.fail = true
	m = changed(t, m)
	mustContain(t, screen(m), "Could not read exceptions")
	m = press(t, m, "a", "m")
	trail, err := st.AuditTrail("", 10)
	if err != nil || len(trail) != 0 {
		t.Errorf("keys acted on rows that are not on screen: %v %v\n%s", trail, err, screen(m))
	}
}

// A burst of commits is one refresh: the wait lets the commits that
// follow the first ride along, and then waits for the next.
func TestBurstIsOneRefresh(t *testing.T) {
	st := openDesk(t, 3)
	ch, cancel := st.Subscribe()
	defer cancel()
	m := New(st, clock, ch)
	m.refreshAfter = 200 * time.Millisecond
	commit := func() {
		if err := st.Update(func(tx *store.Tx) error { return tx.PutOrder(store.Order{Number: "9001"}) }); err != nil {
			t.Fatal(err)
		}
	}
	commit()
	done := make(chan tea.Msg, 1)
	go func() { done <- m.waitForChange()() }()
	for range 5 {
		commit()
	}
	if msg, ok := (<-done).(changedMsg); !ok || msg.counts == nil || msg.counts.err != nil {
		t.Fatalf("the wait ended with %#v, want changedMsg with the counts read", msg)
	}
	if msg, ok := runCmd(m.waitForChange()); ok {
		t.Errorf("after the burst's refresh the next wait ended at once with %#v; want it to wait for a commit", msg)
	}
}

// :view from an order back to the list keeps the selected exception.
func TestToBottomKeep(t *testing.T) {
	m, _, _ := workDesk(t, "ana")
	m = press(t, m, "down", "down", "down")
	want := selectedID(t, m)
	m = press(t, m, "enter")
	m = settle(t, m, emit(showViewMsg{name: "all"}))
	if got := selectedID(t, m); got != want {
		t.Errorf(":view all from an order: selected %d, want %d", got, want)
	}
}

// Keys pressed before the terminal's size is known, or in a window no
// columns wide, open panes that are laid out all the same: no panic when
// their rows arrive, and the desk draws them once it has a size.
func TestPanesBeforeTheFirstSize(t *testing.T) {
	st := openDesk(t, 30)
	seedNotes(t, st)
	for _, keys := range [][]string{{"O"}, {"F"}, {"enter"}, {"/", "1"}, {":", "v"}} {
		ch, cancel := st.Subscribe()
		var m tea.Model = New(st, clock, ch)
		m = settle(t, m, m.Init())
		m = press(t, m, keys...)
		m = settle(t, m, func() tea.Msg { return tea.WindowSizeMsg{Width: 0, Height: 0} })
		m = press(t, m, "down")
		_ = screen(m)
		m = settle(t, m, func() tea.Msg { return tea.WindowSizeMsg{Width: 100, Height: 30} })
		mustContain(t, screen(m), "wismo")
		cancel()
	}
}

// alt+d (delete the word after the cursor) in a text box with the cursor
// on its last character does nothing, in every box.
func TestDeleteWordForwardInBoxes(t *testing.T) {
	m, _, _ := workDesk(t, "ana")
	altD := func() tea.Msg { return tea.KeyPressMsg{Code: 'd', Mod: tea.ModAlt} }
	for _, open := range [][]string{{"/"}, {":"}, {"f"}, {"c"}, {"enter", "n", "tab", "tab"}} {
		mm := typeText(t, press(t, m, open...), "ab")
		mm = press(t, mm, "left")
		mm = settle(t, mm, altD)
		_ = screen(mm)
	}
}

// A search with more hits than fit shows the selected one however far down
// the agent goes, and Enter opens that one.
func TestSearchScrollsToTheSelectedHit(t *testing.T) {
	m := start(t, openDesk(t, 100), 100, 20)
	m = typeText(t, press(t, m, "/"), "mü")
	for range 15 {
		m = press(t, m, "down")
	}
	// Every fifth order is Anna Müller's: the sixteenth hit is order 1076.
	mustContain(t, screen(m), "1076")
	m = press(t, m, "enter")
	mustContain(t, screen(m), "› Order 1076")
}

// A view with no exceptions at all still gets its counts: the tab bar
// drawn before any count was read is drawn again when all of them are 0.
func TestTabsShowZeroCounts(t *testing.T) {
	m := start(t, openDeskWith(t, 5, 0), 120, 30)
	mustContain(t, screen(m), "[All open 0]", "Delayed 0")
}

// When the terminal says it is light, every row is drawn again in the
// light theme: a desk that started dark and one that started light look
// alike.
func TestThemeChangeRedrawsTheRows(t *testing.T) {
	st := openDesk(t, 20)
	changed := start(t, st, 120, 30)
	changed = settle(t, changed, func() tea.Msg { return tea.BackgroundColorMsg{Color: color.White} })
	light := New(st, clock, nil)
	*light.styles = *NewStyles(false)
	light.help.Styles = light.styles.Help
	fresh := start(t, st, 120, 30, func(Model) Model { return light })
	a, b := splitLines(changed.(Model).View().Content), splitLines(fresh.(Model).View().Content)
	for i := range a {
		if i < len(b) && a[i] != b[i] {
			t.Errorf("after the background turned light, line %d differs from a desk drawn light:\n%q\n%q", i, a[i], b[i])
		}
	}
}
