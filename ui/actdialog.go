package ui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/wismo/wismo/store"
	"github.com/wismo/wismo/tracker"
)

// actReq asks for the dialog of an action that needs more than a key: to
// whom, for how long, or what note.
type actReq struct {
	action tracker.Action
	row    store.ExceptionRow
}

// openActMsg asks the root for an action dialog.
type openActMsg struct {
	from uint64
	req  actReq
}

func (m openActMsg) origin() uint64 { return m.from }

// agentsMsg carries the names the assign dialog suggests.
type agentsMsg struct {
	tag
	names []string
}

// actPane is the dialog of one action: a line to type in (the assignee,
// the snooze's length, the note) and what the action is about. Enter
// acts; the dialog closes when the action is done, and stays with the
// reason when it is refused for bad input.
type actPane struct {
	loads
	src     Source
	actions Actions
	now     func() time.Time
	agent   string
	styles  *Styles
	keys    ResendKeys
	req     actReq

	input   textinput.Model
	sending bool
	status  string

	width, height int
}

func newActPane(src Source, actions Actions, now func() time.Time, agent string, styles *Styles, req actReq) *actPane {
	in := newTextBox("› ", maxNote)
	in.SetStyles(styles.Input)
	switch req.action {
	case tracker.Assign:
		in.CharLimit = 64
		in.Placeholder = "agent name; empty unassigns"
		in.ShowSuggestions = true
		in.SetValue(req.row.Exception.Assignee)
	case tracker.Snooze:
		in.CharLimit = 32
		in.SetValue("4h")
	default:
		in.Placeholder = "what was done, for the next agent"
	}
	in.CursorEnd()
	return &actPane{loads: newLoads(), src: src, actions: actions, now: now, agent: agent, styles: styles,
		keys: DefaultResendKeys(), req: req, input: in}
}

func (p *actPane) Title() string { return actTitle(p.req.action) }

// actTitle names an action's dialog.
func actTitle(a tracker.Action) string {
	switch a {
	case tracker.Assign:
		return "Assign"
	case tracker.Snooze:
		return "Snooze"
	case tracker.Resolve:
		return "Resolve"
	}
	return "Comment"
}

// Typing: the dialog is modal, and letters belong to its box.
func (p *actPane) Typing() bool { return true }

func (p *actPane) ShortHelp() []key.Binding {
	send := p.keys.Send
	send.SetHelp("enter", strings.ToLower(actTitle(p.req.action)))
	return []key.Binding{send, p.keys.Cancel}
}

func (p *actPane) FullHelp() [][]key.Binding { return [][]key.Binding{p.ShortHelp()} }

func (p *actPane) SetSize(w, h int) {
	p.width, p.height = w, h
	p.input.SetWidth(max(min(w-8, 72), 10))
}

// Reload focuses the box; the assign dialog also reads whom to suggest.
func (p *actPane) Reload() tea.Cmd {
	focus := p.input.Focus()
	if p.req.action != tracker.Assign {
		return focus
	}
	t, src := p.loads.next(), p.src
	return tea.Batch(focus, func() tea.Msg {
		names, _ := src.Agents() // no suggestions is no loss: typing works
		return agentsMsg{tag: t, names: names}
	})
}

func (p *actPane) Update(msg tea.Msg) (Pane, tea.Cmd) {
	switch msg := msg.(type) {
	case agentsMsg:
		if p.loads.current(msg.tag) {
			p.input.SetSuggestions(msg.names)
		}
		return p, nil
	case actedMsg:
		return p, p.acted(msg)
	case tea.PasteMsg:
		// The box turns control characters into spaces; escape sequences
		// would leave their text behind, so they go first.
		msg.Content = ansi.Strip(msg.Content)
		var cmd tea.Cmd
		p.input, cmd = p.input.Update(msg)
		return p, cmd
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, p.keys.Cancel) && p.sending:
			p.status = "Still sending: the action is on its way and will be done."
			return p, nil
		case key.Matches(msg, p.keys.Cancel):
			return p, emit(closeMsg{from: p.id})
		case key.Matches(msg, p.keys.Send):
			return p, p.send()
		}
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	if _, ok := msg.(tea.KeyPressMsg); ok {
		p.status = ""
	}
	return p, cmd
}

// send checks the box and acts; a second enter while one is on its way
// does nothing.
func (p *actPane) send() tea.Cmd {
	if p.sending {
		return nil
	}
	a := actOn(p.req.row.Exception, p.agent, p.req.action)
	text := strings.TrimSpace(p.input.Value())
	var snooze time.Duration
	switch p.req.action {
	case tracker.Assign:
		a.Assignee = text
	case tracker.Snooze:
		d, err := parseSnooze(text)
		if err != nil {
			p.status = err.Error()
			return nil
		}
		snooze = d
	default:
		if text == "" {
			p.status = "Write a note: the next agent reads it."
			return nil
		}
		a.Note = text
	}
	p.sending = true
	return actCmd(p.id, p.actions, p.now, a, snooze)
}

// acted closes the dialog when the action was done, or was refused
// because the exception changed meanwhile (the list shows what changed);
// other refusals stay in the dialog to be put right.
func (p *actPane) acted(msg actedMsg) tea.Cmd {
	p.sending = false
	switch {
	case msg.err == nil:
		return tea.Batch(emit(closeMsg{from: p.id}), emit(infoMsg{text: msg.text}))
	case errors.Is(msg.err, tracker.ErrChanged):
		return tea.Batch(emit(closeMsg{from: p.id}), emit(errMsg{msg.err}))
	}
	p.status = msg.err.Error()
	return nil
}

// maxNote is the longest note the box takes, the tracker's own limit.
const maxNote = 2000

// maxSnooze is the longest snooze the dialog offers; the tracker refuses
// longer ones too.
const maxSnooze = 30 * 24 * time.Hour

// parseSnooze reads a snooze's length: Go durations ("90m", "4h") and
// days or weeks ("2d", "1w").
func parseSnooze(s string) (time.Duration, error) {
	bad := fmt.Errorf("snooze for how long? %q is not a length: write 90m, 4h, 2d or 1w", s)
	var d time.Duration
	switch {
	case s == "":
		return 0, bad
	case strings.HasSuffix(s, "d"), strings.HasSuffix(s, "w"):
		unit := 24 * time.Hour
		if strings.HasSuffix(s, "w") {
			unit *= 7
		}
		n, err := strconv.Atoi(s[:len(s)-1])
		if err != nil {
			return 0, bad
		}
		if n < 0 || n > int(maxSnooze/unit) { // refused before it can overflow
			return 0, fmt.Errorf("snooze between a minute and 30 days, not %s", s)
		}
		d = time.Duration(n) * unit
	default:
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			return 0, bad
		}
	}
	if d < time.Minute || d > maxSnooze {
		return 0, fmt.Errorf("snooze between a minute and 30 days, not %s", s)
	}
	return d, nil
}

func (p *actPane) View() string {
	e, pc := p.req.row.Exception, p.req.row.Parcel
	about := fmt.Sprintf("%s · order %s · %s %s", kindLabel(e.Kind), e.Order, pc.Carrier, pc.TrackingNumber)
	lines := []string{
		p.styles.Focused.Render(actTitle(p.req.action)) + "  " + p.styles.Subtle.Render(about),
		p.styles.Subtle.Render(ansi.Truncate(e.Detail, max(p.width-6, 10), "…")),
		"",
		p.prompt(),
		p.input.View(),
	}
	if p.status != "" {
		lines = append(lines, "", p.styles.ErrorMsg.Render(p.status))
	}
	return p.styles.Dialog.Render(lipgloss.JoinVertical(lipgloss.Left, lines...))
}

// prompt says what the box wants.
func (p *actPane) prompt() string {
	switch p.req.action {
	case tracker.Assign:
		return "Assign to (tab completes a name):"
	case tracker.Snooze:
		return "Snooze for (90m, 4h, 2d, 1w; it reopens by itself):"
	case tracker.Resolve:
		return "Resolve with a note (required):"
	}
	return "Comment (kept in the parcel's history):"
}
