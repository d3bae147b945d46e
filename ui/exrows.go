package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/table"
	"charm.land/lipgloss/v2"

	"github.com/wismo/wismo/store"
)

// exceptionColumns: the mark, kind, order, tracking number and age always
// show; the rest give way on narrow terminals, lowest value first. sort is
// the key that orders the list by the column.
var exceptionColumns = []struct {
	column
	sort store.SortKey
}{
	{column{title: "", width: 1}, ""},
	{column{title: "Kind", width: 15}, store.SortSeverity},
	{column{title: "Order", width: 7}, store.SortOrder},
	{column{title: "Customer", width: 16, drop: 3}, store.SortCustomer},
	{column{title: "Via", width: 5, drop: 6}, store.SortCarrier},
	{column{title: "Tracking", width: 20}, store.SortTracking},
	{column{title: "Age", width: 5}, store.SortAge},
	{column{title: "Silent", width: 6, drop: 5}, store.SortSilent},
	{column{title: "Slip", width: 5, drop: 7}, store.SortETASlip},
	{column{title: "Who", width: 8, drop: 4}, store.SortAssignee},
	{column{title: "Detail", width: 12, flex: true, drop: 8}, ""},
}

// columns are the table's columns, the sorted one marked with its
// direction.
func (p *exceptionsPane) columns() []column {
	cols := make([]column, len(exceptionColumns))
	for i, c := range exceptionColumns {
		cols[i] = c.column
		if c.sort != "" && c.sort == p.order.by && p.order.sorted() {
			arrow := "▲"
			if p.order.desc {
				arrow = "▼"
			}
			cols[i].title += arrow
		}
	}
	return cols
}

// sync puts the window in the table, drawn anew: after a load, and as the
// clock moves the ages. A move within the window only moves the selection
// (see moveKey).
func (p *exceptionsPane) sync() {
	rows := make([]table.Row, len(p.rows))
	for i, r := range p.rows {
		e, pc := r.Exception, r.Parcel
		rows[i] = table.Row{
			p.mark(e), kindLabel(e.Kind), e.Order, e.Customer, pc.Carrier, pc.TrackingNumber,
			ago(p.clock, e.OpenedAt), ago(p.clock, pc.LastEventAt), slip(pc), e.Assignee, e.Detail,
		}
	}
	p.table.SetRows(rows, p.sel)
}

// kindColumn is where the kind is in a row.
const kindColumn = 1

// decorate colours the kind of an exception someone must act on by its
// severity; the rest are drawn subtle.
func (p *exceptionsPane) decorate(row, col int, cell string) string {
	if col != kindColumn || row >= len(p.rows) {
		return cell
	}
	return p.kindStyle(p.rows[row].Exception).Render(cell)
}

// mustAct reports whether an exception waits for someone: open (not
// acknowledged, not snoozed) and not taken by another agent.
func (p *exceptionsPane) mustAct(e store.Exception) bool {
	return e.State == store.StateOpen && (e.Assignee == "" || e.Assignee == p.agent)
}

// mark is a row's first cell: what state the exception is in, readable
// without colour.
func (p *exceptionsPane) mark(e store.Exception) string {
	switch {
	case e.State == store.StateSnoozed:
		return "z"
	case e.State == store.StateAcknowledged:
		return "✓"
	case p.mustAct(e):
		return "!"
	}
	return "·"
}

func (p *exceptionsPane) kindStyle(e store.Exception) lipgloss.Style {
	if p.mustAct(e) {
		return p.styles.Severity[e.Severity]
	}
	return p.styles.Subtle
}

// slip is how far past its promise the parcel is now expected: "+2d",
// "" when it is not late or either date is unknown.
func slip(pc store.Parcel) string {
	d := store.ETASlip(pc)
	switch {
	case d < time.Hour:
		return ""
	case d < 48*time.Hour:
		return fmt.Sprintf("+%dh", int(d.Hours()))
	}
	return fmt.Sprintf("+%dd", int(d.Hours()/24))
}

// statusLine sits under the list: the filter box while it is open, else
// how the list is ordered and narrowed, if it is.
func (p *exceptionsPane) statusLine() string {
	if p.filtering {
		return p.filter.View()
	}
	var parts []string
	if p.carrier != "" {
		parts = append(parts, "carrier "+p.carrier)
	}
	if p.order.sorted() {
		parts = append(parts, "sorted by "+sortName(p.order.by, p.order.desc))
	}
	if p.order.match != "" {
		parts = append(parts, fmt.Sprintf("filter “%s”", p.order.match))
	}
	if p.total >= 0 {
		n := fmt.Sprintf("%d rows", p.total)
		if p.total > maxListed {
			n = fmt.Sprintf("first %d of %d rows", maxListed, p.total)
		}
		parts = append(parts, n)
	}
	if len(parts) == 0 {
		return ""
	}
	return p.styles.Subtle.Render(strings.Join(parts, " · "))
}

// sortName says which column orders the list, and which way.
func sortName(by store.SortKey, desc bool) string {
	name := string(by)
	for _, c := range exceptionColumns {
		if c.sort == by {
			name = strings.ToLower(c.title)
		}
	}
	if desc {
		return name + ", descending"
	}
	return name
}
