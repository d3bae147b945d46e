package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/wismo/wismo/store"
	"github.com/wismo/wismo/tracker"
	"github.com/wismo/wismo/tracker/notify"
)

// fakeActions records each resend and answers with errs in turn; once
// they run out it queues the message in the store, as the tracker does.
// Everything else is done by a real tracker on the same store: only
// resends are faked.
type fakeActions struct {
	*tracker.Tracker
	st    *store.Store
	calls []tracker.Resend
	errs  []error
}

func (f *fakeActions) Resend(r tracker.Resend) (store.Notification, error) {
	f.calls = append(f.calls, r)
	if len(f.errs) > 0 {
		err := f.errs[0]
		f.errs = f.errs[1:]
		return store.Notification{}, err
	}
	n := store.Notification{Order: r.Order, Parcel: r.Parcel, Return: r.Return, Trigger: string(r.Trigger),
		Channel: string(r.Channel), To: r.To, Text: "again", QueuedAt: now, ResendOf: r.Of, RequestedBy: r.Agent}
	return n, f.st.Update(func(tx *store.Tx) error { return tx.Enqueue(&n) })
}

// deskWithActions is a 100×30 desk over 30 orders that resends through a
// fake as agent "ana".
func deskWithActions(t *testing.T, errs ...error) (tea.Model, *fakeActions) {
	t.Helper()
	st := openDesk(t, 30)
	seedNotes(t, st)
	f := &fakeActions{Tracker: tracker.New(st, nil, clock, tracker.Config{}, nil), st: st, errs: errs}
	m := start(t, st, 100, 30, func(m Model) Model { return m.WithActions(f).WithAgent("ana") })
	return m, f
}

// The dialog opens on the selected parcel's news, by email, to the
// order's address.
func TestResendDialogDefaults(t *testing.T) {
	m, _ := deskWithActions(t)
	m = press(t, openOrder(t, m, "1004"), "n")
	mustContain(t, screen(m), "Order 1004 › Resend", "Resend to Karl Schröder", "parcel 00340430000000001004",
		"Message  ‹ shipped ›", "Channel  ‹ email ›", "c3@example.com", "✓ email address", "as ana")
	// Order 1004 has no phone: SMS has no address to offer.
	m = press(t, m, "tab", "right")
	mustContain(t, screen(m), "‹ SMS ›", "the order has no address for SMS")
}

// Resending from the log offers that notification again: its message
// and channel, to the order's current address.
func TestResendFromLog(t *testing.T) {
	m, f := deskWithActions(t)
	m = press(t, openOrder(t, m, "1001"), "tab", "down", "n")
	mustContain(t, screen(m), "‹ shipped ›", "‹ SMS ›", "+491701234567", "again, as notification 2")
	m = press(t, m, "enter")
	want := tracker.Resend{Order: "1001", Parcel: 1, Trigger: notify.Shipped, Channel: notify.SMS,
		To: "+491701234567", Of: 2, Agent: "ana"}
	if len(f.calls) != 1 || f.calls[0] != want {
		t.Fatalf("resend calls %+v, want one %+v", f.calls, want)
	}
}

// A recipient the channel cannot reach is refused, with the reason, and
// nothing is sent.
func TestResendRefusesBadRecipient(t *testing.T) {
	m, f := deskWithActions(t)
	m = press(t, openOrder(t, m, "1004"), "n", "tab", "tab")
	for range len("c3@example.com") {
		m = press(t, m, "backspace")
	}
	m = typeText(t, m, "karl at home")
	mustContain(t, screen(m), "karl at home", "✗ not an email address")
	m = press(t, m, "enter")
	mustContain(t, screen(m), "Not sent: not an email address", "Resend")
	if len(f.calls) != 0 {
		t.Fatalf("sent to a bad address: %+v", f.calls)
	}
}

// Enter sends what the form says, as the agent; the dialog closes and the
// order's log shows the message queued.
func TestResendSends(t *testing.T) {
	m, f := deskWithActions(t)
	m = press(t, openOrder(t, m, "1004"), "n", "right", "right", "enter")
	want := tracker.Resend{Order: "1004", Parcel: 5, Trigger: notify.AvailableForPickup, Channel: notify.Email,
		To: "c3@example.com", Agent: "ana"}
	if len(f.calls) != 1 || f.calls[0] != want {
		t.Fatalf("resend calls %+v, want one %+v", f.calls, want)
	}
	s := screen(m)
	mustContain(t, s, "Exceptions › Order 1004", "Notifications (1)", "available for pickup", "queued", "resent by ana")
	if strings.Contains(s, "Resend to") {
		t.Errorf("dialog still open:\n%s", s)
	}
}

// The same message to the same recipient within a minute asks again; the
// second enter sends it anyway.
func TestResendAsksAgainWhenSentLately(t *testing.T) {
	m, f := deskWithActions(t, tracker.ErrRecentlySent)
	m = press(t, openOrder(t, m, "1004"), "n", "enter")
	mustContain(t, screen(m), "less than a minute ago", "Press enter again", "enter send anyway")
	m = press(t, m, "enter")
	if len(f.calls) != 2 || f.calls[0].Confirmed || !f.calls[1].Confirmed {
		t.Fatalf("want a refused send, then a confirmed one: %+v", f.calls)
	}
	mustContain(t, screen(m), "Order 1004", "resent by ana")
}

// Esc leaves the dialog from any field, sending nothing.
func TestResendEscCancels(t *testing.T) {
	m, f := deskWithActions(t)
	m = openOrder(t, m, "1004")
	for _, keys := range [][]string{{"n"}, {"n", "tab"}, {"n", "tab", "tab", "x"}} {
		m = press(t, m, append(keys, "esc")...)
		if s := screen(m); strings.Contains(s, "Resend") || !strings.Contains(s, "Order 1004") {
			t.Fatalf("after %v esc the dialog is still open:\n%s", keys, s)
		}
	}
	if len(f.calls) != 0 {
		t.Fatalf("esc sent: %+v", f.calls)
	}
}

// A desk without actions says so rather than opening a dialog that
// cannot send.
func TestResendNotAvailable(t *testing.T) {
	m := press(t, openOrder(t, start(t, openDesk(t, 30), 100, 30), "1004"), "enter", "n")
	mustContain(t, screen(m), "Parcel 00340430000000001004", "resending is not available")
}

// A tiny terminal with the dialog open neither panics nor draws it.
func TestResendTinyTerminal(t *testing.T) {
	m, _ := deskWithActions(t)
	m = press(t, openOrder(t, m, "1004"), "n")
	m = settle(t, m, func() tea.Msg { return tea.WindowSizeMsg{Width: 20, Height: 5} })
	mustContain(t, screen(m), "Terminal too small")
	m = typeText(t, m, "xy")
	_ = m.(Model).top().View()
	m = settle(t, m, func() tea.Msg { return tea.WindowSizeMsg{Width: 100, Height: 30} })
	mustContain(t, screen(m), "Resend to Karl Schröder")
}
