package tracker

import (
	"context"
	"errors"
	"time"

	"github.com/wismo/wismo/store"
)

// checkLoop checks the store's file in the background: at once when the
// process before did not close it, then every CheckEvery, and whenever a
// read failed on a page the store could not make sense of.
func (t *Tracker) checkLoop(ctx context.Context) {
	if t.store.CheckStatus().UncleanStop {
		t.checkStore(ctx, "after an unclean stop")
	}
	tick := time.NewTicker(t.cfg.CheckEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			t.checkStore(ctx, "scheduled")
		case <-t.store.CheckWanted():
			t.checkStore(ctx, "after a read failed")
		}
	}
}

// checkStore runs one check and logs what it found.
func (t *Tracker) checkStore(ctx context.Context, why string) {
	t.log.Info("store check started", "why", why)
	start := time.Now()
	r, err := t.store.Verify(ctx, why)
	switch {
	case errors.Is(err, context.Canceled) || errors.Is(err, store.ErrCheckRunning):
	case err != nil:
		t.log.Error("store check", "why", why, "err", err)
	case len(r.Problems) > 0:
		t.log.Error("store damaged: writes stopped, reads go on; restore a backup", "problems", len(r.Problems)+r.More,
			"first", r.Problems[0], "took", time.Since(start).Round(time.Millisecond))
	default:
		t.log.Info("store check: consistent", "why", why, "bytes", r.Size, "took", time.Since(start).Round(time.Millisecond))
	}
}
