package ui

import (
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/table"
	tea "charm.land/bubbletea/v2"

	"github.com/wismo/wismo/store"
)

var exceptionColumns = []column{
	{title: "Kind", width: 17},
	{title: "Order", width: 6},
	{title: "Customer", width: 16},
	{title: "Via", width: 5},
	{title: "Tracking", width: 20},
	{title: "Age", width: 5},
	{title: "Silent", width: 6},
	{title: "Detail", width: 10, flex: true},
}

// exceptionsPane is the live list of parcels that need a human, worst
// first. It holds only the rows on screen: a window onto the store's
// open-exception index, moved by key cursor, never by loading the list.
type exceptionsPane struct {
	src    Source
	now    func() time.Time
	styles *Styles
	keys   ListKeys
	loads  loads
	table  table.Model

	rows  []store.ExceptionRow
	top   store.Cursor // where the window starts; nil is the top of the list
	sel   int
	selID store.ExceptionID // the selection survives refreshes by identity
	clock time.Time
	err   error
	ready bool
}

// exceptionsMsg is a loaded window. keepID says to find the selected
// exception again; otherwise the selection goes to index.
type exceptionsMsg struct {
	tag
	rows   []store.ExceptionRow
	now    time.Time
	keepID bool
	index  int
	err    error
}

func newExceptionsPane(src Source, now func() time.Time, styles *Styles) *exceptionsPane {
	p := &exceptionsPane{src: src, now: now, styles: styles, keys: DefaultListKeys("open order"), loads: newLoads()}
	p.table = table.New(table.WithStyles(styles.Table), table.WithFocused(true))
	return p
}

func (p *exceptionsPane) Title() string { return "Exceptions" }

func (p *exceptionsPane) ShortHelp() []key.Binding { return p.keys.Short() }

func (p *exceptionsPane) FullHelp() [][]key.Binding { return [][]key.Binding{p.keys.Full()} }

func (p *exceptionsPane) SetSize(w, h int) {
	p.table.SetColumns(layoutColumns(exceptionColumns, w))
	p.table.SetWidth(w)
	p.table.SetHeight(h)
	p.sync()
}

// pageSize is how many rows fit under the table's header.
func (p *exceptionsPane) pageSize() int { return max(p.table.Height(), 1) }

// Reload fetches the window where it is, keeping the selected exception.
func (p *exceptionsPane) Reload() tea.Cmd {
	return p.load(p.top, 0, false, true, p.sel)
}

// load fetches a window of rows starting shift rows from top (or the last
// page, fromEnd), then selects by id or by index.
func (p *exceptionsPane) load(top store.Cursor, shift int, fromEnd, keepID bool, index int) tea.Cmd {
	t, src, now, n := p.loads.next(), p.src, p.now, p.pageSize()
	return func() tea.Msg {
		rows, err := window(src, top, shift, fromEnd, n)
		return exceptionsMsg{tag: t, rows: rows, now: now(), keepID: keepID, index: index, err: err}
	}
}

func (p *exceptionsPane) Update(msg tea.Msg) (Pane, tea.Cmd) {
	switch msg := msg.(type) {
	case exceptionsMsg:
		if p.loads.current(msg.tag) {
			p.loaded(msg)
		}
	case changedMsg:
		return p, p.Reload()
	case tickMsg:
		p.clock = msg.now
		p.sync()
	case tea.KeyPressMsg:
		return p, p.key(msg)
	}
	return p, nil
}

func (p *exceptionsPane) loaded(msg exceptionsMsg) {
	p.ready, p.err, p.clock = true, msg.err, msg.now
	if msg.err != nil {
		return
	}
	p.rows = msg.rows
	p.top = nil
	if len(p.rows) > 0 {
		p.top = p.rows[0].Cursor
	}
	p.sel = msg.index
	if msg.keepID {
		for i, r := range p.rows {
			if r.Exception.ID == p.selID {
				p.sel = i
			}
		}
	}
	p.select_(p.sel)
}

// select_ moves the selection to index i within the window.
func (p *exceptionsPane) select_(i int) {
	p.sel = min(max(i, 0), max(len(p.rows)-1, 0))
	p.selID = 0
	if len(p.rows) > 0 {
		p.selID = p.rows[p.sel].Exception.ID
	}
	p.sync()
}

func (p *exceptionsPane) key(msg tea.KeyPressMsg) tea.Cmd {
	last, n := len(p.rows)-1, p.pageSize()
	switch {
	case key.Matches(msg, p.keys.Down) && p.sel < last:
		p.select_(p.sel + 1)
	case key.Matches(msg, p.keys.Down):
		return p.load(p.top, 1, false, false, p.sel)
	case key.Matches(msg, p.keys.Up) && p.sel > 0:
		p.select_(p.sel - 1)
	case key.Matches(msg, p.keys.Up):
		return p.load(p.top, -1, false, false, 0)
	case key.Matches(msg, p.keys.PageDown):
		return p.load(p.top, n, false, false, p.sel)
	case key.Matches(msg, p.keys.PageUp):
		return p.load(p.top, -n, false, false, p.sel)
	case key.Matches(msg, p.keys.Top):
		return p.load(nil, 0, false, false, 0)
	case key.Matches(msg, p.keys.Bottom):
		return p.load(nil, 0, true, false, n-1)
	case key.Matches(msg, p.keys.Open) && len(p.rows) > 0:
		return emit(openOrderMsg{number: p.rows[p.sel].Exception.Order})
	}
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
			kind, r.Exception.Order, r.Customer, r.Parcel.Carrier, r.Parcel.TrackingNumber,
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

// window reads n rows of open exceptions: from top moved by shift rows, or
// the last n. When the list ends inside the window, rows above fill it, so
// the screen stays full as exceptions resolve.
func window(src Source, top store.Cursor, shift int, fromEnd bool, n int) ([]store.ExceptionRow, error) {
	if fromEnd {
		return src.ExceptionsBefore(nil, n)
	}
	top, err := shiftCursor(src, top, shift)
	if err != nil {
		return nil, err
	}
	rows, err := src.ExceptionsAfter(top, n)
	if err != nil || len(rows) == n || top == nil {
		return rows, err
	}
	from := top
	if len(rows) > 0 {
		from = rows[0].Cursor
	}
	above, err := src.ExceptionsBefore(from, n-len(rows))
	return append(above, rows...), err
}

// shiftCursor moves a window's top by shift rows, stopping at either end.
func shiftCursor(src Source, top store.Cursor, shift int) (store.Cursor, error) {
	var rows []store.ExceptionRow
	var err error
	switch {
	case shift < 0 && top != nil:
		rows, err = src.ExceptionsBefore(top, -shift)
		if len(rows) > 0 {
			return rows[0].Cursor, err
		}
	case shift > 0:
		rows, err = src.ExceptionsAfter(top, shift+1)
		if len(rows) > 0 {
			return rows[len(rows)-1].Cursor, err
		}
	}
	return top, err
}
