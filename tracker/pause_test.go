package tracker

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/store"
)

func TestPausedFeedIsNotAskedUntilResumed(t *testing.T) {
	st := openStore(t)
	held := addParcel(t, st, "JJD1", t0)
	other := addFeedParcel(t, st, "ups", "", "1Z1", t0)
	dhl := &scripted{name: "dhl"}
	ups := &scripted{name: "ups"}
	clk := newClock(t0.Add(time.Hour))
	tr := New(st, []carriers.Tracker{dhl, ups}, clk.Now, DefaultConfig(), nil)

	p, err := tr.PauseFeed("dhl", "sam", "statuses all say delivered")
	if err != nil || p.By != "sam" || p.At.IsZero() {
		t.Fatalf("PauseFeed = %+v, %v", p, err)
	}
	if n, err := tr.PollDue(context.Background()); n != 2 || err != nil {
		t.Fatalf("PollDue = %d, %v; want both parcels taken", n, err)
	}
	if len(dhl.requests()) != 0 || len(ups.requests()) != 1 {
		t.Errorf("requests: dhl %d, ups %d; want none to the paused feed, one to the other", len(dhl.requests()), len(ups.requests()))
	}
	d := detail(t, st, held).Parcel
	if d.PollFailures != 0 || !strings.Contains(d.LastError, "paused by sam: statuses all say delivered") ||
		!d.NextPollAt.Equal(clk.Now().Add(DefaultConfig().Defer)) {
		t.Errorf("held parcel = failures %d, error %q, next %v; want no failure, the pause named, asked again after Defer",
			d.PollFailures, d.LastError, d.NextPollAt)
	}
	if d := detail(t, st, other).Parcel; d.LastPolledAt.IsZero() {
		t.Error("the running feed's parcel was not polled")
	}
	h := healthOf(t, tr, "dhl")
	if !h.Paused() || h.Pause.By != "sam" || h.Pause.Reason != "statuses all say delivered" {
		t.Errorf("health of the paused feed = %+v", h)
	}

	if err := tr.ResumeFeed("dhl", "kim"); err != nil {
		t.Fatal(err)
	}
	clk.Add(DefaultConfig().Defer)
	if n, err := tr.PollDue(context.Background()); n != 1 || err != nil || len(dhl.requests()) != 1 {
		t.Errorf("after resuming: PollDue = %d, %v with %d dhl requests; want the held parcel asked", n, err, len(dhl.requests()))
	}
	if healthOf(t, tr, "dhl").Paused() {
		t.Error("the resumed feed still shows paused")
	}
	trail, err := st.AuditTrail("feed dhl", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(trail) != 2 || trail[0].Action != actionResumeFeed || trail[0].Agent != "kim" ||
		trail[1].Action != actionPauseFeed || trail[1].Agent != "sam" || trail[1].Detail != "statuses all say delivered" {
		t.Errorf("audit trail = %+v; want sam's pause with its reason, then kim's resume", trail)
	}
}

func TestFeedPauseSurvivesARestart(t *testing.T) {
	st := openStore(t)
	clk := newClock(t0)
	first := New(st, []carriers.Tracker{&scripted{name: "dhl"}}, clk.Now, DefaultConfig(), nil)
	if _, err := first.PauseFeed("dhl", "sam", "carrier asked us to stop"); err != nil {
		t.Fatal(err)
	}
	again := New(st, []carriers.Tracker{&scripted{name: "dhl"}}, clk.Now, DefaultConfig(), nil)
	if h := healthOf(t, again, "dhl"); !h.Paused() || h.Pause.Reason != "carrier asked us to stop" {
		t.Errorf("after a restart the feed reads %+v; want it still paused", h)
	}
}

// Each bad request is refused with why, and writes nothing: neither a
// pause nor an audit entry.
func TestFeedPauseRefusesBadRequests(t *testing.T) {
	st := openStore(t)
	tr := New(st, []carriers.Tracker{&scripted{name: "dhl"}}, newClock(t0).Now, DefaultConfig(), nil)
	for _, c := range []struct {
		name, feed, agent, reason, want string
	}{
		{"no reason", "dhl", "sam", "  ", "say why"},
		{"unknown feed", "royalmail", "sam", "why", "no such feed"},
		{"no agent", "dhl", "", "why", "names its agent"},
		{"the desk's own name", "dhl", store.SystemAgent, "why", "desk's own"},
		{"a reason too long", "dhl", "sam", strings.Repeat("x", maxNoteRunes+1), "longer than"},
	} {
		if _, err := tr.PauseFeed(c.feed, c.agent, c.reason); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: PauseFeed = %v, want an error saying %q", c.name, err, c.want)
		}
	}
	if err := tr.ResumeFeed("dhl", "sam"); err == nil || !strings.Contains(err.Error(), "not paused") {
		t.Errorf("resuming a running feed = %v, want it refused", err)
	}
	if _, err := tr.PauseFeed("dhl", "sam", "first"); err != nil {
		t.Fatal(err)
	}
	_, err := tr.PauseFeed("dhl", "kim", "second")
	if err == nil || !strings.Contains(err.Error(), "already paused, by sam") || !strings.Contains(err.Error(), "first") {
		t.Errorf("pausing a paused feed = %v, want it refused naming sam's pause", err)
	}
	if err := tr.ResumeFeed("royalmail", "sam"); !errors.Is(err, ErrNoFeed) {
		t.Errorf("resuming an unknown feed = %v, want ErrNoFeed", err)
	}
	tr.Receiver([]string{"shop-secret"}) // the shop's webhook is no carrier feed
	if _, err := tr.PauseFeed(shopProvider, "sam", "why"); !errors.Is(err, ErrNoFeed) {
		t.Errorf("pausing the shop's webhook = %v, want ErrNoFeed", err)
	}
	if trail, _ := st.AuditTrail("", 10); len(trail) != 1 {
		t.Errorf("audit trail has %d entries, want sam's one pause: %+v", len(trail), trail)
	}
}

// A paused feed's webhooks are answered 503 with a Retry-After and not
// applied; the carrier's resend after the resume is.
func TestPausedFeedTurnsItsWebhooksAwayToComeAgain(t *testing.T) {
	st := openStore(t)
	id := addParcel(t, st, "JJD1", time.Time{})
	tr, _ := newTracker(st, newClock(t0.Add(time.Hour)))
	url := receiver(t, tr, "secret")
	if _, err := tr.PauseFeed("pushco", "sam", "pushes garbage"); err != nil {
		t.Fatal(err)
	}
	body := pushOf(t, "evt_1", "JJD1", event(0, carriers.StatusInTransit, "Processed"))
	code, msg, retry := pushAnswer(t, url, "secret", body)
	if code != http.StatusServiceUnavailable || retry != "300" || !strings.Contains(msg, "paused") {
		t.Errorf("push to a paused feed: %d %q Retry-After %q; want 503 naming the pause, Retry-After 300", code, msg, retry)
	}
	// An unsigned call is refused as before: the pause tells strangers
	// nothing.
	if code, _ := push(t, url, "", body); code != http.StatusUnauthorized {
		t.Errorf("unsigned push to a paused feed: %d, want 401", code)
	}
	if d := detail(t, st, id); len(d.Events) != 0 {
		t.Fatalf("the held push was applied: %d events", len(d.Events))
	}
	if h := healthOf(t, tr, "pushco"); h.Held != 1 || h.Deliveries != 0 || h.ConsecutiveFailures != 0 {
		t.Errorf("health = %+v; want one held call, no delivery, no failure", h)
	}
	if err := tr.ResumeFeed("pushco", "sam"); err != nil {
		t.Fatal(err)
	}
	if code, msg := push(t, url, "secret", body); code != http.StatusOK || msg != "applied" {
		t.Errorf("the resend after the resume: %d %q, want applied", code, msg)
	}
}

func healthOf(t *testing.T, tr *Tracker, feed string) FeedHealth {
	t.Helper()
	for _, h := range tr.Health() {
		if h.Feed == feed {
			return h
		}
	}
	t.Fatalf("no health for %s", feed)
	return FeedHealth{}
}

// A paused feed's backlog does not hold up the feeds that run: its parcels
// are set aside beside the round's batch, not in it.
func TestPausedBacklogDoesNotHoldUpOtherFeeds(t *testing.T) {
	st := openStore(t)
	for i := range 40 {
		addParcel(t, st, fmt.Sprintf("JJD%d", i), t0)
	}
	addFeedParcel(t, st, "ups", "", "1Z1", t0.Add(time.Minute))
	ups := &scripted{name: "ups"}
	cfg := DefaultConfig()
	cfg.Batch = 8
	tr := New(st, []carriers.Tracker{&scripted{name: "dhl"}, ups}, newClock(t0.Add(time.Hour)).Now, cfg, nil)
	if _, err := tr.PauseFeed("dhl", "sam", "statuses all say delivered"); err != nil {
		t.Fatal(err)
	}
	// The first round's look-ahead (4 batches) holds only paused parcels;
	// it sets them all aside, and the second asks about the UPS one.
	for range 2 {
		if _, err := tr.PollDue(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if len(ups.requests()) != 1 {
		t.Errorf("after two rounds UPS was asked %d times; want its parcel asked despite 40 paused DHL parcels ahead of it", len(ups.requests()))
	}
}
