package ui

import (
	"errors"
	"fmt"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/wismo/wismo/store"
	"github.com/wismo/wismo/tracker"
)

// actedMsg carries the outcome of an action on an exception: a line for
// the status bar, or why nothing was changed.
type actedMsg struct {
	from uint64 // the pane that asked
	text string
	err  error
}

// actOn is an action on the exception e as the agent saw it: the version
// seen goes with the action, so a change made meanwhile by someone else
// (or by a carrier) is refused instead of overwritten.
func actOn(e store.Exception, agent string, action tracker.Action) tracker.Act {
	return tracker.Act{Exception: e.ID, Seen: e.Version, Agent: agent, Action: action}
}

// actCmd carries out a on actions outside Update. until, if positive, is
// a snooze's length, turned into a time by the desk clock when it runs.
func actCmd(from uint64, actions Actions, now func() time.Time, a tracker.Act, until time.Duration) tea.Cmd {
	return func() tea.Msg {
		if until > 0 {
			a.Until = now().Add(until)
		}
		e, err := actions.Act(a)
		if err != nil {
			return actedMsg{from: from, err: err}
		}
		return actedMsg{from: from, text: actedText(a, e)}
	}
}

// actedText confirms an action in the status line.
func actedText(a tracker.Act, e store.Exception) string {
	what := fmt.Sprintf("%s · order %s", kindLabel(e.Kind), e.Order)
	switch a.Action {
	case tracker.Acknowledge:
		return "Acknowledged " + what
	case tracker.Assign:
		if a.Assignee == "" {
			return "Unassigned " + what
		}
		return fmt.Sprintf("Assigned %s to %s", what, a.Assignee)
	case tracker.Snooze:
		return fmt.Sprintf("Snoozed %s until %s", what, shortStamp(a.Until))
	case tracker.Resolve:
		return "Resolved " + what
	case tracker.Note:
		return "Noted on " + what
	}
	return string(a.Action) + " " + what
}

// act starts the action msg asks for on the selected exception: the
// quick ones at once, the rest through a dialog.
func (p *exceptionsPane) act(msg tea.KeyPressMsg) tea.Cmd {
	r, ok := p.selected()
	switch {
	case p.readOnly:
		return emit(errMsg{errReadOnly})
	case p.actions == nil:
		return emit(errMsg{errNoExceptionActions})
	case !ok:
		return nil
	}
	e := r.Exception
	switch {
	case key.Matches(msg, p.ekeys.Ack):
		return actCmd(p.id, p.actions, p.now, actOn(e, p.agent, tracker.Acknowledge), 0)
	case key.Matches(msg, p.ekeys.Mine):
		a := actOn(e, p.agent, tracker.Assign)
		a.Assignee = p.agent
		return actCmd(p.id, p.actions, p.now, a, 0)
	}
	req := actReq{row: r}
	switch {
	case key.Matches(msg, p.ekeys.Assign):
		req.action = tracker.Assign
	case key.Matches(msg, p.ekeys.Snooze):
		req.action = tracker.Snooze
	case key.Matches(msg, p.ekeys.Resolve):
		req.action = tracker.Resolve
	default:
		req.action = tracker.Note
	}
	return emit(openActMsg{from: p.id, req: req})
}

// errNoExceptionActions answers an action key on a desk built without
// Actions.
var errNoExceptionActions = errors.New("exceptions cannot be changed on this desk: it has no tracker to act through")

// acted shows an action's outcome. Refused because the exception changed
// meanwhile, the list is read again so the agent sees what changed.
func (p *exceptionsPane) acted(msg actedMsg) tea.Cmd {
	if msg.err != nil {
		return tea.Batch(emit(errMsg{msg.err}), p.Reload())
	}
	return emit(infoMsg{text: msg.text})
}
