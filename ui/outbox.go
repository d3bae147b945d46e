package ui

import (
	"fmt"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/table"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/wismo/wismo/store"
	"github.com/wismo/wismo/tracker/notify/mailbox"
)

// The outbox lists the newest notifications and arrivals only: it is for
// watching messages go, not for archaeology.
const (
	outboxLimit = 200
	inboxLimit  = 100
)

var mailColumns = []column{
	{title: "Arrived", width: 12},
	{title: "By", width: 8, drop: 3},
	{title: "From", width: 20, drop: 2},
	{title: "To", width: 18},
	{title: "Subject or text", width: 12, flex: true, drop: 1},
}

// outboxPane is the desk's outbox: every recent notification with its
// state, and, in the demo, what arrived at the mailbox. tab moves the
// keyboard between the two lists; enter shows the selected message whole.
type outboxPane struct {
	loads
	src    Source
	inbox  Inbox // nil: only the outbox
	styles *Styles
	keys   ListKeys
	dkeys  DetailKeys

	log    noteLog
	mail   table.Model
	msgs   []mailbox.Message
	selMsg time.Time // the selected arrival, by when it came
	onMail bool
	err    error
	ready  bool
	width  int
	height int
}

// outboxMsg carries the recent notifications and arrivals.
type outboxMsg struct {
	tag
	notes []store.Notification
	msgs  []mailbox.Message
	err   error
}

func newOutboxPane(src Source, inbox Inbox, styles *Styles) *outboxPane {
	keys, dkeys := DefaultListKeys("show message"), DefaultDetailKeys()
	dkeys.Resend.SetEnabled(false)
	dkeys.Switch.SetEnabled(inbox != nil)
	return &outboxPane{loads: newLoads(), src: src, inbox: inbox, styles: styles, keys: keys, dkeys: dkeys,
		log: newNoteLog(styles, keys, true), mail: table.New(table.WithKeyMap(keys.Table()))}
}

func (p *outboxPane) Title() string { return "Outbox" }

func (p *outboxPane) ShortHelp() []key.Binding { return append(p.keys.Short(), p.dkeys.Switch) }

func (p *outboxPane) FullHelp() [][]key.Binding {
	return [][]key.Binding{p.keys.Full(), {p.dkeys.Switch}}
}

// SetSize gives each list a heading and half the height, or all of it
// without a mailbox.
func (p *outboxPane) SetSize(w, h int) {
	p.width, p.height = w, h
	p.log.fit(w)
	p.mail.SetColumns(layoutColumns(mailColumns, w))
	p.mail.SetWidth(w)
	if p.inbox == nil {
		p.log.table.SetHeight(h - 1)
	} else {
		half := (h - 3) / 2 // a heading each and a gap between
		p.log.table.SetHeight(half)
		p.mail.SetHeight(h - 3 - half)
	}
	p.setFocus(p.onMail)
}

func (p *outboxPane) setFocus(onMail bool) {
	p.onMail = onMail && p.inbox != nil
	p.log.focus(!p.onMail)
	focusTable(&p.mail, p.styles, p.onMail)
	p.syncMail()
}

func (p *outboxPane) Reload() tea.Cmd {
	t, src, inbox := p.loads.next(), p.src, p.inbox
	return func() tea.Msg {
		msg := outboxMsg{tag: t}
		msg.notes, msg.err = src.RecentNotifications(outboxLimit)
		if inbox != nil {
			msg.msgs = inbox.Messages(inboxLimit)
		}
		return msg
	}
}

func (p *outboxPane) Update(msg tea.Msg) (Pane, tea.Cmd) {
	switch msg := msg.(type) {
	case outboxMsg:
		if p.loads.current(msg.tag) {
			p.ready, p.err = true, msg.err
			p.log.set(msg.notes)
			p.msgs = msg.msgs
			p.syncMail()
		}
	case changedMsg:
		return p, p.Reload()
	case tea.KeyPressMsg:
		return p, p.key(msg)
	}
	return p, nil
}

func (p *outboxPane) key(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, p.dkeys.Switch):
		p.setFocus(!p.onMail)
	case key.Matches(msg, p.keys.Open) && p.onMail:
		if i := p.mail.Cursor(); i >= 0 && i < len(p.msgs) {
			return emit(openLetterMsg{from: p.id, letter: mailLetter(p.msgs[i])})
		}
	case key.Matches(msg, p.keys.Open):
		if n, ok := p.log.selected(); ok {
			return emit(openLetterMsg{from: p.id, letter: noteLetter(n)})
		}
	case p.onMail:
		var cmd tea.Cmd
		p.mail, cmd = p.mail.Update(msg)
		if i := p.mail.Cursor(); i >= 0 && i < len(p.msgs) {
			p.selMsg = p.msgs[i].At
		}
		return cmd
	default:
		return p.log.update(msg)
	}
	return nil
}

// syncMail renders the arrivals, keeping the selection on the same one as
// new ones arrive above it.
func (p *outboxPane) syncMail() {
	rows := make([]table.Row, len(p.msgs))
	cursor := 0
	for i, m := range p.msgs {
		if m.At.Equal(p.selMsg) {
			cursor = i
		}
		what := m.Subject
		if what == "" {
			what = m.Body
		}
		rows[i] = table.Row{shortStamp(m.At), m.Channel, m.From, m.To, what}
	}
	p.mail.SetRows(rows)
	p.mail.SetCursor(cursor)
}

func (p *outboxPane) View() string {
	switch {
	case p.err != nil:
		return p.styles.ErrorMsg.Render("Could not read the outbox: " + p.err.Error())
	case !p.ready:
		return p.styles.Empty.Render("Loading the outbox…")
	}
	parts := []string{p.styles.Section.Render(fmt.Sprintf("Queued by the desk (%d newest)", len(p.log.notes))),
		p.listView(len(p.log.notes), p.log.table, "Nothing queued yet: news of parcels and returns, and resends (n), appear here.")}
	if p.inbox != nil {
		parts = append(parts, detailGap, p.styles.Section.Render(fmt.Sprintf("Arrived at the demo mailbox (%d newest)", len(p.msgs))),
			p.listView(len(p.msgs), p.mail, "Nothing arrived yet."))
	}
	return clampLines(lipgloss.JoinVertical(lipgloss.Left, parts...), p.height)
}

// listView is a list, or what its emptiness means.
func (p *outboxPane) listView(n int, t table.Model, empty string) string {
	if n == 0 {
		return p.styles.Subtle.Render(empty)
	}
	return t.View()
}
