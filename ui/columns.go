package ui

import "charm.land/bubbles/v2/table"

// column declares a table column: its title, its width, and whether it
// takes the width the fixed columns leave over (then width is the least it
// needs to be worth showing).
type column struct {
	title string
	width int
	flex  bool
}

// layoutColumns sizes columns to a total width. Cells are padded by one on
// each side; flexible columns share what is left, and one that cannot get
// its least width is hidden rather than squeezed into noise.
func layoutColumns(cols []column, width int) []table.Column {
	const pad = 2
	fixed, flex := 0, 0
	for _, c := range cols {
		if c.flex {
			flex++
			continue
		}
		fixed += c.width + pad
	}
	spare := width - fixed - flex*pad
	out := make([]table.Column, len(cols))
	for i, c := range cols {
		w := c.width
		if c.flex {
			if w = spare / flex; w < c.width {
				w = 0
			}
		}
		out[i] = table.Column{Title: c.title, Width: w}
	}
	return out
}
