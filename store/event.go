package store

import (
	"bytes"

	"github.com/wismo/wismo/carriers"
)

// Source says how an event reached the desk.
type Source string

// The event sources.
const (
	SourcePoll    Source = "poll"
	SourceWebhook Source = "webhook"
	SourceImport  Source = "import"
)

// Event is one tracking event of a parcel, as the carrier reported it and as
// it was normalized.
type Event struct {
	Parcel ParcelID `json:"parcel"`
	Source Source   `json:"source"`
	carriers.Event
}

// eventKey orders a parcel's events by time, the fingerprint breaking ties.
func eventKey(e Event, print uint64) []byte {
	return join(u64(uint64(e.Parcel)), timeKey(e.Time), u64(print))
}

// AddEvent stores e unless the same event is already stored; it reports
// whether e was new. Sameness is the event's fingerprint, kept in its own
// bucket: the time a carrier's naive timestamp resolves to may move between
// polls, the fingerprint does not.
func (t *Tx) AddEvent(e Event) (bool, error) {
	print := e.Fingerprint()
	pk := join(u64(uint64(e.Parcel)), u64(print))
	prints := t.bucket(bucketEventPrints)
	if prints.Get(pk) != nil {
		return false, nil
	}
	// The value (the event's time) is never empty: bbolt's Get cannot tell
	// an empty value from a missing key.
	if err := prints.Put(pk, timeKey(e.Time)); err != nil {
		return false, err
	}
	return true, t.put(bucketEvents, eventKey(e, print), e)
}

// Events returns a parcel's events, oldest first.
func (t *Tx) Events(id ParcelID) ([]Event, error) {
	prefix := u64(uint64(id))
	var out []Event
	c := t.bucket(bucketEvents).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var e Event
		if err := decode(v, &e); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}
