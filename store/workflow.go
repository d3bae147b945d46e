package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"
)

// Names that change exceptions besides agents.
const (
	// UpdatedByCarrier is UpdatedBy of an exception a carrier's event
	// resolved.
	UpdatedByCarrier = "carrier"
	// SystemAgent is the name the desk itself acts under in the audit log,
	// as when a snooze ends. It is nobody's to be assigned: Agents leaves
	// it out, as it does UpdatedByCarrier.
	SystemAgent = "wismo"
)

// stamp records a change: the version goes up, and who made it and when
// are kept when known.
func stamp(e *Exception, by string, at time.Time) {
	e.Version++
	if by != "" {
		e.UpdatedBy, e.UpdatedAt = by, at
	}
}

// unresolvedException reads an exception that an agent may still change.
func (t *Tx) unresolvedException(id ExceptionID) (Exception, error) {
	e, err := t.Exception(id)
	if err != nil {
		return e, fmt.Errorf("exception %d: %w", id, err)
	}
	if e.State == StateResolved {
		return e, fmt.Errorf("exception %d is already resolved", id)
	}
	return e, nil
}

// ReworkException changes an unresolved exception's workflow fields (its
// state among open, acknowledged and snoozed, its assignee, the end of its
// snooze) through change, made by by at at, and returns the exception as
// stored: its version up by one, and by and at recorded when by is given.
// Any other field change makes is not its to make and is dropped.
func (t *Tx) ReworkException(id ExceptionID, by string, at time.Time, change func(*Exception)) (Exception, error) {
	old, err := t.unresolvedException(id)
	if err != nil {
		return old, err
	}
	asked := old
	change(&asked)
	e := old
	e.State, e.Assignee, e.SnoozedUntil = asked.State, asked.Assignee, asked.SnoozedUntil
	switch e.State {
	case StateOpen, StateAcknowledged:
		e.SnoozedUntil = time.Time{}
	case StateSnoozed:
	default:
		return old, fmt.Errorf("exception %d: cannot set state %q", id, e.State)
	}
	stamp(&e, by, at)
	if e.Assignee != old.Assignee {
		if err := t.noteAgent(e.Assignee); err != nil {
			return old, err
		}
	}
	return e, t.writeException(old, e)
}

// ResolveExceptionBy is an agent's resolution of an open exception: as
// ResolveException, and the parcel records the time as its ClearedAt, so
// derived rules do not at once flag again what the agent has dealt with.
func (t *Tx) ResolveExceptionBy(id ExceptionID, agent string, at time.Time, resolution string) (Exception, error) {
	return t.resolveException(id, agent, at, resolution, true)
}

// ReopenException moves an acknowledged or snoozed exception back to open,
// or brings a resolved one back as its parcel's open exception, unless the
// parcel has opened another since.
func (t *Tx) ReopenException(id ExceptionID, by string, at time.Time) (Exception, error) {
	old, err := t.Exception(id)
	if err != nil {
		return old, fmt.Errorf("exception %d: %w", id, err)
	}
	switch old.State {
	case StateOpen:
		return old, fmt.Errorf("exception %d is already open", id)
	case StateResolved:
		return t.reopenResolved(old, by, at)
	}
	return t.ReworkException(id, by, at, func(e *Exception) { e.State = StateOpen })
}

func (t *Tx) reopenResolved(old Exception, by string, at time.Time) (Exception, error) {
	p, err := t.Parcel(old.Parcel)
	if err != nil {
		return old, fmt.Errorf("exception %d parcel %d: %w", old.ID, old.Parcel, err)
	}
	if p.Exception != 0 {
		return old, fmt.Errorf("parcel %d has opened exception %d since exception %d was resolved", p.ID, p.Exception, old.ID)
	}
	e := old
	e.State, e.ResolvedAt, e.Resolution = StateOpen, time.Time{}, ""
	stamp(&e, by, at)
	if err := t.writeException(old, e); err != nil {
		return old, err
	}
	return e, t.setParcelException(p, e.ID)
}

// writeException stores e, which was old (the zero Exception for a new
// one), and moves its entries in idx_exc (with their counts) and in
// idx_snooze to match. A resolved exception has entries in neither.
func (t *Tx) writeException(old, e Exception) error {
	if was, is := indexPlace(old), indexPlace(e); !bytes.Equal(was, is) {
		if was != nil {
			if err := t.indexException(old, false); err != nil {
				return err
			}
		}
		if is != nil {
			if err := t.indexException(e, true); err != nil {
				return err
			}
		}
	}
	if err := t.reindex(bucketIdxSnooze, snoozeEnd(old), snoozeEnd(e), u64(uint64(e.ID))); err != nil {
		return err
	}
	return t.put(bucketExceptions, u64(uint64(e.ID)), e)
}

// indexPlace is what decides an exception's idx_exc entries (its values on
// every dimension and its order key), nil when it has none: a change that
// keeps it, such as a new version alone, leaves the index be.
func indexPlace(e Exception) []byte {
	if e.ID == 0 || e.State == StateResolved {
		return nil
	}
	return append(filterPrefix(1<<filterDims-1, filterValues(e)), openKey(e)...)
}

// snoozeEnd is when a snoozed exception wakes, zero for any other (and for
// a snooze without an end).
func snoozeEnd(e Exception) time.Time {
	if e.State != StateSnoozed {
		return time.Time{}
	}
	return e.SnoozedUntil
}

// SnoozedDue returns up to limit snoozed exceptions whose snooze ends at or
// before now, the longest due first, reading idx_snooze from its start.
func (t *Tx) SnoozedDue(now time.Time, limit int) []ExceptionID {
	end := timeKey(now)
	var ids []ExceptionID
	c := t.bucket(bucketIdxSnooze).Cursor()
	for k, _ := c.First(); k != nil && len(ids) < limit && bytes.Compare(k[:8], end) <= 0; k, _ = c.Next() {
		ids = append(ids, ExceptionID(binary.BigEndian.Uint64(k[8:])))
	}
	return ids
}
