package store

import (
	"bytes"
	"encoding/binary"
	"time"
)

// The tracker's time rules (stalled, never scanned, late) each read a
// watch index: a parcel is in it while the rule could fire on it, keyed by
// the instant its clock started, so a sweep reads only the parcels whose
// threshold has passed and nothing at all when none has. Every entry is
// derived from the parcel alone and moved by writeParcel in the same
// transaction as the parcel, like the due index.
//
// A parcel with an open exception is in none of them: one finding at a
// time. An agent's clear (ClearedAt) restarts or ends a watch, so a rule
// does not reopen what an agent has just resolved; each predicate below
// says how.

// Unscanned reports whether the carrier has not scanned the parcel yet: it
// knows at most the label's data.
func (p Parcel) Unscanned() bool {
	switch p.Status {
	case "", StatusPending, StatusInfoReceived:
		return true
	}
	return false
}

// OnItsWay reports whether the parcel is still to reach the customer: not
// finished, and not waiting at a pickup point, where it has arrived.
func (p Parcel) OnItsWay() bool {
	return !p.Status.Terminal() && p.Status != StatusAvailableForPickup
}

// Watched reports whether the stall rule watches the parcel: scanned by the
// carrier, on its way, and with no open exception. A parcel not yet
// scanned is the never-scanned rule's, and one at a pickup point may wait
// there for days without a scan in the normal course.
func (p Parcel) Watched() bool {
	return !p.LastEventAt.IsZero() && !p.Unscanned() && p.OnItsWay() && p.Exception == 0
}

// SilentSince is when the stall rule starts counting a parcel's silence:
// its last scan, or an agent's clear if that is later, so a stall an agent
// resolved is flagged again only after another full stretch of silence.
func (p Parcel) SilentSince() time.Time {
	if p.ClearedAt.After(p.LastEventAt) {
		return p.ClearedAt
	}
	return p.LastEventAt
}

// LabelAt is when the parcel's label was made as far as the desk knows:
// when it shipped, else when it was stored. A parcel stored before
// CreatedAt was kept falls back to its last event (the label's data, for a
// parcel not yet scanned), and is zero if it has none.
func (p Parcel) LabelAt() time.Time {
	for _, at := range []time.Time{p.ShippedAt, p.CreatedAt} {
		if !at.IsZero() {
			return at
		}
	}
	return p.LastEventAt
}

// Heard reports whether the desk has heard about the parcel from its
// carrier at all: it asked (a poll answered, even "not found"), or the
// carrier told it (an event, polled or pushed). Until then the time rules
// that judge by what the carrier said, never scanned and late, have nothing
// to judge by: a desk that has not yet asked about a parcel (just started,
// or a feed that is slow or paused) must not call it forgotten or late.
func (p Parcel) Heard() bool { return !p.LastPolledAt.IsZero() || !p.LastEventAt.IsZero() }

// AwaitsFirstScan reports whether the never-scanned rule watches the
// parcel: it has a label, the carrier was asked or told about it but has
// not scanned it, and it has no open exception. An agent's clear after the
// label was made ends the watch: the only news that restarts it is the
// first scan, which hands the parcel to the stall rule.
func (p Parcel) AwaitsFirstScan() bool {
	at := p.LabelAt()
	return p.Unscanned() && p.Heard() && p.Exception == 0 && !at.IsZero() && !p.ClearedAt.After(at)
}

// PromiseEnds is when the parcel's promise has passed: the end of the
// promised day, in UTC as the store keeps days, so a parcel delivered on
// the evening of the day it was promised for is on time.
func (p Parcel) PromiseEnds() time.Time {
	y, m, d := p.PromisedBy.UTC().Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC)
}

// AwaitsPromise reports whether the late rule watches the parcel: an
// outbound parcel with a promised day, heard of (see Heard), still on its
// way, with no open exception. An agent's clear after the promised day ended ends the watch
// for that promise; a new, later promise starts it again.
func (p Parcel) AwaitsPromise() bool {
	return p.Direction != Inbound && !p.PromisedBy.IsZero() && p.Heard() && p.OnItsWay() && p.Exception == 0 &&
		p.ClearedAt.Before(p.PromiseEnds())
}

// A watch is one rule's index: key is a parcel's entry without its id, nil
// when the rule does not watch it.
type watch struct {
	bucket []byte
	key    func(Parcel) []byte
}

// watches are the time rules' indexes.
var watches = []watch{
	{bucketIdxLastScan, stallKey},
	{bucketIdxUnscanned, unscannedKey},
	{bucketIdxLate, lateKey},
}

// stallKey files a parcel under its carrier, then the time its stall
// watch entry stands at: each carrier's stall threshold reads its own
// range.
func stallKey(p Parcel) []byte {
	if p.StallWatchAt.IsZero() {
		return nil
	}
	return join([]byte(p.Carrier), []byte{0}, timeKey(p.StallWatchAt))
}

// stallEntry is where the stall watch files p, whose entry stood where
// old's did. The entry is filed when the parcel's silence starts and then
// left where it is as later scans come in: moving it on every scan cost a
// random page of the index a poll. It is never later than the silence it
// stands for (it moves back if the silence does), so a sweep finds every
// stalled parcel, and with them some that heard since, which it judges
// again and refiles at their silence's true start (Rewatch).
func stallEntry(old, p Parcel) time.Time {
	if !p.Watched() {
		return time.Time{}
	}
	since := p.SilentSince()
	if old.StallWatchAt.IsZero() || since.Before(old.StallWatchAt) {
		return since
	}
	return old.StallWatchAt
}

func unscannedKey(p Parcel) []byte {
	if !p.AwaitsFirstScan() {
		return nil
	}
	return timeKey(p.LabelAt())
}

func lateKey(p Parcel) []byte {
	if !p.AwaitsPromise() {
		return nil
	}
	return timeKey(p.PromiseEnds())
}

// moveWatches moves parcel id's entries in the watch indexes from what old
// needed to what p needs, and notes in p where its stall entry now stands;
// the zero Parcel needs none.
func (t *Tx) moveWatches(id []byte, old Parcel, p *Parcel) error {
	p.StallWatchAt = stallEntry(old, *p)
	for _, w := range watches {
		from, to := w.key(old), w.key(*p)
		if bytes.Equal(from, to) {
			continue
		}
		b := t.bucket(w.bucket)
		if from != nil {
			if err := b.Delete(join(from, id)); err != nil {
				return err
			}
		}
		if to != nil {
			if err := b.Put(join(to, id), nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// Rewatch files the parcel's stall watch entry at the true start of its
// silence, for a sweep that found the entry due but the parcel not silent
// for long enough: it has heard since the entry was filed.
func (t *Tx) Rewatch(id ParcelID) error {
	p, err := t.Parcel(id)
	if err != nil || !p.Watched() || p.StallWatchAt.Equal(p.SilentSince()) {
		return err
	}
	return t.writeParcel(p, p)
}

// ParcelsSilent returns up to limit stall-watched parcels whose watch entry
// stands at or before their carrier's cutoff (see stallEntry: some may have
// heard since, and are to be judged again), carrier by carrier in name
// order, longest silent first within each. cutoff is asked once per
// carrier that has watched parcels; a carrier whose parcels are all within
// their threshold costs one seek.
func (t *Tx) ParcelsSilent(cutoff func(carrier string) time.Time, limit int) []ParcelID {
	var ids []ParcelID
	c := t.bucket(bucketIdxLastScan).Cursor()
	for k, _ := c.First(); k != nil && len(ids) < limit; {
		carrier, _, _ := bytes.Cut(k, []byte{0})
		prefix := join(carrier, []byte{0})
		end := timeKey(cutoff(string(carrier)))
		for ; k != nil && bytes.HasPrefix(k, prefix) && len(ids) < limit; k, _ = c.Next() {
			if bytes.Compare(k[len(prefix):len(prefix)+8], end) > 0 {
				break
			}
			ids = append(ids, ParcelID(binary.BigEndian.Uint64(k[len(prefix)+8:])))
		}
		k, _ = c.Seek(join(carrier, []byte{1})) // the next carrier's range
	}
	return ids
}

// ParcelsUnscanned returns up to limit parcels awaiting their first scan
// whose label was made at or before cutoff, oldest first.
func (t *Tx) ParcelsUnscanned(cutoff time.Time, limit int) []ParcelID {
	return t.parcelsBefore(bucketIdxUnscanned, cutoff, limit)
}

// ParcelsLate returns up to limit parcels the late rule watches whose
// promise passed at or before cutoff, the earliest promise first.
func (t *Tx) ParcelsLate(cutoff time.Time, limit int) []ParcelID {
	return t.parcelsBefore(bucketIdxLate, cutoff, limit)
}

// indexWatches files every stored parcel in the watch indexes, for a
// migration that has emptied them.
func (t *Tx) indexWatches() error {
	type refiled struct {
		key, value []byte
	}
	var records []refiled
	err := t.bucket(bucketParcels).ForEach(func(k, v []byte) error {
		p, timeline, err := decodeParcel(ParcelID(binary.BigEndian.Uint64(k)), v)
		if err != nil {
			return err
		}
		p.StallWatchAt = time.Time{}
		if err := t.moveWatches(k, Parcel{}, &p); err != nil {
			return err
		}
		if v[0] == recordMark { // an older value learns where it stands when it becomes a record
			records = append(records, refiled{k, encodeParcel(p, timeline)})
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, r := range records {
		if err := t.bucket(bucketParcels).Put(r.key, r.value); err != nil {
			return err
		}
	}
	return nil
}
