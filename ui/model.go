package ui

import (
	"math/rand/v2"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/wismo/wismo/store"
	"github.com/wismo/wismo/tracker"
)

// The smallest terminal the desk lays out in.
const (
	minWidth  = 60
	minHeight = 12
)

// Model is the desk's root: it owns the pane stack, the header and the
// footer, handles the desk-wide keys and routes everything else to the
// pane on top.
type Model struct {
	src     Source
	now     func() time.Time
	changes <-chan struct{}
	styles  *Styles
	keys    GlobalKeys
	help    help.Model

	stack         []Pane
	counts        map[store.ExceptionKind]int
	feeds         func() []tracker.FeedHealth // nil: no feeds to show
	actions       Actions                     // nil: the desk only reads
	agent         string                      // who acts, for the audit log
	readOnly      bool                        // a trainee's desk: nothing changes
	notSupervisor bool                        // the supervisor's picture is not for this agent
	refreshAfter  time.Duration               // how long changes gather before a refresh
	inbox         Inbox                       // nil: no mailbox to show
	health        []tracker.FeedHealth
	feedsAt       time.Time              // when health was read, by the wall clock
	wall          func() time.Time       // feed health's clock; nil: time.Now
	command       commandLine            // the ":" box, when open
	opener        func(url string) error // nil: the system's browser
	info          string                 // news for the status line
	clock         time.Time
	err           error
	width, height int
	// countsSeen and feedsSeen count the counts and feed health read, so
	// the header is drawn again only when news came; memos keeps it.
	countsSeen, feedsSeen uint64
	// check is where the store's checks stand: a damaged store is told on
	// every screen. damageSeen counts its changes, for the header's memo.
	check      store.CheckStatus
	damageSeen uint64
	memos      *frameMemos
	// idleAfter ends the desk when nobody touched it for that long since
	// lastInput, calling idled first; zero keeps it open.
	idleAfter time.Duration
	idled     func()
	lastInput time.Time
}

// New returns the desk reading from src, telling time with now (the
// simulated clock in the demo) and refreshing whenever changes fires.
func New(src Source, now func() time.Time, changes <-chan struct{}) Model {
	styles := NewStyles(true)
	m := Model{src: src, now: now, changes: changes, styles: styles, keys: DefaultGlobalKeys(), help: help.New(),
		refreshAfter: refreshEvery, memos: &frameMemos{}}
	m.help.Styles = styles.Help
	return m.rebase()
}

// Init asks the terminal for its background and starts the live feeds.
func (m Model) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, m.waitForChange(), m.tick(), m.loadCounts())
}

// waitForChange blocks, outside Update, until the store commits, lets
// refreshAfter pass so the commits that follow ride along, and says it is
// time to read what changed: a burst of commits (a poll round, a webhook
// storm) is one message and one refresh, on every agent's desk, and new
// exceptions are still on screen well within 2 s. An idle store sends no
// changes, so an idle desk reads nothing. A closed subscription ends the
// wait.
func (m Model) waitForChange() tea.Cmd {
	ch, after, src := m.changes, m.refreshAfter, m.src
	return func() tea.Msg {
		if _, ok := <-ch; !ok {
			return nil
		}
		if after > 0 {
			time.Sleep(after/2 + rand.N(after))
			select {
			case <-ch: // the commits meanwhile: this refresh reads them
			default:
			}
		}
		counts, err := src.ExceptionCounts()
		return changedMsg{counts: &countsMsg{counts: counts, err: err}}
	}
}

// refreshEvery is the most often the desk reads the store again while it
// keeps committing.
const refreshEvery = 250 * time.Millisecond

// tick reads the desk clock once a second, so ages stay current, and the
// feeds' health and the store's checks with it: one message a second for
// all.
func (m Model) tick() tea.Cmd {
	now, feeds, src := m.now, m.readFeeds(), m.src
	return tea.Tick(time.Second, func(time.Time) tea.Msg {
		msg := tickMsg{now: now(), check: src.CheckStatus()}
		if feeds != nil {
			msg.feeds = feeds()
		}
		return msg
	})
}

// takeCounts shows the counts read, or why they could not be.
func (m *Model) takeCounts(msg countsMsg) {
	m.counts = msg.counts
	m.countsSeen++
	if msg.err != nil {
		m.err = msg.err
	}
}

func (m Model) loadCounts() tea.Cmd {
	src := m.src
	return func() tea.Msg {
		c, err := src.ExceptionCounts()
		return countsMsg{counts: c, err: err}
	}
}

func (m Model) top() Pane { return m.stack[len(m.stack)-1] }

// Update routes: window and theme first, then desk-wide keys, then the
// root's own messages, and whatever is left to the top pane.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	// The command is made before m is returned: a return statement does not
	// order reading m against a call that changes it.
	cmd := m.update(msg)
	return m, cmd
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	m.noteInput(msg)
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		// The pane's window of rows depends on its height: read it again.
		m.width, m.height = msg.Width, msg.Height
		m.resize()
		return m.top().Reload()
	case tea.BackgroundColorMsg:
		*m.styles = *NewStyles(msg.IsDark())
		m.help.Styles = m.styles.Help
		if m.width > 0 {
			m.resize() // every pane draws again in the new theme
		}
		return nil
	case tea.KeyPressMsg:
		m.err, m.info = nil, ""
		if cmd, ok := m.globalKey(msg); ok {
			return cmd
		}
	case tea.PasteMsg:
		if cmd, ok := m.commandPaste(msg); ok {
			return cmd
		}
	case tea.MouseMsg:
		return m.mouse(msg)
	case navMsg:
		if msg.origin() != m.top().paneID() {
			return nil // the pane that asked is gone: the request is void
		}
		return m.navigate(msg)
	default:
		if cmd, ok := m.own(msg); ok {
			return cmd
		}
	}
	return m.route(msg)
}

// own handles the root's own messages; ok is false for the top pane's.
func (m *Model) own(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case changedMsg:
		load := m.loadCounts()
		if msg.counts != nil {
			m.takeCounts(*msg.counts)
			load = nil
		}
		return tea.Batch(m.waitForChange(), load, m.route(msg)), true
	case tickMsg:
		m.clock = msg.now
		if msg.feeds != nil {
			m.health, m.feedsAt = msg.feeds.health, msg.feeds.at
			m.feedsSeen++
		}
		damageNews := msg.check.Damaged != m.check.Damaged
		m.check = msg.check
		if damageNews {
			m.damageSeen++
			m.resize() // the header grew or shrank by the warning's line
		}
		if end := m.idleEnd(); end != nil {
			return end, true
		}
		return tea.Batch(m.tick(), m.route(msg)), true
	case infoMsg:
		m.info = msg.text
	case commandLineMsg:
		m.openCommandWith(msg.line)
	case showViewMsg, filterCarrierMsg:
		return m.toBottom(msg), true
	case countsMsg:
		m.takeCounts(msg)
	case errMsg:
		m.err = msg.err
	case actedMsg:
		return m.acted(msg), true
	default:
		return nil, false
	}
	return nil, true
}

// navigate opens or closes a pane as the top pane asked.
func (m *Model) navigate(msg navMsg) tea.Cmd {
	switch msg := msg.(type) {
	case openOrderMsg:
		if msg.replace {
			m.stack = m.stack[:len(m.stack)-1]
		}
		return m.push(newOrderPane(m.src, m.now, m.styles, msg.number, msg.parcel))
	case openParcelMsg:
		return m.push(newParcelPane(m.src, m.now, m.styles, msg.id))
	case openResendMsg:
		if err := m.mayAct(errNoActions); err != nil {
			m.err = err
			return nil
		}
		return m.push(newResendPane(m.src, m.actions, m.agent, m.styles, msg.req))
	case openActMsg:
		if err := m.mayAct(errNoExceptionActions); err != nil {
			m.err = err
			return nil
		}
		return m.push(newActPane(m.src, m.actions, m.now, m.agent, m.styles, msg.req))
	case openLetterMsg:
		return m.push(newLetterPane(m.styles, msg.letter))
	case closeMsg:
		return m.pop()
	case openTrackingMsg:
		return tea.Batch(m.push(newOrderPane(m.src, m.now, m.styles, msg.order, msg.parcel)),
			m.push(newParcelPane(m.src, m.now, m.styles, msg.parcel)))
	case openSearchMsg:
		return m.push(newSearchPaneFor(m.src, m.styles, msg.query))
	}
	return nil
}

// mayAct says why the desk cannot act, if it cannot: it is read-only, or
// it was built without Actions (then none is the reason).
func (m *Model) mayAct(none error) error {
	switch {
	case m.readOnly:
		return errReadOnly
	case m.actions == nil:
		return none
	}
	return nil
}

// globalKey handles the desk-wide keys; ok is false when the key is the
// pane's. While a text box has the keyboard only ctrl+c is the desk's.
func (m *Model) globalKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	if m.command.open {
		return m.commandKey(msg), true
	}
	if t, ok := m.top().(typist); ok && t.Typing() {
		if msg.String() == "ctrl+c" {
			return tea.Quit, true
		}
		return nil, false
	}
	switch {
	case key.Matches(msg, m.keys.Quit):
		return tea.Quit, true
	case key.Matches(msg, m.keys.Help):
		m.help.ShowAll = !m.help.ShowAll
		m.resize()
		return nil, true
	case key.Matches(msg, m.keys.Search):
		return m.push(newSearchPane(m.src, m.styles)), true
	case key.Matches(msg, m.keys.Outbox):
		return m.openOutbox(), true
	case key.Matches(msg, m.keys.Feeds):
		return m.openFeeds(), true
	case key.Matches(msg, m.keys.Picture) && m.notSupervisor:
		m.err = errSupervisorsOnly
		return nil, true
	case key.Matches(msg, m.keys.Picture):
		return pushOnce(m, func() *supervisorPane { return newSupervisorPane(m.src, m.now, m.styles) }), true
	case key.Matches(msg, m.keys.Command):
		m.openCommand()
		return nil, true
	case key.Matches(msg, m.keys.Copy):
		return m.copyTracking(), true
	case key.Matches(msg, m.keys.Open):
		return m.openTracking(), true
	case key.Matches(msg, m.keys.Back) && len(m.stack) > 1:
		return m.pop(), true
	}
	return nil, false
}

// acted takes an action's outcome: the pane that asked, if still on top,
// deals with it; otherwise the status line shows it and the pane on top
// reads its rows again.
func (m *Model) acted(msg actedMsg) tea.Cmd {
	if msg.from == m.top().paneID() {
		return m.route(msg)
	}
	if msg.err != nil {
		m.err = msg.err
		return m.top().Reload()
	}
	return emit(infoMsg{text: msg.text})
}

// mouse turns the wheel into the arrow keys, which every list pane moves
// by, and hands a click to the top pane if it takes clicks, in the pane's
// own coordinates: the header and the app's frame are taken off.
func (m *Model) mouse(msg tea.MouseMsg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelDown:
			return m.route(tea.KeyPressMsg{Code: tea.KeyDown})
		case tea.MouseWheelUp:
			return m.route(tea.KeyPressMsg{Code: tea.KeyUp})
		}
	case tea.MouseClickMsg:
		c, ok := m.top().(clicker)
		if !ok || msg.Button != tea.MouseLeft {
			return nil
		}
		x := msg.X - m.styles.App.GetPaddingLeft() - m.styles.App.GetMarginLeft()
		y := msg.Y - m.styles.App.GetPaddingTop() - m.styles.App.GetMarginTop() - lipgloss.Height(m.header())
		return c.Click(x, y)
	}
	return nil
}

// route hands msg to the top pane.
func (m *Model) route(msg tea.Msg) tea.Cmd {
	p, cmd := m.top().Update(msg)
	m.stack[len(m.stack)-1] = p
	return cmd
}

// pushOnce opens the pane build makes, unless one of its kind is already on
// top: a view key pressed twice does not stack the view twice.
func pushOnce[P Pane](m *Model, build func() P) tea.Cmd {
	if _, ok := m.top().(P); ok {
		return nil
	}
	return m.push(build())
}

func (m *Model) push(p Pane) tea.Cmd {
	m.stack = append(m.stack, p)
	m.resize()
	return p.Reload()
}

// pop returns to the pane below, which reloads: it missed changes while
// it was covered.
func (m *Model) pop() tea.Cmd {
	if len(m.stack) == 1 {
		return nil
	}
	m.stack = m.stack[:len(m.stack)-1]
	m.resize()
	return m.top().Reload()
}

// resize gives every pane the space the header and footer leave.
// Before the terminal's size is known, and in a window too narrow for the
// frame, panes are laid out a cell wide: a pane is never left unlaid, with
// rows and no columns.
func (m *Model) resize() {
	w, h := max(m.width-m.styles.App.GetHorizontalFrameSize(), 1), m.bodyHeight()
	m.help.SetWidth(w)
	for _, p := range m.stack {
		p.SetSize(w, h)
	}
}

// bodyHeight is the height the header and footer leave the top pane.
func (m Model) bodyHeight() int {
	return max(m.height-m.styles.App.GetVerticalFrameSize()-lipgloss.Height(m.header())-lipgloss.Height(m.footer()), 1)
}
