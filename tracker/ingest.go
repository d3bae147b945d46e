package tracker

import (
	"errors"
	"time"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/store"
)

// apply records one poll result on its parcel: new events, the status they
// imply, exceptions, and when to ask again. A failed poll changes nothing
// the parcel already knew; it is counted and retried later.
func (t *Tracker) apply(tx *store.Tx, r pollResult, now time.Time) error {
	p, err := tx.Parcel(r.parcel)
	if err != nil {
		return err
	}
	p.LastPolledAt = now
	if r.err != nil && !errors.Is(r.err, carriers.ErrNotFound) {
		p.PollFailures++
		p.LastError = r.err.Error()
		p.NextPollAt = now.Add(backoff(p.PollFailures))
		return tx.PutParcel(p)
	}
	p.PollFailures, p.LastError = 0, ""
	if r.shipment.Service != "" {
		p.Service = r.shipment.Service
	}
	if !r.shipment.EstimatedDelivery.IsZero() {
		p.EstimatedDelivery = r.shipment.EstimatedDelivery
	}
	changed, err := merge(tx, &p, r.shipment.Events, store.SourcePoll)
	if err != nil {
		return err
	}
	p.NextPollAt = nextPoll(p.Status, now)
	if err := tx.PutParcel(p); err != nil {
		return err
	}
	if changed == nil {
		return nil
	}
	return judge(tx, p, *changed, now)
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
func merge(tx *store.Tx, p *store.Parcel, events []carriers.Event, src store.Source) (*store.Event, error) {
	before := *p
	added, err := tx.AddEvents(p.ID, src, events)
	if err != nil || len(added) == 0 {
		return nil, err
	}
	var ev *store.Event
	if added[0].Time.After(before.LastEventAt) {
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
		if p.ShippedAt.IsZero() && progress[e.Status] >= progress[carriers.StatusInTransit] {
			p.ShippedAt = e.Time
		}
		if e.Status == carriers.StatusUnknown {
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
	if best.Status == carriers.StatusDelivered {
		p.DeliveredAt = best.Time
	}
	return best
}

// progress ranks statuses by how far along a journey they are.
var progress = map[carriers.Status]int{
	carriers.StatusPending:            0,
	carriers.StatusInfoReceived:       1,
	carriers.StatusInTransit:          2,
	carriers.StatusOutForDelivery:     3,
	carriers.StatusAvailableForPickup: 3,
	carriers.StatusAttemptFailed:      4,
	carriers.StatusException:          4,
	carriers.StatusReturning:          5,
	carriers.StatusDelivered:          6,
	carriers.StatusReturned:           7,
	carriers.StatusExpired:            7,
}

// nextPoll is when to ask about a parcel again: often when something is
// about to happen, rarely when nothing will, never once it is over.
func nextPoll(s carriers.Status, now time.Time) time.Time {
	var every time.Duration
	switch s {
	case carriers.StatusDelivered, carriers.StatusReturned, carriers.StatusExpired:
		return time.Time{}
	case carriers.StatusOutForDelivery:
		every = 30 * time.Minute
	case carriers.StatusAttemptFailed, carriers.StatusException, carriers.StatusInTransit:
		every = time.Hour
	case carriers.StatusAvailableForPickup, carriers.StatusReturning:
		every = 4 * time.Hour
	default: // pending, info_received: the carrier has nothing to say yet
		every = 2 * time.Hour
	}
	return now.Add(every)
}

// backoff is the wait after the nth consecutive failed poll: 15 minutes,
// doubling, at most 6 hours.
func backoff(n int) time.Duration {
	d := 15 * time.Minute << min(n-1, 5)
	return min(d, 6*time.Hour)
}
