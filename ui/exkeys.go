package ui

import (
	"errors"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// errReadOnly answers an action key on a read-only desk.
var errReadOnly = errors.New("this desk is read-only: exceptions cannot be changed from it")

// key handles a key press: the filter box first while it is open, then
// moving, views, order and actions.
func (p *exceptionsPane) key(msg tea.KeyPressMsg) tea.Cmd {
	if p.filtering {
		return p.filterKey(msg)
	}
	if cmd, ok := p.moveKey(msg); ok {
		p.table.SetCursor(p.sel)
		return cmd
	}
	if i, ok := viewDigit(msg); ok && i < len(p.views) {
		return p.switchView(i)
	}
	switch {
	case key.Matches(msg, p.ekeys.NextView):
		return p.switchView(p.view + 1)
	case key.Matches(msg, p.ekeys.PrevView):
		return p.switchView(p.view - 1)
	case key.Matches(msg, p.ekeys.Sort):
		p.order.by = nextSort(p.order.by)
		return p.restart()
	case key.Matches(msg, p.ekeys.Reverse):
		p.order.desc = !p.order.desc
		return p.restart()
	case key.Matches(msg, p.ekeys.Filter):
		p.filtering = true
		p.filter.SetValue(p.order.match)
		p.SetSize(p.width, p.height)
		return p.filter.Focus()
	case key.Matches(msg, p.keys.Open):
		if r, ok := p.selected(); ok {
			return emit(openOrderMsg{from: p.id, number: r.Exception.Order, parcel: r.Exception.Parcel})
		}
	case p.ekeys.isAction(msg):
		return p.act(msg)
	}
	return nil
}

// viewDigit maps the number keys 1–9 and 0 to views 0–9.
func viewDigit(msg tea.KeyPressMsg) (int, bool) {
	s := msg.String()
	if len(s) != 1 || s[0] < '0' || s[0] > '9' {
		return 0, false
	}
	return (int(s[0]-'0') + 9) % 10, true
}

// moveKey moves the selection; ok is false when msg is not a move.
func (p *exceptionsPane) moveKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	last, n := len(p.rows)-1, p.pageSize()
	switch {
	case key.Matches(msg, p.keys.Down) && p.sel < last:
		p.sel++
	case key.Matches(msg, p.keys.Down):
		return p.move(1, n-1), true
	case key.Matches(msg, p.keys.Up) && p.sel > 0:
		p.sel--
	case key.Matches(msg, p.keys.Up):
		return p.move(-1, 0), true
	case key.Matches(msg, p.keys.PageDown) && p.sel < last:
		p.sel = last
	case key.Matches(msg, p.keys.PageDown):
		return p.move(n, n-1), true
	case key.Matches(msg, p.keys.PageUp) && p.sel > 0:
		p.sel = 0
	case key.Matches(msg, p.keys.PageUp):
		return p.move(-n, 0), true
	case key.Matches(msg, p.keys.Top):
		p.scroll, p.scrolling = 0, true
		req := p.request()
		req.list = p.list
		return p.load(req), true
	case key.Matches(msg, p.keys.Bottom):
		p.scroll, p.scrolling = 0, true
		req := p.request()
		req.fromEnd, req.index, req.list = true, n-1, p.list
		return p.load(req), true
	default:
		return nil, false
	}
	return nil, true
}

// filterKey drives the filter box: enter applies what was typed, esc
// clears the filter, anything else is typing.
func (p *exceptionsPane) filterKey(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, p.ekeys.FilterApply):
		p.filtering = false
		p.filter.Blur()
		p.order.match = cleanFilter(p.filter.Value())
	case key.Matches(msg, p.ekeys.FilterClear):
		p.filtering = false
		p.filter.Blur()
		p.order.match = ""
	default:
		var cmd tea.Cmd
		p.filter, cmd = p.filter.Update(msg)
		return cmd
	}
	p.SetSize(p.width, p.height)
	return p.restart()
}

// Click selects the row or tab under the pointer. Rows start below the tab
// bar and the table's two header lines.
func (p *exceptionsPane) Click(x, y int) tea.Cmd {
	if y == 0 {
		if i := p.tabAt(x); i >= 0 {
			return p.switchView(i)
		}
		return nil
	}
	if i, ok := rowAt(y-lipgloss.Height(p.tabBar()), len(p.rows), p.table.Height()); ok {
		p.sel = i
		p.table.SetCursor(i)
	}
	return nil
}

// rowAt is the row of a table of n rows, shown lines high, at line y of
// the table's view, below its two header lines. A bubbles table scrolls
// its rows inside itself without saying how far, so a click is placed
// only while every row is on screen (the exceptions list always is: it
// holds only its window).
func rowAt(y, n, shown int) (int, bool) {
	row := y - 2
	return row, n <= shown && row >= 0 && row < n
}
