package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// ExceptionKind says what went wrong with a parcel.
type ExceptionKind string

// The exception kinds.
const (
	KindDelayed           ExceptionKind = "delayed"
	KindStalled           ExceptionKind = "stalled"
	KindAttemptFailed     ExceptionKind = "attempt_failed"
	KindAddressIssue      ExceptionKind = "address_issue"
	KindCustomsHold       ExceptionKind = "customs_hold"
	KindDamaged           ExceptionKind = "damaged"
	KindLost              ExceptionKind = "lost"
	KindRefused           ExceptionKind = "refused"
	KindReturningToSender ExceptionKind = "returning_to_sender"
	KindWeather           ExceptionKind = "weather"
	KindCarrierException  ExceptionKind = "carrier_exception"
)

// Kinds lists every kind, worst first: the order of the header's counts.
var Kinds = []ExceptionKind{
	KindLost, KindDamaged, KindAddressIssue, KindRefused, KindAttemptFailed,
	KindCustomsHold, KindReturningToSender, KindStalled, KindCarrierException,
	KindDelayed, KindWeather,
}

// Severity ranks how urgently a human must act; higher is worse.
type Severity uint8

// The severities.
const (
	SeverityLow Severity = iota + 1
	SeverityMedium
	SeverityHigh
	SeverityCritical
)

// Severity of a kind: the goods are gone or the customer must act now
// (critical), the delivery failed and will not fix itself (high), the parcel
// is late or silent (medium), or it is only slowed (low).
func (k ExceptionKind) Severity() Severity {
	switch k {
	case KindLost, KindDamaged:
		return SeverityCritical
	case KindAddressIssue, KindRefused, KindAttemptFailed, KindCustomsHold:
		return SeverityHigh
	case KindReturningToSender, KindStalled, KindCarrierException, KindDelayed:
		return SeverityMedium
	}
	return SeverityLow
}

// ExceptionState is where an exception is in an agent's workflow.
type ExceptionState string

// The exception states.
const (
	StateOpen         ExceptionState = "open"
	StateAcknowledged ExceptionState = "acknowledged"
	StateSnoozed      ExceptionState = "snoozed"
	StateResolved     ExceptionState = "resolved"
)

// ExceptionID keys an exception.
type ExceptionID uint64

// Exception is a parcel that needs a human.
type Exception struct {
	ID      ExceptionID `json:"id"`
	Parcel  ParcelID    `json:"parcel"`
	Order   string      `json:"order"`
	Carrier string      `json:"carrier"`
	// Customer is the order's customer name, kept here for the exceptions
	// list, which must not read every row's order; PutOrder keeps it in
	// step.
	Customer string         `json:"customer,omitempty"`
	Kind     ExceptionKind  `json:"kind"`
	Severity Severity       `json:"severity"`
	State    ExceptionState `json:"state"`
	// Assignee is the agent who took the exception on, "" if nobody has.
	Assignee string    `json:"assignee,omitempty"`
	OpenedAt time.Time `json:"opened_at"`
	// Detail is the carrier text or rule finding that opened it; Rule the
	// mapping or exception rule responsible.
	Detail     string    `json:"detail,omitempty"`
	Rule       string    `json:"rule,omitempty"`
	ResolvedAt time.Time `json:"resolved_at"`
	Resolution string    `json:"resolution,omitempty"`
}

// openKeyLen is the length of an openKey.
const openKeyLen = 1 + 8 + 8

// openKey orders open exceptions worst first, then oldest first.
func openKey(e Exception) []byte {
	return join([]byte{255 - byte(e.Severity)}, timeKey(e.OpenedAt), u64(uint64(e.ID)))
}

// OpenException stores a new open exception, assigning e.ID. A parcel has at
// most one open exception; opening a second is an error.
func (t *Tx) OpenException(e *Exception) error {
	p, err := t.Parcel(e.Parcel)
	if err != nil {
		return fmt.Errorf("exception for parcel %d: %w", e.Parcel, err)
	}
	if p.Exception != 0 {
		return fmt.Errorf("parcel %d already has open exception %d", e.Parcel, p.Exception)
	}
	seq, err := t.bucket(bucketExceptions).NextSequence()
	if err != nil {
		return err
	}
	e.ID, e.State, e.Severity = ExceptionID(seq), StateOpen, e.Kind.Severity()
	e.Order, e.Carrier = p.Order, p.Carrier
	if o, err := t.Order(p.Order); err == nil {
		e.Customer = o.Customer.Name
	} else if !errors.Is(err, ErrNotFound) {
		return err
	}
	if err := t.put(bucketExceptions, u64(seq), e); err != nil {
		return err
	}
	if err := t.indexParcelException(*e); err != nil {
		return err
	}
	if err := t.indexException(*e, true); err != nil {
		return err
	}
	return t.setParcelException(p, e.ID)
}

// parcelExceptionKey is e's entry in idx_parcel_exc: every exception a
// parcel ever had, resolved ones included, under the parcel's id.
func parcelExceptionKey(e Exception) []byte {
	return join(u64(uint64(e.Parcel)), u64(uint64(e.ID)))
}

func (t *Tx) indexParcelException(e Exception) error {
	return t.bucket(bucketIdxParcelExc).Put(parcelExceptionKey(e), nil)
}

// setParcelException records a parcel's open exception, moving it out of
// (or back into) the stall watch.
func (t *Tx) setParcelException(old Parcel, id ExceptionID) error {
	p := old
	p.Exception = id
	return t.writeParcel(old, p)
}

// Exception reads one exception.
func (t *Tx) Exception(id ExceptionID) (Exception, error) {
	var e Exception
	err := t.get(bucketExceptions, u64(uint64(id)), &e)
	return e, err
}

// OpenExceptionOf returns the parcel's open exception, or ErrNotFound.
func (t *Tx) OpenExceptionOf(id ParcelID) (Exception, error) {
	p, err := t.Parcel(id)
	if err != nil {
		return Exception{}, err
	}
	if p.Exception == 0 {
		return Exception{}, ErrNotFound
	}
	return t.Exception(p.Exception)
}

// ResolveException closes an open exception with a reason.
func (t *Tx) ResolveException(id ExceptionID, at time.Time, resolution string) error {
	e, err := t.Exception(id)
	if err != nil {
		return fmt.Errorf("exception %d: %w", id, err)
	}
	if e.State == StateResolved {
		return fmt.Errorf("exception %d is already resolved", id)
	}
	p, err := t.Parcel(e.Parcel)
	if err != nil {
		return fmt.Errorf("exception %d parcel %d: %w", id, e.Parcel, err)
	}
	if p.Exception != id {
		return fmt.Errorf("exception %d is not parcel %d's open exception (%d)", id, e.Parcel, p.Exception)
	}
	if err := t.setParcelException(p, 0); err != nil {
		return err
	}
	if err := t.indexException(e, false); err != nil {
		return err
	}
	e.State, e.ResolvedAt, e.Resolution = StateResolved, at, resolution
	return t.put(bucketExceptions, u64(uint64(id)), e)
}

// AssignException gives an unresolved exception to an agent; "" unassigns.
func (t *Tx) AssignException(id ExceptionID, agent string) error {
	return t.reworkException(id, func(e *Exception) { e.Assignee = agent })
}

// SetExceptionState moves an unresolved exception between open,
// acknowledged and snoozed; ResolveException closes it.
func (t *Tx) SetExceptionState(id ExceptionID, state ExceptionState) error {
	switch state {
	case StateOpen, StateAcknowledged, StateSnoozed:
	default:
		return fmt.Errorf("exception %d: cannot set state %q", id, state)
	}
	return t.reworkException(id, func(e *Exception) { e.State = state })
}

// reworkException changes an unresolved exception's workflow fields and
// moves its index entries and counts with them.
func (t *Tx) reworkException(id ExceptionID, change func(*Exception)) error {
	e, err := t.Exception(id)
	if err != nil {
		return fmt.Errorf("exception %d: %w", id, err)
	}
	if e.State == StateResolved {
		return fmt.Errorf("exception %d is resolved", id)
	}
	if err := t.indexException(e, false); err != nil {
		return err
	}
	change(&e)
	if err := t.indexException(e, true); err != nil {
		return err
	}
	return t.put(bucketExceptions, u64(uint64(id)), e)
}

// The counters kept for the header, one per value of each dimension.
func countKey(k ExceptionKind) []byte       { return []byte("open:" + string(k)) }
func carrierCountKey(carrier string) []byte { return []byte("carrier:" + carrier) }
func stateCountKey(s ExceptionState) []byte { return []byte("state:" + string(s)) }

// addCount moves a counter in the stats bucket, kept in the same transaction
// as the change it counts so the header never has to scan.
func (t *Tx) addCount(key []byte, delta int64) error {
	b := t.bucket(bucketStats)
	var n int64
	if v := b.Get(key); len(v) == 8 {
		n = int64(binary.BigEndian.Uint64(v))
	}
	n += delta
	if n < 0 {
		return fmt.Errorf("counter %s would go negative", key)
	}
	return b.Put(key, u64(uint64(n)))
}

func (t *Tx) count(key []byte) int { return counter(t.bucket(bucketStats).Get(key)) }

// counter decodes a stats value; a missing one is zero.
func counter(v []byte) int {
	if len(v) == 8 {
		return int(binary.BigEndian.Uint64(v))
	}
	return 0
}
