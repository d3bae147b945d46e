package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"time"
)

// Source says how an event reached the desk.
type Source string

// The event sources.
const (
	SourcePoll    Source = "poll"
	SourceWebhook Source = "webhook"
	SourceImport  Source = "import"
)

// Location is where an event happened, as far as the carrier says.
type Location struct {
	City       string `json:"city,omitempty"`
	Region     string `json:"region,omitempty"`
	PostalCode string `json:"postal_code,omitempty"`
	Country    string `json:"country,omitempty"`
}

// Event is one tracking event of a parcel, as the carrier reported it and as
// it was normalized.
type Event struct {
	Parcel ParcelID `json:"parcel"`
	Source Source   `json:"source"`
	// Time is the instant of the event in UTC. When the carrier gave a wall
	// clock time without a zone, Time is that wall time resolved in the best
	// zone known and TZKnown is false.
	Time    time.Time `json:"time"`
	TZKnown bool      `json:"tz_known"`
	// LocalTime is the carrier's original timestamp string, unchanged.
	LocalTime string `json:"local_time"`
	// RawCode, RawSubcode and RawText are the carrier's own code, its second
	// code where it sends one, and its description.
	RawCode    string `json:"raw_code"`
	RawSubcode string `json:"raw_subcode,omitempty"`
	RawText    string `json:"raw_text,omitempty"`
	Status     Status `json:"status"`
	Reason     Reason `json:"reason,omitempty"`
	// Rule names the mapping rule that produced Status and Reason, so an
	// agent can be told why an event counts as an exception.
	Rule     string   `json:"rule"`
	Location Location `json:"location"`
	// Unmapped marks an event whose code is in no mapping table; its status
	// is unknown, and the desk counts such codes so someone extends the table.
	Unmapped bool `json:"unmapped,omitempty"`
}

// Fingerprint identifies an event across polls so duplicates can be
// dropped: the same scan reported twice has the same codes, text, minute
// and city. The text is part of it because some carriers (DHL) send one
// coarse code for many different scans, and the subcode because two UPS
// scans may differ only there. The minute is the carrier's own wall clock
// when it gave one: the zone a naive time is resolved in is a guess that can
// change between polls, and must not make one scan two.
func (e Event) Fingerprint() uint64 {
	h := fnv.New64a()
	for _, s := range []string{
		e.code(),
		strings.ToLower(strings.TrimSpace(e.RawText)),
		e.minute(),
		strings.ToLower(e.Location.City),
	} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return h.Sum64()
}

// code is RawCode, with "/" and RawSubcode when there is one: an event
// without a subcode, and an EasyPost one (whose RawCode was "status/detail"
// before subcodes), keeps the fingerprint it was stored under.
func (e Event) code() string {
	if e.RawSubcode == "" {
		return e.RawCode
	}
	return e.RawCode + "/" + e.RawSubcode
}

// minute is the event's time to the minute: the carrier's wall clock string
// ("2024-03-05T10:12") when it has one in ISO form, else the UTC instant.
func (e Event) minute() string {
	if len(e.LocalTime) >= 16 && e.LocalTime[10] == 'T' && e.LocalTime[13] == ':' {
		return e.LocalTime[:16]
	}
	return e.Time.UTC().Truncate(time.Minute).Format(time.RFC3339)
}

// eventKey orders a parcel's events by time, the fingerprint breaking ties:
// parcel id (8) | time (8) | fingerprint (8). A parcel's events sit side by
// side, so adding to a timeline touches one leaf page.
func eventKey(id ParcelID, e Event, print uint64) []byte {
	return join(u64(uint64(id)), timeKey(e.Time), u64(print))
}

// AddEvents stores those of a parcel's events that are not stored yet and
// returns them in timeline order. Sameness is the event's fingerprint, the
// last part of every event key: the time a carrier's naive timestamp
// resolves to may move between polls, the fingerprint does not. The
// parcel's stored keys are read once, without decoding a value.
func (t *Tx) AddEvents(id ParcelID, src Source, events []Event) ([]Event, error) {
	if len(events) == 0 {
		return nil, nil
	}
	seen := t.eventPrints(id)
	type fresh struct {
		key []byte
		ev  Event
	}
	var add []fresh
	for _, e := range events {
		print := e.Fingerprint()
		if _, dup := seen[print]; dup {
			continue
		}
		seen[print] = struct{}{}
		e.Parcel, e.Source = id, src
		add = append(add, fresh{eventKey(id, e, print), e})
	}
	slices.SortFunc(add, func(a, b fresh) int { return bytes.Compare(a.key, b.key) })
	out := make([]Event, 0, len(add))
	for _, f := range add {
		if err := t.put(bucketEvents, f.key, f.ev); err != nil {
			return nil, err
		}
		out = append(out, f.ev)
	}
	return out, nil
}

// ReviseEvent gives a stored event the reading (status, reason, rule,
// unmapped) e has, when the carrier now reads the same event differently.
// It reports whether the stored event changed; an event not stored is left
// alone.
func (t *Tx) ReviseEvent(id ParcelID, e Event) (bool, error) {
	print := e.Fingerprint()
	prefix := u64(uint64(id))
	c := t.bucket(bucketEvents).Cursor()
	for k, v := c.Seek(prefix); withinPrefix(k, prefix); k, v = c.Next() {
		if binary.BigEndian.Uint64(k[16:]) != print {
			continue
		}
		var stored Event
		if err := decode(v, &stored); err != nil {
			return false, fmt.Errorf("event %x: %w", k, err)
		}
		if stored.Status == e.Status && stored.Reason == e.Reason && stored.Rule == e.Rule && stored.Unmapped == e.Unmapped {
			return false, nil
		}
		stored.Status, stored.Reason, stored.Rule, stored.Unmapped = e.Status, e.Reason, e.Rule, e.Unmapped
		return true, t.put(bucketEvents, bytes.Clone(k), stored)
	}
	return false, nil
}

// eventPrints is the set of fingerprints of a parcel's stored events.
func (t *Tx) eventPrints(id ParcelID) map[uint64]struct{} {
	prefix := u64(uint64(id))
	seen := map[uint64]struct{}{}
	c := t.bucket(bucketEvents).Cursor()
	for k, _ := c.Seek(prefix); withinPrefix(k, prefix); k, _ = c.Next() {
		seen[binary.BigEndian.Uint64(k[16:])] = struct{}{}
	}
	return seen
}

// Events returns a parcel's events, oldest first.
func (t *Tx) Events(id ParcelID) ([]Event, error) {
	out, _, err := t.eventsPage(id, nil, 0)
	return out, err
}

// eventsPage returns up to n of a parcel's events (all if n is 0), oldest
// first, from the cursor on, and the cursor of the next page (nil at the
// end).
func (t *Tx) eventsPage(id ParcelID, from Cursor, n int) ([]Event, Cursor, error) {
	prefix := u64(uint64(id))
	var out []Event
	c := t.bucket(bucketEvents).Cursor()
	for k, v := c.Seek(append(prefix, from...)); withinPrefix(k, prefix); k, v = c.Next() {
		if n > 0 && len(out) == n {
			return out, clone(k[len(prefix):]), nil
		}
		var e Event
		if err := decode(v, &e); err != nil {
			return nil, nil, err
		}
		out = append(out, e)
	}
	return out, nil, nil
}

// Events returns up to n of a parcel's events, oldest first, starting at
// from (nil for the first), and the cursor of the next page, nil when there
// is none.
func (s *Store) Events(id ParcelID, from Cursor, n int) ([]Event, Cursor, error) {
	var (
		out  []Event
		next Cursor
	)
	err := s.View(func(tx *Tx) (err error) {
		out, next, err = tx.eventsPage(id, from, max(n, 1))
		return err
	})
	return out, next, err
}
