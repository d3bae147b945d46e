package store

import (
	"errors"
	"fmt"
	"time"

	"google.golang.org/protobuf/encoding/protowire"
)

// A parcel is stored as one record under its id: its own fields, then its
// timeline (timeline.go). One poll's news is then one value rewritten on one
// page, where a parcel and a separate key per event dirtied two pages and
// paid a key and a page slot for every event.
//
// Records use the protocol buffers wire format (field number, wire type,
// value), written with protowire rather than generated code: a field that
// is zero is left out, a decoder skips numbers it does not know, and a
// field added later reads as zero in an older record. Times are whole
// seconds since the Unix epoch (zigzag varints) with their nanoseconds, if
// any, under the field's number plus nanosField; they read back in UTC.
//
// The field numbers below are the format: never reuse or renumber one.
const (
	pfCarrier           protowire.Number = 1
	pfTrackingNumber    protowire.Number = 2
	pfFeed              protowire.Number = 3
	pfCarrierRef        protowire.Number = 4
	pfRMA               protowire.Number = 5
	pfOrder             protowire.Number = 6
	pfService           protowire.Number = 7
	pfDirection         protowire.Number = 8
	pfStatus            protowire.Number = 9
	pfReason            protowire.Number = 10
	pfStatusText        protowire.Number = 11
	pfStatusAt          protowire.Number = 12
	pfPromisedBy        protowire.Number = 13
	pfEstimatedDelivery protowire.Number = 14
	pfOriginalEstimate  protowire.Number = 15
	pfSlippedAt         protowire.Number = 16
	pfShippedAt         protowire.Number = 17
	pfDeliveredAt       protowire.Number = 18
	pfLastEventAt       protowire.Number = 19
	pfLastPolledAt      protowire.Number = 20
	pfNextPollAt        protowire.Number = 21
	pfPollFailures      protowire.Number = 22
	pfLastError         protowire.Number = 23
	pfException         protowire.Number = 24
	pfClearedAt         protowire.Number = 25
	pfCreatedAt         protowire.Number = 26
	pfStallWatchAt      protowire.Number = 27
	pfTimeline          protowire.Number = 50

	// nanosField is added to a time field's number for its nanoseconds.
	nanosField protowire.Number = 1000
)

// recordMark starts every parcel record: a byte no CBOR map (0xa0–0xbf) or
// JSON object ("{") starts with, so a record tells itself apart from the
// values older schemas stored.
const recordMark byte = 0x01

// errRecord reports a record that does not decode.
var errRecord = errors.New("malformed parcel record")

// recordWriter appends fields to a record, leaving zero values out.
type recordWriter struct{ b []byte }

func (w *recordWriter) str(n protowire.Number, s string) {
	if s != "" {
		w.b = protowire.AppendTag(w.b, n, protowire.BytesType)
		w.b = protowire.AppendString(w.b, s)
	}
}

func (w *recordWriter) bytes(n protowire.Number, b []byte) {
	if len(b) > 0 {
		w.b = protowire.AppendTag(w.b, n, protowire.BytesType)
		w.b = protowire.AppendBytes(w.b, b)
	}
}

func (w *recordWriter) uint(n protowire.Number, v uint64) {
	if v != 0 {
		w.b = protowire.AppendTag(w.b, n, protowire.VarintType)
		w.b = protowire.AppendVarint(w.b, v)
	}
}

func (w *recordWriter) int(n protowire.Number, v int64) {
	if v != 0 {
		w.uint(n, protowire.EncodeZigZag(v))
	}
}

func (w *recordWriter) time(n protowire.Number, t time.Time) {
	if t.IsZero() {
		return
	}
	w.b = protowire.AppendTag(w.b, n, protowire.VarintType)
	w.b = protowire.AppendVarint(w.b, protowire.EncodeZigZag(t.Unix()))
	w.uint(n+nanosField, uint64(t.Nanosecond()))
}

// recordField is one field read from a record: its number, and its value
// as a varint or as bytes by its wire type.
type recordField struct {
	num   protowire.Number
	v     uint64
	bytes []byte
}

// eachField calls fn with every field of a record body in turn. The bytes
// of a field alias b.
func eachField(b []byte, fn func(recordField) error) error {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return fmt.Errorf("%w: %v", errRecord, protowire.ParseError(n))
		}
		b = b[n:]
		f := recordField{num: num}
		switch typ {
		case protowire.VarintType:
			f.v, n = protowire.ConsumeVarint(b)
		case protowire.BytesType:
			f.bytes, n = protowire.ConsumeBytes(b)
		default:
			n = protowire.ConsumeFieldValue(num, typ, b)
		}
		if n < 0 {
			return fmt.Errorf("%w: field %d: %v", errRecord, num, protowire.ParseError(n))
		}
		b = b[n:]
		if err := fn(f); err != nil {
			return err
		}
	}
	return nil
}

// takeTime reads f into the time at reports whether f is its field or its
// nanoseconds. A time's seconds come before its nanoseconds in every
// record, as recordWriter.time writes them.
func takeTime(f recordField, at func(protowire.Number) *time.Time) bool {
	if t := at(f.num); t != nil {
		*t = time.Unix(protowire.DecodeZigZag(f.v), 0).UTC()
		return true
	}
	if f.num <= nanosField {
		return false
	}
	if t := at(f.num - nanosField); t != nil {
		*t = t.Add(time.Duration(f.v))
		return true
	}
	return false
}

// encodeParcel is p's record: its fields, then timeline, the encoded
// timeline (nil for none), as it is.
func encodeParcel(p Parcel, timeline []byte) []byte {
	w := recordWriter{b: make([]byte, 1, 160+len(timeline))}
	w.b[0] = recordMark
	w.str(pfCarrier, p.Carrier)
	w.str(pfTrackingNumber, p.TrackingNumber)
	w.str(pfFeed, p.Feed)
	w.str(pfCarrierRef, p.CarrierRef)
	w.str(pfRMA, p.RMA)
	w.str(pfOrder, p.Order)
	w.str(pfService, p.Service)
	w.str(pfDirection, string(p.Direction))
	w.str(pfStatus, string(p.Status))
	w.str(pfReason, string(p.Reason))
	w.str(pfStatusText, p.StatusText)
	for n := pfStatusAt; n <= pfStallWatchAt; n++ {
		if t := p.timeField(n); t != nil {
			w.time(n, *t)
		}
	}
	w.uint(pfPollFailures, uint64(p.PollFailures))
	w.str(pfLastError, p.LastError)
	w.uint(pfException, uint64(p.Exception))
	w.bytes(pfTimeline, timeline)
	return w.b
}

// EncodeRecord is the record the store keeps for parcel p with events, in
// timeline order, as its timeline: for tools that must write the very
// bytes the store writes (the bench's raw bbolt baseline).
func EncodeRecord(p Parcel, events []Event) []byte { return encodeParcel(p, encodeTimeline(events)) }

// timeField is the parcel's time under field number n, nil if n is not a
// time field.
func (p *Parcel) timeField(n protowire.Number) *time.Time {
	switch n {
	case pfStatusAt:
		return &p.StatusAt
	case pfPromisedBy:
		return &p.PromisedBy
	case pfEstimatedDelivery:
		return &p.EstimatedDelivery
	case pfOriginalEstimate:
		return &p.OriginalEstimate
	case pfSlippedAt:
		return &p.SlippedAt
	case pfShippedAt:
		return &p.ShippedAt
	case pfDeliveredAt:
		return &p.DeliveredAt
	case pfLastEventAt:
		return &p.LastEventAt
	case pfLastPolledAt:
		return &p.LastPolledAt
	case pfNextPollAt:
		return &p.NextPollAt
	case pfClearedAt:
		return &p.ClearedAt
	case pfCreatedAt:
		return &p.CreatedAt
	case pfStallWatchAt:
		return &p.StallWatchAt
	}
	return nil
}

// decodeParcel reads a parcel record, or a parcel value an older schema
// stored, and returns the parcel (its ID from id) and its encoded
// timeline, which aliases v.
func decodeParcel(id ParcelID, v []byte) (Parcel, []byte, error) {
	if len(v) == 0 || v[0] != recordMark {
		var p Parcel
		if err := decode(v, &p); err != nil {
			return p, nil, fmt.Errorf("parcel %d: %w", id, err)
		}
		return p, nil, nil
	}
	p := Parcel{ID: id}
	var timeline []byte
	err := eachField(v[1:], func(f recordField) error {
		switch f.num {
		case pfCarrier:
			p.Carrier = string(f.bytes)
		case pfTrackingNumber:
			p.TrackingNumber = string(f.bytes)
		case pfFeed:
			p.Feed = string(f.bytes)
		case pfCarrierRef:
			p.CarrierRef = string(f.bytes)
		case pfRMA:
			p.RMA = string(f.bytes)
		case pfOrder:
			p.Order = string(f.bytes)
		case pfService:
			p.Service = string(f.bytes)
		case pfDirection:
			p.Direction = Direction(f.bytes)
		case pfStatus:
			p.Status = Status(f.bytes)
		case pfReason:
			p.Reason = Reason(f.bytes)
		case pfStatusText:
			p.StatusText = string(f.bytes)
		case pfPollFailures:
			p.PollFailures = int(f.v)
		case pfLastError:
			p.LastError = string(f.bytes)
		case pfException:
			p.Exception = ExceptionID(f.v)
		case pfTimeline:
			timeline = f.bytes
		default:
			takeTime(f, p.timeField)
		}
		return nil
	})
	if err != nil {
		return Parcel{}, nil, fmt.Errorf("parcel %d: %w", id, err)
	}
	return p, timeline, nil
}
