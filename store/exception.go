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
	// Version goes up by one on every change, so an agent's action can
	// name the version it was decided on and be refused if someone else
	// changed the exception since. Exceptions stored before versions were
	// kept read as version 0.
	Version uint64 `json:"version,omitempty"`
	// SnoozedUntil is when a snoozed exception comes back as open; zero
	// unless the state is snoozed.
	SnoozedUntil time.Time `json:"snoozed_until"`
	// UpdatedAt and UpdatedBy say when and by whom the exception last
	// changed after it opened: an agent's name, UpdatedByCarrier for a
	// resolution by a carrier's event, SystemAgent for a snooze that ended.
	UpdatedAt time.Time `json:"updated_at"`
	UpdatedBy string    `json:"updated_by,omitempty"`
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
	e.ID, e.State, e.Severity, e.Version = ExceptionID(seq), StateOpen, e.Kind.Severity(), 1
	e.Order, e.Carrier = p.Order, p.Carrier
	e.SnoozedUntil, e.UpdatedAt, e.UpdatedBy = time.Time{}, time.Time{}, ""
	if o, err := t.Order(p.Order); err == nil {
		e.Customer = o.Customer.Name
	} else if !errors.Is(err, ErrNotFound) {
		return err
	}
	if err := t.writeException(Exception{}, *e); err != nil {
		return err
	}
	if err := t.indexParcelException(*e); err != nil {
		return err
	}
	if err := t.countOpened(*e); err != nil {
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

// ResolveException closes an open exception with a reason, on a
// carrier's word: UpdatedBy says "carrier". An agent's resolution goes
// through ResolveExceptionBy.
func (t *Tx) ResolveException(id ExceptionID, at time.Time, resolution string) error {
	_, err := t.resolveException(id, UpdatedByCarrier, at, resolution, false)
	return err
}

// resolveException closes an open exception, by whom and when, and frees
// its parcel; cleared records on the parcel that an agent closed it.
func (t *Tx) resolveException(id ExceptionID, by string, at time.Time, resolution string, cleared bool) (Exception, error) {
	old, err := t.unresolvedException(id)
	if err != nil {
		return old, err
	}
	p, err := t.Parcel(old.Parcel)
	if err != nil {
		return old, fmt.Errorf("exception %d parcel %d: %w", id, old.Parcel, err)
	}
	if p.Exception != id {
		return old, fmt.Errorf("exception %d is not parcel %d's open exception (%d)", id, old.Parcel, p.Exception)
	}
	freed := p
	freed.Exception = 0
	if cleared {
		freed.ClearedAt = at
	}
	if err := t.writeParcel(p, freed); err != nil {
		return old, err
	}
	e := old
	e.State, e.ResolvedAt, e.Resolution, e.SnoozedUntil = StateResolved, at, resolution, time.Time{}
	stamp(&e, by, at)
	return e, t.writeException(old, e)
}

// AssignException gives an unresolved exception to an agent; "" unassigns.
// It records no one as having made the change; ReworkException does.
func (t *Tx) AssignException(id ExceptionID, agent string) error {
	_, err := t.ReworkException(id, "", time.Time{}, func(e *Exception) { e.Assignee = agent })
	return err
}

// SetExceptionState moves an unresolved exception between open,
// acknowledged and snoozed (without an end: it stays snoozed until someone
// moves it); ResolveException closes it.
func (t *Tx) SetExceptionState(id ExceptionID, state ExceptionState) error {
	_, err := t.ReworkException(id, "", time.Time{}, func(e *Exception) { e.State = state })
	return err
}

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
