package ui

import (
	"errors"

	"github.com/wismo/wismo/store"
	"github.com/wismo/wismo/tracker"
	"github.com/wismo/wismo/tracker/notify/mailbox"
)

// Actions is what the desk may do, as opposed to read. *tracker.Tracker is
// one.
type Actions interface {
	// Resend queues a notification an agent asked for.
	Resend(tracker.Resend) (store.Notification, error)
}

// Inbox is the demo's mailbox: where the desk's mail and texts arrive.
type Inbox interface {
	// Messages returns up to n messages received, newest first.
	Messages(n int) []mailbox.Message
}

// errNoActions answers n on a desk built without Actions.
var errNoActions = errors.New("resending is not available on this desk: it sends no notifications")

// WithActions lets the desk act: resend notifications from an order or a
// parcel. Without it n says resending is not available.
func (m Model) WithActions(a Actions) Model {
	m.actions = a
	return m
}

// WithAgent names who is at the desk; every resend is audited with it.
func (m Model) WithAgent(name string) Model {
	m.agent = name
	return m
}

// WithInbox has the Outbox view show what arrived at the demo's mailbox as
// well as what the desk queued.
func (m Model) WithInbox(b Inbox) Model {
	m.inbox = b
	return m
}
