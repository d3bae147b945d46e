package ui

import (
	"net/http"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/carriers/dhl"
	"github.com/wismo/wismo/store"
	"github.com/wismo/wismo/tracker"
)

// pauseDesk is a 120×30 desk over a real tracker with a DHL feed (never
// run: pausing asks the carrier nothing), seated as role, on the feed
// view.
func pauseDesk(t *testing.T, role Role) (tea.Model, *store.Store, *tracker.Tracker) {
	t.Helper()
	st := openDesk(t, 10)
	feed := dhl.New("http://127.0.0.1:1", "key", http.DefaultClient)
	tr := tracker.New(st, []carriers.Tracker{feed}, clock, tracker.Config{}, nil)
	m := start(t, st, 120, 30, func(m Model) Model {
		return m.WithFeeds(tr.Health).WithWallClock(clock).WithActions(tr).WithAgent("sam").WithRole(role)
	})
	return tick(t, press(t, tick(t, m), "F")), st, tr
}

// A supervisor pauses a feed from the feed view with a reason, sees it
// paused, and resumes it; both are in the audit log under their name.
func TestSupervisorPausesAndResumesAFeed(t *testing.T) {
	m, st, tr := pauseDesk(t, RoleSupervisor)
	mustContain(t, screen(m), "dhl", "● ok", "p pause/resume")

	m = press(t, m, "p")
	mustContain(t, screen(m), ":pause dhl", "pause FEED REASON")
	m = press(t, typeText(t, m, "every scan says delivered"), "enter")
	mustContain(t, screen(m), "dhl paused: nothing is asked of it")
	m = tick(t, m)
	mustContain(t, screen(m), "‖ paused", "‖ paused by sam", "every scan says delivered")
	if h := tr.Health(); len(h) != 1 || !h[0].Paused() {
		t.Fatalf("health after the pause = %+v", h)
	}

	m = press(t, m, "p")
	mustContain(t, screen(m), ":resume dhl")
	m = tick(t, press(t, m, "enter"))
	mustContain(t, screen(m), "dhl resumed", "● ok")
	trail, err := st.AuditTrail("feed dhl", 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(trail) != 2 || trail[0].Action != "resume feed" || trail[1].Action != "pause feed" ||
		trail[0].Agent != "sam" || trail[1].Detail != "every scan says delivered" {
		t.Errorf("audit trail = %+v", trail)
	}
}

// An agent and a read-only agent are refused, with why, and nothing is
// paused; a reasonless pause and an unknown feed are refused too.
func TestFeedPauseIsRefusedWithWhy(t *testing.T) {
	for _, c := range []struct {
		role Role
		line string
		want string
	}{
		{RoleAgent, "pause dhl down", "pausing and resuming feeds is for supervisors"},
		{RoleReadOnly, "pause dhl down", "read-only"},
		{RoleSupervisor, "pause dhl", "needs a reason"},
		{RoleSupervisor, "pause royalmail down", "royalmail"},
		{RoleSupervisor, "resume dhl", "dhl is not paused"},
	} {
		m, st, tr := pauseDesk(t, c.role)
		if offered := strings.Contains(screen(m), "p pause/resume"); offered != (c.role == RoleSupervisor) {
			t.Errorf("%s: the feed view offers p: %v", c.role, offered)
		}
		m = press(t, typeText(t, press(t, m, ":"), c.line), "enter")
		if s := screen(m); !strings.Contains(s, c.want) {
			t.Errorf("%s :%s: screen lacks %q:\n%s", c.role, c.line, c.want, s)
		}
		if h := tr.Health(); h[0].Paused() {
			t.Errorf("%s :%s paused the feed", c.role, c.line)
		}
		if trail, _ := st.AuditTrail("feed dhl", 5); len(trail) != 0 {
			t.Errorf("%s :%s wrote %+v", c.role, c.line, trail)
		}
	}
}
