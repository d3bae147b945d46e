package ui

import "charm.land/bubbles/v2/table"

// column declares a table column. A flexible column takes the width the
// others leave, and width is then the least it needs to be worth showing.
// drop ranks which columns give way when the terminal is too narrow for
// all: the highest first; 0 never gives way.
type column struct {
	title string
	width int
	flex  bool
	drop  int
}

// cellPadding is the table's padding around each cell.
const cellPadding = 2

// layoutColumns fits columns into width: it hides droppable columns, the
// highest drop rank first, until the rest fit, then shares what is left
// among the flexible ones, or gives it to the last column shown when none
// is flexible, so the table always spans the width. Hidden columns get
// width 0, which the table skips.
func layoutColumns(cols []column, width int) []table.Column {
	hidden := make([]bool, len(cols))
	for needed(cols, hidden) > width {
		i := nextToDrop(cols, hidden)
		if i < 0 {
			break
		}
		hidden[i] = true
	}
	fixed, flex := 0, 0
	for i, c := range cols {
		switch {
		case hidden[i]:
		case c.flex:
			flex++
		default:
			fixed += c.width + cellPadding
		}
	}
	out := make([]table.Column, len(cols))
	for i, c := range cols {
		w := c.width
		switch {
		case hidden[i]:
			w = 0
		case c.flex:
			w = (width-fixed)/flex - cellPadding
		}
		out[i] = table.Column{Title: c.title, Width: w}
	}
	if flex == 0 {
		for i := len(out) - 1; i >= 0; i-- {
			if !hidden[i] {
				out[i].Width += max(width-fixed, 0)
				break
			}
		}
	}
	return out
}

// needed is the width the visible columns take at their least.
func needed(cols []column, hidden []bool) int {
	n := 0
	for i, c := range cols {
		if !hidden[i] {
			n += c.width + cellPadding
		}
	}
	return n
}

func nextToDrop(cols []column, hidden []bool) int {
	best := -1
	for i, c := range cols {
		if !hidden[i] && c.drop > 0 && (best < 0 || c.drop > cols[best].drop) {
			best = i
		}
	}
	return best
}
