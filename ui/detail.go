package ui

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// detailGap is the blank line between a detail block and its table.
const detailGap = ""

// minTableHeight is a table's header (two lines with its rule) and a row.
const minTableHeight = 3

// field is one labelled value of a detail block.
type field struct{ label, value string }

// fields renders label/value pairs in aligned rows, skipping empty values,
// each row cut to width.
func fields(s *Styles, width int, fs ...field) string {
	labelWidth := 0
	for _, f := range fs {
		labelWidth = max(labelWidth, lipgloss.Width(f.label))
	}
	label := s.Label.Width(labelWidth + 2) // two spaces before the value
	var lines []string
	for _, f := range fs {
		if f.value == "" {
			continue
		}
		lines = append(lines, ansi.Truncate(label.Render(f.label)+s.Value.Render(f.value), width, "…"))
	}
	return strings.Join(lines, "\n")
}

// columns2 puts two blocks side by side with a gutter, or stacks them when
// the width cannot hold both.
func columns2(s *Styles, width int, left, right string) string {
	gutter := s.Gutter.Render(left)
	if lipgloss.Width(gutter)+lipgloss.Width(right) > width {
		return lipgloss.JoinVertical(lipgloss.Left, left, right)
	}
	return lipgloss.JoinHorizontal(lipgloss.Top, gutter, right)
}

// clampLines keeps the first n lines of s, so a pane never draws past its
// height however little room it was given.
func clampLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	return strings.Join(lines[:min(len(lines), max(n, 0))], "\n")
}
