package tracker

import (
	"errors"
	"time"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/store"
)

// apply records one poll result on its parcel: new events, the status they
// imply, exceptions, and when to ask again. A failed poll changes nothing
// the parcel already knew; it is counted and retried later. A poll that
// never went out, its feed paused, is not the parcel's failure: it waits
// Defer and is asked again.
func (t *Tracker) apply(tx *store.Tx, r pollResult, now time.Time) error {
	p, err := tx.Parcel(r.parcel)
	if err != nil {
		return err
	}
	switch {
	case r.refeed != "":
		p.Feed, p.NextPollAt = r.refeed, t.nextPoll(store.Parcel{Feed: r.refeed, Status: p.Status}, now)
		return tx.PutParcel(p)
	case r.pushOnly:
		p.NextPollAt = time.Time{}
		return tx.PutParcel(p)
	case r.deferred:
		p.LastError = r.err.Error()
		p.NextPollAt = now.Add(t.cfg.Defer)
		return tx.PutParcel(p)
	case r.err != nil && !errors.Is(r.err, carriers.ErrNotFound):
		p.LastPolledAt = now
		p.PollFailures++
		p.LastError = r.err.Error()
		p.NextPollAt = now.Add(retryWait(p.PollFailures))
		return tx.PutParcel(p)
	}
	p.LastPolledAt = now
	p.PollFailures, p.LastError = 0, ""
	return t.record(tx, p, r.news, report{source: store.SourcePoll, feed: p.FeedName()}, now)
}

// report says where news of a parcel came from: polled or pushed, and by
// which feed, whose codes its events carry.
type report struct {
	source store.Source
	feed   string
}

// record applies what a carrier said about a parcel, polled or pushed, and
// writes the parcel. Only the parcel's own feed binds it to a shipment: an
// aggregator pushing news of a parcel another feed polls has ids of its own.
func (t *Tracker) record(tx *store.Tx, p store.Parcel, n news, from report, now time.Time) error {
	was := p
	if p.CarrierRef == "" && from.feed == p.FeedName() {
		p.CarrierRef = n.ref
	}
	if n.service != "" {
		p.Service = n.service
	}
	if err := t.takeETA(tx, &p, n.eta, n.events, now); err != nil {
		return err
	}
	changed, err := merge(tx, &p, n.events, from)
	if err != nil {
		return err
	}
	p.NextPollAt = t.nextPoll(p, now)
	if err := tx.PutParcel(p); err != nil {
		return err
	}
	if trigger, ok := parcelTrigger(was, p); ok && t.notifier != nil {
		if err := t.notifyParcel(tx, p, trigger, now); err != nil {
			return err
		}
	}
	if changed == nil {
		return nil
	}
	if err := judge(tx, p, *changed, now); err != nil {
		return err
	}
	return t.followReturn(tx, p, *changed, now)
}

// isNews reports whether a merge told anything new about a parcel: another
// event now sets its status, or a scan is later than any seen before.
func isNews(before, after store.Parcel) bool {
	return after.LastEventAt.After(before.LastEventAt) ||
		after.Status != before.Status || after.Reason != before.Reason ||
		!after.StatusAt.Equal(before.StatusAt) || after.StatusText != before.StatusText
}

// merge adds events to a parcel's timeline, dropping ones already stored,
// and re-derives the parcel's status from the timeline. It returns the
// event that now sets the status when the merge brought news, else nil: late
// copies of old events go on the timeline but must not re-run the exception
// rules, which would clear a stall the parcel has not left or reopen an
// exception an agent resolved. The caller writes p.
//
// When every new event is later than anything stored (the common case: a
// parcel moving on) and one of them says something, the new events are
// folded into the parcel's state as it stands; otherwise the whole timeline
// is read and derived again.
func merge(tx *store.Tx, p *store.Parcel, events []store.Event, from report) (*store.Event, error) {
	before := *p
	added, err := tx.AddEvents(p.ID, from.source, events)
	if err != nil {
		return nil, err
	}
	revised, err := revise(tx, before, events, added)
	if err != nil || (len(added) == 0 && !revised) {
		return nil, err
	}
	if err := countUnmapped(tx, from.feed, added); err != nil {
		return nil, err
	}
	var ev *store.Event
	if !revised && added[0].Time.After(before.LastEventAt) {
		ev = fold(p, added)
	}
	if ev == nil {
		timeline, err := tx.Events(p.ID)
		if err != nil {
			return nil, err
		}
		p.ShippedAt, p.LastEventAt = time.Time{}, time.Time{}
		ev = fold(p, timeline)
	}
	if ev == nil || !isNews(before, *p) {
		return nil, nil
	}
	return ev, nil
}

// revise stores a carrier's new reading of events it reported before: a
// status that only the shipment's later state decides (EasyPost's last
// return scan once the tracker is finalized, DHL failures once the
// shipment is flagged returned). Only an event already stored, at or after
// the one that set the parcel's status, and read differently from the
// parcel's status, can change it, so a poll that repeats history decodes
// nothing. It reports whether a stored event changed.
func revise(tx *store.Tx, p store.Parcel, events []store.Event, added []store.Event) (bool, error) {
	var isNew map[uint64]bool // built only if a candidate turns up
	changed := false
	for _, e := range events {
		if e.Time.Before(p.StatusAt) || e.Status == store.StatusUnknown || (e.Status == p.Status && e.Reason == p.Reason) {
			continue
		}
		if isNew == nil {
			isNew = make(map[uint64]bool, len(added))
			for _, a := range added {
				isNew[a.Fingerprint()] = true
			}
		}
		if isNew[e.Fingerprint()] {
			continue
		}
		ok, err := tx.ReviseEvent(p.ID, e)
		if err != nil {
			return false, err
		}
		changed = changed || ok
	}
	return changed, nil
}

// fold carries the parcel's status forward over events in timeline order:
// the newest event that says anything (unknown scans never do) sets it.
// Arrival order plays no part, so late or repeated deliveries of old events
// cannot move a parcel backwards. Events at the same instant are settled by
// how far along they put the parcel, then by the timeline's own stable
// order. It returns the event that set the status, nil if none did.
func fold(p *store.Parcel, timeline []store.Event) *store.Event {
	var best *store.Event
	for i := range timeline {
		e := &timeline[i]
		if e.Time.After(p.LastEventAt) {
			p.LastEventAt = e.Time
		}
		if p.ShippedAt.IsZero() && progress[e.Status] >= progress[store.StatusInTransit] {
			p.ShippedAt = e.Time
		}
		if e.Status == store.StatusUnknown {
			continue
		}
		if best == nil || e.Time.After(best.Time) ||
			(e.Time.Equal(best.Time) && progress[e.Status] >= progress[best.Status]) {
			best = e
		}
	}
	if best == nil {
		return nil
	}
	p.Status, p.Reason, p.StatusAt, p.StatusText = best.Status, best.Reason, best.Time, best.RawText
	p.DeliveredAt = time.Time{}
	if best.Status == store.StatusDelivered {
		p.DeliveredAt = best.Time
	}
	return best
}

// progress ranks statuses by how far along a journey they are.
var progress = map[store.Status]int{
	store.StatusPending:            0,
	store.StatusInfoReceived:       1,
	store.StatusInTransit:          2,
	store.StatusOutForDelivery:     3,
	store.StatusAvailableForPickup: 3,
	store.StatusAttemptFailed:      4,
	store.StatusException:          4,
	store.StatusReturning:          5,
	store.StatusDelivered:          6,
	store.StatusReturned:           7,
	store.StatusExpired:            7,
}

// countUnmapped counts the codes of new events that no mapping table knew,
// under the feed whose code they are.
func countUnmapped(tx *store.Tx, feed string, added []store.Event) error {
	for _, e := range added {
		if e.Unmapped {
			code := e.RawCode
			if e.RawSubcode != "" {
				code += "/" + e.RawSubcode
			}
			if err := tx.CountUnmapped(feed, code); err != nil {
				return err
			}
		}
	}
	return nil
}

// nextPoll is when to ask about a parcel again: by the cadence of its
// status, never once it is over, and never when its feed only pushes.
func (t *Tracker) nextPoll(p store.Parcel, now time.Time) time.Time {
	if p.Status.Terminal() || t.pushOnly(p.FeedName()) {
		return time.Time{}
	}
	every, ok := t.cfg.Cadence[p.Status]
	if !ok {
		every = t.cfg.Cadence[store.StatusPending]
	}
	return now.Add(every)
}

// pushOnly reports whether a feed reaches the desk by webhook alone.
func (t *Tracker) pushOnly(name string) bool {
	if _, polled := t.feeds[name]; polled {
		return false
	}
	t.pushMu.Lock()
	defer t.pushMu.Unlock()
	_, pushed := t.push[name]
	return pushed
}

// retryWait is the wait after the nth consecutive failed poll: 15 minutes,
// doubling, at most 6 hours.
func retryWait(n int) time.Duration {
	d := 15 * time.Minute << min(n-1, 5)
	return min(d, 6*time.Hour)
}
