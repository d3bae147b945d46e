package tracker

import (
	"errors"
	"fmt"
	"time"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/store"
)

// kindFor is the exception a parcel's status and reason call for, if any.
func kindFor(s carriers.Status, r carriers.Reason) (store.ExceptionKind, bool) {
	switch s {
	case carriers.StatusAttemptFailed:
		if r == carriers.ReasonAddressIssue {
			return store.KindAddressIssue, true
		}
		return store.KindAttemptFailed, true
	case carriers.StatusReturning, carriers.StatusReturned:
		return store.KindReturningToSender, true
	case carriers.StatusExpired:
		return store.KindCarrierException, true
	case carriers.StatusException:
		if k, ok := reasonKinds[r]; ok {
			return k, true
		}
		return store.KindCarrierException, true
	}
	return "", false
}

// reasonKinds maps a carrier exception's reason to the exception agents see.
var reasonKinds = map[carriers.Reason]store.ExceptionKind{
	carriers.ReasonAddressIssue: store.KindAddressIssue,
	carriers.ReasonCustomsHold:  store.KindCustomsHold,
	carriers.ReasonDamaged:      store.KindDamaged,
	carriers.ReasonLost:         store.KindLost,
	carriers.ReasonDelayed:      store.KindDelayed,
	carriers.ReasonRefused:      store.KindRefused,
	carriers.ReasonWeather:      store.KindWeather,
}

// judge applies the carrier-event rules after a parcel's status was set by
// ev: trouble opens an exception of its kind (replacing one of another
// kind), and a good scan resolves whatever was open.
func judge(tx *store.Tx, p store.Parcel, ev store.Event, now time.Time) error {
	kind, trouble := kindFor(p.Status, p.Reason)
	open, err := tx.OpenExceptionOf(p.ID)
	hasOpen := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if hasOpen && (!trouble || open.Kind != kind) {
		why := fmt.Sprintf("carrier reported %s: %s", p.Status, ev.RawText)
		if err := tx.ResolveException(open.ID, now, why); err != nil {
			return err
		}
	}
	if !trouble || (hasOpen && open.Kind == kind) {
		return nil
	}
	return tx.OpenException(&store.Exception{
		Parcel: p.ID, Order: p.Order, Kind: kind, OpenedAt: ev.Time,
		Detail: ev.RawText, Rule: ev.Rule,
	})
}

// retireBatch is how many orders one Retire moves: the move is one write
// that holds the store's writer (about a millisecond an order on a large
// store), so it is kept short enough not to hold up ingest, and the sweep
// runs it often enough to keep up.
const retireBatch = 64

// Retire moves up to retireBatch finished orders whose last activity is
// older than RetainFor to the store's archive.
func (t *Tracker) Retire() error {
	n, err := t.store.Archive(t.now().Add(-t.cfg.RetainFor), retireBatch)
	if n > 0 {
		t.log.Info("archived finished orders", "orders", n)
	}
	return err
}

// ruleStalled names the stall rule in the exceptions it opens.
const ruleStalled = "rule/stalled"

// Sweep runs the time-based rules: a watched parcel with no scan for
// StallAfter is flagged stalled. It reads the stall index, never every
// parcel, and writes only when it has something to flag.
func (t *Tracker) Sweep() error {
	now := t.now()
	cutoff := now.Add(-t.cfg.StallAfter)
	var silent []store.ParcelID
	err := t.store.View(func(tx *store.Tx) error {
		silent = tx.ParcelsSilentSince(cutoff, t.cfg.Batch)
		return nil
	})
	if err != nil || len(silent) == 0 {
		return err
	}
	// One write per parcel, grouped by the store's writer: a parcel that
	// cannot be flagged does not hold back the others.
	flagged := make([]<-chan error, len(silent))
	for i, id := range silent {
		flagged[i] = t.store.Submit(func(tx *store.Tx) error { return flagStalled(tx, id, cutoff, now) })
	}
	var errs []error
	for i, done := range flagged {
		if err := <-done; err != nil {
			errs = append(errs, fmt.Errorf("stall parcel %d: %w", silent[i], err))
		}
	}
	return errors.Join(errs...)
}

// flagStalled opens a stalled exception on parcel id if it is still
// watched and still silent since cutoff: a scan may have come in since the
// sweep read the stall index.
func flagStalled(tx *store.Tx, id store.ParcelID, cutoff, now time.Time) error {
	p, err := tx.Parcel(id)
	if err != nil {
		return err
	}
	if !p.Watched() || p.LastEventAt.After(cutoff) {
		return nil
	}
	hours := int(now.Sub(p.LastEventAt).Hours())
	return tx.OpenException(&store.Exception{
		Parcel: id, Order: p.Order, Kind: store.KindStalled, OpenedAt: now,
		Detail: fmt.Sprintf("No scan for %d h; last: %s", hours, p.StatusText),
		Rule:   ruleStalled,
	})
}
