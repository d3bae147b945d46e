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

// eventKey orders a parcel's events by time; the fingerprint makes the same
// scan reported twice land on the same key.
func eventKey(e Event) []byte {
	return join(u64(uint64(e.Parcel)), timeKey(e.Time), u64(e.Fingerprint()))
}

// AddEvent stores e unless the same event is already stored; it reports
// whether e was new.
func (t *Tx) AddEvent(e Event) (bool, error) {
	k := eventKey(e)
	if t.bucket(bucketEvents).Get(k) != nil {
		return false, nil
	}
	return true, t.put(bucketEvents, k, e)
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
