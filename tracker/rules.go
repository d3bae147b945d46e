package tracker

import (
	"errors"
	"fmt"
	"time"

	"github.com/wismo/wismo/store"
)

// kindFor is the exception a parcel's status and reason call for, if any.
func kindFor(s store.Status, r store.Reason) (store.ExceptionKind, bool) {
	switch s {
	case store.StatusAttemptFailed:
		if r == store.ReasonAddressIssue {
			return store.KindAddressIssue, true
		}
		return store.KindAttemptFailed, true
	case store.StatusReturning, store.StatusReturned:
		return store.KindReturningToSender, true
	case store.StatusExpired:
		return store.KindCarrierException, true
	case store.StatusException:
		if k, ok := reasonKinds[r]; ok {
			return k, true
		}
		return store.KindCarrierException, true
	}
	return "", false
}

// reasonKinds maps a carrier exception's reason to the exception agents see.
var reasonKinds = map[store.Reason]store.ExceptionKind{
	store.ReasonAddressIssue: store.KindAddressIssue,
	store.ReasonCustomsHold:  store.KindCustomsHold,
	store.ReasonDamaged:      store.KindDamaged,
	store.ReasonLost:         store.KindLost,
	store.ReasonDelayed:      store.KindDelayed,
	store.ReasonRefused:      store.KindRefused,
	store.ReasonWeather:      store.KindWeather,
}

// judge applies the carrier-event rules after a parcel's status was set by
// ev: trouble opens an exception of its kind (replacing one of another
// kind), and a good scan resolves whatever was open unless it leaves a
// rule's finding standing (see holds).
func judge(tx *store.Tx, p store.Parcel, ev store.Event, now time.Time) error {
	kind, trouble := kindFor(p.Status, p.Reason)
	open, err := tx.OpenExceptionOf(p.ID)
	hasOpen := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if hasOpen && (trouble && open.Kind != kind || !trouble && !holds(open, p)) {
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

// holds reports whether what a rule found still stands after a scan that
// is no trouble. Any scan ends a stall; only a real scan ends "never
// scanned" (the label's data arriving again does not); a scan on the way
// does not make a late or slipped parcel punctual, only its arrival does.
// A carrier's exception is mended by any good scan.
func holds(e store.Exception, p store.Parcel) bool {
	switch e.Rule {
	case ruleNeverScanned:
		return p.Unscanned()
	case ruleLate, ruleETASlipped:
		return p.OnItsWay()
	}
	return false
}

// retireBatch is how many orders one Retire moves: the move is one write
// that holds the store's writer (about a millisecond an order on a large
// store), so it is kept short enough not to hold up ingest, and the sweep
// runs it often enough to keep up.
const retireBatch = 64

// Retire moves up to retireBatch finished orders whose last activity is
// older than RetainFor to the store's archive.
func (t *Tracker) Retire() error {
	now := t.now()
	n, _, err := t.store.Archive(now.Add(-t.cfg.RetainFor), retireBatch, now)
	if n > 0 {
		t.log.Info("archived finished orders", "orders", n)
	}
	return err
}

// Sweep runs the time rules (timeRules): each reads its watch index up to
// its threshold, never every parcel, and the sweep writes only when a rule
// has something to flag.
func (t *Tracker) Sweep() error {
	now := t.now()
	var found []finding
	err := t.store.View(func(tx *store.Tx) error {
		found = findDue(tx, t.timeRules(), now, t.cfg.Batch)
		return nil
	})
	if err != nil || len(found) == 0 {
		return err
	}
	// One write per parcel, grouped by the store's writer: a parcel that
	// cannot be flagged does not hold back the others.
	flagged := make([]<-chan error, len(found))
	for i, f := range found {
		flagged[i] = t.store.Submit(func(tx *store.Tx) error { return flag(tx, f, now) })
	}
	var errs []error
	for i, done := range flagged {
		if err := <-done; err != nil {
			errs = append(errs, fmt.Errorf("%s parcel %d: %w", found[i].rule.name, found[i].id, err))
		}
	}
	return errors.Join(errs...)
}

// A finding is a parcel a time rule found due in its index.
type finding struct {
	id   store.ParcelID
	rule timeRule
}

// findDue asks each rule for up to limit parcels now due. A parcel several
// rules find goes to the first: one exception at a time.
func findDue(tx *store.Tx, rules []timeRule, now time.Time, limit int) []finding {
	var found []finding
	var claimed map[store.ParcelID]bool
	for _, r := range rules {
		for _, id := range r.due(tx, now, limit) {
			if claimed[id] {
				continue
			}
			if claimed == nil {
				claimed = map[store.ParcelID]bool{}
			}
			claimed[id] = true
			found = append(found, finding{id, r})
		}
	}
	return found
}

// flag opens the exception a finding calls for if the parcel still calls
// for it: a scan may have come in since the sweep read the index, or since
// the stall watch filed it (the watch files a parcel once and leaves the
// entry as later scans come in). A parcel that does not call for it is
// filed again where it stands, so no sweep finds it again before its time.
func flag(tx *store.Tx, f finding, now time.Time) error {
	p, err := tx.Parcel(f.id)
	if err != nil {
		return err
	}
	e, ok := f.rule.judge(p, now)
	if !ok {
		return tx.Rewatch(f.id)
	}
	return tx.OpenException(&e)
}
