package ui

import (
	"strings"

	"charm.land/lipgloss/v2"
)

// field is one labelled value of a detail block.
type field struct{ label, value string }

// fields renders label/value pairs in aligned rows, skipping empty values.
func fields(s *Styles, fs ...field) string {
	width := 0
	for _, f := range fs {
		width = max(width, lipgloss.Width(f.label))
	}
	label := s.Label.Width(width + 2)
	var lines []string
	for _, f := range fs {
		if f.value == "" {
			continue
		}
		lines = append(lines, label.Render(f.label)+s.Value.Render(f.value))
	}
	return strings.Join(lines, "\n")
}

// columns2 puts two blocks side by side with a gutter, or stacks them when
// the width cannot hold both.
func columns2(s *Styles, width int, left, right string) string {
	left = s.Gutter.Render(left)
	if lipgloss.Width(left)+lipgloss.Width(right) > width {
		return lipgloss.JoinVertical(lipgloss.Left, left, right)
	}
	return lipgloss.JoinHorizontal(lipgloss.Top, left, right)
}
