package ui

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/wismo/wismo/tracker/notify/mailbox"
)

// fakeInbox is the demo mailbox holding msgs, newest first.
type fakeInbox struct{ msgs []mailbox.Message }

func (f *fakeInbox) Messages(n int) []mailbox.Message { return f.msgs[:min(n, len(f.msgs))] }

var arrived = []mailbox.Message{
	{At: now.Add(-30 * time.Second), Channel: "sms", From: "+15005550006", To: "+491701234567",
		Body: "Your order 1001 was delivered."},
	{At: now.Add(-9 * time.Hour), Channel: "email", From: "shop@example.com", To: "c0@example.com",
		Subject: "Your order 1001 is on its way",
		Header: "From: Shop <shop@example.com>\r\nTo: c0@example.com\r\nSubject: Your order 1001 is on its way\r\n" +
			"Message-ID: <wismo-1@example.com>\r\n",
		Body: "Hello Anna, your parcel left us."},
}

// outboxDesk is a 100×30 desk with seeded notifications and, if inbox, a
// mailbox with two arrivals.
func outboxDesk(t *testing.T, inbox bool) tea.Model {
	t.Helper()
	st := openDesk(t, 30)
	seedNotes(t, st)
	var with []func(Model) Model
	if inbox {
		with = append(with, func(m Model) Model { return m.WithInbox(&fakeInbox{msgs: arrived}) })
	}
	return start(t, st, 100, 30, with...)
}

// O from anywhere lists recent notifications, newest first, with their
// state; enter shows the selected one whole.
func TestOutboxListsNotifications(t *testing.T) {
	m := press(t, outboxDesk(t, false), "O")
	mustContain(t, screen(m), "Exceptions › Outbox", "Queued by the desk (3 newest)", "1001",
		"delivered", "queued", "resent by ana", "failed", "sent")
	m = press(t, m, "down", "enter")
	mustContain(t, screen(m), "Outbox › Notification 2", "+491701234567", "failed after 1 attempt",
		"400: 21211 invalid To number", "Order 1001 shipped.")
	m = press(t, m, "esc", "esc")
	mustContain(t, screen(m), "7 open", "Kind")
}

// With the demo mailbox the outbox shows what arrived: an email with its
// header block and text, a text message with who sent it.
func TestOutboxShowsArrivals(t *testing.T) {
	m := press(t, openOrder(t, outboxDesk(t, true), "1001"), "O")
	mustContain(t, screen(m), "Order 1001 › Outbox", "Arrived at the demo mailbox (2 newest)",
		"Your order 1001 was deliv", "Your order 1001 is on its")
	m = press(t, m, "tab", "down", "enter")
	mustContain(t, screen(m), "Arrived email", "Message-ID: <wismo-1@example.com>",
		"Subject: Your order 1001 is on its way", "Hello Anna, your parcel left us.")
	m = press(t, m, "esc", "up", "enter")
	mustContain(t, screen(m), "Arrived sms", "From", "+15005550006", "Your order 1001 was delivered.")
}

// O on the outbox does not stack a second one.
func TestOutboxOnce(t *testing.T) {
	m := press(t, outboxDesk(t, false), "O", "O")
	if n := len(m.(Model).stack); n != 2 {
		t.Errorf("stack is %d deep after O O, want 2", n)
	}
}

// The outbox with the demo mailbox, as an agent sees it at 100×30.
func TestOutboxGolden(t *testing.T) {
	m := press(t, outboxDesk(t, true), "O")
	golden.RequireEqual(t, []byte(screen(m)))
}
