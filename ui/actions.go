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
	// Act changes an exception as an agent asked (acknowledge, assign,
	// snooze, resolve, comment), refusing if it changed since it was read.
	Act(tracker.Act) (store.Exception, error)
	// PauseFeed stops asking a carrier feed and holds its webhooks, saying
	// why; ResumeFeed lets it run again. Both are a supervisor's.
	PauseFeed(feed, agent, reason string) (store.FeedPause, error)
	ResumeFeed(feed, agent string) error
}

// Inbox is the demo's mailbox: where the desk's mail and texts arrive.
type Inbox interface {
	// Messages returns up to n messages received, newest first.
	Messages(n int) []mailbox.Message
}

// errNoActions answers n on a desk built without Actions.
var errNoActions = errors.New("resending is not available on this desk: it sends no notifications")

// WithActions lets the desk act: work exceptions, and resend
// notifications from an order or a parcel. Without it the action keys say
// acting is not available.
func (m Model) WithActions(a Actions) Model {
	m.actions = a
	return m.rebase()
}

// WithAgent names who is at the desk: the one field every action's audit
// record, the Mine view and assign-to-me read.
func (m Model) WithAgent(name string) Model {
	m.agent = name
	return m.rebase()
}

// WithReadOnly makes the desk a trainee's: everything reads as usual, and
// every key that would change something says it is not available.
func (m Model) WithReadOnly(on bool) Model {
	m.readOnly = on
	return m.rebase()
}

// WithRole seats an agent of role r: a readonly agent gets a read-only
// desk, and only a supervisor sees the supervisor's picture. A desk made
// without a role is its one user's, who sees everything.
func (m Model) WithRole(r Role) Model {
	m.notSupervisor = r != RoleSupervisor
	return m.WithReadOnly(r == RoleReadOnly)
}

// errSupervisorsOnly answers P for an agent who is not a supervisor.
var errSupervisorsOnly = errors.New("the supervisor's picture is for supervisors")

// rebase builds the bottom pane, the exceptions list, for who is at the
// desk and what it may do.
func (m Model) rebase() Model {
	m.stack = []Pane{newExceptionsPane(m.src, m.now, m.styles, m.actions, m.agent, m.readOnly)}
	return m
}

// WithInbox has the Outbox view show what arrived at the demo's mailbox as
// well as what the desk queued.
func (m Model) WithInbox(b Inbox) Model {
	m.inbox = b
	return m
}
