package tracker

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/wismo/wismo/store"
)

// Action is what an agent does to an exception.
type Action string

// The actions on an exception.
const (
	// Acknowledge says someone is on it.
	Acknowledge Action = "acknowledge"
	// Assign gives it to an agent, or to nobody.
	Assign Action = "assign"
	// Snooze puts it out of the way until a time, when it comes back open.
	Snooze Action = "snooze"
	// Resolve closes it, with a note saying why.
	Resolve Action = "resolve"
	// Note adds a line to its history and changes nothing else.
	Note Action = "note"
	// Reopen brings an acknowledged, snoozed or resolved exception back to
	// open.
	Reopen Action = "reopen"
)

// actionWake is the desk's own action in the audit log when a snooze ends.
const actionWake = "wake"

// Limits on what an agent's action may carry.
const (
	maxSnooze    = 30 * 24 * time.Hour
	maxNoteRunes = 2000
	maxNameRunes = 64
)

// Act is one agent's action on an exception.
type Act struct {
	Exception store.ExceptionID
	// Seen is the exception's Version the agent decided on: the action is
	// refused if anyone changed the exception since.
	Seen   uint64
	Agent  string
	Action Action
	// Assignee is who an Assign gives the exception to; "" unassigns.
	Assignee string
	// Until is when a Snooze ends: in the future, at most 30 days ahead.
	Until time.Time
	// Note says why: required for Resolve (it becomes the resolution) and
	// for Note, kept in the audit detail of any other action. At most 2000
	// characters.
	Note string
}

// ErrChanged reports that an exception changed between the agent reading
// it and acting on it; the error is a *ChangedError.
var ErrChanged = errors.New("the exception changed since you read it")

// ChangedError is an action refused because someone else changed the
// exception first. Nothing of the action was written.
type ChangedError struct {
	// Now is the exception as it is now.
	Now   store.Exception
	Tried Action
	// At is when the action was refused, by the tracker's clock.
	At time.Time
}

// Is makes errors.Is(err, ErrChanged) hold.
func (e *ChangedError) Is(target error) bool { return target == ErrChanged }

// Error says what happened to the exception, who did it and when, and
// that the agent's action was not applied.
func (e *ChangedError) Error() string {
	when := ""
	if !e.Now.UpdatedAt.IsZero() {
		when = " " + ago(e.At.Sub(e.Now.UpdatedAt))
	}
	what := fmt.Sprintf("was changed by %s%s: it is now %s", changer(e.Now.UpdatedBy), when, describe(e.Now))
	if e.Now.State == store.StateResolved {
		what = fmt.Sprintf("was resolved by %s%s", changer(e.Now.UpdatedBy), when)
		if e.Now.Resolution != "" {
			what += " (" + e.Now.Resolution + ")"
		}
	}
	return fmt.Sprintf("exception %d %s; your %s was not applied", e.Now.ID, what, e.Tried)
}

// changer names who last changed an exception, in words for an agent.
func changer(by string) string {
	switch by {
	case "":
		return "someone"
	case store.UpdatedByCarrier:
		return "the carrier"
	case store.SystemAgent:
		return "the desk"
	}
	return by
}

// describe is an unresolved exception's state and assignee in words.
func describe(e store.Exception) string {
	s := string(e.State)
	if e.State == store.StateSnoozed && !e.SnoozedUntil.IsZero() {
		s += " until " + stamp(e.SnoozedUntil)
	}
	if e.Assignee != "" {
		return s + ", assigned to " + e.Assignee
	}
	return s + ", unassigned"
}

// ago is a duration as an agent reads it in a message.
func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh ago", int(d.Hours()))
	}
	return fmt.Sprintf("%dd ago", int(d.Hours()/24))
}

// stamp is a time in the audit log's and messages' one form.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

// Act does an agent's action on an exception and records it in the audit
// log, in one store transaction, and returns the exception as it is after.
// Bad input is refused before the store is read. If the exception changed
// since the version the agent saw (or was resolved meanwhile), nothing is
// written and the error is a *ChangedError.
//
// A note never conflicts: it adds to the history whatever happened since,
// resolved exceptions included, and changes neither the exception nor its
// version, so it fails no colleague's pending action either.
func (t *Tracker) Act(a Act) (store.Exception, error) {
	now := t.now()
	a.Agent, a.Assignee, a.Note = strings.TrimSpace(a.Agent), strings.TrimSpace(a.Assignee), strings.TrimSpace(a.Note)
	if err := a.check(now); err != nil {
		return store.Exception{}, err
	}
	var after store.Exception
	err := t.store.Write(func(tx *store.Tx) error {
		before, err := tx.Exception(a.Exception)
		if err != nil {
			return fmt.Errorf("exception %d: %w", a.Exception, err)
		}
		if a.conflicts(before) {
			return &ChangedError{Now: before, Tried: a.Action, At: now}
		}
		if after, err = a.apply(tx, before, now); err != nil {
			return err
		}
		return tx.Audit(store.AuditEntry{At: now, Agent: a.Agent, Action: string(a.Action),
			Target: fmt.Sprintf("exception %d", before.ID), Detail: a.detail(before),
			Order: before.Order, Parcel: before.Parcel})
	})
	if err != nil {
		return store.Exception{}, err
	}
	return after, nil
}

// conflicts reports whether the exception changed since the agent saw it,
// or was resolved; only a reopen is for a resolved exception, and a note
// never conflicts.
func (a Act) conflicts(e store.Exception) bool {
	if a.Action == Note {
		return false
	}
	return e.Version != a.Seen || (e.State == store.StateResolved && a.Action != Reopen)
}

// apply makes the action's change to e, as it was read in tx.
func (a Act) apply(tx *store.Tx, e store.Exception, now time.Time) (store.Exception, error) {
	rework := func(change func(*store.Exception)) (store.Exception, error) {
		return tx.ReworkException(e.ID, a.Agent, now, change)
	}
	switch a.Action {
	case Acknowledge:
		if e.State == store.StateAcknowledged {
			return e, fmt.Errorf("exception %d is already acknowledged", e.ID)
		}
		return rework(func(e *store.Exception) { e.State = store.StateAcknowledged })
	case Assign:
		if e.Assignee == a.Assignee {
			return e, fmt.Errorf("exception %d is already %s", e.ID, assignedTo(a.Assignee))
		}
		return rework(func(e *store.Exception) { e.Assignee = a.Assignee })
	case Snooze:
		return rework(func(e *store.Exception) { e.State, e.SnoozedUntil = store.StateSnoozed, a.Until })
	case Resolve:
		return tx.ResolveExceptionBy(e.ID, a.Agent, now, a.Note)
	case Reopen:
		return tx.ReopenException(e.ID, a.Agent, now)
	}
	return e, nil // a note changes nothing but the history
}

func assignedTo(name string) string {
	if name == "" {
		return "unassigned"
	}
	return "assigned to " + name
}

// detail is the audit entry's detail: what the action changed from what,
// and the agent's note.
func (a Act) detail(before store.Exception) string {
	var d string
	switch a.Action {
	case Acknowledge:
		d = fmt.Sprintf("%s, was %s", before.Kind, before.State)
	case Assign:
		d = fmt.Sprintf("%s, was %s", assignedTo(a.Assignee), assignedTo(before.Assignee))
	case Snooze:
		d = "until " + stamp(a.Until)
	case Reopen:
		d = "was " + string(before.State)
	case Resolve, Note:
		return a.Note
	}
	if a.Note != "" {
		d += ": " + a.Note
	}
	return d
}

// check refuses an action that is wrong whatever the exception's state:
// an unknown action, a missing or unfit name, a snooze end out of range, a
// missing or overlong note.
func (a Act) check(now time.Time) error {
	switch a.Action {
	case Acknowledge, Assign, Snooze, Resolve, Note, Reopen:
	default:
		return fmt.Errorf("unknown action %q: one of acknowledge, assign, snooze, resolve, note, reopen", a.Action)
	}
	if a.Exception == 0 {
		return errors.New("the action names no exception")
	}
	if a.Agent == "" {
		return errors.New("an action needs the acting agent's name")
	}
	if err := checkName("agent", a.Agent); err != nil {
		return err
	}
	if a.Action == Assign && a.Assignee != "" {
		if err := checkName("assignee", a.Assignee); err != nil {
			return err
		}
	}
	if a.Action == Snooze {
		if err := checkSnooze(a.Until, now); err != nil {
			return err
		}
	}
	return checkNote(a.Action, a.Note)
}

// checkName refuses a name the audit log could not show plainly, or one
// of the names the desk acts under itself.
// CheckAgent refuses a name no agent may act under: the desk's own names,
// text that is not text, or more than 64 characters. A desk checks the
// name it is given before an agent's first action would be refused.
func CheckAgent(name string) error { return checkName("agent", name) }

func checkName(role, name string) error {
	switch {
	case name == store.SystemAgent || name == store.UpdatedByCarrier:
		return fmt.Errorf("%s name %q is the desk's own", role, name)
	case !utf8.ValidString(name) || strings.ContainsFunc(name, unicode.IsControl):
		return fmt.Errorf("%s name %q holds characters that are not text", role, name)
	case utf8.RuneCountInString(name) > maxNameRunes:
		return fmt.Errorf("%s name is longer than %d characters", role, maxNameRunes)
	}
	return nil
}

func checkSnooze(until, now time.Time) error {
	switch {
	case until.IsZero():
		return errors.New("a snooze needs the time it ends")
	case !until.After(now):
		return fmt.Errorf("snooze until %s is not in the future", stamp(until))
	case until.After(now.Add(maxSnooze)):
		return fmt.Errorf("snooze until %s is more than 30 days ahead", stamp(until))
	}
	return nil
}

func checkNote(action Action, note string) error {
	switch {
	case note == "" && (action == Resolve || action == Note):
		return fmt.Errorf("a %s needs a note saying why", action)
	case !utf8.ValidString(note):
		return errors.New("the note is not valid text")
	case utf8.RuneCountInString(note) > maxNoteRunes:
		return fmt.Errorf("the note is %d characters; at most %d", utf8.RuneCountInString(note), maxNoteRunes)
	}
	return nil
}

// wakeBatch bounds how many snoozes one WakeSnoozed ends; the sweep's next
// round takes the rest.
const wakeBatch = 256

// WakeSnoozed moves every exception whose snooze has ended back to open,
// audited as the desk's own action. It reads the snooze index, never every
// exception, and writes only when a snooze is due.
func (t *Tracker) WakeSnoozed() error {
	now := t.now()
	var due []store.ExceptionID
	err := t.store.View(func(tx *store.Tx) error {
		due = tx.SnoozedDue(now, wakeBatch)
		return nil
	})
	if err != nil || len(due) == 0 {
		return err
	}
	return t.store.Write(func(tx *store.Tx) error {
		for _, id := range due {
			if err := wake(tx, id, now); err != nil {
				return fmt.Errorf("wake exception %d: %w", id, err)
			}
		}
		return nil
	})
}

// wake opens exception id if it is still snoozed until now or earlier: an
// agent may have acted on it since the index was read.
func wake(tx *store.Tx, id store.ExceptionID, now time.Time) error {
	e, err := tx.Exception(id)
	if err != nil {
		return err
	}
	if e.State != store.StateSnoozed || e.SnoozedUntil.After(now) {
		return nil
	}
	if _, err := tx.ReworkException(id, store.SystemAgent, now, func(e *store.Exception) { e.State = store.StateOpen }); err != nil {
		return err
	}
	return tx.Audit(store.AuditEntry{At: now, Agent: store.SystemAgent, Action: actionWake,
		Target: fmt.Sprintf("exception %d", id), Detail: "snoozed until " + stamp(e.SnoozedUntil),
		Order: e.Order, Parcel: e.Parcel})
}
