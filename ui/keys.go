package ui

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/table"
	tea "charm.land/bubbletea/v2"
)

// GlobalKeys work from every pane unless a text box has the keyboard.
type GlobalKeys struct {
	Quit   key.Binding
	Help   key.Binding
	Search key.Binding
	Outbox key.Binding
	Back   key.Binding
	// Feeds, Picture, Command, Copy and Open are listed in the full help
	// only.
	Feeds, Picture, Command, Copy, Open key.Binding
}

// DefaultGlobalKeys is the desk-wide key map.
func DefaultGlobalKeys() GlobalKeys {
	return GlobalKeys{
		Quit:    key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		Help:    key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Search:  key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search")),
		Outbox:  key.NewBinding(key.WithKeys("O"), key.WithHelp("O", "outbox")),
		Back:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Feeds:   key.NewBinding(key.WithKeys("F"), key.WithHelp("F", "feed health")),
		Picture: key.NewBinding(key.WithKeys("P"), key.WithHelp("P", "supervisor's picture")),
		Command: key.NewBinding(key.WithKeys(":"), key.WithHelp(":", "command")),
		Copy:    key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy tracking number")),
		Open:    key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "open tracking page")),
	}
}

// ListKeys move a selection through rows.
type ListKeys struct {
	Up, Down, PageUp, PageDown, Top, Bottom, Open key.Binding
}

// DefaultListKeys is the key map shared by every pane that lists rows.
func DefaultListKeys(openHelp string) ListKeys {
	return ListKeys{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+f"), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g/home", "first")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G/end", "last")),
		Open:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", openHelp)),
	}
}

// Table is the bubbles table key map made of these bindings, so a table
// moves on exactly the keys the help lists.
func (k ListKeys) Table() table.KeyMap {
	off := key.NewBinding(key.WithDisabled())
	return table.KeyMap{
		LineUp: k.Up, LineDown: k.Down, PageUp: k.PageUp, PageDown: k.PageDown,
		HalfPageUp: off, HalfPageDown: off, GotoTop: k.Top, GotoBottom: k.Bottom,
	}
}

// Short is the one-line help for a list.
func (k ListKeys) Short() []key.Binding { return []key.Binding{k.Up, k.Down, k.Open} }

// Full is the list's group in the full help.
func (k ListKeys) Full() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Open}
}

// SearchKeys drive the search box.
type SearchKeys struct {
	Up, Down, Open, Close key.Binding
}

// DefaultSearchKeys leaves letters to the text box: only arrows move.
func DefaultSearchKeys() SearchKeys {
	return SearchKeys{
		Up:    key.NewBinding(key.WithKeys("up", "ctrl+p"), key.WithHelp("↑", "previous")),
		Down:  key.NewBinding(key.WithKeys("down", "ctrl+n"), key.WithHelp("↓", "next")),
		Open:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open order")),
		Close: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close")),
	}
}

// DetailKeys are what a pane showing an order or a parcel adds to its
// list: resend a notification, and move between its lists.
type DetailKeys struct {
	Resend, Switch key.Binding
}

// DefaultDetailKeys is the order and parcel panes' own key map.
func DefaultDetailKeys() DetailKeys {
	return DetailKeys{
		Resend: key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "resend")),
		Switch: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next list")),
	}
}

// ResendKeys drive the resend dialog. Letters belong to the recipient box.
type ResendKeys struct {
	Next, Prev, Left, Right, Send, Cancel key.Binding
}

// DefaultResendKeys is the resend dialog's key map.
func DefaultResendKeys() ResendKeys {
	return ResendKeys{
		Next:   key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab/↓", "next field")),
		Prev:   key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab/↑", "previous")),
		Left:   key.NewBinding(key.WithKeys("left"), key.WithHelp("←/→", "choose")),
		Right:  key.NewBinding(key.WithKeys("right")),
		Send:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "send")),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

// ExceptionKeys are what the exceptions list adds to moving through rows:
// switching views, sorting and filtering, and acting on the selected
// exception.
type ExceptionKeys struct {
	NextView, PrevView, Sort, Reverse, Filter key.Binding
	Ack, Mine, Assign, Snooze, Resolve, Note  key.Binding
	FilterApply, FilterClear                  key.Binding
}

// DefaultExceptionKeys is the exceptions list's own key map. Number keys
// 1–9 and 0 choose a view directly; they are listed as one help entry.
func DefaultExceptionKeys() ExceptionKeys {
	return ExceptionKeys{
		NextView:    key.NewBinding(key.WithKeys("tab", "right", "l"), key.WithHelp("tab/1-0", "views")),
		PrevView:    key.NewBinding(key.WithKeys("shift+tab", "left", "h"), key.WithHelp("shift+tab", "previous view")),
		Sort:        key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort by")),
		Reverse:     key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "reverse sort")),
		Filter:      key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "filter")),
		Ack:         key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "acknowledge")),
		Mine:        key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "assign to me")),
		Assign:      key.NewBinding(key.WithKeys("A"), key.WithHelp("A", "assign to…")),
		Snooze:      key.NewBinding(key.WithKeys("z"), key.WithHelp("z", "snooze")),
		Resolve:     key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "resolve")),
		Note:        key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "comment")),
		FilterApply: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply filter")),
		FilterClear: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
	}
}

// markReadOnly keeps the bindings that change an exception in the help,
// marked as unavailable, so a trainee sees what the desk could do.
func (k *ExceptionKeys) markReadOnly() {
	for _, b := range []*key.Binding{&k.Ack, &k.Mine, &k.Assign, &k.Snooze, &k.Resolve, &k.Note} {
		b.SetHelp(b.Help().Key, b.Help().Desc+" (read-only)")
	}
}

// isAction reports whether msg is one of the keys that change an exception.
func (k ExceptionKeys) isAction(msg tea.KeyPressMsg) bool {
	return key.Matches(msg, k.Ack, k.Mine, k.Assign, k.Snooze, k.Resolve, k.Note)
}
