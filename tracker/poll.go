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
// is due, asks their carriers concurrently, and writes every result in one
// transaction. It returns how many parcels it polled.
func (t *Tracker) PollDue(ctx context.Context) (int, error) {
	now := t.now()
	due, err := t.due(now)
	if err != nil || len(due) == 0 {
		return 0, err
	}
	results := t.fetch(ctx, due)
	if ctx.Err() != nil {
		// Shutting down: a cancelled request says nothing about the feed.
		return 0, ctx.Err()
	}
	t.logFailures(due, results)
	err = t.store.Update(func(tx *store.Tx) error {
		for _, r := range results {
			if err := t.apply(tx, r, now); err != nil {
				return fmt.Errorf("parcel %d: %w", r.parcel, err)
			}
		}
		return nil
	})
	if err != nil {
		t.log.Error("poll round not written; writing parcel by parcel", "err", err)
		return len(due), t.applyEach(results, now)
	}
	return len(due), nil
}

// applyEach writes a round one parcel per transaction, after the round as a
// whole failed: a parcel whose results cannot be written is marked failing
// and rescheduled, and the rest of the round lands.
func (t *Tracker) applyEach(results []pollResult, now time.Time) error {
	for _, r := range results {
		err := t.store.Update(func(tx *store.Tx) error { return t.apply(tx, r, now) })
		if err == nil {
			continue
		}
		t.log.Error("poll result not written", "parcel", r.parcel, "err", err)
		failed := pollResult{parcel: r.parcel, err: fmt.Errorf("result not stored: %w", err)}
		if err := t.store.Update(func(tx *store.Tx) error { return t.apply(tx, failed, now) }); err != nil {
			return fmt.Errorf("parcel %d: %w", r.parcel, err)
		}
	}
	return nil
}

// due reads the parcels whose next poll is at or before now.
func (t *Tracker) due(now time.Time) ([]store.Parcel, error) {
	var due []store.Parcel
	err := t.store.View(func(tx *store.Tx) error {
		for _, id := range tx.ParcelsDue(now, t.cfg.Batch) {
			p, err := tx.Parcel(id)
			if err != nil {
				return fmt.Errorf("due parcel %d: %w", id, err)
			}
			due = append(due, p)
		}
		return nil
	})
	return due, err
}

// fetch asks the carriers about every parcel, Workers at a time. Failures
// are results too: they are recorded on the parcel, not returned.
func (t *Tracker) fetch(ctx context.Context, parcels []store.Parcel) []pollResult {
	results := make([]pollResult, len(parcels))
	var g errgroup.Group
	g.SetLimit(t.cfg.Workers)
	for i, p := range parcels {
		g.Go(func() error {
			results[i] = t.fetchOne(ctx, p)
			return nil
		})
	}
	g.Wait()
	return results
}

// logFailures records failed polls before the write transaction opens, so
// no file I/O happens while it is held. Not-found is no failure.
func (t *Tracker) logFailures(due []store.Parcel, results []pollResult) {
	for i, r := range results {
		if r.err != nil && !errors.Is(r.err, carriers.ErrNotFound) {
			p := due[i]
			t.log.Warn("poll failed", "carrier", p.Carrier, "tracking", p.TrackingNumber,
				"failures", p.PollFailures+1, "err", r.err)
		}
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
