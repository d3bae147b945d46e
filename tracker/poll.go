package tracker

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/store"
)

// pollResult is what one carrier request brought back for one parcel.
type pollResult struct {
	parcel store.ParcelID
	news   news
	err    error
	// deferred means no request went out: the feed is paused or its
	// breaker is open.
	deferred bool
	// pushOnly means no request went out: the parcel's news comes by
	// webhook alone, and it is not polled again.
	pushOnly bool
	// refeed names the aggregator to track the parcel with, its carrier
	// having no feed of its own on this desk (a parcel imported before the
	// desk's configuration was known).
	refeed string
}

// PollDue runs one poll round: it takes up to Batch parcels whose next poll
// is due and asks their carriers, each feed in batches of as many numbers as
// its API takes, its own Workers at a time. Each answer goes to the store's
// writer as soon as it arrives, so answers from many parcels share a commit
// while slower requests are still out. It returns how many parcels it
// polled.
func (t *Tracker) PollDue(ctx context.Context) (int, error) {
	now := t.now()
	due, paused, err := t.due(now)
	if err != nil || len(due) == 0 {
		return 0, err
	}
	defer t.release(due)
	slices.SortStableFunc(due, func(a, b store.Parcel) int { return strings.Compare(a.FeedName(), b.FeedName()) })
	written := make([]<-chan error, len(due))
	var wg sync.WaitGroup
	for start := 0; start < len(due); {
		end := start + 1
		for end < len(due) && due[end].FeedName() == due[start].FeedName() {
			end++
		}
		parcels, answers := due[start:end], written[start:end]
		if pause, ok := paused[parcels[0].FeedName()]; ok {
			t.holdFeed(parcels, answers, pause, now)
		} else {
			wg.Go(func() { t.pollFeed(ctx, parcels, answers, now) })
		}
		start = end
	}
	wg.Wait()
	var errs []error
	for i, done := range written {
		if done == nil {
			continue
		}
		if err := <-done; err != nil {
			errs = append(errs, t.markUnwritten(due[i], err, now))
		}
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	return len(due), errors.Join(errs...)
}

// holdFeed answers a paused feed's due parcels without asking it: each
// waits Defer and is due again, so the feed's parcels do not crowd the
// front of every round while it is paused.
func (t *Tracker) holdFeed(parcels []store.Parcel, written []<-chan error, pause store.FeedPause, now time.Time) {
	for i, p := range parcels {
		r := pollResult{parcel: p.ID, err: pausedError(pause), deferred: true}
		written[i] = t.store.Submit(func(tx *store.Tx) error { return t.apply(tx, r, now) })
	}
}

// pollFeed asks one feed about its due parcels and hands each answer to the
// writer, setting written[i] for parcels[i].
func (t *Tracker) pollFeed(ctx context.Context, parcels []store.Parcel, written []<-chan error, now time.Time) {
	name := parcels[0].FeedName()
	f, ok := t.feeds[name]
	if !ok {
		for i, p := range parcels {
			r := pollResult{parcel: p.ID, err: fmt.Errorf("no feed configured for %q", name), pushOnly: t.pushOnly(name)}
			if p.Feed == "" {
				r.refeed = t.feedFor(p.Carrier)
			}
			written[i] = t.store.Submit(func(tx *store.Tx) error { return t.apply(tx, r, now) })
		}
		return
	}
	oldest := slices.MinFunc(parcels, func(a, b store.Parcel) int { return a.NextPollAt.Compare(b.NextPollAt) })
	f.noteLag(now.Sub(oldest.NextPollAt))
	var g errgroup.Group
	g.SetLimit(f.cfg.Workers)
	size := max(f.carrier.MaxBatch(), 1)
	for i := 0; i < len(parcels); i += size {
		batch := parcels[i:min(i+size, len(parcels))]
		g.Go(func() error {
			results := t.fetch(ctx, f, batch)
			if ctx.Err() != nil {
				return nil // shutting down: a cancelled request says nothing about the feed
			}
			for k, r := range results {
				t.logFailure(batch[k], r)
				written[i+k] = t.store.Submit(func(tx *store.Tx) error { return t.apply(tx, r, now) })
			}
			return nil
		})
	}
	g.Wait()
}

// fetch asks the feed about one batch and sorts the answer out per parcel.
func (t *Tracker) fetch(ctx context.Context, f *feed, batch []store.Parcel) []pollResult {
	numbers := make([]string, len(batch))
	for i, p := range batch {
		numbers[i] = p.TrackingNumber
	}
	res, err := f.track(ctx, numbers)
	byNumber := make(map[string]carriers.Result, len(res))
	for _, r := range res {
		byNumber[r.TrackingNumber] = r
	}
	out := make([]pollResult, len(batch))
	for i, p := range batch {
		out[i] = pollResult{parcel: p.ID, err: err, deferred: errors.Is(err, errPaused)}
		if err != nil {
			continue
		}
		r, ok := byNumber[p.TrackingNumber]
		switch {
		case !ok:
			out[i].err = fmt.Errorf("%s: the answer says nothing about %q", f.carrier.Carrier(), p.TrackingNumber)
		case r.Err != nil:
			out[i].err = r.Err
		default:
			var s carriers.Shipment
			s, out[i].err = choose(p, r.Shipments)
			out[i].news = newsOf(s)
		}
	}
	return out
}

// choose picks the parcel's shipment among those a carrier reports under its
// tracking number. A multi-piece answer lists every piece under its own
// number, so the piece with the parcel's number is the one. Once a parcel
// is bound to a shipment (its CarrierRef) it follows that one only: a
// recycled number's new shipment is someone else's parcel. Until then the
// newest shipment is the best guess.
func choose(p store.Parcel, shipments []carriers.Shipment) (carriers.Shipment, error) {
	if own := slices.DeleteFunc(slices.Clone(shipments), func(s carriers.Shipment) bool {
		return !strings.EqualFold(s.TrackingNumber, p.TrackingNumber)
	}); len(own) > 0 {
		shipments = own
	}
	if len(shipments) == 0 {
		return carriers.Shipment{}, carriers.ErrNotFound
	}
	if p.CarrierRef == "" {
		return slices.MaxFunc(shipments, func(a, b carriers.Shipment) int {
			return cmp.Or(a.LastEventTime().Compare(b.LastEventTime()), strings.Compare(a.Ref, b.Ref))
		}), nil
	}
	for _, s := range shipments {
		if s.Ref == p.CarrierRef {
			return s, nil
		}
	}
	return carriers.Shipment{}, fmt.Errorf("shipment %s is no longer reported under %q: %w",
		p.CarrierRef, p.TrackingNumber, carriers.ErrNotFound)
}

// markUnwritten records on a parcel that its poll result could not be
// stored, so it is retried with backoff and the agent sees why.
func (t *Tracker) markUnwritten(p store.Parcel, cause error, now time.Time) error {
	t.log.Error("poll result not written", "parcel", p.ID, "tracking", p.TrackingNumber, "err", cause)
	failed := pollResult{parcel: p.ID, err: fmt.Errorf("result not stored: %w", cause)}
	if err := t.store.Write(func(tx *store.Tx) error { return t.apply(tx, failed, now) }); err != nil {
		return fmt.Errorf("parcel %d: %w", p.ID, err)
	}
	return nil
}

// due takes up to Batch parcels whose next poll is at or before now and
// that no other round has in hand, and marks them in hand: two rounds run
// at once, one fetching while the other's answers are written, and must not
// ask about the same parcel. release gives them back.
//
// A rate-limited feed gets no more of a round than it can answer in about
// roundBudget: otherwise its parcels would hold both rounds for as long as
// its limit takes, and every other feed's parcels would wait behind them.
// The parcels it leaves stay due for the next round.
//
// A paused feed's parcels are taken without limit and beside Batch:
// nothing is asked about them, the round only sets them aside for Defer,
// and they must not crowd out the parcels of feeds that run. paused lists
// the feeds paused.
//
// The hold on the in-hand set spans the read transaction: a round that
// committed its answers and released its parcels after this snapshot began
// would otherwise look due here again.
func (t *Tracker) due(now time.Time) (due []store.Parcel, paused map[string]store.FeedPause, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	taken := map[string]int{}
	asked := 0
	paused = t.pauses()
	err = t.store.View(func(tx *store.Tx) error {
		for _, id := range tx.ParcelsDue(now, dueLookahead*t.cfg.Batch+len(t.inHand)) {
			if _, held := t.inHand[id]; held {
				continue
			}
			p, err := tx.Parcel(id)
			if err != nil {
				return fmt.Errorf("due parcel %d: %w", id, err)
			}
			name := p.FeedName()
			if _, held := paused[name]; held {
				due = append(due, p) // set aside, not asked: no part of Batch
				continue
			}
			if f, ok := t.feeds[name]; ok && taken[name] >= f.roundShare() {
				continue
			}
			taken[name]++
			due = append(due, p)
			if asked++; asked == t.cfg.Batch {
				break
			}
		}
		for _, p := range due {
			t.inHand[p.ID] = struct{}{}
		}
		return nil
	})
	return due, paused, err
}

// dueLookahead is how many times Batch due parcels a round looks through to
// fill itself past the parcels of rate-limited feeds.
const dueLookahead = 4

// release ends a round's hold on its parcels.
func (t *Tracker) release(due []store.Parcel) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, p := range due {
		delete(t.inHand, p.ID)
	}
}

// logFailure records a failed poll; not-found is no failure, and a parcel
// whose feed is paused was not asked at all.
func (t *Tracker) logFailure(p store.Parcel, r pollResult) {
	if r.err != nil && !r.deferred && !errors.Is(r.err, carriers.ErrNotFound) {
		t.log.Warn("poll failed", "carrier", p.Carrier, "tracking", p.TrackingNumber,
			"failures", p.PollFailures+1, "err", r.err)
	}
}
