package ui

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/wismo/wismo/store"
	"github.com/wismo/wismo/tracker"
)

// feedsMsg carries the carrier feeds' health, read once a second.
type feedsMsg struct{ health []tracker.FeedHealth }

// WithFeeds has the desk show each carrier feed's health in its header,
// read from health once a second.
func (m Model) WithFeeds(health func() []tracker.FeedHealth) Model {
	m.feeds = health
	return m
}

func (m Model) loadFeeds() tea.Cmd {
	if m.feeds == nil {
		return nil
	}
	health := m.feeds
	return func() tea.Msg { return feedsMsg{health: health()} }
}

// feedMarks shows each feed as its name and a mark: ● answering, ▲
// failing lately, ✗ paused (its breaker open). Marks differ in shape as
// well as colour, so they read without colour too.
func (m Model) feedMarks() string {
	parts := make([]string, 0, len(m.health))
	for _, h := range m.health {
		mark, style := "●", m.styles.Subtle
		switch {
		case h.Breaker == "open":
			mark, style = "✗", m.styles.Severity[store.SeverityCritical]
		case h.ConsecutiveFailures > 0:
			mark, style = "▲", m.styles.Severity[store.SeverityMedium]
		}
		parts = append(parts, m.styles.Subtle.Render(h.Feed+" ")+style.Render(mark))
	}
	return strings.Join(parts, " ")
}
