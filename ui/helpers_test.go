package ui

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/wismo/wismo/store"
)

// now is the desk clock in every UI test: time stands still.
var now = time.Date(2026, 3, 5, 12, 0, 0, 0, time.UTC)

func clock() time.Time { return now }

// troubles are the seeded exceptions, one parcel each, in the order the
// pane must show them: worst kind first, then oldest.
var troubles = []struct {
	kind  store.ExceptionKind
	hours int // opened this many hours before now
	text  string
}{
	{store.KindLost, 50, "Shipment lost in the network"},
	{store.KindDamaged, 3, "The shipment was damaged in transit"},
	{store.KindAddressIssue, 30, "The recipient could not be found at the address given"},
	{store.KindCustomsHold, 20, "The shipment is being held by customs"},
	{store.KindAttemptFailed, 2, "Delivery attempt failed: not at home"},
	{store.KindStalled, 1, "No scan for 49 h; last: processed in parcel center"},
	{store.KindWeather, 5, "Delayed by severe weather"},
}

// openDesk stores n orders of one or two parcels; the first len(troubles)
// orders each carry one exception. Order numbers run from 1001; parcel j
// of order N has tracking number 0034043j00000000N.
func openDesk(t testing.TB, n int) *store.Store {
	return openDeskWith(t, n, len(troubles))
}

// openDeskWith is openDesk with the first withExceptions orders carrying
// an exception: troubles in order, then their kinds again, ever older.
func openDeskWith(t testing.TB, n, withExceptions int) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "wismo.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	err = st.Update(func(tx *store.Tx) error {
		for i := range n {
			if err := seedOrder(tx, i, i < withExceptions); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func seedOrder(tx *store.Tx, i int, trouble bool) error {
	number := fmt.Sprint(1001 + i)
	o := store.Order{
		Number: number, PlacedAt: now.Add(-72 * time.Hour),
		Customer: store.Customer{Name: customers[i%len(customers)], Email: fmt.Sprintf("c%d@example.com", i)},
		ShipTo:   store.Address{City: "Berlin", PostalCode: "10115", Country: "DE"},
		Lines:    []store.Line{{SKU: "MUG", Title: "Ceramic mug", Qty: 1}},
	}
	for j := range 1 + i%2 {
		p := store.Parcel{
			Carrier: "dhl", TrackingNumber: fmt.Sprintf("0034043%d%012d", j, 1001+i), Order: number,
			Status: store.StatusInTransit, StatusText: "The shipment has been processed in the parcel center",
			StatusAt: now.Add(-10 * time.Hour), LastEventAt: now.Add(-10 * time.Hour),
		}
		if err := tx.CreateParcel(&p); err != nil {
			return err
		}
		if _, err := tx.AddEvents(p.ID, store.SourcePoll, []store.Event{{
			Time: p.StatusAt, LocalTime: "2026-03-05T03:00:00", RawCode: "transit", RawText: p.StatusText,
			Status: store.StatusInTransit, Rule: "dhl/transit", Location: store.Location{City: "Bochum"},
		}}); err != nil {
			return err
		}
		o.Parcels = append(o.Parcels, p.ID)
		if j == 0 && trouble {
			tr := troubles[i%len(troubles)]
			if i >= len(troubles) {
				tr.hours = 100 + i
			}
			e := store.Exception{Parcel: p.ID, Order: number, Kind: tr.kind,
				OpenedAt: now.Add(-time.Duration(tr.hours) * time.Hour), Detail: tr.text, Rule: "test"}
			if err := tx.OpenException(&e); err != nil {
				return err
			}
		}
	}
	return tx.PutOrder(o)
}

var customers = []string{"Anna Müller", "Jonas Weber", "Zoë Dubois", "Karl Schröder", "Olivia Jones"}

// settle runs cmd and every command it leads to, feeding each message back
// into m. Commands that block (waiting for a store change, the clock tick)
// are dropped after a short grace: a test drives time itself.
func settle(t testing.TB, m tea.Model, cmd tea.Cmd) tea.Model {
	t.Helper()
	pending := []tea.Cmd{cmd}
	for len(pending) > 0 {
		c := pending[0]
		pending = pending[1:]
		if c == nil {
			continue
		}
		msg, ok := runCmd(c)
		if !ok {
			continue
		}
		switch msg := msg.(type) {
		case nil:
		case tea.BatchMsg:
			pending = append(pending, msg...)
		default:
			var next tea.Cmd
			m, next = m.Update(msg)
			pending = append(pending, next)
		}
	}
	return m
}

// runCmd runs c and returns its message, or false if it blocks past a
// short grace (a wait for a change, a clock tick).
func runCmd(c tea.Cmd) (tea.Msg, bool) {
	done := make(chan tea.Msg, 1)
	go func() { done <- c() }()
	select {
	case msg := <-done:
		return msg, true
	case <-time.After(50 * time.Millisecond):
		return nil, false
	}
}

// press sends one key press, as a terminal would, and settles what follows.
func press(t *testing.T, m tea.Model, keys ...string) tea.Model {
	t.Helper()
	for _, k := range keys {
		m = settle(t, m, func() tea.Msg { return keyPress(k) })
	}
	return m
}

// namedKeys are the keys tests press by name; any other name is a rune.
var namedKeys = map[string]rune{
	"enter": tea.KeyEnter, "esc": tea.KeyEscape, "down": tea.KeyDown,
	"up": tea.KeyUp, "pgdown": tea.KeyPgDown, "end": tea.KeyEnd,
	"tab": tea.KeyTab, "left": tea.KeyLeft, "right": tea.KeyRight, "backspace": tea.KeyBackspace,
}

func keyPress(k string) tea.KeyPressMsg {
	if code, ok := namedKeys[k]; ok {
		return tea.KeyPressMsg{Code: code}
	}
	r := []rune(k)[0]
	return tea.KeyPressMsg{Code: r, Text: k}
}

// typeText types each rune of s.
func typeText(t *testing.T, m tea.Model, s string) tea.Model {
	t.Helper()
	for _, r := range s {
		m = press(t, m, string(r))
	}
	return m
}

// selectedID is the exception selected on the exceptions pane.
func selectedID(t testing.TB, m tea.Model) store.ExceptionID {
	t.Helper()
	r, ok := m.(Model).top().(*exceptionsPane).selected()
	if !ok {
		t.Fatal("no exception selected")
	}
	return r.Exception.ID
}

// screen is what the agent sees: the view without colour codes.
func screen(m tea.Model) string {
	return ansi.Strip(m.(Model).View().Content)
}

// start builds a desk of size w×h over st, given what with adds (actions,
// an inbox), and runs its first loads.
func start(t testing.TB, st *store.Store, w, h int, with ...func(Model) Model) tea.Model {
	t.Helper()
	return startOver(t, st, st, w, h, with...)
}

// startOver is start reading through src, a Source over st that may
// stand in for it (to fail, or to race a write).
func startOver(t testing.TB, src Source, st *store.Store, w, h int, with ...func(Model) Model) tea.Model {
	t.Helper()
	ch, cancel := st.Subscribe()
	t.Cleanup(cancel)
	desk := New(src, clock, ch)
	desk.refreshAfter = 0 // a test's settle drops waits: refresh at once
	for _, f := range with {
		desk = f(desk)
	}
	var m tea.Model = desk
	m = settle(t, m, m.Init())
	m = settle(t, m, func() tea.Msg { return tea.WindowSizeMsg{Width: w, Height: h} })
	return settle(t, m, func() tea.Msg { return aSecond(m) })
}

func mustContain(t *testing.T, s string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(s, w) {
			t.Fatalf("screen lacks %q:\n%s", w, s)
		}
	}
}

// containsAll reports whether s holds every one of wants.
func containsAll(s string, wants ...string) bool {
	for _, w := range wants {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
}

func splitLines(s string) []string { return strings.Split(s, "\n") }

// aSecond is the desk clock's tick as the desk makes it, at now: with the
// feeds' health read, when the desk has feeds, and the store's checks.
func aSecond(m tea.Model) tea.Msg {
	msg := tickMsg{now: now, check: m.(Model).src.CheckStatus()}
	if read := m.(Model).readFeeds(); read != nil {
		msg.feeds = read()
	}
	return msg
}
