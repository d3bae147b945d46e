package store

import (
	"errors"
	"fmt"
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
	h := fnvOffset
	h = fnvString(h, e.RawCode)
	if e.RawSubcode != "" {
		// "/" and the subcode: an event without a subcode, and an EasyPost
		// one (whose RawCode was "status/detail" before subcodes), keeps
		// the fingerprint it was stored under.
		h = fnvString(fnvString(h, "/"), e.RawSubcode)
	}
	h = fnvLower(fnvByte(h, 0), strings.TrimSpace(e.RawText))
	h = fnvString(fnvByte(h, 0), e.minute())
	h = fnvLower(fnvByte(h, 0), e.Location.City)
	return fnvByte(h, 0)
}

// FNV-1a, 64 bits (hash/fnv's New64a), over strings without copying them:
// the fingerprint is worked out for every event of every poll.
const (
	fnvOffset uint64 = 14695981039346656037
	fnvPrime  uint64 = 1099511628211
)

func fnvByte(h uint64, c byte) uint64 { return (h ^ uint64(c)) * fnvPrime }

func fnvString(h uint64, s string) uint64 {
	for i := range len(s) {
		h = fnvByte(h, s[i])
	}
	return h
}

// fnvLower hashes s as strings.ToLower writes it.
func fnvLower(h uint64, s string) uint64 {
	if !isASCII(s) {
		return fnvString(h, strings.ToLower(s))
	}
	for i := range len(s) {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		h = fnvByte(h, c)
	}
	return h
}

// minute is the event's time to the minute: the carrier's wall clock string
// ("2024-03-05T10:12") when it has one in ISO form, else the UTC instant.
func (e Event) minute() string {
	if len(e.LocalTime) >= 16 && e.LocalTime[10] == 'T' && e.LocalTime[13] == ':' {
		return e.LocalTime[:16]
	}
	return e.Time.UTC().Truncate(time.Minute).Format(time.RFC3339)
}

// AddEvents stores those of a parcel's events that are not stored yet and
// returns them in timeline order. Sameness is the event's fingerprint: the
// time a carrier's naive timestamp resolves to may move between polls, the
// fingerprint does not. The parcel's record is written with its timeline
// grown; its other fields are as the transaction last read or wrote them.
func (t *Tx) AddEvents(id ParcelID, src Source, events []Event) ([]Event, error) {
	if len(events) == 0 {
		return nil, nil
	}
	p, encoded, err := t.record(id)
	if err != nil {
		return nil, err
	}
	tl := &t.scratch
	if err := tl.parse(encoded); err != nil {
		return nil, fmt.Errorf("parcel %d: %w", id, err)
	}
	var add []printedEvent
	for _, e := range events {
		e.Parcel, e.Source = id, src
		pe := printedEvent{e, e.Fingerprint()}
		if slices.Contains(tl.prints, pe.print) || slices.ContainsFunc(add, func(a printedEvent) bool { return a.print == pe.print }) {
			continue
		}
		add = append(add, pe)
	}
	if len(add) == 0 {
		return nil, nil
	}
	slices.SortStableFunc(add, compareEvents)
	later, err := tl.before(add[0])
	if err != nil {
		return nil, fmt.Errorf("parcel %d: %w", id, err)
	}
	if later {
		encoded = appendEvents(slices.Clip(encoded), *tl, add)
	} else {
		stored, err := decodeTimeline(id, encoded)
		if err != nil {
			return nil, fmt.Errorf("parcel %d: %w", id, err)
		}
		encoded = encodeTimeline(mergeTimeline(stored, add))
	}
	out := make([]Event, len(add))
	for i, e := range add {
		out[i] = e.Event
	}
	return out, t.putRecord(p, encoded)
}

// ReviseEvent gives a stored event the reading (status, reason, rule,
// unmapped) e has, when the carrier now reads the same event differently.
// It reports whether the stored event changed; an event not stored is left
// alone.
func (t *Tx) ReviseEvent(id ParcelID, e Event) (bool, error) {
	timeline, err := t.Events(id)
	if err != nil {
		return false, err
	}
	print := e.Fingerprint()
	i := slices.IndexFunc(timeline, func(s Event) bool { return s.Fingerprint() == print })
	if i < 0 {
		return false, nil
	}
	s := &timeline[i]
	if s.Status == e.Status && s.Reason == e.Reason && s.Rule == e.Rule && s.Unmapped == e.Unmapped {
		return false, nil
	}
	s.Status, s.Reason, s.Rule, s.Unmapped = e.Status, e.Reason, e.Rule, e.Unmapped
	return true, t.writeTimeline(id, timeline)
}

// Events returns a parcel's events, oldest first.
func (t *Tx) Events(id ParcelID) ([]Event, error) {
	_, timeline, err := t.record(id)
	if err != nil {
		return nil, err
	}
	return decodeTimeline(id, timeline)
}

// eventsPage returns up to n of a parcel's events (all if n is 0), oldest
// first, from the cursor on, and the cursor of the next page (nil at the
// end).
func (t *Tx) eventsPage(id ParcelID, from Cursor, n int) ([]Event, Cursor, error) {
	all, err := t.Events(id)
	if err != nil {
		return nil, nil, err
	}
	if from != nil {
		start := slices.IndexFunc(all, func(e Event) bool { return atOrAfter(e, from) })
		if start < 0 {
			return nil, nil, nil
		}
		all = all[start:]
	}
	if n == 0 || len(all) <= n {
		return all, nil, nil
	}
	return all[:n], eventCursor(all[n]), nil
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
		if errors.Is(err, ErrNotFound) {
			return nil // a parcel not stored has no events
		}
		return err
	})
	return out, next, err
}
