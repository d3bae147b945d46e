package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/wismo/wismo/store"
)

// returnLine is one return on a line: RMA, state, reason and refund, then
// the states it went through when the width allows.
func returnLine(s *Styles, r store.Return, width int) string {
	parts := nonEmpty(r.RMA, humanize(string(r.State)), r.Reason)
	if r.RefundAmount != 0 {
		refund := "refund " + money(r.RefundAmount, r.Currency)
		if !r.RefundedAt.IsZero() && len(r.History) < 2 { // else the history dates it
			refund += " on " + day(r.RefundedAt)
		}
		parts = append(parts, refund)
	}
	line := ansi.Truncate(strings.Join(parts, "  "), width, "…")
	return s.Value.Render(line) + s.Subtle.Render(history(r.History, width-ansi.StringWidth(line)))
}

// history lists a return's steps, the newest that fit in width; the
// oldest give way first.
func history(steps []store.ReturnStep, width int) string {
	if len(steps) < 2 {
		return ""
	}
	out := ""
	for i := len(steps) - 1; i >= 0; i-- {
		step := fmt.Sprintf("%s %s", humanize(string(steps[i].State)), steps[i].At.UTC().Format("02 Jan"))
		next := step + out
		if i > 0 {
			next = " → " + next
		}
		if ansi.StringWidth("  · "+next) > width {
			if out == "" {
				return ""
			}
			return "  · …" + out
		}
		out = next
	}
	return "  · " + out
}

// returnsBlock is the order's returns under a heading, at most n lines of
// them; nothing when there are none or no room.
func returnsBlock(s *Styles, rs []store.Return, width, n int) []string {
	if len(rs) == 0 || n <= 0 {
		return nil
	}
	lines := []string{detailGap, s.Section.Render(fmt.Sprintf("Returns (%d)", len(rs)))}
	for _, r := range rs[:min(n, len(rs))] {
		lines = append(lines, returnLine(s, r, width))
	}
	return lines
}
