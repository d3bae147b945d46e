package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"github.com/wismo/wismo/store"
	"github.com/wismo/wismo/tracker"
)

// feedsMsg is the carrier feeds' health, read once a second with the
// clock's tick, and the wall-clock time it was read at.
type feedsMsg struct {
	health []tracker.FeedHealth
	at     time.Time
}

// WithFeeds has the desk show each carrier feed's health in its header,
// read from health once a second.
func (m Model) WithFeeds(health func() []tracker.FeedHealth) Model {
	m.feeds = health
	return m
}

// WithWallClock sets the clock the feeds' ages are told by. Feed health
// is dated by the wall clock even where the desk's clock is simulated, as
// in the demo; tests fix it.
func (m Model) WithWallClock(now func() time.Time) Model {
	m.wall = now
	return m
}

// wallClock is the clock feed health is dated by.
func (m Model) wallClock() func() time.Time {
	if m.wall == nil {
		return time.Now
	}
	return m.wall
}

// readFeeds reads the feeds' health, dated; nil when the desk has no
// feeds.
func (m Model) readFeeds() func() *feedsMsg {
	if m.feeds == nil {
		return nil
	}
	health, wall := m.feeds, m.wallClock()
	return func() *feedsMsg { return &feedsMsg{health: health(), at: wall()} }
}

// feedMark is a feed's state at a glance: ● answering, ▲ failing lately,
// ✗ tripped (its breaker open), ‖ paused by a supervisor, and how loudly
// to say it. Marks differ in shape as well as colour, so they read without
// colour too.
func feedMark(h tracker.FeedHealth) (string, store.Severity) {
	switch {
	case h.Paused():
		return "‖", store.SeverityHigh
	case h.Breaker == "open":
		return "✗", store.SeverityCritical
	case h.ConsecutiveFailures > 0:
		return "▲", store.SeverityMedium
	}
	return "●", store.SeverityLow
}

// feedMarks shows each feed as its name and mark, with how long ago it
// last synced when that fits in room; "" when not even the marks fit.
func (m Model) feedMarks(room int) string {
	for _, withAge := range []bool{true, false} {
		parts := make([]string, 0, len(m.health))
		for _, h := range m.health {
			mark, sev := feedMark(h)
			part := m.styles.Subtle.Render(h.Feed+" ") + m.styles.Severity[sev].Render(mark)
			if age := shortAge(m.feedsAt, h.LastSuccess); withAge && age != "" {
				part += m.styles.Subtle.Render(" " + age)
			}
			parts = append(parts, part)
		}
		sep := " "
		if withAge {
			sep = "  " // so an age reads as its feed's, not the next one's
		}
		if marks := strings.Join(parts, sep); lipgloss.Width(marks) <= room {
			return marks
		}
	}
	return ""
}

// shortAge is how long before now t was, to the second while it is
// recent: a feed that synced 12s ago is well, one at 4m may not be. The
// zero time has no age.
func shortAge(now, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return shortDuration(now.Sub(t))
}

// shortDuration renders d in its largest whole unit: 12s, 4m, 3h, 2d.
func shortDuration(d time.Duration) string {
	d = max(d, 0)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	}
	return fmt.Sprintf("%dd", int(d.Hours())/24)
}
