package ui

import (
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/table"
	tea "charm.land/bubbletea/v2"

	"github.com/wismo/wismo/store"
)

// exceptionColumns: the kind, order, tracking number and age always show;
// the rest give way on narrow terminals, lowest value first.
var exceptionColumns = []column{
	{title: "Kind", width: 17},
	{title: "Order", width: 6},
	{title: "Customer", width: 16, drop: 2},
	{title: "Via", width: 5, drop: 5},
	{title: "Tracking", width: 20},
	{title: "Age", width: 5},
	{title: "Silent", width: 6, drop: 4},
	{title: "Detail", width: 12, flex: true, drop: 3},
}

// exceptionsPane is the live list of parcels that need a human, worst
// first. It holds only the rows on screen (see windowReq) and keeps the
// selection on the same exception as rows come and go.
type exceptionsPane struct {
	loads
	tableBase
	src Source
	now func() time.Time

	rows    []store.ExceptionRow
	top     store.Cursor // the window's first row
	atStart bool         // the window starts at the top of the list
	sel     int
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
	scroll bool // the load a key asked for
	now    time.Time
	err    error
}

func newExceptionsPane(src Source, now func() time.Time, styles *Styles) *exceptionsPane {
	return &exceptionsPane{loads: newLoads(), tableBase: newTableBase(styles, DefaultListKeys("open order")),
		src: src, now: now, atStart: true}
}

func (p *exceptionsPane) Title() string { return "Exceptions" }

func (p *exceptionsPane) SetSize(w, h int) {
	p.fit(exceptionColumns, w, h)
	p.table.SetHeight(h)
	p.sync()
}

// pageSize is how many rows fit under the table's header.
func (p *exceptionsPane) pageSize() int { return max(p.table.Height(), 1) }

// selected is the selected row, if any.
func (p *exceptionsPane) selected() (store.ExceptionRow, bool) {
	if p.sel < 0 || p.sel >= len(p.rows) {
		return store.ExceptionRow{}, false
	}
	return p.rows[p.sel], true
}

// Reload reads the window again, keeping the selected exception. A window
// at the top of the list stays there, so what newly sorts first shows.
func (p *exceptionsPane) Reload() tea.Cmd {
	req := windowReq{top: p.top, n: p.pageSize(), index: p.sel}
	if p.atStart {
		req.top = nil
	}
	if r, ok := p.selected(); ok {
		req.keepID, req.keepCur = r.Exception.ID, r.Cursor
	}
	return p.load(req, false)
}

// move asks for the window shift rows away, selecting row index of it.
// Shifts asked before the last one arrived add up.
func (p *exceptionsPane) move(shift, index int) tea.Cmd {
	p.scroll += shift
	p.scrolling = true
	return p.load(windowReq{top: p.top, shift: p.scroll, n: p.pageSize(), index: index}, true)
}

func (p *exceptionsPane) load(req windowReq, scroll bool) tea.Cmd {
	t, src, now := p.loads.next(), p.src, p.now
	return func() tea.Msg {
		res, err := readWindow(src, req)
		return exceptionsMsg{tag: t, windowRes: res, scroll: scroll, now: now(), err: err}
	}
}

func (p *exceptionsPane) Update(msg tea.Msg) (Pane, tea.Cmd) {
	switch msg := msg.(type) {
	case exceptionsMsg:
		if p.loads.current(msg.tag) {
			return p, p.loaded(msg)
		}
	case changedMsg:
		if p.scrolling {
			p.dirty = true
			return p, nil
		}
		return p, p.Reload()
	case tickMsg:
		p.clock = msg.now
		p.sync()
	case tea.KeyPressMsg:
		return p, p.key(msg)
	}
	return p, nil
}

func (p *exceptionsPane) loaded(msg exceptionsMsg) tea.Cmd {
	p.ready, p.err, p.clock = true, msg.err, msg.now
	if msg.scroll {
		p.scroll, p.scrolling = 0, false
	}
	if msg.err == nil {
		p.rows, p.sel, p.atStart, p.top = msg.rows, msg.sel, msg.atStart, nil
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

func (p *exceptionsPane) key(msg tea.KeyPressMsg) tea.Cmd {
	last, n := len(p.rows)-1, p.pageSize()
	switch {
	case key.Matches(msg, p.keys.Down) && p.sel < last:
		p.sel++
	case key.Matches(msg, p.keys.Down):
		return p.move(1, n-1)
	case key.Matches(msg, p.keys.Up) && p.sel > 0:
		p.sel--
	case key.Matches(msg, p.keys.Up):
		return p.move(-1, 0)
	case key.Matches(msg, p.keys.PageDown) && p.sel < last:
		p.sel = last
	case key.Matches(msg, p.keys.PageDown):
		return p.move(n, n-1)
	case key.Matches(msg, p.keys.PageUp) && p.sel > 0:
		p.sel = 0
	case key.Matches(msg, p.keys.PageUp):
		return p.move(-n, 0)
	case key.Matches(msg, p.keys.Top):
		p.scroll, p.scrolling = 0, true
		return p.load(windowReq{n: n}, true)
	case key.Matches(msg, p.keys.Bottom):
		p.scroll, p.scrolling = 0, true
		return p.load(windowReq{fromEnd: true, n: n, index: n - 1}, true)
	case key.Matches(msg, p.keys.Open):
		if r, ok := p.selected(); ok {
			return emit(openOrderMsg{from: p.id, number: r.Exception.Order})
		}
	default:
		return nil
	}
	p.sync()
	return nil
}

// sync renders the window into the table. The selected row is drawn plain
// so the selection style is not broken by the severity colour.
func (p *exceptionsPane) sync() {
	rows := make([]table.Row, len(p.rows))
	for i, r := range p.rows {
		kind := kindLabel(r.Exception.Kind)
		if i != p.sel {
			kind = p.styles.Severity[r.Exception.Severity].Render(kind)
		}
		rows[i] = table.Row{
			kind, r.Exception.Order, r.Exception.Customer, r.Parcel.Carrier, r.Parcel.TrackingNumber,
			ago(p.clock, r.Exception.OpenedAt), ago(p.clock, r.Parcel.LastEventAt), r.Exception.Detail,
		}
	}
	p.table.SetRows(rows)
	p.table.SetCursor(p.sel)
}

func (p *exceptionsPane) View() string {
	switch {
	case p.err != nil:
		return p.styles.ErrorMsg.Render("Could not read exceptions: " + p.err.Error())
	case !p.ready:
		return p.styles.Empty.Render("Loading exceptions…")
	case len(p.rows) == 0:
		return p.styles.Empty.Render("No open exceptions. Parcels that need a human appear here as carriers report them.")
	}
	return p.table.View()
}
