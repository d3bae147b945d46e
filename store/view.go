package store

// View is one of the exceptions desk's saved views: a tab, and a name the
// command line opens it by (":view customs").
type View struct {
	// Name is the view's one-word name, lower case.
	Name string
	// Title is the tab's label.
	Title  string
	Filter ExceptionFilter
}

// workable are the states an agent still has to act on: a snoozed
// exception leaves every view but Snoozed until it wakes.
var workable = []ExceptionState{StateOpen, StateAcknowledged}

// Views returns the desk's views for an agent, in tab order. Mine is left
// out when agent is empty: it would show everyone's.
func Views(agent string) []View {
	kinds := func(name, title string, ks ...ExceptionKind) View {
		return View{Name: name, Title: title, Filter: ExceptionFilter{Kinds: ks, States: workable}}
	}
	vs := []View{
		{Name: "all", Title: "All open", Filter: ExceptionFilter{States: workable}},
		kinds("delayed", "Delayed", KindDelayed, KindWeather),
		kinds("stalled", "Stalled", KindStalled),
		kinds("attempts", "Failed attempt", KindAttemptFailed, KindRefused),
		kinds("customs", "Customs", KindCustomsHold),
		kinds("address", "Address", KindAddressIssue),
		kinds("lost", "Lost/Damaged", KindLost, KindDamaged),
		kinds("returning", "Returning", KindReturningToSender),
	}
	if agent != "" {
		vs = append(vs, View{Name: "mine", Title: "Mine", Filter: ExceptionFilter{Assignee: agent, States: workable}})
	}
	return append(vs, View{Name: "snoozed", Title: "Snoozed", Filter: ExceptionFilter{States: []ExceptionState{StateSnoozed}}})
}
