package ui

import (
	"math"
	"strings"
	"unicode/utf8"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// Charts are drawn in block characters, so they read by shape where there
// is no colour (NO_COLOR, a monochrome terminal): colour only repeats what
// the heights and lengths already say.

// sparkLevels are a sparkline cell's heights, lowest first. Zero gets the
// lowest and any count at all a taller one, so an empty day is a flat
// baseline and a day with one exception is visibly not.
var sparkLevels = []rune("▁▂▃▄▅▆▇█")

// barEighths are the partial cells that end a bar, one to seven eighths.
var barEighths = []rune(" ▏▎▍▌▋▊▉")

const (
	barFull  = "█"
	barTrack = "·"
)

// sparkCells draws counts as a sparkline width cells wide, each scaled to
// the largest count. Too many counts for the width keep the latest; room
// to spare widens every count's column evenly.
func sparkCells(counts []int, width int) string {
	if width <= 0 || len(counts) == 0 {
		return ""
	}
	if len(counts) > width {
		counts = counts[len(counts)-width:]
	}
	peak := 0
	for _, c := range counts {
		peak = max(peak, c)
	}
	per := width / len(counts)
	var b strings.Builder
	for _, c := range counts {
		level := 0
		if c > 0 {
			level = 1 + c*(len(sparkLevels)-2)/peak
		}
		b.WriteString(strings.Repeat(string(sparkLevels[level]), per))
	}
	return b.String()
}

// barCells draws frac (0 to 1, anything else clamped) as a bar width cells
// long: full cells, one partial cell to the nearest eighth, then the empty
// track.
func barCells(frac float64, width int) (fill, track string) {
	if width <= 0 {
		return "", ""
	}
	if math.IsNaN(frac) {
		frac = 0
	}
	eighths := int(math.Round(min(max(frac, 0), 1) * float64(width*8)))
	full, part := eighths/8, eighths%8
	fill = strings.Repeat(barFull, full)
	if part > 0 {
		fill += string(barEighths[part])
		full++
	}
	return fill, strings.Repeat(barTrack, width-full)
}

// chartRow lays out one row of a chart in width cells: left in a column
// leftWidth wide, the chart, then right right-aligned in rightWidth. Both
// come styled. The chart is drawn by draw at the width left over; a width
// that leaves it fewer than three cells drops it, then cuts left, so the
// value on the right always shows.
func chartRow(left string, leftWidth int, right string, rightWidth, width int, draw func(int) string) string {
	rightWidth = max(rightWidth, lipgloss.Width(right))
	chart := width - leftWidth - rightWidth - 2 // a space either side of the chart
	if chart < 3 {
		leftWidth, chart = max(width-rightWidth-1, 0), 0
	}
	row := padRight(ansi.Truncate(left, leftWidth, "…"), leftWidth) + " "
	if chart > 0 {
		row += draw(chart) + " "
	}
	return ansi.Truncate(row+padLeft(right, rightWidth), width, "…")
}

// sparkRow is a chart row whose chart is a sparkline of counts.
func sparkRow(s *Styles, label string, labelWidth int, counts []int, value string, valueWidth, width int) string {
	return chartRow(s.Label.Render(label), labelWidth, s.Value.Render(value), valueWidth, width, func(w int) string {
		cells := sparkCells(counts, w)
		// Every cell is one column wide: count runes, not display width.
		return s.Chart.Render(cells + strings.Repeat(" ", w-utf8.RuneCountInString(cells)))
	})
}

// barRow is a chart row whose chart is a bar frac long, its filled part
// drawn in fill.
func barRow(s *Styles, left string, leftWidth int, frac float64, fill lipgloss.Style, right string, rightWidth, width int) string {
	return chartRow(left, leftWidth, right, rightWidth, width, func(w int) string {
		f, t := barCells(frac, w)
		return fill.Render(f) + s.Subtle.Render(t)
	})
}

func padRight(s string, w int) string { return s + strings.Repeat(" ", max(w-lipgloss.Width(s), 0)) }
func padLeft(s string, w int) string  { return strings.Repeat(" ", max(w-lipgloss.Width(s), 0)) + s }
