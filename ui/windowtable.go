package ui

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/table"
	"github.com/charmbracelet/x/ansi"
)

// windowTable draws the rows of a window under a header, the selected one
// highlighted, for a pane that holds only the rows on screen. It looks as
// bubbles' table does, but it draws a row when the row changes, not every
// row on every move: the exceptions list answers each key within a frame
// budget, and moving the selection redraws two rows, not the window.
type windowTable struct {
	styles *Styles
	cols   []table.Column
	height int // lines for rows, under the header's two
	// decorate colours a cell of an unselected row (the selected row is
	// drawn plain, so the highlight is not broken by colour); nil keeps
	// every cell plain.
	decorate func(row, col int, cell string) string

	rows   []table.Row
	sel    int
	header string   // the header's two lines, drawn when columns change
	lines  []string // each row, drawn as it shows
}

// SetColumns lays the table out; every line is drawn again.
func (t *windowTable) SetColumns(cols []table.Column) {
	t.cols = cols
	titles := make(table.Row, len(cols))
	for i, c := range cols {
		titles[i] = c.Title
	}
	// The cells carry their padding: the header style adds only its rule.
	t.header = t.styles.Table.Header.Padding(0).Render(strings.Join(t.cells(titles, nil), ""))
	t.redraw()
}

// SetHeight sets the table's height, header included.
func (t *windowTable) SetHeight(h int) { t.height = max(h-2, 0) }

// Height is how many rows show.
func (t *windowTable) Height() int { return t.height }

// SetRows replaces the rows and selects sel, drawing only the rows that
// changed: a refresh that finds the window as it was draws nothing.
func (t *windowTable) SetRows(rows []table.Row, sel int) {
	old, oldSel, lines := t.rows, t.sel, t.lines
	t.rows, t.sel = rows, sel
	t.lines = make([]string, len(rows))
	for i := range rows {
		if i < len(old) && i < len(lines) && slices.Equal(rows[i], old[i]) && (i == sel) == (i == oldSel) {
			t.lines[i] = lines[i]
			continue
		}
		t.draw(i)
	}
}

// SetCursor selects row i, redrawing the rows it leaves and takes.
func (t *windowTable) SetCursor(i int) {
	old := t.sel
	t.sel = i
	t.draw(old)
	t.draw(i)
}

func (t *windowTable) redraw() {
	t.lines = make([]string, len(t.rows))
	for i := range t.rows {
		t.draw(i)
	}
}

// draw draws row i, if there is one.
func (t *windowTable) draw(i int) {
	if i < 0 || i >= len(t.rows) || i >= len(t.lines) {
		return
	}
	if i == t.sel {
		t.lines[i] = t.styles.Table.Selected.Render(strings.Join(t.cells(t.rows[i], nil), ""))
		return
	}
	t.lines[i] = strings.Join(t.cells(t.rows[i], func(col int, s string) string {
		if t.decorate == nil {
			return s
		}
		return t.decorate(i, col, s)
	}), "")
}

// cells cuts and pads each cell of row to its column, as the table's cell
// style pads it: one space either side. A hidden column (width 0) is left
// out. style, if given, colours a cell's text after it is cut.
func (t *windowTable) cells(row table.Row, style func(col int, s string) string) []string {
	out := make([]string, 0, len(t.cols))
	for i, c := range t.cols {
		if c.Width <= 0 {
			continue
		}
		v := ""
		if i < len(row) {
			v = ansi.Truncate(row[i], c.Width, "…")
		}
		pad := strings.Repeat(" ", max(c.Width-ansi.StringWidth(v), 0))
		if style != nil {
			v = style(i, v)
		}
		out = append(out, " "+v+pad+" ")
	}
	return out
}

// Cursor is the selected row.
func (t *windowTable) Cursor() int { return t.sel }

// View is the header and the rows, padded to the table's height. A table
// holding more rows than fit shows the run that ends at the selected row
// when it lies below the first screenful.
func (t *windowTable) View() string {
	first := max(t.sel-t.height+1, 0)
	var b strings.Builder
	b.WriteString(t.header)
	for i := range t.height {
		b.WriteByte('\n')
		if first+i < len(t.lines) {
			b.WriteString(t.lines[first+i])
		}
	}
	return b.String()
}
