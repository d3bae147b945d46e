package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/wismo/wismo/store"
	"github.com/wismo/wismo/tracker"
)

// Every pane as an agent sees it at 100×30 and at 160×50: the golden
// files are the review copy of the layout (regenerate with
// go test ./ui -update).
func TestPaneGoldens(t *testing.T) {
	panes := []struct {
		name string
		keys func(t *testing.T, m tea.Model) tea.Model
	}{
		{"exceptions", func(t *testing.T, m tea.Model) tea.Model { return press(t, m, "down") }},
		{"exceptions-sorted", func(t *testing.T, m tea.Model) tea.Model { return press(t, m, "s", "S", "a") }},
		{"search", func(t *testing.T, m tea.Model) tea.Model { return typeText(t, press(t, m, "/"), "mü") }},
		{"order", func(t *testing.T, m tea.Model) tea.Model { return openOrder(t, m, "1001") }},
		{"parcel", func(t *testing.T, m tea.Model) tea.Model { return press(t, openOrder(t, m, "1001"), "enter") }},
		{"resolve", func(t *testing.T, m tea.Model) tea.Model { return typeText(t, press(t, m, "r"), "Refunded") }},
		{"help", func(t *testing.T, m tea.Model) tea.Model { return press(t, m, "?") }},
		{"outbox", func(t *testing.T, m tea.Model) tea.Model { return press(t, m, "O") }},
		{"letter", func(t *testing.T, m tea.Model) tea.Model { return press(t, m, "O", "enter") }},
		{"resend", func(t *testing.T, m tea.Model) tea.Model { return press(t, openOrder(t, m, "1001"), "n") }},
		{"command", func(t *testing.T, m tea.Model) tea.Model { return typeText(t, press(t, m, ":"), "vi") }},
	}
	for _, size := range []struct{ w, h int }{{100, 30}, {160, 50}} {
		for _, pane := range panes {
			t.Run(fmt.Sprintf("%s/%dx%d", pane.name, size.w, size.h), func(t *testing.T) {
				st := openDesk(t, 30)
				seedNotes(t, st) // 1001's returns and notifications
				tr := tracker.New(st, nil, clock, tracker.Config{}, nil)
				m := start(t, st, size.w, size.h, func(m Model) Model { return m.WithActions(tr).WithAgent("ana") })
				if pane.name == "parcel" { // a note to show in its history
					m = press(t, typeText(t, press(t, m, "c"), "Called the customer"), "enter")
				}
				golden.RequireEqual(t, []byte(screen(pane.keys(t, m))))
			})
		}
	}
}

func TestExceptionsWorstFirstAndLive(t *testing.T) {
	st := openDesk(t, 30)
	m := start(t, st, 100, 30)
	s := screen(m)
	mustContain(t, s, "7 open", "lost 1", "Anna Müller")
	if strings.Index(s, "lost") > strings.Index(s, "customs hold") {
		t.Fatalf("lost should list above customs hold:\n%s", s)
	}

	// Select the third row, then let a worse exception arrive above it:
	// the selection stays on the same exception, not the same line.
	m = press(t, m, "down", "down")
	before := selectedID(t, m)
	err := st.Update(func(tx *store.Tx) error {
		e := store.Exception{Parcel: 20, Order: "1015", Kind: store.KindLost, OpenedAt: now.Add(-90 * time.Hour)}
		return tx.OpenException(&e)
	})
	if err != nil {
		t.Fatal(err)
	}
	m = settle(t, m, func() tea.Msg { return changedMsg{} })
	p := m.(Model).top().(*exceptionsPane)
	if got := selectedID(t, m); got != before || p.sel != 3 {
		t.Errorf("after refresh selection is %d at row %d, want %d at row 3", got, p.sel, before)
	}
	mustContain(t, screen(m), "8 open", "lost 2")
}

// The pane holds a window, not the list: moving past its last row reads
// the next row from the store and slides the window.
func TestExceptionsScrollBeyondWindow(t *testing.T) {
	st := openDesk(t, 30)
	m := start(t, st, 100, 12)
	p := m.(Model).top().(*exceptionsPane)
	size := p.pageSize()
	if size >= len(troubles) {
		t.Fatalf("window of %d rows holds all %d exceptions; test needs a smaller screen", size, len(troubles))
	}
	for range len(troubles) + 2 {
		m = press(t, m, "down")
	}
	p = m.(Model).top().(*exceptionsPane)
	last := troubles[len(troubles)-1].kind
	if got := p.rows[p.sel].Exception.Kind; got != last {
		t.Errorf("after scrolling to the end selected %s, want %s", got, last)
	}
	if len(p.rows) != size {
		t.Errorf("window holds %d rows, want %d", len(p.rows), size)
	}
	m = press(t, m, "g")
	p = m.(Model).top().(*exceptionsPane)
	if p.sel != 0 || p.rows[0].Exception.Kind != store.KindLost {
		t.Errorf("g did not return to the top: row %d, %s", p.sel, p.rows[0].Exception.Kind)
	}
}

// The call flow: search by order number, open it, open a parcel, walk back.
func TestSearchDrillDownAndBack(t *testing.T) {
	m := start(t, openDesk(t, 30), 100, 30)
	m = press(t, m, "/")
	m = typeText(t, m, "1004")
	mustContain(t, screen(m), "Exceptions › Search", "1004", "Karl Schröder", "order number")
	m = press(t, m, "enter")
	s := screen(m)
	mustContain(t, s, "Exceptions › Order 1004", "c3@example.com", "00340430000000001004", "customs hold")
	if strings.Contains(s, "Search") {
		t.Errorf("search box still stacked under the order:\n%s", s)
	}
	m = press(t, m, "enter")
	mustContain(t, screen(m), "› Parcel 00340430000000001004", "Bochum", "dhl/transit", "in transit")
	m = press(t, m, "esc")
	mustContain(t, screen(m), "Exceptions › Order 1004")
	m = press(t, m, "esc")
	mustContain(t, screen(m), "Kind", "7 open")
	if len(m.(Model).stack) != 1 {
		t.Errorf("stack depth %d after walking back", len(m.(Model).stack))
	}
}

// One box finds an order by whatever the caller gives: email in any case,
// phone in any formatting, a name without its accents, a postcode; a paste
// of several tracking numbers lists all their orders.
func TestSearchEveryKey(t *testing.T) {
	for query, want := range map[string][]string{
		"C3@EXAMPLE.COM": {"1004", "Karl Schröder", "email"},
		"schro":          {"1004", "Karl Schröder", "name"},
		"10115":          {"1001", "postcode"},
		"00340430000000001004\n00340430000000001008": {"1004", "1008", "tracking number ="},
	} {
		m := press(t, start(t, openDesk(t, 30), 100, 30), "/")
		m = settle(t, m, func() tea.Msg { return tea.PasteMsg{Content: query} })
		mustContain(t, screen(m), want...)
	}
}

// Any paste, however long or strange, is no error: the search finds what it
// can, and the desk carries on.
func TestSearchBadPaste(t *testing.T) {
	for _, paste := range []string{
		strings.Repeat("a", 10_000), "\x00\x1b[31m\x07", "\xff\xfe 1004", strings.Repeat("1004 ", 2000),
	} {
		m := press(t, start(t, openDesk(t, 30), 100, 30), "/")
		m = settle(t, m, func() tea.Msg { return tea.PasteMsg{Content: paste} })
		s := screen(m)
		if strings.Contains(s, "rror") {
			t.Errorf("paste of %d bytes shows an error:\n%s", len(paste), s)
		}
		mustContain(t, s, "Search")
		if got := len(m.(Model).top().(*searchPane).input.Value()); got > searchCharLimit {
			t.Errorf("box holds %d bytes, limit %d", got, searchCharLimit)
		}
	}
}

// An order long finished has left the hot store for the archive: its
// number still finds it, and the order says where it came from.
func TestArchivedOrderOpens(t *testing.T) {
	st := openDesk(t, 30)
	err := st.Update(func(tx *store.Tx) error {
		p := store.Parcel{Carrier: "dhl", TrackingNumber: "00340439000000009001", Order: "9001",
			Status: store.StatusDelivered, StatusAt: now.Add(-200 * 24 * time.Hour),
			LastEventAt: now.Add(-200 * 24 * time.Hour), DeliveredAt: now.Add(-200 * 24 * time.Hour)}
		if err := tx.CreateParcel(&p); err != nil {
			return err
		}
		return tx.PutOrder(store.Order{Number: "9001", PlacedAt: now.Add(-203 * 24 * time.Hour),
			Customer: store.Customer{Name: "Ada Archive"}, Parcels: []store.ParcelID{p.ID}})
	})
	if err != nil {
		t.Fatal(err)
	}
	if n, _, err := st.Archive(now.Add(-90*24*time.Hour), 10, now); err != nil || n != 1 {
		t.Fatalf("Archive = %d, %v; want the one finished order", n, err)
	}
	m := press(t, start(t, st, 100, 30), "/")
	m = typeText(t, m, "#9001")
	m = press(t, m, "enter")
	mustContain(t, screen(m), "Order 9001", "Ada Archive", "archived")
}

func TestSearchByTrackingWithSpacesAndNoMatch(t *testing.T) {
	m := start(t, openDesk(t, 30), 100, 30)
	m = press(t, m, "/")
	m = typeText(t, m, "0034 0431 0000 0000 1008")
	mustContain(t, screen(m), "1008", "tracking number =")
	m = press(t, m, "esc", "/")
	m = typeText(t, m, "qqq")
	mustContain(t, screen(m), `No order matches "qqq"`)
	if _, ok := m.(Model).top().(*searchPane); !ok {
		t.Fatal("typing q in the search box left it: q must be text there")
	}
}

func TestEnterOnExceptionOpensItsOrder(t *testing.T) {
	m := start(t, openDesk(t, 30), 100, 30)
	m = press(t, m, "enter")
	mustContain(t, screen(m), "Exceptions › Order 1001", "Anna Müller", "lost")
}

func TestHelpAndQuit(t *testing.T) {
	m := start(t, openDesk(t, 3), 100, 30)
	mustContain(t, screen(m), "? help", "q quit")
	m = press(t, m, "?")
	mustContain(t, screen(m), "page down", "first", "last")
	_, cmd := m.Update(keyPress("q"))
	if cmd == nil {
		t.Fatal("q returned no command")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Fatal("q did not quit")
	}
}

func TestTooSmallTerminal(t *testing.T) {
	m := start(t, openDesk(t, 3), 40, 10)
	mustContain(t, screen(m), "Terminal too small", "60×12", "40×10")
	m = settle(t, m, func() tea.Msg { return tea.WindowSizeMsg{Width: 100, Height: 30} })
	mustContain(t, screen(m), "Exceptions", "Anna Müller")
}

// A load answered after a newer one was asked for must not overwrite it.
func TestStaleLoadIsDropped(t *testing.T) {
	st := openDesk(t, 30)
	p := newExceptionsPane(st, clock, NewStyles(true), nil, "", false)
	p.SetSize(98, 20)
	stale := p.load(p.request())
	fresh := p.load(p.request())
	p.Update(fresh())
	rows := len(p.rows)
	msg := stale().(exceptionsMsg)
	msg.rows = nil
	p.Update(msg)
	if len(p.rows) != rows {
		t.Errorf("stale load replaced %d rows with %d", rows, len(p.rows))
	}
}

func TestEmptyDesk(t *testing.T) {
	m := start(t, openDesk(t, 0), 100, 30)
	mustContain(t, screen(m), "Nothing in this view", "0 open")
}

// A search beside an archive file that cannot be read shows what the rest
// found, and says which file it could not search and why.
func TestSearchSaysWhichArchiveItCouldNotRead(t *testing.T) {
	st := openDesk(t, 30)
	err := st.Update(func(tx *store.Tx) error {
		p := store.Parcel{Carrier: "dhl", TrackingNumber: "00340439000000009001", Order: "9001",
			Status: store.StatusDelivered, LastEventAt: now.Add(-200 * 24 * time.Hour)}
		if err := tx.CreateParcel(&p); err != nil {
			return err
		}
		return tx.PutOrder(store.Order{Number: "9001", PlacedAt: now.Add(-203 * 24 * time.Hour),
			Customer: store.Customer{Name: "Ada Archive"}, Parcels: []store.ParcelID{p.ID}})
	})
	if err != nil {
		t.Fatal(err)
	}
	if n, _, err := st.Archive(now.Add(-90*24*time.Hour), 10, now); err != nil || n != 1 {
		t.Fatalf("Archive = %d, %v; want the one finished order", n, err)
	}
	path := st.Path()
	st.Close()
	if err := os.Remove(filepath.Join(filepath.Dir(path), "archive", now.Format("2006-01")+".db")); err != nil {
		t.Fatal(err)
	}
	st, err = store.Open(path, store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	m := press(t, start(t, st, 120, 30), "/")
	m = typeText(t, m, "100")
	mustContain(t, screen(m), "Not searched: archive "+now.Format("2006-01")+" unavailable: the file is missing", "1001")
}
