package ui

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/wismo/wismo/store"
)

// seedNotes gives order 1001 (Anna Müller, parcel 1) a history: the
// shipped email sent, an SMS refused by the provider, and an agent's
// resend still queued; and a return refunded. It returns the resend's id.
func seedNotes(t testing.TB, st *store.Store) store.NotificationID {
	t.Helper()
	var resend store.NotificationID
	err := st.Update(func(tx *store.Tx) error {
		o, err := tx.Order("1001")
		if err != nil {
			return err
		}
		o.Customer.Phone = "+49 170 1234567"
		if err := tx.PutOrder(o); err != nil {
			return err
		}
		notes := []store.Notification{
			{Order: "1001", Parcel: 1, Trigger: "shipped", Channel: "email", To: "c0@example.com", Automatic: true,
				Subject: "Your order 1001 is on its way", Text: "Hello Anna, your parcel left us.", QueuedAt: now.Add(-9 * time.Hour)},
			{Order: "1001", Parcel: 1, Trigger: "shipped", Channel: "sms", To: "+491701234567", Automatic: true,
				Text: "Order 1001 shipped.", QueuedAt: now.Add(-9 * time.Hour)},
			{Order: "1001", Parcel: 1, Trigger: "delivered", Channel: "email", To: "c0@example.com", RequestedBy: "ana",
				Subject: "Your order 1001 was delivered", Text: "Hello Anna, it arrived.", QueuedAt: now.Add(-time.Minute)},
		}
		for i := range notes {
			if err := tx.Enqueue(&notes[i]); err != nil {
				return err
			}
		}
		resend = notes[2].ID
		notes[0].State, notes[0].SentAt, notes[0].Attempts = store.NotifySent, now.Add(-9*time.Hour), 1
		notes[1].State, notes[1].Attempts, notes[1].LastError = store.NotifyFailed, 1, "400: 21211 invalid To number"
		for _, n := range notes[:2] {
			if err := tx.PutNotification(n); err != nil {
				return err
			}
		}
		return seedReturn(tx)
	})
	if err != nil {
		t.Fatal(err)
	}
	return resend
}

// seedReturn stores RMA-7 for order 1001: requested, approved, received,
// refunded.
func seedReturn(tx *store.Tx) error {
	r := store.Return{RMA: "RMA-7", Order: "1001", Reason: "too small", State: store.ReturnRequested,
		Lines: []store.Line{{SKU: "MUG", Title: "Ceramic mug", Qty: 1}}}
	if err := tx.PutReturn(r, now.Add(-48*time.Hour), "shop"); err != nil {
		return err
	}
	r.State = store.ReturnApproved
	if err := tx.PutReturn(r, now.Add(-36*time.Hour), "shop"); err != nil {
		return err
	}
	r.State = store.ReturnReceived
	if err := tx.PutReturn(r, now.Add(-24*time.Hour), "tracker"); err != nil {
		return err
	}
	r.State, r.RefundAmount, r.Currency, r.RefundedAt = store.ReturnRefunded, 1250, "EUR", now.Add(-2*time.Hour)
	return tx.PutReturn(r, now.Add(-2*time.Hour), "shop")
}

// openOrder finds an order with the search box and opens it.
func openOrder(t *testing.T, m tea.Model, number string) tea.Model {
	t.Helper()
	m = press(t, m, "/")
	m = typeText(t, m, number)
	return press(t, m, "enter")
}

// The order shows its returns and what its customer was told, and the log
// follows the outbox live: a queued resend turns sent without a key.
func TestOrderShowsReturnsAndNotificationLog(t *testing.T) {
	st := openDesk(t, 30)
	resend := seedNotes(t, st)
	m := openOrder(t, start(t, st, 100, 30), "1001")
	mustContain(t, screen(m), "Returns (1)", "RMA-7", "refunded", "too small", "refund €12.50",
		"… → received 04 Mar → refunded 05 Mar",
		"Notifications (3)", "delivered", "queued", "resent by ana",
		"failed", "400: 21211", "+491701234567", "sent")

	err := st.Update(func(tx *store.Tx) error {
		n, err := tx.Notification(resend)
		if err != nil {
			return err
		}
		n.State, n.SentAt, n.Attempts = store.NotifySent, now, 1
		return tx.PutNotification(n)
	})
	if err != nil {
		t.Fatal(err)
	}
	m = settle(t, m, func() tea.Msg { return changedMsg{} })
	if s := screen(m); !containsAll(s, "resent by ana") || containsAll(s, "queued") {
		t.Errorf("the resend did not turn sent:\n%s", s)
	}
}

// On a short terminal the order keeps to its height: the log gives way
// first, and nothing is drawn past the footer.
func TestOrderLogKeepsToHeight(t *testing.T) {
	st := openDesk(t, 30)
	seedNotes(t, st)
	m := openOrder(t, start(t, st, 100, 18), "1001")
	p := m.(Model).top().(*orderPane)
	if got := len(splitLines(p.View())); got > p.height {
		t.Errorf("order pane draws %d lines in %d", got, p.height)
	}
	mustContain(t, screen(m), "Order 1001", "00340430000000001001")
}

// tab gives the log the keyboard; enter shows the selected message whole.
func TestOrderLogOpensMessage(t *testing.T) {
	st := openDesk(t, 30)
	seedNotes(t, st)
	m := openOrder(t, start(t, st, 100, 30), "1001")
	m = press(t, m, "tab", "down", "down", "enter")
	mustContain(t, screen(m), "Notification 1", "Your order 1001 is on its way", "Hello Anna, your parcel left us.", "sent after 1 attempt")
	m = press(t, m, "esc")
	mustContain(t, screen(m), "Order 1001", "Notifications (3)")
}
