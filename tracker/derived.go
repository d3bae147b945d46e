package tracker

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/wismo/wismo/store"
)

// The rules that open exceptions no carrier reported, named in the
// exceptions they open.
const (
	ruleStalled      = "rule/stalled"
	ruleNeverScanned = "rule/never-scanned"
	ruleLate         = "rule/late"
	ruleETASlipped   = "rule/eta-slipped"
)

// Each rule fires once per finding. A rule's finding stays open until the
// news that ends it (holds), a parcel with any open exception is left
// alone, and an agent's clear (Parcel.ClearedAt) silences the finding it
// cleared: the stall clock restarts at the clear, never-scanned and late
// watch a parcel only while its label or its promise is newer than the
// last clear (the store's watch predicates), and an ETA slip fires again
// only if the ETA moves later after the clear. A carrier's own exception
// resolved by a good scan clears nothing: if the parcel is still late or
// slipped, the rule fires again.

// A timeRule is one rule the sweep runs.
type timeRule struct {
	name string
	// due lists up to limit parcels in the rule's watch index whose
	// threshold has passed by now.
	due func(tx *store.Tx, now time.Time, limit int) []store.ParcelID
	// judge is the exception the rule opens on p at now, and whether p
	// still calls for it.
	judge func(p store.Parcel, now time.Time) (store.Exception, bool)
}

// timeRules are the sweep's rules, in the order they claim a parcel that
// several find due: a parcel that was never scanned is that before it is
// late.
func (t *Tracker) timeRules() []timeRule {
	return []timeRule{
		{ruleNeverScanned, t.dueUnscanned, t.neverScanned},
		{ruleStalled, t.dueSilent, t.stalled},
		{ruleLate, t.dueLate, t.late},
	}
}

// stallAfter is the stall threshold of a carrier's parcels.
func (t *Tracker) stallAfter(carrier string) time.Duration {
	if d, ok := t.cfg.StallAfterByCarrier[carrier]; ok {
		return d
	}
	return t.cfg.StallAfter
}

func (t *Tracker) dueSilent(tx *store.Tx, now time.Time, limit int) []store.ParcelID {
	return tx.ParcelsSilent(func(carrier string) time.Time { return now.Add(-t.stallAfter(carrier)) }, limit)
}

func (t *Tracker) dueUnscanned(tx *store.Tx, now time.Time, limit int) []store.ParcelID {
	return tx.ParcelsUnscanned(now.Add(-t.cfg.NeverScannedAfter), limit)
}

func (t *Tracker) dueLate(tx *store.Tx, now time.Time, limit int) []store.ParcelID {
	return tx.ParcelsLate(now.Add(-t.cfg.LateGrace), limit)
}

// stalled flags a moving parcel silent for its carrier's threshold. The
// detail counts the hours since the last scan, whatever restarted the
// clock.
func (t *Tracker) stalled(p store.Parcel, now time.Time) (store.Exception, bool) {
	if !p.Watched() || p.SilentSince().After(now.Add(-t.stallAfter(p.Carrier))) {
		return store.Exception{}, false
	}
	hours := int(now.Sub(p.LastEventAt).Hours())
	return derived(p, store.KindStalled, ruleStalled, now,
		fmt.Sprintf("No scan for %d h; last: %s", hours, p.StatusText)), true
}

// neverScanned flags a parcel whose label is NeverScannedAfter old without
// a scan: the parcel the warehouse never handed over.
func (t *Tracker) neverScanned(p store.Parcel, now time.Time) (store.Exception, bool) {
	if !p.AwaitsFirstScan() || p.LabelAt().After(now.Add(-t.cfg.NeverScannedAfter)) {
		return store.Exception{}, false
	}
	made := "Label created"
	if !p.ShippedAt.IsZero() {
		made = "Shipped"
	}
	return derived(p, store.KindStalled, ruleNeverScanned, now,
		fmt.Sprintf("%s %s ago, never scanned by %s", made, age(now.Sub(p.LabelAt())), carrierName(p.Carrier))), true
}

// late flags an outbound parcel still on its way LateGrace after its
// promised day ended.
func (t *Tracker) late(p store.Parcel, now time.Time) (store.Exception, bool) {
	if !p.AwaitsPromise() || p.PromiseEnds().After(now.Add(-t.cfg.LateGrace)) {
		return store.Exception{}, false
	}
	return derived(p, store.KindDelayed, ruleLate, now,
		fmt.Sprintf("Promised %s, not delivered", p.PromisedBy.UTC().Format("Mon 2 Jan"))), true
}

// derived is an exception a rule opens on p at now.
func derived(p store.Parcel, kind store.ExceptionKind, rule string, now time.Time, detail string) store.Exception {
	return store.Exception{Parcel: p.ID, Order: p.Order, Kind: kind, OpenedAt: now, Detail: detail, Rule: rule}
}

// age says how long ago, for an agent: hours for two days, then days.
func age(d time.Duration) string {
	if d < 48*time.Hour {
		return fmt.Sprintf("%d h", int(d.Hours()))
	}
	return fmt.Sprintf("%d days", int(d.Hours()/24))
}

// takeETA records the ETA in a carrier's report, if it has one: the first
// ETA the parcel ever had stays as its OriginalEstimate (an ETA stored
// before originals were kept counts as the first), and one later than the
// current stamps SlippedAt. If the ETA now lies too far past the first, it
// opens a delayed exception at once (see slipped).
func (t *Tracker) takeETA(tx *store.Tx, p *store.Parcel, eta time.Time, events []store.Event, now time.Time) error {
	if eta.IsZero() {
		return nil
	}
	if p.OriginalEstimate.IsZero() {
		p.OriginalEstimate = p.EstimatedDelivery
		if p.OriginalEstimate.IsZero() {
			p.OriginalEstimate = eta
		}
	}
	if !p.EstimatedDelivery.IsZero() && eta.After(p.EstimatedDelivery) {
		p.SlippedAt = now
	}
	p.EstimatedDelivery = eta
	e, ok := t.slipped(*p, events, now)
	if !ok {
		return nil
	}
	return tx.OpenException(&e)
}

// slipped is the exception an ETA slip calls for, and whether it does: the
// ETA lies more than ETASlip past the first, it moved later since an agent
// last cleared the parcel, and the parcel is on its way with no open
// exception. A report that itself brings trouble or the journey's end
// flags nothing: the carrier's news speaks for the parcel, and a slip
// still standing is flagged on a later report.
func (t *Tracker) slipped(p store.Parcel, events []store.Event, now time.Time) (store.Exception, bool) {
	if p.Exception != 0 || !p.OnItsWay() || !p.SlippedAt.After(p.ClearedAt) ||
		p.EstimatedDelivery.Sub(p.OriginalEstimate) <= t.cfg.ETASlip || eventful(p, events) {
		return store.Exception{}, false
	}
	return derived(p, store.KindDelayed, ruleETASlipped, now,
		"ETA moved from "+moved(p.OriginalEstimate, p.EstimatedDelivery)), true
}

// eventful reports whether a report holds news of trouble or of the
// journey's end: an event not older than the parcel's status that opens an
// exception or finishes the parcel.
func eventful(p store.Parcel, events []store.Event) bool {
	for _, e := range events {
		if e.Time.Before(p.StatusAt) {
			continue
		}
		if _, trouble := kindFor(e.Status, e.Reason); trouble || e.Status.Terminal() {
			return true
		}
	}
	return false
}

// moved writes a move between two days the way an agent says it: "Mon 23
// to Thu 26 Nov", naming the first day's month only when it differs.
func moved(from, to time.Time) string {
	from, to = from.UTC(), to.UTC()
	layout := "Mon 2 Jan"
	if from.Month() == to.Month() && from.Year() == to.Year() {
		layout = "Mon 2"
	}
	return from.Format(layout) + " to " + to.Format("Mon 2 Jan")
}

// KnownCarriers are the carriers wismo files parcels under by name, in
// order: the ones a per-carrier threshold may name.
func KnownCarriers() []string {
	return slices.Sorted(maps.Keys(carrierNames))
}
