package ui

import (
	"math"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

func TestSparkCells(t *testing.T) {
	cases := []struct {
		name   string
		counts []int
		width  int
		want   string
	}{
		{"no counts", nil, 10, ""},
		{"no room", []int{1, 2}, 0, ""},
		{"negative room", []int{1, 2}, -3, ""},
		{"all zero is a flat baseline", []int{0, 0, 0}, 3, "▁▁▁"},
		{"one spike", []int{0, 0, 5, 0}, 4, "▁▁█▁"},
		{"one is taller than none", []int{1, 0, 100}, 3, "▂▁█"},
		{"the middle is halfway", []int{2, 4}, 2, "▅█"},
		{"too narrow keeps the latest", []int{9, 9, 3, 4}, 2, "▆█"},
		{"room to spare widens each day", []int{0, 1}, 5, "▁▁██"},
	}
	for _, c := range cases {
		if got := sparkCells(c.counts, c.width); got != c.want {
			t.Errorf("%s: sparkCells(%v, %d) = %q, want %q", c.name, c.counts, c.width, got, c.want)
		}
	}
}

func TestBarCells(t *testing.T) {
	cases := []struct {
		frac        float64
		width       int
		fill, track string
	}{
		{0, 4, "", "····"},
		{1, 4, "████", ""},
		{0.5, 3, "█▌", "·"},
		{0.99, 10, "█████████▉", ""},
		{1.7, 2, "██", ""},        // clamped
		{-1, 2, "", "··"},         // clamped
		{math.NaN(), 2, "", "··"}, // no rate at all
		{0.5, 0, "", ""},
	}
	for _, c := range cases {
		fill, track := barCells(c.frac, c.width)
		if fill != c.fill || track != c.track {
			t.Errorf("barCells(%v, %d) = %q+%q, want %q+%q", c.frac, c.width, fill, track, c.fill, c.track)
		}
		if n := lipgloss.Width(fill + track); c.width > 0 && n != c.width {
			t.Errorf("barCells(%v, %d) is %d cells", c.frac, c.width, n)
		}
	}
}

// A row lays out label, chart and value in exactly its width; too narrow,
// it drops the chart, then cuts the label, and the value stays.
func TestChartRowFitsItsWidth(t *testing.T) {
	s := NewStyles(true)
	counts := []int{0, 3, 1}
	for _, width := range []int{40, 20, 12, 8, 4} {
		row := sparkRow(s, "attempt failed", 14, counts, "12", 5, width)
		plain := ansi.Strip(row)
		if lipgloss.Width(row) > width {
			t.Errorf("width %d: row is %d cells: %q", width, lipgloss.Width(row), plain)
		}
		if width >= 8 && !strings.HasSuffix(plain, "12") {
			t.Errorf("width %d: the value is lost: %q", width, plain)
		}
		if hasSpark := strings.ContainsAny(plain, "▁█"); hasSpark != (width >= 14+5+2+3) {
			t.Errorf("width %d: chart shown %v: %q", width, hasSpark, plain)
		}
	}
	if got := ansi.Strip(sparkRow(s, "lost", 6, counts, "4", 3, 16)); got != "lost   ▁█▄     4" {
		t.Errorf("a roomy row = %q", got)
	}
}

// Without colour a bar still reads: its length is the rate and its empty
// part is drawn.
func TestBarRowReadsWithoutColour(t *testing.T) {
	s := NewStyles(false)
	row := ansi.Strip(barRow(s, "dhl", 4, 0.75, s.Good, "75%", 4, 16))
	if row != "dhl  ████▌·  75%" {
		t.Errorf("bar row = %q", row)
	}
}
