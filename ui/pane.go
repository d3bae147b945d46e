package ui

import (
	"sync/atomic"
	"time"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"github.com/wismo/wismo/store"
)

// Source is what the desk reads. *store.Store is one; the UI holds nothing
// else of the store.
type Source interface {
	ExceptionsAfter(f store.ExceptionFilter, from store.Cursor, n int) ([]store.ExceptionRow, error)
	ExceptionsBefore(f store.ExceptionFilter, from store.Cursor, n int) ([]store.ExceptionRow, error)
	ExceptionCounts() (map[store.ExceptionKind]int, error)
	CountExceptions(fs []store.ExceptionFilter) ([]int, error)
	ExceptionOrder(f store.ExceptionFilter, by store.SortKey, desc bool, match string, limit int) ([]store.ExceptionID, int, error)
	ExceptionRows(ids []store.ExceptionID) ([]store.ExceptionRow, error)
	ParcelAudit(id store.ParcelID, n int) ([]store.AuditEntry, error)
	Agents() ([]string, error)
	Search(query string, limit int) ([]store.SearchHit, error)
	Order(number string) (store.OrderDetail, error)
	Parcel(id store.ParcelID) (store.ParcelDetail, error)
	OrderReturns(order string) ([]store.Return, error)
	OrderNotifications(order string) ([]store.Notification, error)
	RecentNotifications(n int) ([]store.Notification, error)
	Daily(from, to time.Time) (store.DailyStats, error)
	CheckStatus() store.CheckStatus
}

// Pane is one screen of the desk. Every pane keeps the same contract so the
// root can route to it without knowing what it shows.
type Pane interface {
	help.KeyMap
	// Title names the pane in the breadcrumbs.
	Title() string
	// Reload asks for the pane's data again.
	Reload() tea.Cmd
	Update(tea.Msg) (Pane, tea.Cmd)
	View() string
	SetSize(width, height int)
	// paneID identifies the pane, so the root can ignore a navigation
	// request from a pane that is no longer on top.
	paneID() uint64
}

// clicker is a pane that acts on a left click at column x, line y of its
// own view: selecting the row or the tab there.
type clicker interface{ Click(x, y int) tea.Cmd }

// typist is a pane whose text box takes every key, so the root's
// single-letter keys must not fire.
type typist interface{ Typing() bool }

// tag identifies one load: which pane asked and which of its loads it was.
// A result whose tag is not the pane's latest is stale and dropped.
type tag struct {
	pane, gen uint64
}

// paneIDs hands out pane identities, as bubbles' spinner does for its ids.
var paneIDs atomic.Uint64

// loads is a pane's identity and load bookkeeping; panes embed it.
type loads struct {
	id, gen uint64
}

func newLoads() loads { return loads{id: paneIDs.Add(1)} }

func (l loads) paneID() uint64 { return l.id }

// next starts a new load, making every earlier one stale.
func (l *loads) next() tag {
	l.gen++
	return tag{pane: l.id, gen: l.gen}
}

// current reports whether t is the latest load.
func (l loads) current(t tag) bool { return t == tag{pane: l.id, gen: l.gen} }

// Messages the root and panes exchange.
type (
	// changedMsg says the store committed something; the root's wait
	// reads the header's counts with it.
	changedMsg struct{ counts *countsMsg }
	// tickMsg carries the desk clock's time, once a second, and the feeds'
	// health read with it (nil when the desk has no feeds), and where the
	// store's checks stand.
	tickMsg struct {
		now   time.Time
		feeds *feedsMsg
		check store.CheckStatus
	}
	// countsMsg carries the header's exception counts.
	countsMsg struct {
		counts map[store.ExceptionKind]int
		err    error
	}
	// openOrderMsg asks the root to show an order; replace swaps it for
	// the asking pane (the search box) instead of stacking on it. Every
	// navigation request names the pane it came from (from): by the time
	// it arrives that pane may be gone, and then it is void.
	openOrderMsg struct {
		from    uint64
		number  string
		replace bool
		parcel  store.ParcelID // the parcel to select; 0 is the first
	}
	// openParcelMsg asks the root to show a parcel's timeline.
	openParcelMsg struct {
		from uint64
		id   store.ParcelID
	}
	// openResendMsg asks the root for the resend dialog.
	openResendMsg struct {
		from uint64
		req  resendReq
	}
	// openLetterMsg asks the root to show one message in full.
	openLetterMsg struct {
		from   uint64
		letter letter
	}
	// closeMsg asks the root to pop the asking pane.
	closeMsg struct{ from uint64 }
	// errMsg reports a failure for the status line.
	errMsg struct{ err error }
)

// navMsg is a pane's request to change the stack.
type navMsg interface{ origin() uint64 }

func (m openOrderMsg) origin() uint64  { return m.from }
func (m openParcelMsg) origin() uint64 { return m.from }
func (m openResendMsg) origin() uint64 { return m.from }
func (m openLetterMsg) origin() uint64 { return m.from }
func (m closeMsg) origin() uint64      { return m.from }

// emit returns a command that delivers msg.
func emit(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }
