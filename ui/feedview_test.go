package ui

import (
	"reflect"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/wismo/wismo/tracker"
)

// upsError is longer than any screen is wide: the view wraps its start,
// enter shows it whole.
const upsError = `ups: track "1Z999AA10123456784": 503 Service Unavailable: the carrier's tracking API answered ` +
	`"upstream connect error or disconnect/reset before headers. reset reason: connection termination" ` +
	`after 30s; the request will be retried with backoff until the breaker opens, then paused for 5m ` +
	`before one request probes whether the carrier is back. Response headers: content-type text/plain, ` +
	`x-request-id 5f1c9a7e-33b2-4c1e-9d0a-7be1f0c2d4a9, retry-after absent, via 1.1 edge-proxy-eu-west. END-OF-ERROR`

// fabricatedHealth is one feed in each state, dated by the test clock.
func fabricatedHealth() []tracker.FeedHealth {
	return []tracker.FeedHealth{
		{Feed: "aftership", Push: true, Breaker: "n/a", LastSuccess: now.Add(-30 * time.Second),
			Deliveries: 12, Rejected: 1, Unverified: 2},
		{Feed: "dhl", Poll: true, Breaker: "closed", LastSuccess: now.Add(-12 * time.Second),
			LastFailure: now.Add(-3 * time.Hour), LastError: "dhl: 429 Too Many Requests", Requests: 1342, Failures: 3},
		{Feed: "fedex", Poll: true, Breaker: "half-open", LastFailure: now.Add(-time.Minute),
			LastError: "fedex: 401 Unauthorized: invalid client credentials", ConsecutiveFailures: 6, Requests: 6, Failures: 6},
		{Feed: "ups", Poll: true, Push: true, Breaker: "closed", LastSuccess: now.Add(-4 * time.Minute),
			LastFailure: now.Add(-20 * time.Second), LastError: upsError, ConsecutiveFailures: 2,
			Lag: 90 * time.Second, Requests: 220, Failures: 14, Deliveries: 87, Unverified: 3},
		{Feed: "usps", Poll: true, Breaker: "open", LastSuccess: now.Add(-2 * time.Hour),
			LastFailure: now.Add(-5 * time.Second), LastError: "usps: dial tcp 10.0.0.9:443: connection refused",
			ConsecutiveFailures: 5, Lag: 2 * time.Hour, Requests: 90, Failures: 40},
	}
}

// withHealth has the desk read *health for its feeds, dated by the test
// clock.
func withHealth(health *[]tracker.FeedHealth) func(Model) Model {
	return func(m Model) Model {
		return m.WithFeeds(func() []tracker.FeedHealth { return *health }).WithWallClock(clock)
	}
}

// feedDesk is a desk of w×h whose feeds are health, showing the feed
// view.
func feedDesk(t *testing.T, w, h int, health *[]tracker.FeedHealth) tea.Model {
	t.Helper()
	return press(t, start(t, openDesk(t, 10), w, h, withHealth(health)), "F")
}

func feeds(t *testing.T, m tea.Model) *feedsPane {
	t.Helper()
	p, ok := m.(Model).top().(*feedsPane)
	if !ok {
		t.Fatalf("top pane is %s, not the feed view", m.(Model).top().Title())
	}
	return p
}

// tick moves the desk on by one tick of its clock, which stands still.
func tick(t *testing.T, m tea.Model) tea.Model {
	t.Helper()
	return settle(t, m, func() tea.Msg { return aSecond(m) })
}

// The feed view as an agent sees it, the failing ups feed selected: the
// review copy of the layout (regenerate with go test ./ui -update).
func TestFeedViewGolden(t *testing.T) {
	for _, size := range []struct {
		name string
		w, h int
	}{{"100x30", 100, 30}, {"160x50", 160, 50}} {
		t.Run(size.name, func(t *testing.T) {
			health := fabricatedHealth()
			m := press(t, feedDesk(t, size.w, size.h, &health), "down", "down", "down")
			golden.RequireEqual(t, []byte(screen(m)))
		})
	}
}

// Every feed shows what matters at a glance; the selected one tells the
// rest, its error wrapped and cut short.
func TestFeedViewRows(t *testing.T) {
	health := fabricatedHealth()
	m := press(t, feedDesk(t, 160, 50, &health), "down", "down", "down")
	s := screen(m)
	mustContain(t, s, "› Feeds", "● ok", "▲ failing", "✗ tripped", "half", "12s ago", "1342/3",
		"87/0/3", "12/1/2", "2h", "polled and webhooks", "▲ failing: 2 failure(s) in a row",
		"1m", "220 requests, 14 failed", "87 applied, 0 rejected, 3 unverified", "503 Service Unavailable")
	if strings.Contains(s, "END-OF-ERROR") {
		t.Errorf("the view shows the whole long error; it should cut it to %d lines:\n%s", errorLines, s)
	}
}

// Enter shows the selected feed's last error whole; esc returns to the
// same feed.
func TestFeedViewEnterShowsWholeError(t *testing.T) {
	health := fabricatedHealth()
	m := press(t, feedDesk(t, 100, 30, &health), "down", "down", "down", "enter")
	mustContain(t, screen(m), "Feeds › Feed ups", "END-OF-ERROR")
	m = press(t, m, "esc")
	if got := feeds(t, m).sel; got != "ups" {
		t.Errorf("back on the view, %q is selected, want ups", got)
	}
}

// Ticks refresh the view; rows are rebuilt only when a cell changed, and
// the selection stays on its feed when feeds come and go above it.
func TestFeedViewFollowsHealth(t *testing.T) {
	health := fabricatedHealth()
	m := press(t, feedDesk(t, 100, 30, &health), "down", "down", "down")
	rows := reflect.ValueOf(feeds(t, m).rows).Pointer()
	m = tick(t, m)
	if reflect.ValueOf(feeds(t, m).rows).Pointer() != rows {
		t.Error("a tick with nothing changed rebuilt the rows")
	}
	health = append([]tracker.FeedHealth{{Feed: "dpd", Poll: true, Breaker: "closed"}}, health...)
	health[4].ConsecutiveFailures = 3
	m = tick(t, m)
	p := feeds(t, m)
	if h, ok := p.selected(); !ok || h.Feed != "ups" {
		t.Errorf("after a feed arrived above it, the selection is on %q, want ups", h.Feed)
	}
	if reflect.ValueOf(p.rows).Pointer() == rows {
		t.Error("the rows were not rebuilt for a changed feed")
	}
	mustContain(t, screen(m), "dpd", "3 failure(s) in a row")
}

// A desk without feeds says so; enter and the keys do nothing harmful.
func TestFeedViewWithoutFeeds(t *testing.T) {
	m := press(t, start(t, openDesk(t, 3), 100, 30), "F", "enter", "down", "F")
	mustContain(t, screen(m), "This desk has no carrier feeds")
	if n := len(m.(Model).stack); n != 2 {
		t.Errorf("stack is %d deep after F, enter, F; want 2", n)
	}
}

// The header carries each feed's last sync age where there is room, and
// drops the ages before the marks where there is not.
func TestHeaderFeedAges(t *testing.T) {
	health := fabricatedHealth()
	m := start(t, openDesk(t, 3), 160, 30, withHealth(&health))
	mustContain(t, screen(m), "aftership ● 30s  dhl ● 12s", "ups ▲ 4m", "usps ✗ 2h")
	m = settle(t, m, func() tea.Msg { return tea.WindowSizeMsg{Width: 90, Height: 30} })
	s := screen(m)
	mustContain(t, s, "dhl ●", "ups ▲")
	if strings.Contains(s, "dhl ● 12s") {
		t.Errorf("at 90 columns the header still shows ages:\n%s", s)
	}
}

// A feed's health read an instant before the desk clock, or never
// synced, has no odd age.
func TestShortAge(t *testing.T) {
	for _, c := range []struct {
		t    time.Time
		want string
	}{
		{time.Time{}, ""}, {now.Add(time.Second), "0s"}, {now.Add(-59 * time.Second), "59s"},
		{now.Add(-61 * time.Minute), "1h"}, {now.Add(-50 * time.Hour), "2d"},
	} {
		if got := shortAge(now, c.t); got != c.want {
			t.Errorf("shortAge(%v) = %q, want %q", now.Sub(c.t), got, c.want)
		}
	}
}
