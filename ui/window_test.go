package ui

import (
	"fmt"
	"image/color"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/wismo/wismo/store"
)

// The desk for these tests has more exceptions than a screen holds.
const busy = 40

func openException(t *testing.T, st *store.Store, parcel store.ParcelID, order string, kind store.ExceptionKind, age time.Duration) {
	t.Helper()
	err := st.Update(func(tx *store.Tx) error {
		return tx.OpenException(&store.Exception{Parcel: parcel, Order: order, Kind: kind, OpenedAt: now.Add(-age)})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// secondParcel is the exception-free second parcel of order 1001+i (i odd).
func secondParcel(t *testing.T, st *store.Store, i int) store.ParcelID {
	t.Helper()
	d, err := st.Order(fmt.Sprint(1001 + i))
	if err != nil || len(d.Parcels) < 2 {
		t.Fatalf("order %d has no second parcel: %v", 1001+i, err)
	}
	return d.Parcels[1].ID
}

func exceptions(m tea.Model) *exceptionsPane { return m.(Model).top().(*exceptionsPane) }

// An agent at the top of a long list sees a new worst exception arrive.
func TestNewWorstExceptionShowsAtTheTop(t *testing.T) {
	st := openDeskWith(t, busy, busy)
	m := start(t, st, 100, 14)
	openException(t, st, secondParcel(t, st, 1), "1002", store.KindLost, 500*time.Hour)
	m = settle(t, m, func() tea.Msg { return changedMsg{} })
	p := exceptions(m)
	if p.rows[0].Exception.Order != "1002" || p.rows[0].Exception.Kind != store.KindLost {
		t.Errorf("first row is %s %s, want the new lost exception of 1002", p.rows[0].Exception.Kind, p.rows[0].Exception.Order)
	}
	if p.sel != 1 {
		t.Errorf("selection on row %d, want it to follow its exception to row 1", p.sel)
	}
}

// When rows arriving above push the selected exception off the window,
// the window follows it: Enter must open the order the agent chose.
func TestSelectionFollowsItsExceptionOutOfTheWindow(t *testing.T) {
	st := openDeskWith(t, busy, busy)
	m := start(t, st, 100, 14)
	n := exceptions(m).pageSize()
	for range n - 1 {
		m = press(t, m, "down")
	}
	chosen := selectedID(t, m)
	for i := 1; i < 6; i += 2 {
		openException(t, st, secondParcel(t, st, i), fmt.Sprint(1001+i), store.KindLost, time.Duration(500+i)*time.Hour)
	}
	m = settle(t, m, func() tea.Msg { return changedMsg{} })
	if got := selectedID(t, m); got != chosen {
		t.Fatalf("selection moved from exception %d to %d", chosen, got)
	}
	p := exceptions(m)
	if p.sel != n-1 || len(p.rows) != n {
		t.Errorf("selection on row %d of %d, want the last of %d", p.sel, len(p.rows), n)
	}

	// Shrinking the terminal keeps it too.
	m = settle(t, m, func() tea.Msg { return tea.WindowSizeMsg{Width: 100, Height: 12} })
	if got := selectedID(t, m); got != chosen {
		t.Errorf("after shrinking, selection moved from %d to %d", chosen, got)
	}
}

func TestPagingReachesBothEnds(t *testing.T) {
	m := start(t, openDeskWith(t, busy, busy), 100, 14)
	for range busy {
		m = press(t, m, "pgdown")
	}
	p := exceptions(m)
	if p.sel != len(p.rows)-1 || p.atStart {
		t.Fatalf("pgdn stopped on row %d of %d", p.sel, len(p.rows))
	}
	last := p.rows[p.sel].Exception.ID
	if end := press(t, m, "G"); selectedID(t, end) != last {
		t.Errorf("pgdn's end %d is not G's %d", last, selectedID(t, end))
	}
	for range busy {
		m = press(t, m, "pgup")
	}
	if p := exceptions(m); p.sel != 0 || !p.atStart {
		t.Errorf("pgup stopped on row %d, at start %v", p.sel, p.atStart)
	}
}

// A store change arriving while a scroll is on its way must not swallow
// the keypress: the refresh waits for the scroll, then runs.
func TestChangeDuringScrollKeepsTheScroll(t *testing.T) {
	st := openDeskWith(t, busy, busy)
	m := start(t, st, 100, 14)
	p := exceptions(m)
	n := p.pageSize()
	for range n - 1 {
		m = press(t, m, "down")
	}
	want := p.rows[n-1].Exception.ID
	_, scroll := p.Update(keyPress("down")) // at the window's edge: a load
	if _, cmd := p.Update(changedMsg{}); cmd != nil {
		t.Fatal("a change during a scroll reloaded at once")
	}
	_, refresh := p.Update(scroll())
	if p.rows[n-2].Exception.ID != want || p.sel != n-1 {
		t.Fatalf("scroll lost: row %d selected, previous last row now at %d", p.sel, indexOf(p.rows, want))
	}
	if refresh == nil {
		t.Fatal("the change that waited was never applied")
	}
}

// No line of any pane is wider than the terminal, at any width the desk
// accepts.
func TestEveryWidthFits(t *testing.T) {
	st := openDesk(t, 30)
	for _, w := range []int{minWidth, 72, 80, 91, 100, 120, 160} {
		m := start(t, st, w, 30)
		screens := map[string]tea.Model{"exceptions": m}
		screens["search"] = typeText(t, press(t, m, "/"), "100")
		order := press(t, m, "enter")
		screens["order"] = order
		screens["parcel"] = press(t, order, "enter")
		for name, s := range screens {
			for i, line := range strings.Split(screen(s), "\n") {
				if lw := lipgloss.Width(line); lw > w {
					t.Errorf("%s at width %d: line %d is %d wide: %q", name, w, i, lw, line)
				}
			}
		}
	}
}

// On a light terminal the tables take the light theme too.
func TestLightBackgroundReachesTheTables(t *testing.T) {
	m := start(t, openDesk(t, 10), 100, 30)
	dark := m.(Model).View().Content
	m = settle(t, m, func() tea.Msg { return tea.BackgroundColorMsg{Color: color.White} })
	light := m.(Model).View().Content
	// The selected row is drawn in the theme's text colour: #E4E4E4 on dark,
	// #1F1F1F on light.
	if !strings.Contains(dark, "228;228;228") || !strings.Contains(light, "31;31;31") {
		t.Error("the selected row did not change to the light theme")
	}
}

func TestLongErrorKeepsTheLayout(t *testing.T) {
	m := start(t, openDesk(t, 10), 100, 30)
	long := fmt.Errorf("feed down: %s\nsecond line", strings.Repeat("very long reason ", 40))
	m = settle(t, m, func() tea.Msg { return errMsg{err: long} })
	s := screen(m)
	mustContain(t, s, "Error: feed down", "Exceptions")
	if lines := strings.Count(s, "\n") + 1; lines != 30 {
		t.Errorf("screen is %d lines, want 30", lines)
	}
}

// Enter typed before the hits for the full query arrive opens a hit for
// that query, never one for an earlier prefix.
func TestSearchEnterWaitsForItsQuery(t *testing.T) {
	p := newSearchPane(openDesk(t, 30), NewStyles(true))
	p.SetSize(98, 20)
	var prefix, full tea.Cmd
	for _, r := range "100" {
		_, prefix = p.Update(keyPress(string(r)))
	}
	p.Update(searchResult(t, prefix)) // hits for "100": 1001 first
	_, full = p.Update(keyPress("4"))
	if _, cmd := p.Update(keyPress("enter")); cmd != nil {
		t.Fatal("Enter opened a hit for the prefix")
	}
	_, open := p.Update(searchResult(t, full))
	msg, ok := open().(openOrderMsg)
	if !ok || msg.number != "1004" {
		t.Errorf("opened %+v, want order 1004", msg)
	}
}

// searchResult runs the search among a keystroke's commands (the text
// box batches its cursor blink with it) and returns its result.
func searchResult(t *testing.T, cmd tea.Cmd) searchMsg {
	t.Helper()
	batch, ok := cmd().(tea.BatchMsg)
	if !ok {
		t.Fatal("keystroke did not batch a search")
	}
	for _, c := range batch {
		if c == nil {
			continue
		}
		if msg, ok := runCmd(c); ok {
			if s, ok := msg.(searchMsg); ok {
				return s
			}
		}
	}
	t.Fatal("no search among the keystroke's commands")
	return searchMsg{}
}

// A navigation request from a pane that is no longer on top is void: the
// stack never loses its root or stacks an order twice.
func TestStaleNavigationIsIgnored(t *testing.T) {
	m := start(t, openDesk(t, 30), 100, 30)
	root := m.(Model).top().paneID()
	m = press(t, m, "/")
	search := m.(Model).top().paneID()
	m = settle(t, m, func() tea.Msg { return closeMsg{from: search} })
	m = settle(t, m, func() tea.Msg { return openOrderMsg{from: search, number: "1004", replace: true} })
	if st := m.(Model).stack; len(st) != 1 || st[0].paneID() != root {
		t.Fatalf("stack after a late open from a closed search: %d panes", len(st))
	}
	m = settle(t, m, func() tea.Msg { return openOrderMsg{from: root, number: "1001"} })
	m = settle(t, m, func() tea.Msg { return openOrderMsg{from: root, number: "1001"} })
	if n := len(m.(Model).stack); n != 2 {
		t.Errorf("two Enters stacked %d panes, want 2", n)
	}
}
