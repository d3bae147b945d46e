package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/wismo/wismo/tracker"
)

// The header shows each feed with a mark that reads without colour, and
// follows the feeds' health as it changes.
func TestHeaderShowsFeedHealth(t *testing.T) {
	health := []tracker.FeedHealth{
		{Feed: "dhl", Breaker: "closed"},
		{Feed: "ups", Breaker: "closed", ConsecutiveFailures: 2},
		{Feed: "usps", Breaker: "open", ConsecutiveFailures: 5},
	}
	st := openDesk(t, 5)
	ch, cancel := st.Subscribe()
	defer cancel()
	var m tea.Model = New(st, clock, ch).WithFeeds(func() []tracker.FeedHealth { return health })
	m = settle(t, m, m.Init())
	m = settle(t, m, func() tea.Msg { return tea.WindowSizeMsg{Width: 140, Height: 30} })
	m = settle(t, m, func() tea.Msg { return aSecond(m) })
	mustContain(t, screen(m), "dhl ●", "ups ▲", "usps ✗")
	health = []tracker.FeedHealth{{Feed: "dhl", Breaker: "closed"}, {Feed: "usps", Breaker: "closed"}}
	m = settle(t, m, func() tea.Msg { return aSecond(m) })
	mustContain(t, screen(m), "usps ●")
	// Where the marks do not fit, they give way to the breadcrumbs and the
	// clock.
	for _, f := range []string{"ups", "fedex", "easypost", "aftership"} {
		health = append(health, tracker.FeedHealth{Feed: f, Breaker: "closed"})
	}
	m = settle(t, m, func() tea.Msg { return aSecond(m) })
	m = settle(t, m, func() tea.Msg { return tea.WindowSizeMsg{Width: 60, Height: 20} })
	if s := screen(m); strings.Contains(s, "usps ●") || !strings.Contains(s, "12:00 UTC") {
		t.Errorf("narrow screen shows feed marks, or lost its clock:\n%s", s)
	}
}
