package ui

import (
	"fmt"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/wismo/wismo/store"
)

// exceptionsPane is the live list of parcels that need a human, as saved
// views (tabs) with live counts. It holds only the rows on screen (see
// windowReq) and keeps the selection on the same exception as rows come
// and go, views change and the list is sorted or filtered.
type exceptionsPane struct {
	loads
	styles   *Styles
	keys     ListKeys
	table    windowTable
	src      Source
	now      func() time.Time
	ekeys    ExceptionKeys
	actions  Actions // nil: the desk cannot act
	agent    string
	readOnly bool

	views  []store.View
	view   int
	counts []int // per view, under the carrier filter
	// tabsDrawn keeps the tab bar: drawing it is most of the pane's view.
	tabsDrawn memo[tabsKey]
	countGen  uint64
	carrier   string
	order     listOrder // the sort and the text filter within the view

	filter    textinput.Model
	filtering bool // the filter box has the keyboard

	width, height int

	rows    []store.ExceptionRow
	list    *listPages   // the sorted or filtered list the rows come from
	top     store.Cursor // the window's first row
	atStart bool         // the window starts at the top of the list
	sel     int
	total   int // rows in a sorted or filtered list; -1 for the view's count
	clock   time.Time
	err     error
	ready   bool

	// scroll is the shift asked for by keys whose window has not arrived;
	// changes that come meanwhile wait (dirty) so they cannot overtake it.
	scroll    int
	scrolling bool
	dirty     bool
}

// exceptionsMsg is a loaded window.
type exceptionsMsg struct {
	tag
	windowRes
	list  *listPages
	total int
	now   time.Time
	err   error
}

func newExceptionsPane(src Source, now func() time.Time, styles *Styles, actions Actions, agent string, readOnly bool) *exceptionsPane {
	filter := newTextBox("filter: ", maxFilter)
	p := &exceptionsPane{loads: newLoads(), styles: styles, keys: DefaultListKeys("open order"),
		src: src, now: now, ekeys: DefaultExceptionKeys(), actions: actions, agent: agent, readOnly: readOnly,
		views: store.Views(agent), order: listOrder{by: store.SortSeverity}, filter: filter, atStart: true, total: -1}
	p.table = windowTable{styles: styles, decorate: p.decorate}
	if readOnly {
		p.ekeys.markReadOnly()
	}
	return p
}

func (p *exceptionsPane) Title() string { return "Exceptions" }

// Typing: while the filter box is open, letters are the filter's.
func (p *exceptionsPane) Typing() bool { return p.filtering }

func (p *exceptionsPane) ShortHelp() []key.Binding {
	if p.filtering {
		return []key.Binding{p.ekeys.FilterApply, p.ekeys.FilterClear}
	}
	return []key.Binding{p.keys.Open, p.ekeys.NextView, p.ekeys.Ack, p.ekeys.Resolve}
}

func (p *exceptionsPane) FullHelp() [][]key.Binding {
	k := p.ekeys
	return [][]key.Binding{
		p.keys.Full(),
		{k.NextView, k.PrevView, k.Sort, k.Reverse, k.Filter},
		{k.Ack, k.Mine, k.Assign, k.Snooze, k.Resolve, k.Note},
	}
}

// filter is the store filter of the current view under the carrier filter.
func (p *exceptionsPane) storeFilter(i int) store.ExceptionFilter {
	f := p.views[i].Filter
	if p.carrier != "" {
		f.Carrier = p.carrier
	}
	return f
}

func (p *exceptionsPane) SetSize(w, h int) {
	p.width, p.height = w, h
	p.table.SetColumns(layoutColumns(p.columns(), w))
	p.table.SetHeight(max(h-lipgloss.Height(p.tabBar())-lipgloss.Height(p.statusLine()), minTableHeight))
	p.sync()
}

// pageSize is how many rows fit under the table's header.
func (p *exceptionsPane) pageSize() int { return max(p.table.Height(), 1) }

// selected is the selected row, if any. While the list cannot be read
// nothing is selected: the rows kept are not on screen.
func (p *exceptionsPane) selected() (store.ExceptionRow, bool) {
	if p.err != nil || p.sel < 0 || p.sel >= len(p.rows) {
		return store.ExceptionRow{}, false
	}
	return p.rows[p.sel], true
}

// TrackedParcel is the selected exception's parcel, for copy and open.
func (p *exceptionsPane) TrackedParcel() (carrier, tracking string, ok bool) {
	r, ok := p.selected()
	return r.Parcel.Carrier, r.Parcel.TrackingNumber, ok
}

// Reload reads the window and the tab counts again, keeping the selected
// exception. A window at the top of the list stays there, so what newly
// sorts first shows.
func (p *exceptionsPane) Reload() tea.Cmd {
	req := p.request()
	req.top, req.index = p.top, p.sel
	if p.atStart {
		req.top = nil
	}
	if r, ok := p.selected(); ok {
		req.keepID, req.keepCur = r.Exception.ID, r.Cursor
	}
	rows, counts := p.read(req), p.count()
	return func() tea.Msg { return reloadMsg{rows: rows(), counts: counts()} }
}

// reloadMsg is a reload's window and tab counts in one message, so the
// desk draws once for both.
type reloadMsg struct {
	rows   exceptionsMsg
	counts viewCountsMsg
}

// request is a window request for the current view, order and height.
func (p *exceptionsPane) request() windowReq {
	return windowReq{filter: p.storeFilter(p.view), order: p.order, n: p.pageSize()}
}

// move asks for the window shift rows away, selecting row index of it.
// Shifts asked before the last one arrived add up. A sorted list is paged
// as it was read, not read again.
func (p *exceptionsPane) move(shift, index int) tea.Cmd {
	p.scroll += shift
	p.scrolling = true
	req := p.request()
	req.top, req.shift, req.index, req.list = p.top, p.scroll, index, p.list
	return p.load(req)
}

func (p *exceptionsPane) load(req windowReq) tea.Cmd {
	read := p.read(req)
	return func() tea.Msg { return read() }
}

// read is the read of the window req asks for, to run outside Update.
func (p *exceptionsPane) read(req windowReq) func() exceptionsMsg {
	t, src, now := p.loads.next(), p.src, p.now
	return func() exceptionsMsg {
		res, list, total, err := readList(src, req)
		return exceptionsMsg{tag: t, windowRes: res, list: list, total: total, now: now(), err: err}
	}
}

func (p *exceptionsPane) Update(msg tea.Msg) (Pane, tea.Cmd) {
	switch msg := msg.(type) {
	case reloadMsg:
		_, counted := p.Update(msg.counts)
		_, loaded := p.Update(msg.rows)
		return p, tea.Batch(counted, loaded)
	case exceptionsMsg:
		if p.loads.current(msg.tag) {
			return p, p.loaded(msg)
		}
	case viewCountsMsg:
		if msg.pane != p.id || msg.gen != p.countGen {
			return p, nil
		}
		if msg.err != nil { // the tabs keep their last counts
			return p, emit(errMsg{fmt.Errorf("counting the views: %w", msg.err)})
		}
		p.counts = msg.counts
	case changedMsg:
		if p.scrolling {
			p.dirty = true
			return p, nil
		}
		return p, p.Reload()
	case tickMsg:
		p.clock = msg.now
		p.sync()
	case showViewMsg:
		return p, p.showView(msg.name)
	case filterCarrierMsg:
		p.carrier = msg.carrier
		return p, p.restart()
	case actedMsg:
		return p, p.acted(msg)
	case tea.KeyPressMsg:
		return p, p.key(msg)
	case tea.PasteMsg:
		return p, p.paste(msg)
	}
	return p, nil
}

// loaded takes the latest load. Being the latest, nothing else is on its
// way: a scroll asked earlier was overtaken by it, or is it.
// paste puts pasted text in the filter box, if it is open. The box turns
// control characters into spaces; escape sequences would leave their text
// behind, so they go first.
func (p *exceptionsPane) paste(msg tea.PasteMsg) tea.Cmd {
	if !p.filtering {
		return nil
	}
	msg.Content = ansi.Strip(msg.Content)
	var cmd tea.Cmd
	p.filter, cmd = p.filter.Update(msg)
	return cmd
}

func (p *exceptionsPane) loaded(msg exceptionsMsg) tea.Cmd {
	p.ready, p.err, p.clock = true, msg.err, msg.now
	p.scroll, p.scrolling = 0, false
	if msg.err == nil {
		p.rows, p.sel, p.atStart, p.top, p.total = msg.rows, msg.sel, msg.atStart, nil, msg.total
		p.list = msg.list
		if len(p.rows) > 0 {
			p.top = p.rows[0].Cursor
		}
		p.sync()
	}
	if p.dirty && !p.scrolling {
		p.dirty = false
		return p.Reload()
	}
	return nil
}

// View is the tabs, the list and its status line, joined by hand: every
// line is already as wide as it should be, and measuring them all again
// would cost most of the frame.
func (p *exceptionsPane) View() string {
	return p.tabBar() + "\n" + p.body() + "\n" + p.statusLine()
}

func (p *exceptionsPane) body() string {
	switch {
	case p.err != nil:
		return p.styles.ErrorMsg.Render("Could not read exceptions: " + p.err.Error())
	case !p.ready:
		return p.styles.Empty.Render("Loading exceptions…")
	case len(p.rows) == 0 && p.order.match != "":
		return p.styles.Empty.Render("No exception in this view matches “" + p.order.match + "”. Esc on the filter clears it.")
	case len(p.rows) == 0:
		return p.styles.Empty.Render("Nothing in this view. Parcels that need a human appear here as carriers report them.")
	}
	return p.table.View()
}
