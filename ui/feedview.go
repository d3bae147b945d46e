package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/table"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/wismo/wismo/store"
	"github.com/wismo/wismo/tracker"
)

// errorLines is how much of the selected feed's last error the view shows
// under the table; enter shows it whole.
const errorLines = 3

var feedColumns = []column{
	{title: "Feed", width: 10},
	{title: "State", width: 9},
	{title: "Breaker", width: 9, drop: 7},
	{title: "Synced", width: 7},
	{title: "Failed", width: 7, drop: 3},
	{title: "In a row", width: 8, drop: 5},
	{title: "Lag", width: 5, drop: 2},
	{title: "Polls", width: 9, drop: 4},
	{title: "Webhooks", width: 9, drop: 6},
	{title: "Last error", width: 12, flex: true, drop: 1},
}

// feedsPane is the feed-health view: every carrier feed, polled or
// pushed, with how it is doing, refreshed every tick. The selection stays
// on the same feed by name.
type feedsPane struct {
	loads
	tableBase
	health func() []tracker.FeedHealth // nil: the desk has no feeds
	wall   func() time.Time
	feeds  []tracker.FeedHealth
	check  store.CheckStatus // where the store's checks stand, told on the view's first line
	at     time.Time         // when feeds was read, by the wall clock
	rows   []table.Row
	sel    string // the selected feed
	detail string // the selected feed's block under the table
	ready  bool
	pause  key.Binding
}

// feedViewMsg carries the feeds' health for the view.
type feedViewMsg struct {
	tag
	health []tracker.FeedHealth
	at     time.Time
}

// newFeedsPane is the feed view; canPause offers p to pause and resume a
// feed, which only a supervisor may; check is where the store's checks
// stood at the last tick.
func newFeedsPane(health func() []tracker.FeedHealth, wall func() time.Time, styles *Styles, canPause bool, check store.CheckStatus) *feedsPane {
	pause := key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "pause/resume"))
	pause.SetEnabled(canPause)
	return &feedsPane{loads: newLoads(), tableBase: newTableBase(styles, DefaultListKeys("whole error")),
		health: health, wall: wall, pause: pause, check: check}
}

func (p *feedsPane) ShortHelp() []key.Binding { return append(p.keys.Short(), p.pause) }

func (p *feedsPane) FullHelp() [][]key.Binding {
	return [][]key.Binding{p.keys.Full(), {p.pause}}
}

// openFeeds shows the feed-health view, unless it is already on top.
func (m *Model) openFeeds() tea.Cmd {
	canPause := m.mayAct(errNoActions) == nil && !m.notSupervisor
	return pushOnce(m, func() *feedsPane { return newFeedsPane(m.feeds, m.wallClock(), m.styles, canPause, m.check) })
}

func (p *feedsPane) Title() string { return "Feeds" }

func (p *feedsPane) SetSize(w, h int) {
	p.fit(feedColumns, w, h)
	p.layout()
}

// Reload reads every feed's health.
func (p *feedsPane) Reload() tea.Cmd {
	t, health, wall := p.loads.next(), p.health, p.wall
	return func() tea.Msg {
		msg := feedViewMsg{tag: t, at: wall()}
		if health != nil {
			msg.health = health()
		}
		return msg
	}
}

func (p *feedsPane) Update(msg tea.Msg) (Pane, tea.Cmd) {
	switch msg := msg.(type) {
	case feedViewMsg:
		if p.loads.current(msg.tag) {
			p.feeds, p.at, p.ready = msg.health, msg.at, true
			p.sync()
		}
	case tickMsg:
		p.check = msg.check
		if msg.feeds == nil {
			return p, p.Reload()
		}
		p.feeds, p.at, p.ready = msg.feeds.health, msg.feeds.at, true
		p.sync()
	case tea.KeyPressMsg:
		h, ok := p.selected()
		switch {
		case key.Matches(msg, p.keys.Open) && ok:
			return p, emit(openLetterMsg{from: p.id, letter: feedLetter(h, p.at)})
		case key.Matches(msg, p.pause) && ok && h.Paused():
			return p, emit(commandLineMsg{line: "resume " + h.Feed})
		case key.Matches(msg, p.pause) && ok:
			return p, emit(commandLineMsg{line: "pause " + h.Feed + " "})
		case key.Matches(msg, p.keys.Open, p.pause):
			return p, nil
		}
		var cmd tea.Cmd
		p.table, cmd = p.table.Update(msg)
		if h, ok := p.selected(); ok {
			p.sel = h.Feed
		}
		p.layout()
		return p, cmd
	}
	return p, nil
}

// selected is the feed under the cursor.
func (p *feedsPane) selected() (tracker.FeedHealth, bool) {
	i := p.table.Cursor()
	if i < 0 || i >= len(p.feeds) {
		return tracker.FeedHealth{}, false
	}
	return p.feeds[i], true
}

// sync renders the rows, handing the table new ones only when a cell
// changed, and puts the cursor back on the selected feed.
func (p *feedsPane) sync() {
	rows := make([]table.Row, len(p.feeds))
	cursor := 0
	for i, h := range p.feeds {
		rows[i] = feedRow(h, p.at)
		if h.Feed == p.sel {
			cursor = i
		}
	}
	if !slices.EqualFunc(rows, p.rows, slices.Equal) {
		p.rows = rows
		p.table.SetRows(rows)
	}
	p.table.SetCursor(cursor)
	if h, ok := p.selected(); ok {
		p.sel = h.Feed
	}
	p.layout()
}

// layout renders the selected feed's block and gives the table what
// height is left, no more than its rows need.
func (p *feedsPane) layout() {
	p.detail = ""
	if h, ok := p.selected(); ok {
		p.detail = p.feedDetail(h)
	}
	room := p.height - statusLines - lipgloss.Height(p.detail) - lipgloss.Height(detailGap)
	p.table.SetHeight(max(min(len(p.rows)+minTableHeight-1, room), minTableHeight))
}

// View fills the pane's height, so the footer stays at the foot of the
// screen however few feeds there are; its last line says where the
// store's checks stand.
func (p *feedsPane) View() string {
	var s string
	switch {
	case !p.ready:
		s = p.styles.Empty.Render("Reading the feeds' health…")
	case len(p.feeds) == 0:
		s = p.styles.Empty.Render("This desk has no carrier feeds: no carrier is polled and no webhook is set up.")
	default:
		s = lipgloss.JoinVertical(lipgloss.Left, p.table.View(), detailGap, p.detail)
	}
	s = clampLines(s, max(p.height-statusLines, 0))
	if n := p.height - statusLines - lipgloss.Height(s); n > 0 {
		s += strings.Repeat("\n", n)
	}
	return s + "\n" + p.storeStatus()
}

// feedRow is one feed's line in the table.
func feedRow(h tracker.FeedHealth, at time.Time) table.Row {
	failed := "—"
	if !h.LastFailure.IsZero() {
		failed = shortAge(at, h.LastFailure) + " ago"
	}
	breaker := h.Breaker
	if breaker == "n/a" {
		breaker = "—" // webhooks only: no requests to break
	}
	return table.Row{h.Feed, feedState(h), breaker, synced(h, at), failed,
		fmt.Sprint(h.ConsecutiveFailures), lag(h), polls(h), webhooks(h), oneLine(h.LastError)}
}

// feedState is the feed's mark and what it means.
func feedState(h tracker.FeedHealth) string {
	switch mark, _ := feedMark(h); mark {
	case "‖":
		return "‖ paused"
	case "✗":
		return "✗ tripped"
	case "▲":
		return "▲ failing"
	}
	return "● ok"
}

func synced(h tracker.FeedHealth, at time.Time) string {
	if h.LastSuccess.IsZero() {
		return "never"
	}
	return shortAge(at, h.LastSuccess) + " ago"
}

func lag(h tracker.FeedHealth) string {
	if !h.Poll || h.Lag <= 0 {
		return "—"
	}
	return shortDuration(h.Lag)
}

// polls counts poll requests and how many of them failed.
func polls(h tracker.FeedHealth) string {
	if !h.Poll {
		return "—"
	}
	return fmt.Sprintf("%d/%d", h.Requests, h.Failures)
}

// webhooks counts calls applied, refused and unverified.
func webhooks(h tracker.FeedHealth) string {
	if !h.Push {
		return "—"
	}
	return fmt.Sprintf("%d/%d/%d", h.Deliveries, h.Rejected, h.Unverified)
}

// feedFields are what the view and the whole-error page say of a feed.
func feedFields(h tracker.FeedHealth, at time.Time) []field {
	failed := "never"
	if !h.LastFailure.IsZero() {
		failed = shortAge(at, h.LastFailure) + " ago"
	}
	fs := []field{{"Feed", h.Feed + " · " + reach(h)}, {"State", stateLine(h, at)}, {"Breaker", breaker(h)},
		{"Last sync", synced(h, at)}, {"Last failure", failed}, {"Behind cadence", ""}, {"Polls", ""}, {"Webhooks", ""}}
	if h.Poll {
		fs[5].value = "on time"
		if h.Lag > 0 {
			fs[5].value = shortDuration(h.Lag)
		}
		fs[6].value = fmt.Sprintf("%d requests, %d failed", h.Requests, h.Failures)
	}
	if h.Push {
		fs[7].value = fmt.Sprintf("%d applied, %d rejected, %d unverified", h.Deliveries, h.Rejected, h.Unverified)
		if h.Held > 0 {
			fs[7].value += fmt.Sprintf(", %d held while paused", h.Held)
		}
	}
	return fs
}

// reach says how the feed's news reaches the desk.
func reach(h tracker.FeedHealth) string {
	switch {
	case h.Poll && h.Push:
		return "polled and webhooks"
	case h.Push:
		return "webhooks"
	}
	return "polled"
}

func stateLine(h tracker.FeedHealth, at time.Time) string {
	switch mark, _ := feedMark(h); mark {
	case "‖":
		return fmt.Sprintf("‖ paused by %s %s ago: %s", h.Pause.By, shortAge(at, h.Pause.At), oneLine(h.Pause.Reason))
	case "✗":
		return fmt.Sprintf("✗ tripped: the breaker opened after %d failures in a row", h.ConsecutiveFailures)
	case "▲":
		return fmt.Sprintf("▲ failing: %d failure(s) in a row", h.ConsecutiveFailures)
	}
	return "● answering"
}

func breaker(h tracker.FeedHealth) string {
	if h.Breaker == "n/a" {
		return "none (webhooks only)"
	}
	return h.Breaker
}

// feedDetail is the selected feed's block: its fields, then the start of
// its last error, wrapped under them.
func (p *feedsPane) feedDetail(h tracker.FeedHealth) string {
	fs := feedFields(h, p.at)
	block := fields(p.styles, p.width, fs...)
	text := oneLine(h.LastError)
	if text == "" {
		return block
	}
	indent := 0
	for _, f := range fs {
		indent = max(indent, lipgloss.Width(f.label))
	}
	indent += 2 // as fields spaces its values
	lines := strings.Split(ansi.Wrap(text, max(p.width-indent, 10), " "), "\n")
	if len(lines) > errorLines {
		lines = lines[:errorLines]
		lines[errorLines-1] = ansi.Truncate(lines[errorLines-1], max(p.width-indent-1, 1), "") + "…"
	}
	label := p.styles.Label.Width(indent).Render("Last error")
	for i, l := range lines {
		lines[i] = label + p.styles.Value.Render(l)
		label = strings.Repeat(" ", indent)
	}
	return block + "\n" + strings.Join(lines, "\n")
}

// feedLetter is a feed's health with its last error whole.
func feedLetter(h tracker.FeedHealth, at time.Time) letter {
	body := h.LastError
	if body == "" {
		body = "No failure since the desk started."
	}
	return letter{title: "Feed " + h.Feed, fields: feedFields(h, at), body: body}
}
