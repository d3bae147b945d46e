package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"github.com/wismo/wismo/store"
	"github.com/wismo/wismo/tracker/notify/mailbox"
)

// letter is one message read in full: what the desk knows of it, the
// email's header block as it arrived, and the body.
type letter struct {
	title  string
	fields []field
	header string
	body   string
}

// noteLetter is a notification as the desk queued it.
func noteLetter(n store.Notification) letter {
	state := string(n.State)
	if n.Attempts > 0 {
		state += fmt.Sprintf(" after %d attempt(s)", n.Attempts)
	}
	l := letter{title: fmt.Sprintf("Notification %d", n.ID), body: n.Text, fields: []field{
		{"Order", n.Order}, {"Message", humanize(n.Trigger)}, {"Channel", n.Channel}, {"To", n.To},
		{"State", state}, {"Error", n.LastError}, {"Queued", stamp(n.QueuedAt)}, {"Sent", sentStamp(n)},
		{"Provider id", n.ProviderID}, {"Resent by", n.RequestedBy}, {"Subject", n.Subject},
	}}
	if n.ResendOf != 0 {
		l.fields = append(l.fields, field{"Resend of", fmt.Sprint(n.ResendOf)})
	}
	return l
}

// sentStamp is when a notification was sent, if it was.
func sentStamp(n store.Notification) string {
	if n.SentAt.IsZero() {
		return ""
	}
	return stamp(n.SentAt)
}

// mailLetter is a message as the demo's mailbox received it: an email
// shows its own header block; a text has none, so the desk lists who and
// when.
func mailLetter(m mailbox.Message) letter {
	l := letter{title: "Arrived " + m.Channel, header: strings.TrimSpace(m.Header), body: m.Body,
		fields: []field{{"Arrived", stamp(m.At)}, {"Channel", m.Channel}}}
	if l.header == "" {
		l.fields = append(l.fields, field{"From", m.From}, field{"To", m.To})
	}
	return l
}

// letterPane shows one letter, scrolled with the list keys.
type letterPane struct {
	loads
	styles *Styles
	keys   ListKeys
	letter letter
	view   viewport.Model
}

func newLetterPane(styles *Styles, l letter) *letterPane {
	keys := DefaultListKeys("")
	keys.Open.SetEnabled(false)
	vp := viewport.New()
	vp.KeyMap = viewport.KeyMap{Up: keys.Up, Down: keys.Down, PageUp: keys.PageUp, PageDown: keys.PageDown}
	return &letterPane{loads: newLoads(), styles: styles, keys: keys, letter: l, view: vp}
}

func (p *letterPane) Title() string { return p.letter.title }

// Reload has nothing to read: the letter came whole.
func (p *letterPane) Reload() tea.Cmd { return nil }

func (p *letterPane) ShortHelp() []key.Binding { return []key.Binding{p.keys.Up, p.keys.Down} }

func (p *letterPane) FullHelp() [][]key.Binding { return [][]key.Binding{p.keys.Full()} }

// SetSize lays the letter out for the width: long lines wrap.
func (p *letterPane) SetSize(w, h int) {
	p.view.SetWidth(w)
	p.view.SetHeight(h)
	parts := []string{fields(p.styles, w, p.letter.fields...)}
	if p.letter.header != "" {
		parts = append(parts, detailGap, p.styles.Subtle.Width(w).Render(p.letter.header))
	}
	body := p.letter.body
	if strings.TrimSpace(body) == "" {
		body = "(no text)"
	}
	parts = append(parts, detailGap, p.styles.Value.Width(w).Render(body))
	p.view.SetContent(strings.Join(parts, "\n"))
}

func (p *letterPane) Update(msg tea.Msg) (Pane, tea.Cmd) {
	if msg, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(msg, p.keys.Top):
			p.view.GotoTop()
		case key.Matches(msg, p.keys.Bottom):
			p.view.GotoBottom()
		default:
			var cmd tea.Cmd
			p.view, cmd = p.view.Update(msg)
			return p, cmd
		}
	}
	return p, nil
}

func (p *letterPane) View() string { return p.view.View() }
