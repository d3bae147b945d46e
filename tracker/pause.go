package tracker

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/wismo/wismo/store"
)

// A feed is paused on a supervisor's word: a carrier sending wrong
// statuses, or asking the desk to stop. While it is paused the desk asks
// the carrier nothing (its parcels wait, Defer at a time) and answers the
// feed's webhooks 503 with a Retry-After, so the carrier sends them again
// after it is resumed. The pause is kept in the store: a restart does not
// lift it. The tracker keeps the pauses in memory too, so the poll rounds,
// every webhook and every desk's health read them without a transaction:
// pauseWrite puts the writes in order, pauseMu guards the map a moment.

// The audit log's actions on a feed.
const (
	actionPauseFeed  = "pause feed"
	actionResumeFeed = "resume feed"
)

// ErrNoFeed reports a feed name this desk has no feed by.
var ErrNoFeed = errors.New("no such feed")

// pausedRetryAfter is how long a paused feed's webhook is asked to wait.
const pausedRetryAfter = 5 * time.Minute

// PauseFeed pauses the named feed for agent, saying why (required: the
// next supervisor reads it). It is refused when the feed is already
// paused, naming by whom. The pause and its audit entry are one write.
func (t *Tracker) PauseFeed(feed, agent, reason string) (store.FeedPause, error) {
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return store.FeedPause{}, errors.New("say why the feed is paused: the next supervisor reads it")
	case utf8.RuneCountInString(reason) > maxNoteRunes:
		return store.FeedPause{}, fmt.Errorf("the reason is longer than %d characters", maxNoteRunes)
	}
	if err := t.checkFeedAction(feed, agent); err != nil {
		return store.FeedPause{}, err
	}
	p := store.FeedPause{Feed: feed, By: agent, At: time.Now().UTC(), Reason: reason}
	t.pauseWrite.Lock()
	defer t.pauseWrite.Unlock()
	err := t.store.Write(func(tx *store.Tx) error {
		if was, paused, err := tx.FeedPaused(feed); err != nil || paused {
			return cmp.Or(err, fmt.Errorf("%s is already paused, by %s at %s: %s",
				feed, was.By, was.At.Format(time.DateTime+" MST"), was.Reason))
		}
		if err := tx.PauseFeed(p); err != nil {
			return err
		}
		return tx.Audit(store.AuditEntry{At: t.now(), Agent: agent, Action: actionPauseFeed,
			Target: "feed " + feed, Detail: reason})
	})
	if err != nil {
		return store.FeedPause{}, err
	}
	t.pauseMu.Lock()
	t.paused[feed] = p
	t.pauseMu.Unlock()
	t.log.Warn("feed paused", "feed", feed, "by", agent, "reason", reason)
	return p, nil
}

// ResumeFeed lifts the named feed's pause for agent. Its parcels are asked
// again when their wait ends, within Defer.
func (t *Tracker) ResumeFeed(feed, agent string) error {
	if err := t.checkFeedAction(feed, agent); err != nil {
		return err
	}
	var was store.FeedPause
	t.pauseWrite.Lock()
	defer t.pauseWrite.Unlock()
	err := t.store.Write(func(tx *store.Tx) error {
		var paused bool
		var err error
		if was, paused, err = tx.FeedPaused(feed); err != nil || !paused {
			return cmp.Or(err, fmt.Errorf("%s is not paused", feed))
		}
		if err := tx.ResumeFeed(feed); err != nil {
			return err
		}
		return tx.Audit(store.AuditEntry{At: t.now(), Agent: agent, Action: actionResumeFeed,
			Target: "feed " + feed, Detail: "paused by " + was.By + ": " + was.Reason})
	})
	if err == nil {
		t.pauseMu.Lock()
		delete(t.paused, feed)
		t.pauseMu.Unlock()
		t.log.Info("feed resumed", "feed", feed, "by", agent)
	}
	return err
}

// checkFeedAction checks the feed is one of the desk's and the agent's
// name is one the audit log takes.
func (t *Tracker) checkFeedAction(feed, agent string) error {
	if agent == "" {
		return errors.New("an action on a feed names its agent")
	}
	if err := CheckAgent(agent); err != nil {
		return err
	}
	if _, polled := t.feeds[feed]; polled {
		return nil
	}
	if feed == shopProvider {
		return fmt.Errorf("%w: the shop's webhook is not a carrier feed: its orders and returns are never held", ErrNoFeed)
	}
	t.pushMu.Lock()
	_, pushed := t.push[feed]
	t.pushMu.Unlock()
	if !pushed {
		return fmt.Errorf("%w: %q", ErrNoFeed, feed)
	}
	return nil
}

// loadPauses reads the feeds paused when the tracker starts. A pause that
// cannot be read is the store's damage, logged; the feed runs.
func loadPauses(st *store.Store, log *slog.Logger) map[string]store.FeedPause {
	var paused map[string]store.FeedPause
	err := st.View(func(tx *store.Tx) error {
		var err error
		paused, err = tx.FeedPauses()
		return err
	})
	if err != nil {
		log.Error("feed pauses unreadable: every feed runs", "err", err)
	}
	if paused == nil {
		paused = map[string]store.FeedPause{}
	}
	return paused
}

// pauses is a copy of the feeds paused now.
func (t *Tracker) pauses() map[string]store.FeedPause {
	t.pauseMu.Lock()
	defer t.pauseMu.Unlock()
	return maps.Clone(t.paused)
}

// pausedBy is the feed's pause, if it is paused.
func (t *Tracker) pausedBy(feed string) (store.FeedPause, bool) {
	t.pauseMu.Lock()
	defer t.pauseMu.Unlock()
	p, ok := t.paused[feed]
	return p, ok
}

// pausedError is why a paused feed's parcels were not asked about.
func pausedError(p store.FeedPause) error {
	return fmt.Errorf("%w by %s: %s", errPaused, p.By, p.Reason)
}

// heldPush answers a webhook of a paused feed: 503 with a Retry-After, so
// the carrier sends it again later. It reports whether the feed is paused.
func (t *Tracker) heldPush(w http.ResponseWriter, provider string) bool {
	pause, paused := t.pausedBy(provider)
	if !paused {
		return false
	}
	t.pushMu.Lock()
	t.push[provider].Held++
	t.pushMu.Unlock()
	w.Header().Set("Retry-After", fmt.Sprint(int(pausedRetryAfter.Seconds())))
	reply(w, http.StatusServiceUnavailable, fmt.Sprintf("%s is paused at the desk (by %s): send it again later", provider, pause.By))
	return true
}
