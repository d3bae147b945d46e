package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/wismo/wismo/store"
	"github.com/wismo/wismo/tracker"
)

// workDesk is a 100×30 desk over 30 orders whose actions go through a
// real tracker on the same store, as agent who.
func workDesk(t *testing.T, who string, with ...func(Model) Model) (tea.Model, *store.Store, *tracker.Tracker) {
	t.Helper()
	st := openDesk(t, 30)
	tr := tracker.New(st, nil, clock, tracker.Config{}, nil)
	opts := append([]func(Model) Model{func(m Model) Model { return m.WithActions(tr).WithAgent(who) }}, with...)
	return start(t, st, 100, 30, opts...), st, tr
}

// exceptionOf reads exception id as the store has it now.
func exceptionOf(t *testing.T, st *store.Store, id store.ExceptionID) store.Exception {
	t.Helper()
	var e store.Exception
	if err := st.View(func(tx *store.Tx) (err error) { e, err = tx.Exception(id); return err }); err != nil {
		t.Fatal(err)
	}
	return e
}

// lastAudit is the newest audit entry about the parcel of exception e.
func lastAudit(t *testing.T, st *store.Store, e store.Exception) store.AuditEntry {
	t.Helper()
	trail, err := st.ParcelAudit(e.Parcel, 1)
	if err != nil || len(trail) == 0 {
		t.Fatalf("no audit entry for parcel %d: %v", e.Parcel, err)
	}
	return trail[0]
}

// changed tells the desk the store committed, as the change feed does.
func changed(t *testing.T, m tea.Model) tea.Model {
	return settle(t, m, func() tea.Msg { return changedMsg{} })
}

// Each quick key acts on the selected exception at once, records who did
// it in the audit log, and confirms in the status line.
func TestQuickActions(t *testing.T) {
	m, st, _ := workDesk(t, "ana")
	id := selectedID(t, m)

	m = changed(t, press(t, m, "a"))
	e := exceptionOf(t, st, id)
	if e.State != store.StateAcknowledged {
		t.Fatalf("after a the exception is %s, want acknowledged", e.State)
	}
	if a := lastAudit(t, st, e); a.Agent != "ana" || a.Action != string(tracker.Acknowledge) {
		t.Fatalf("audit after a: %+v", a)
	}
	mustContain(t, screen(m), "Acknowledged lost · order 1001", "✓")

	m = changed(t, press(t, m, "m"))
	if e = exceptionOf(t, st, id); e.Assignee != "ana" {
		t.Fatalf("after m the assignee is %q, want ana", e.Assignee)
	}
	mustContain(t, screen(m), "Assigned lost · order 1001 to ana")
}

// The dialogs: assign to someone, snooze for a while, comment, resolve
// with a note. Each is audited; a resolved exception leaves the list.
func TestDialogActions(t *testing.T) {
	m, st, _ := workDesk(t, "ana")
	id := selectedID(t, m)

	m = press(t, m, "A")
	mustContain(t, screen(m), "Assign to", "lost · order 1001")
	m = changed(t, press(t, typeText(t, m, "ben"), "enter"))
	if e := exceptionOf(t, st, id); e.Assignee != "ben" {
		t.Fatalf("assignee %q, want ben", e.Assignee)
	}

	m = press(t, m, "c")
	m = changed(t, press(t, typeText(t, m, "Called Anna, parcel at neighbour"), "enter"))
	if a := lastAudit(t, st, exceptionOf(t, st, id)); !strings.Contains(a.Detail, "neighbour") || a.Action != string(tracker.Note) {
		t.Fatalf("comment audit: %+v", a)
	}

	m = press(t, m, "z", "backspace", "backspace")
	m = changed(t, press(t, typeText(t, m, "2d"), "enter"))
	e := exceptionOf(t, st, id)
	if e.State != store.StateSnoozed || !e.SnoozedUntil.Equal(now.Add(48*60*60*1e9)) {
		t.Fatalf("after snooze 2d: state %s until %v", e.State, e.SnoozedUntil)
	}

	// A snoozed exception leaves All open for the Snoozed view; resolve it
	// from there.
	m = press(t, m, "0")
	mustContain(t, screen(m), "[snoozed 1]")
	m = press(t, m, "r", "enter")
	mustContain(t, screen(m), "Write a note")
	m = changed(t, press(t, typeText(t, m, "Customer has it"), "enter"))
	if e = exceptionOf(t, st, id); e.State != store.StateResolved || e.Resolution != "Customer has it" {
		t.Fatalf("after resolve: %s %q", e.State, e.Resolution)
	}
	mustContain(t, screen(m), "Resolved lost · order 1001", "[snoozed 0]")
}

// Bad input in a dialog is met in the dialog: nothing is written, the
// reason shows, and the agent can put it right.
func TestDialogBadInput(t *testing.T) {
	m, st, _ := workDesk(t, "ana")
	id := selectedID(t, m)
	for _, bad := range []string{"soon", "0m", "90d", "-4h"} {
		m = press(t, m, "z")
		for range 4 {
			m = press(t, m, "backspace")
		}
		m = press(t, typeText(t, m, bad), "enter")
		if !strings.Contains(screen(m), "snooze") || exceptionOf(t, st, id).State != store.StateOpen {
			t.Fatalf("snooze %q was not refused in the dialog:\n%s", bad, screen(m))
		}
		m = press(t, m, "esc")
	}
	if trail, _ := st.ParcelAudit(exceptionOf(t, st, id).Parcel, 10); len(trail) != 0 {
		t.Fatalf("refused input wrote %d audit entries", len(trail))
	}
}

// Another agent resolved the exception while this one looked at it: the
// action is refused with a message, and nothing is overwritten.
func TestActionOnChangedException(t *testing.T) {
	m, st, tr := workDesk(t, "ana")
	id := selectedID(t, m)
	seen := exceptionOf(t, st, id)
	if _, err := tr.Act(tracker.Act{Exception: id, Seen: seen.Version, Agent: "ben",
		Action: tracker.Resolve, Note: "refunded"}); err != nil {
		t.Fatal(err)
	}
	// ana's screen has not heard of it yet: her acknowledge uses what she saw.
	m = press(t, m, "a")
	if !strings.Contains(screen(m), "ben") {
		t.Fatalf("the refusal does not say who changed it:\n%s", screen(m))
	}
	if e := exceptionOf(t, st, id); e.State != store.StateResolved || e.Resolution != "refunded" {
		t.Fatalf("ana's acknowledge overwrote ben's resolve: %+v", e)
	}
}

// A read-only desk reads everything and changes nothing: the action keys
// say so, help lists them as read-only, and no dialog opens.
func TestReadOnlyDesk(t *testing.T) {
	m, st, _ := workDesk(t, "trainee", func(m Model) Model { return m.WithReadOnly(true) })
	id := selectedID(t, m)
	for _, k := range []string{"a", "m", "A", "z", "r", "c"} {
		m = press(t, m, k)
		if !strings.Contains(screen(m), "read-only") {
			t.Fatalf("%s on a read-only desk:\n%s", k, screen(m))
		}
		if _, ok := m.(Model).top().(*exceptionsPane); !ok {
			t.Fatalf("%s opened %T on a read-only desk", k, m.(Model).top())
		}
	}
	if e := exceptionOf(t, st, id); e.State != store.StateOpen || e.Assignee != "" {
		t.Fatalf("read-only desk changed the exception: %+v", e)
	}
	m = press(t, m, "?")
	mustContain(t, screen(m), "acknowledge (read-only)")
}

// Views switch by tab, number and name, each with its live count; the
// carrier filter narrows every view and its count.
func TestViews(t *testing.T) {
	m, _, _ := workDesk(t, "ana")
	mustContain(t, screen(m), "[all 7]", "customs 1", "lost 2")
	m = press(t, m, "tab")
	mustContain(t, screen(m), "[delayed 1]", "weather")
	m = press(t, m, "7")
	s := screen(m)
	mustContain(t, s, "[lost 2]", "lost", "damaged")
	if strings.Count(s, "customs hold") > 1 { // the header counts it once
		t.Fatalf("Lost/Damaged lists customs:\n%s", s)
	}
	m = settle(t, m, func() tea.Msg { return showViewMsg{name: "customs"} })
	mustContain(t, screen(m), "[customs 1]", "customs hold")
	m = settle(t, m, func() tea.Msg { return showViewMsg{name: "nonsense"} })
	mustContain(t, screen(m), `no view "nonsense"`)
	m = settle(t, m, func() tea.Msg { return filterCarrierMsg{carrier: "ups"} })
	mustContain(t, screen(m), "[customs 0]", "carrier ups", "Nothing in this view")
}

// Sorting by another column and filtering within a view read the view
// whole once; the selection stays on the same exception.
func TestSortAndFilter(t *testing.T) {
	m, _, _ := workDesk(t, "ana")
	m = press(t, m, "down", "down")
	id := selectedID(t, m)
	m = press(t, m, "s", "s", "s", "s", "s") // order, customer, carrier, tracking, age
	mustContain(t, screen(m), "Age▲", "sorted by age", "7 rows")
	if selectedID(t, m) != id {
		t.Fatalf("sorting lost the selection")
	}
	if rows := tableRows(screen(m)); len(rows) != 7 || !strings.Contains(rows[0], "stalled") || !strings.Contains(rows[6], "lost") {
		t.Fatalf("by age the newest (stalled, 1h) should list first, the oldest (lost) last:\n%s", screen(m))
	}
	m = press(t, m, "f")
	m = press(t, typeText(t, m, "weber"), "enter")
	mustContain(t, screen(m), "filter “weber”", "Jonas Weber")
	if strings.Contains(screen(m), "Anna Müller") {
		t.Fatalf("filter kept other customers:\n%s", screen(m))
	}
	// A paste of several lines with control characters filters on its words.
	m = press(t, m, "f", "esc", "f")
	m = settle(t, m, func() tea.Msg { return tea.PasteMsg{Content: "zoë\n\x1b[31m"} })
	m = press(t, m, "enter")
	mustContain(t, screen(m), "Zoë Dubois")
	m = press(t, m, "f", "esc")
	mustContain(t, screen(m), "Anna Müller")
}

// Clicking a tab shows its view; clicking a row selects it; the wheel
// moves the selection.
func TestMouse(t *testing.T) {
	m, _, _ := workDesk(t, "ana")
	s := splitLines(screen(m))
	tabsY, x := -1, -1
	for y, l := range s {
		if i := strings.Index(l, "customs"); i >= 0 && strings.Contains(l, "[all") {
			tabsY, x = y, len([]rune(l[:i]))
		}
	}
	if tabsY < 0 {
		t.Fatalf("no tab bar on screen:\n%s", screen(m))
	}
	click := func(x, y int) tea.Msg { return tea.MouseClickMsg{X: x, Y: y, Button: tea.MouseLeft} }
	m = settle(t, m, func() tea.Msg { return click(x+1, tabsY) })
	mustContain(t, screen(m), "[customs 1]")
	m = press(t, m, "1")
	m = settle(t, m, func() tea.Msg { return click(5, tabsY+4) })
	if p := m.(Model).top().(*exceptionsPane); p.sel != 1 {
		t.Fatalf("click on the second row selected row %d:\n%s", p.sel, screen(m))
	}
	m = settle(t, m, func() tea.Msg { return tea.MouseWheelMsg{Button: tea.MouseWheelDown} })
	if p := m.(Model).top().(*exceptionsPane); p.sel != 2 {
		t.Fatalf("wheel down selected row %d, want 2", p.sel)
	}

	// On an order, a click picks the parcel enter opens.
	m = openOrder(t, m, "1002")
	second := "00340431000000001002"
	for y, l := range splitLines(screen(m)) {
		if strings.Contains(l, second) {
			m = settle(t, m, func() tea.Msg { return click(10, y) })
		}
	}
	m = press(t, m, "enter")
	mustContain(t, screen(m), "Parcel "+second)
}

// tableRows are the exception rows on screen: the lines marked by state.
func tableRows(s string) []string {
	var rows []string
	for _, l := range splitLines(s) {
		if f := strings.Fields(l); len(f) > 0 && strings.Contains("!✓z·", f[0]) && len(f[0]) <= 3 {
			rows = append(rows, l)
		}
	}
	return rows
}

// Enter on an exception opens its order with the exception's parcel
// selected, not the order's first: enter again is that parcel's timeline.
func TestOpenOrderAtTheExceptionsParcel(t *testing.T) {
	st := openDesk(t, 30)
	err := st.Update(func(tx *store.Tx) error {
		p, err := tx.ParcelByTracking("dhl", "00340431000000001002")
		if err != nil {
			return err
		}
		return tx.OpenException(&store.Exception{Parcel: p.ID, Kind: store.KindLost, OpenedAt: now.Add(-200 * 60 * 60 * 1e9)})
	})
	if err != nil {
		t.Fatal(err)
	}
	m := press(t, start(t, st, 100, 30), "enter")
	mustContain(t, screen(m), "Order 1002")
	m = press(t, m, "enter")
	mustContain(t, screen(m), "Parcel 00340431000000001002")
}

// Filtering alone keeps the list worst first, and says nothing of a sort.
func TestFilterAloneIsNoSort(t *testing.T) {
	m, _, _ := workDesk(t, "ana")
	m = press(t, typeText(t, press(t, m, "f"), "weber"), "enter")
	s := screen(m)
	mustContain(t, s, "filter “weber”", "2 rows")
	if strings.Contains(s, "sorted by") || strings.Contains(s, "▲") {
		t.Fatalf("a filter alone reads as a sort:\n%s", s)
	}
}
