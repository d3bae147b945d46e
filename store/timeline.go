package store

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"time"

	"google.golang.org/protobuf/encoding/protowire"
)

// A timeline is a parcel's events, oldest first, encoded as the last field
// of its record (record.go). Its strings live once in a table and events
// name them by number: a journey repeats its carrier's codes, texts, rule
// names and places scan after scan. An event's time is counted in seconds
// from the timeline's base, the first event's time, and the carrier's own
// timestamp is kept as a layout and an offset wherever those remake it to
// the byte, so a scan costs a few dozen bytes where it cost two hundred as
// a map of named fields. Every event's fingerprint is kept beside it, so
// a poll that repeats a parcel's history is told apart without decoding
// a single event.
//
// A timeline grows by appending: a poll's news is almost always later than
// anything stored, and then the new strings, events and fingerprints are
// added after the bytes already there (repeated fields of the wire format
// may come in any number of runs). News from before the last stored event
// rewrites the timeline whole.
const (
	tfString protowire.Number = 1 // repeated: the string table
	tfEvent  protowire.Number = 2 // repeated: the events, oldest first
	tfBase   protowire.Number = 3 // zigzag: the seconds since 1970 events count from
	tfPrints protowire.Number = 4 // repeated runs of fingerprints, little-endian, one per event in order
)

// The fields of one event. String fields hold a table reference: the
// string's place in the table plus one.
const (
	efSeconds     protowire.Number = 1 // zigzag: seconds since the timeline's base
	efNanos       protowire.Number = 2
	efTZKnown     protowire.Number = 3
	efLocalLayout protowire.Number = 4 // localLayouts index plus one: LocalTime remade from Time
	efLocalOffset protowire.Number = 5 // zigzag: minutes east of UTC the layout is written in
	efLocalTime   protowire.Number = 6 // LocalTime as given, when no layout remakes it
	efCode        protowire.Number = 7
	efSubcode     protowire.Number = 8
	efText        protowire.Number = 9
	efRule        protowire.Number = 10
	efCity        protowire.Number = 11
	efRegion      protowire.Number = 12
	efPostal      protowire.Number = 13
	efCountry     protowire.Number = 14
	efStatus      protowire.Number = 15
	efReason      protowire.Number = 16
	efSource      protowire.Number = 17
	efUnmapped    protowire.Number = 18
)

// localLayouts are the ways carriers write their timestamps that a layout
// and an offset remake. The list only grows: an index, once written, names
// its layout for good.
var localLayouts = []string{
	time.RFC3339,
	"2006-01-02T15:04:05",
	time.RFC3339Nano,
	"2006-01-02T15:04:05.000Z07:00",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04",
}

// naiveLayout reports whether a layout writes no zone: its offset is the
// wall clock's distance from Time.
func naiveLayout(layout string) bool { return !strings.Contains(layout, "Z07") }

// localForm finds the layout and offset that remake e's LocalTime from its
// Time to the byte, and reports whether there is one.
func localForm(e Event) (layout int, offsetMin int64, ok bool) {
	if e.LocalTime == "" {
		return 0, 0, false
	}
	for i, l := range localLayouts {
		parsed, err := time.Parse(l, e.LocalTime)
		if err != nil {
			continue
		}
		var off time.Duration
		if naiveLayout(l) {
			off = parsed.Sub(e.Time)
		} else {
			_, sec := parsed.Zone()
			off = time.Duration(sec) * time.Second
		}
		if off%time.Minute != 0 || off < -24*time.Hour || off > 24*time.Hour {
			continue
		}
		if localTime(e.Time, i, int64(off/time.Minute)) == e.LocalTime {
			return i, int64(off / time.Minute), true
		}
	}
	return 0, 0, false
}

// localTime writes t in layout number layout at offset minutes east of UTC.
func localTime(t time.Time, layout int, offsetMin int64) string {
	l := localLayouts[layout]
	off := time.Duration(offsetMin) * time.Minute
	if naiveLayout(l) {
		return t.Add(off).UTC().Format(l)
	}
	zone := time.UTC
	if off != 0 {
		zone = time.FixedZone("", int(off/time.Second))
	}
	return t.In(zone).Format(l)
}

// compareEvents orders a timeline: by time, the fingerprint breaking ties.
func compareEvents(a, b printedEvent) int {
	if c := a.Time.Compare(b.Time); c != 0 {
		return c
	}
	return cmp.Compare(a.print, b.print)
}

// printedEvent is an event with its fingerprint, worked out once.
type printedEvent struct {
	Event
	print uint64
}

// withPrints pairs events with their fingerprints.
func withPrints(events []Event) []printedEvent {
	out := make([]printedEvent, len(events))
	for i, e := range events {
		out[i] = printedEvent{e, e.Fingerprint()}
	}
	return out
}

// timeline is an encoded timeline taken apart as far as adding to it
// needs: its base, its table and its events' bytes and fingerprints, no
// event decoded.
type timeline struct {
	base   int64
	table  [][]byte
	events [][]byte
	prints []uint64
}

// parseTimeline takes an encoded timeline apart; its parts alias b.
func parseTimeline(b []byte) (timeline, error) {
	var tl timeline
	err := tl.parse(b)
	return tl, err
}

// parse takes an encoded timeline apart into tl, reusing its slices; the
// parts alias b.
func (tl *timeline) parse(b []byte) error {
	tl.base, tl.table, tl.events, tl.prints = 0, tl.table[:0], tl.events[:0], tl.prints[:0]
	err := eachField(b, func(f recordField) error {
		switch f.num {
		case tfBase:
			tl.base = protowire.DecodeZigZag(f.v)
		case tfString:
			tl.table = append(tl.table, f.bytes)
		case tfEvent:
			tl.events = append(tl.events, f.bytes)
		case tfPrints:
			if len(f.bytes)%8 != 0 {
				return fmt.Errorf("%w: fingerprints of %d bytes", errRecord, len(f.bytes))
			}
			for i := 0; i < len(f.bytes); i += 8 {
				tl.prints = append(tl.prints, binary.LittleEndian.Uint64(f.bytes[i:]))
			}
		}
		return nil
	})
	if err == nil && len(tl.prints) != len(tl.events) {
		err = fmt.Errorf("%w: %d fingerprints for %d events", errRecord, len(tl.prints), len(tl.events))
	}
	return err
}

// encodeTimeline encodes events, which must be in timeline order; nil for
// none.
func encodeTimeline(events []Event) []byte {
	if len(events) == 0 {
		return nil
	}
	return appendEvents(nil, timeline{base: events[0].Time.Unix()}, withPrints(events))
}

// appendEvents adds events, in timeline order and all after the events of
// tl, to b, the encoding tl was parsed from (nil for a new timeline, whose
// base tl carries), and returns the longer encoding.
func appendEvents(b []byte, tl timeline, events []printedEvent) []byte {
	w := timelineWriter{base: tl.base, table: tl.table, known: len(tl.table)}
	for _, e := range events {
		w.event(e.Event)
	}
	out := recordWriter{b: slices.Grow(b, len(w.events)+20*(len(w.table)-w.known)+10*len(events)+12)}
	if len(b) == 0 {
		out.b = protowire.AppendTag(out.b, tfBase, protowire.VarintType)
		out.b = protowire.AppendVarint(out.b, protowire.EncodeZigZag(tl.base))
	}
	for _, s := range w.table[w.known:] {
		out.b = protowire.AppendTag(out.b, tfString, protowire.BytesType)
		out.b = protowire.AppendBytes(out.b, s)
	}
	out.b = append(out.b, w.events...)
	out.b = protowire.AppendTag(out.b, tfPrints, protowire.BytesType)
	out.b = protowire.AppendVarint(out.b, uint64(8*len(events)))
	for _, e := range events {
		out.b = binary.LittleEndian.AppendUint64(out.b, e.print)
	}
	return out.b
}

// timelineWriter encodes events against a table that grows as they need.
type timelineWriter struct {
	base   int64
	table  [][]byte
	known  int // how many of table's strings are written already
	events []byte
	ev     recordWriter
	layout int   // the last event's timestamp layout, tried first
	offset int64 // and its offset
}

// ref is s's table reference, adding it to the table if it is new; 0 for
// the empty string. A timeline's table holds a few dozen strings, which a
// look along them finds sooner than a map is built.
func (w *timelineWriter) ref(s string) uint64 {
	if s == "" {
		return 0
	}
	for i, t := range w.table {
		if string(t) == s {
			return uint64(i) + 1
		}
	}
	w.table = append(w.table, []byte(s))
	return uint64(len(w.table))
}

func (w *timelineWriter) event(e Event) {
	w.ev.b = w.ev.b[:0]
	w.ev.b = protowire.AppendTag(w.ev.b, efSeconds, protowire.VarintType)
	w.ev.b = protowire.AppendVarint(w.ev.b, protowire.EncodeZigZag(e.Time.Unix()-w.base))
	w.ev.uint(efNanos, uint64(e.Time.Nanosecond()))
	if e.TZKnown {
		w.ev.uint(efTZKnown, 1)
	}
	if w.localForm(e) {
		w.ev.uint(efLocalLayout, uint64(w.layout)+1)
		w.ev.int(efLocalOffset, w.offset)
	} else {
		w.ev.uint(efLocalTime, w.ref(e.LocalTime))
	}
	for _, f := range []struct {
		n protowire.Number
		s string
	}{
		{efCode, e.RawCode}, {efSubcode, e.RawSubcode}, {efText, e.RawText}, {efRule, e.Rule},
		{efCity, e.Location.City}, {efRegion, e.Location.Region}, {efPostal, e.Location.PostalCode},
		{efCountry, e.Location.Country}, {efStatus, string(e.Status)}, {efReason, string(e.Reason)},
		{efSource, string(e.Source)},
	} {
		w.ev.uint(f.n, w.ref(f.s))
	}
	if e.Unmapped {
		w.ev.uint(efUnmapped, 1)
	}
	w.events = protowire.AppendTag(w.events, tfEvent, protowire.BytesType)
	w.events = protowire.AppendBytes(w.events, w.ev.b)
}

// localForm finds the layout and offset that remake e's LocalTime and
// keeps them in w, trying the last event's first: a carrier writes every
// scan alike.
func (w *timelineWriter) localForm(e Event) bool {
	if e.LocalTime != "" && localTime(e.Time, w.layout, w.offset) == e.LocalTime {
		return true
	}
	layout, offset, ok := localForm(e)
	if ok {
		w.layout, w.offset = layout, offset
	}
	return ok
}

// timelineLen counts the events in a parcel record without decoding them;
// 0 for a value that is not a record.
func timelineLen(record []byte) int {
	if len(record) == 0 || record[0] != recordMark {
		return 0
	}
	n := 0
	eachField(record[1:], func(f recordField) error {
		if f.num == pfTimeline {
			eachField(f.bytes, func(f recordField) error {
				if f.num == tfEvent {
					n++
				}
				return nil
			})
		}
		return nil
	})
	return n
}

// decodeTimeline reads an encoded timeline into the events of parcel id,
// oldest first.
func decodeTimeline(id ParcelID, b []byte) ([]Event, error) {
	if len(b) == 0 {
		return nil, nil
	}
	tl, err := parseTimeline(b)
	if err != nil {
		return nil, err
	}
	table := make([]string, len(tl.table))
	for i, s := range tl.table {
		table[i] = string(s)
	}
	out := make([]Event, len(tl.events))
	for i, r := range tl.events {
		if err := decodeEvent(r, table, tl.base, &out[i]); err != nil {
			return nil, fmt.Errorf("event %d: %w", i, err)
		}
		out[i].Parcel = id
	}
	return out, nil
}

// lastTime is the time of the timeline's last event, zero if it has none.
func (tl timeline) lastTime() (time.Time, error) {
	if len(tl.events) == 0 {
		return time.Time{}, nil
	}
	var e Event
	err := decodeEvent(tl.events[len(tl.events)-1], nil, tl.base, &e)
	return e.Time, err
}

// before reports whether every event of the timeline comes before e, so e
// and what follows it can be appended.
func (tl timeline) before(e printedEvent) (bool, error) {
	if len(tl.events) == 0 {
		return true, nil
	}
	last, err := tl.lastTime()
	if err != nil {
		return false, err
	}
	return compareEvents(printedEvent{Event{Time: last}, tl.prints[len(tl.prints)-1]}, e) < 0, nil
}

// decodeEvent reads one event. A nil table reads its time alone.
func decodeEvent(b []byte, table []string, base int64, e *Event) error {
	str := func(ref uint64) (string, error) {
		if ref == 0 || ref > uint64(len(table)) {
			return "", fmt.Errorf("%w: string %d of %d", errRecord, ref, len(table))
		}
		return table[ref-1], nil
	}
	var sec, nanos int64
	layout, offset := uint64(0), int64(0)
	err := eachField(b, func(f recordField) error {
		var err error
		switch f.num {
		case efSeconds:
			sec = protowire.DecodeZigZag(f.v)
		case efNanos:
			nanos = int64(f.v)
		case efTZKnown:
			e.TZKnown = f.v != 0
		case efLocalLayout:
			layout = f.v
		case efLocalOffset:
			offset = protowire.DecodeZigZag(f.v)
		case efUnmapped:
			e.Unmapped = f.v != 0
		default:
			if dst := e.stringField(f.num); dst != nil && table != nil {
				*dst, err = str(f.v)
			}
		}
		return err
	})
	if err != nil {
		return err
	}
	e.Time = time.Unix(base+sec, nanos).UTC()
	if layout > uint64(len(localLayouts)) {
		return fmt.Errorf("%w: timestamp layout %d unknown", errRecord, layout)
	}
	if layout > 0 && table != nil {
		e.LocalTime = localTime(e.Time, int(layout-1), offset)
	}
	return nil
}

// stringField is where the event's string under field n goes, nil if n is
// not a string field. Status, Reason and Source are strings underneath.
func (e *Event) stringField(n protowire.Number) *string {
	switch n {
	case efLocalTime:
		return &e.LocalTime
	case efCode:
		return &e.RawCode
	case efSubcode:
		return &e.RawSubcode
	case efText:
		return &e.RawText
	case efRule:
		return &e.Rule
	case efCity:
		return &e.Location.City
	case efRegion:
		return &e.Location.Region
	case efPostal:
		return &e.Location.PostalCode
	case efCountry:
		return &e.Location.Country
	case efStatus:
		return (*string)(&e.Status)
	case efReason:
		return (*string)(&e.Reason)
	case efSource:
		return (*string)(&e.Source)
	}
	return nil
}

// eventCursor is an event's place in its timeline as a page cursor.
func eventCursor(e Event) Cursor { return join(timeKey(e.Time), u64(e.Fingerprint())) }

// atOrAfter reports whether e sits at or after the cursor in its timeline.
func atOrAfter(e Event, c Cursor) bool { return bytes.Compare(eventCursor(e), c) >= 0 }

// mergeTimeline merges fresh events, sorted, into a timeline.
func mergeTimeline(timeline []Event, fresh []printedEvent) []Event {
	all := withPrints(timeline)
	all = append(all, fresh...)
	slices.SortStableFunc(all, compareEvents)
	out := make([]Event, len(all))
	for i, e := range all {
		out[i] = e.Event
	}
	return out
}
