package ui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/wismo/wismo/store"
)

// viewCountsMsg carries the live count of every view, for the tabs.
type viewCountsMsg struct {
	pane, gen uint64
	counts    []int
	err       error
}

// loadCounts counts every view under the carrier filter in one read.
func (p *exceptionsPane) loadCounts() tea.Cmd {
	count := p.count()
	return func() tea.Msg { return count() }
}

// count is the read of every view's count, to run outside Update.
func (p *exceptionsPane) count() func() viewCountsMsg {
	p.countGen++
	filters := make([]store.ExceptionFilter, len(p.views))
	for i := range p.views {
		filters[i] = p.storeFilter(i)
	}
	src, id, gen := p.src, p.id, p.countGen
	return func() viewCountsMsg {
		counts, err := src.CountExceptions(filters)
		return viewCountsMsg{pane: id, gen: gen, counts: counts, err: err}
	}
}

// tabs renders each view's tab: its label and live count, the current one
// in brackets so it reads without colour. Long tabs use the views' titles
// and pad every tab so none shifts as the view changes; short ones use the
// command names, unpadded, and sep is what goes between two of them.
func (p *exceptionsPane) tabs(short bool) (out []string, sep string) {
	out = make([]string, len(p.views))
	for i, v := range p.views {
		label := v.Title
		if short {
			label = v.Name
		}
		if i < len(p.counts) {
			label += fmt.Sprintf(" %d", p.counts[i])
		}
		switch {
		case i == p.view:
			out[i] = p.styles.ActiveTab.Render("[" + label + "]")
		case short:
			out[i] = p.styles.Tab.Render(label)
		default:
			out[i] = p.styles.Tab.Render(" " + label + " ")
		}
	}
	if short {
		sep = " "
	}
	return out, sep
}

// tabLayout picks the tabs that fit the pane's width: every tab with its
// title if they fit, else with its short name, else a run of short tabs
// around the current one. first is the index of the first tab shown.
func (p *exceptionsPane) tabLayout() (shown []string, first int, sep string) {
	for _, short := range []bool{false, true} {
		all, sep := p.tabs(short)
		if lipgloss.Width(strings.Join(all, sep)) <= p.width {
			return all, 0, sep
		}
	}
	all, sep := p.tabs(true)
	fits := func(from, to int) bool { return lipgloss.Width(strings.Join(all[from:to], sep)) <= p.width }
	first, last := p.view, p.view+1
	for first > 0 && fits(first-1, last) {
		first--
	}
	for last < len(all) && fits(first, last+1) {
		last++
	}
	return all[first:last], first, sep
}

// tabBar is the line of views above the list.
func (p *exceptionsPane) tabBar() string {
	draw := func() string {
		shown, _, sep := p.tabLayout()
		return strings.Join(shown, sep)
	}
	key := tabsKey{styles: p.styles.drawn, width: p.width, view: p.view, views: len(p.views), counted: len(p.counts)}
	if copy(key.counts[:], p.counts) < len(p.counts) {
		return draw() // more views than the key holds
	}
	return p.tabsDrawn.get(key, draw)
}

// tabsKey is everything the tab bar is drawn from.
type tabsKey struct {
	styles             uint64
	width, view, views int
	// counted is how many counts were read: none yet draws no numbers,
	// which all-zero counts do.
	counted int
	counts  [16]int
}

// tabAt is the view whose tab covers column x of the tab bar, or -1.
func (p *exceptionsPane) tabAt(x int) int {
	shown, first, sep := p.tabLayout()
	pos := 0
	for i, t := range shown {
		w := lipgloss.Width(t)
		if x >= pos && x < pos+w {
			return first + i
		}
		pos += w + len(sep)
	}
	return -1
}

// showView switches to the view named name (a tab's label or command
// name, any case); an unknown name is an error for the status line.
func (p *exceptionsPane) showView(name string) tea.Cmd {
	for i, v := range p.views {
		if strings.EqualFold(v.Name, name) || strings.EqualFold(v.Title, name) {
			return p.switchView(i)
		}
	}
	names := make([]string, len(p.views))
	for i, v := range p.views {
		names[i] = v.Name
	}
	return emit(errMsg{fmt.Errorf("no view %q: the views are %s", name, strings.Join(names, ", "))})
}

// switchView shows view i from its top, keeping the sort and filter.
func (p *exceptionsPane) switchView(i int) tea.Cmd {
	p.view = (i + len(p.views)) % len(p.views)
	return p.restart()
}

// restart reads the list from its top, as another view, carrier or order
// shows it; the selected exception stays selected if it is in the new list.
func (p *exceptionsPane) restart() tea.Cmd {
	req := p.request()
	if r, ok := p.selected(); ok {
		req.keepID, req.keepCur = r.Exception.ID, r.Cursor
	}
	p.rows, p.sel, p.top, p.atStart = nil, 0, nil, true
	p.scroll, p.scrolling, p.dirty = 0, true, false
	p.table.SetRows(nil, 0) // the old rows go undrawn: they are another list's
	p.table.SetColumns(layoutColumns(p.columns(), p.width))
	return tea.Batch(p.load(req), p.loadCounts())
}
