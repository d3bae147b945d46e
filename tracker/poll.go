package tracker

import (
	"context"
	"errors"
	"fmt"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/store"
)

// pollResult is what one carrier request brought back for one parcel.
type pollResult struct {
	parcel   store.ParcelID
	shipment carriers.Shipment
	err      error
}

// PollDue runs one poll round: it takes up to Batch parcels whose next poll
// is due and asks their carriers, Workers at a time. Each answer goes to the
// store's writer as soon as it arrives, so answers from many parcels share a
// commit while slower requests are still out. It returns how many parcels
// it polled.
func (t *Tracker) PollDue(ctx context.Context) (int, error) {
	now := t.now()
	due, err := t.due(now)
	if err != nil || len(due) == 0 {
		return 0, err
	}
	defer t.release(due)
	written := make([]<-chan error, len(due))
	var g errgroup.Group
	g.SetLimit(t.cfg.Workers)
	for i, p := range due {
		g.Go(func() error {
			r := t.fetchOne(ctx, p)
			if ctx.Err() != nil {
				return nil // shutting down: a cancelled request says nothing about the feed
			}
			t.logFailure(p, r)
			written[i] = t.store.Submit(func(tx *store.Tx) error { return t.apply(tx, r, now) })
			return nil
		})
	}
	g.Wait()
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
// The hold on the in-hand set spans the read transaction: a round that
// committed its answers and released its parcels after this snapshot began
// would otherwise look due here again.
func (t *Tracker) due(now time.Time) ([]store.Parcel, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	var due []store.Parcel
	err := t.store.View(func(tx *store.Tx) error {
		for _, id := range tx.ParcelsDue(now, t.cfg.Batch+len(t.inHand)) {
			if _, taken := t.inHand[id]; taken || len(due) == t.cfg.Batch {
				continue
			}
			p, err := tx.Parcel(id)
			if err != nil {
				return fmt.Errorf("due parcel %d: %w", id, err)
			}
			due = append(due, p)
		}
		for _, p := range due {
			t.inHand[p.ID] = struct{}{}
		}
		return nil
	})
	return due, err
}

// release ends a round's hold on its parcels.
func (t *Tracker) release(due []store.Parcel) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, p := range due {
		delete(t.inHand, p.ID)
	}
}

// logFailure records a failed poll; not-found is no failure.
func (t *Tracker) logFailure(p store.Parcel, r pollResult) {
	if r.err != nil && !errors.Is(r.err, carriers.ErrNotFound) {
		t.log.Warn("poll failed", "carrier", p.Carrier, "tracking", p.TrackingNumber,
			"failures", p.PollFailures+1, "err", r.err)
	}
}

func (t *Tracker) fetchOne(ctx context.Context, p store.Parcel) pollResult {
	r := pollResult{parcel: p.ID}
	c, ok := t.carriers[p.Carrier]
	if !ok {
		r.err = fmt.Errorf("no feed configured for carrier %q", p.Carrier)
		return r
	}
	r.shipment, r.err = c.Track(ctx, p.TrackingNumber)
	return r
}
