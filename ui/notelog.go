package ui

import (
	"charm.land/bubbles/v2/table"
	tea "charm.land/bubbletea/v2"

	"github.com/wismo/wismo/store"
)

// logColumns are an order's notification log; the outbox adds the order.
var logColumns = []column{
	{title: "Queued", width: 12},
	{title: "Message", width: 20},
	{title: "By", width: 8, drop: 3},
	{title: "To", width: 18, drop: 2},
	{title: "State", width: 7},
	{title: "Note", width: 10, flex: true, drop: 1},
}

var outboxColumns = append([]column{{title: "Order", width: 6, drop: 4}}, logColumns...)

// noteLog lists notifications, newest first, in a table that keeps the
// selection on the same notification as new ones arrive above it.
type noteLog struct {
	styles    *Styles
	table     table.Model
	notes     []store.Notification
	selID     store.NotificationID
	withOrder bool // the outbox's log spans orders
}

func newNoteLog(styles *Styles, keys ListKeys, withOrder bool) noteLog {
	return noteLog{styles: styles, table: table.New(table.WithKeyMap(keys.Table())), withOrder: withOrder}
}

// fit sizes the log's columns to width.
func (l *noteLog) fit(width int) {
	cols := logColumns
	if l.withOrder {
		cols = outboxColumns
	}
	l.table.SetColumns(layoutColumns(cols, width))
	l.table.SetWidth(width)
	l.focus(l.table.Focused())
}

// focus gives the log the keyboard, or takes it away.
func (l *noteLog) focus(on bool) {
	focusTable(&l.table, l.styles, on)
	l.sync()
}

// focusTable gives a table the keyboard, or takes it away. Of two lists on
// a pane only the one with the keyboard highlights its selection.
func focusTable(t *table.Model, s *Styles, on bool) {
	if on {
		t.Focus()
		t.SetStyles(s.Table)
	} else {
		t.Blur()
		t.SetStyles(s.TableBlurred)
	}
}

// set shows notes, keeping the selection on the notification it was on.
func (l *noteLog) set(notes []store.Notification) {
	l.notes = notes
	l.sync()
}

func (l *noteLog) sync() {
	cursor := 0
	for i, n := range l.notes {
		if n.ID == l.selID {
			cursor = i
		}
	}
	rows := make([]table.Row, len(l.notes))
	for i, n := range l.notes {
		rows[i] = l.row(n, i == cursor && l.table.Focused())
	}
	l.table.SetRows(rows)
	l.table.SetCursor(cursor)
	if n, ok := l.selected(); ok {
		l.selID = n.ID
	}
}

// row renders one notification. The selected row is drawn plain so its
// highlight is not broken by the state's colour.
func (l *noteLog) row(n store.Notification, selected bool) table.Row {
	state := string(n.State)
	if !selected {
		state = l.styles.State[n.State].Render(state)
	}
	r := table.Row(noteCells(n, state))
	if l.withOrder {
		r = append(table.Row{n.Order}, r...)
	}
	return r
}

// noteCells is a notification's row under logColumns, with its state as
// given (coloured or not).
func noteCells(n store.Notification, state string) []string {
	return []string{shortStamp(n.QueuedAt), humanize(n.Trigger), n.Channel, n.To, state, noteLine(n)}
}

// selected is the selected notification, if any.
func (l *noteLog) selected() (store.Notification, bool) {
	i := l.table.Cursor()
	if i < 0 || i >= len(l.notes) {
		return store.Notification{}, false
	}
	return l.notes[i], true
}

// update moves the selection on a key.
func (l *noteLog) update(msg tea.KeyPressMsg) tea.Cmd {
	var cmd tea.Cmd
	l.table, cmd = l.table.Update(msg)
	if n, ok := l.selected(); ok {
		l.selID = n.ID
		l.sync()
	}
	return cmd
}
