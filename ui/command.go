package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/wismo/wismo/store"
)

// commandCharLimit bounds the command line: a tracking number or two, or a
// pasted sentence cut short.
const commandCharLimit = 256

// Messages the command line sends through the root.
type (
	// showViewMsg asks the exceptions list for one of its views, by the
	// view's name.
	showViewMsg struct{ name string }
	// filterCarrierMsg asks the exceptions list to show one carrier's
	// exceptions only; an empty carrier shows every carrier's.
	filterCarrierMsg struct{ carrier string }
	// openTrackingMsg asks for a parcel's timeline over its order.
	openTrackingMsg struct {
		from   uint64
		order  string
		parcel store.ParcelID
	}
	// openSearchMsg asks for the search box with a query typed in.
	openSearchMsg struct {
		from  uint64
		query string
	}
)

func (m openTrackingMsg) origin() uint64 { return m.from }
func (m openSearchMsg) origin() uint64   { return m.from }

// commandLine is the ":" box at the foot of the desk. While it is open
// every key is its own.
type commandLine struct {
	input textinput.Model
	open  bool
}

// commandLineMsg asks for the command line with line typed in it, for
// the agent to finish or run.
type commandLineMsg struct{ line string }

// openCommandWith opens the command line with line in it.
func (m *Model) openCommandWith(line string) {
	m.openCommand()
	m.command.input.SetValue(line)
	m.command.input.CursorEnd()
	m.suggest()
}

// openCommand opens an empty command line.
func (m *Model) openCommand() {
	in := newTextBox(":", commandCharLimit)
	in.ShowSuggestions = true
	styles := m.styles.Input
	styles.Cursor.Blink = false // blinks would go to the pane, not here
	in.SetStyles(styles)
	in.Focus()
	m.command = commandLine{input: in, open: true}
	m.resize()
	m.suggest()
}

func (m *Model) closeCommand() {
	m.command = commandLine{}
	m.resize()
}

// commandKey handles a key while the command line is open: esc closes it,
// enter runs it, tab completes, anything else edits it (↑↓ choose).
func (m *Model) commandKey(msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "ctrl+c":
		return tea.Quit
	case "esc":
		m.closeCommand()
		return nil
	case "enter":
		line := m.command.input.Value()
		m.closeCommand()
		return m.runCommand(line)
	case "tab":
		m.complete()
		return nil
	}
	return m.editCommand(msg)
}

// complete takes the chosen completion whole, written as the desk writes
// it: "carrier U" becomes "carrier ups".
func (m *Model) complete() {
	// With nothing matched, ↑ leaves the box's suggestion index at -1,
	// where CurrentSuggestion would index out of range.
	if len(m.command.input.MatchedSuggestions()) == 0 {
		return
	}
	if s := m.command.input.CurrentSuggestion(); s != "" {
		m.command.input.SetValue(s)
		m.command.input.CursorEnd()
		m.suggest()
	}
}

// commandPaste puts pasted text in the command line, if it is open. The
// box keeps one line: a paste's line breaks become spaces.
func (m *Model) commandPaste(msg tea.PasteMsg) (tea.Cmd, bool) {
	if !m.command.open {
		return nil, false
	}
	return m.editCommand(msg), true
}

func (m *Model) editCommand(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	m.command.input, cmd = m.command.input.Update(msg)
	m.suggest()
	return cmd
}

// suggest offers the completions of what is typed so far.
func (m *Model) suggest() {
	m.command.input.SetSuggestions(m.completions(m.command.input.Value()))
}

// completions are the whole command lines that complete v: command names
// while the first word is typed, then that command's arguments.
func (m *Model) completions(v string) []string {
	name, _, hasArg := strings.Cut(strings.TrimPrefix(v, ":"), " ")
	if !hasArg {
		out := make([]string, len(commands))
		for i, c := range commands {
			out[i] = c.name
			if c.usage != "" {
				out[i] += " "
			}
		}
		return out
	}
	c, ok := commandNamed(name)
	if !ok || c.args == nil {
		return nil
	}
	args := c.args(m)
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = name + " " + a
	}
	return out
}

// commandView is the open command line: the choices or a hint above the
// box.
func (m Model) commandView(w int) string {
	in := m.command.input
	in.SetWidth(max(w-lipgloss.Width(in.Prompt)-1, 1)) // the cursor's cell
	return ansi.Truncate(m.suggestionLine(), w, "…") + "\n" + in.View()
}

// suggestionLine lists the matching completions, the chosen one marked,
// or what the typed command takes.
func (m Model) suggestionLine() string {
	in := m.command.input
	matched := in.MatchedSuggestions()
	value := strings.TrimPrefix(in.Value(), ":")
	name, _, hasArg := strings.Cut(value, " ")
	if len(matched) == 0 {
		return m.styles.Subtle.Render(commandHint(value, name))
	}
	parts := make([]string, len(matched))
	for i, s := range matched {
		if hasArg {
			_, s, _ = strings.Cut(s, " ")
		}
		style := m.styles.Subtle
		if i == in.CurrentSuggestionIndex() {
			style = m.styles.Focused
		}
		parts[i] = style.Render(strings.TrimSpace(s))
	}
	return strings.Join(parts, m.styles.Subtle.Render(" · ")) + m.styles.Subtle.Render("   tab completes")
}

// commandHint tells what to type when no completion matches: what the
// command takes, or why there is no such command.
func commandHint(value, name string) string {
	if value == "" {
		return "order · tracking · view · carrier · feeds · pause · resume · outbox · help · quit   (enter runs, esc closes)"
	}
	c, err := findCommand(name)
	if err != nil {
		return err.Error()
	}
	return strings.TrimSpace(c.name+" "+c.usage) + " — " + c.help
}

// runCommand runs one command line. Whatever was typed, the answer is an
// action or an error in the status line.
func (m *Model) runCommand(line string) tea.Cmd {
	line = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), ":"))
	if line == "" {
		return nil
	}
	name, arg, _ := strings.Cut(line, " ")
	arg = strings.Join(strings.Fields(arg), " ")
	c, err := findCommand(name)
	if err == nil {
		err = c.check(arg)
	}
	if err != nil {
		m.err = err
		return nil
	}
	return c.run(m, arg)
}

// findCommand is the command called name or, to save typing, the only one
// whose name starts with it.
func findCommand(name string) (command, error) {
	names := make([]string, len(commands))
	for i, c := range commands {
		names[i] = c.name
	}
	name, err := pick("command", names, name)
	if err != nil {
		return command{}, err
	}
	c, _ := commandNamed(name)
	return c, nil
}

func commandNamed(name string) (command, bool) {
	for _, c := range commands {
		if c.name == strings.ToLower(name) {
			return c, true
		}
	}
	return command{}, false
}

// WithNotice has the desk open with text in its status line, until the
// first key: what the agent should know before anything else.
func (m Model) WithNotice(text string) Model {
	m.info = text
	return m
}

// statusLine is the footer's line when it is not the help: the open
// command line, or news that is no error.
func (m Model) statusLine(w int) (string, bool) {
	switch {
	case m.command.open:
		return m.commandView(w), true
	case m.info != "" && m.err == nil:
		return m.styles.Subtle.Render(ansi.Truncate(m.info, w, "…")), true
	}
	return "", false
}

// deskBindings are the desk-wide keys only the full help lists; y and o
// only where a parcel is selected.
func (k keyMap) deskBindings() []key.Binding {
	if t, ok := k.pane.(typist); ok && t.Typing() {
		return nil
	}
	_, _, selected := selectedParcel(k.pane)
	cp, open := k.global.Copy, k.global.Open
	cp.SetEnabled(selected)
	open.SetEnabled(selected)
	return []key.Binding{k.global.Command, k.global.Feeds, k.global.Picture, cp, open}
}

// openOutbox shows the outbox, unless it is already on top.
func (m *Model) openOutbox() tea.Cmd {
	return pushOnce(m, func() *outboxPane { return newOutboxPane(m.src, m.inbox, m.styles) })
}

// newSearchPaneFor is the search box with q typed in.
func newSearchPaneFor(src Source, styles *Styles, q string) *searchPane {
	p := newSearchPane(src, styles)
	p.input.SetValue(q)
	return p
}

// toBottom hands msg to the pane at the bottom of the stack, the
// exceptions list, after closing every pane above it.
func (m *Model) toBottom(msg tea.Msg) tea.Cmd {
	if len(m.stack) == 1 {
		return m.route(msg)
	}
	m.stack = m.stack[:1]
	m.resize()
	// The view or carrier it is asked for reads the list and its counts
	// afresh, which covers the changes it missed while covered.
	return m.route(msg)
}
