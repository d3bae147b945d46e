package ui

import (
	"errors"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/wismo/wismo/store"
)

// command is one thing the command line does.
type command struct {
	name string
	// usage names what follows the name; empty when nothing does.
	usage string
	help  string
	// optional: the command runs without its argument too.
	optional bool
	// args lists the arguments to complete; nil when they are open-ended
	// (an order number).
	args func(m *Model) []string
	run  func(m *Model, arg string) tea.Cmd
}

// commands are the command line's commands, in the order they are
// offered.
var commands []command

// init fills commands: some of them redraw the desk, whose command line
// lists them, a loop a package-level initializer may not have.
func init() {
	commands = []command{
		{name: "order", usage: "NUMBER", help: "open an order", run: (*Model).commandOrder},
		{name: "tracking", usage: "NUMBER", help: "find a parcel by its tracking number", run: (*Model).commandTracking},
		{name: "view", usage: "NAME", help: "show one of the exception views", args: (*Model).viewNames, run: (*Model).commandViewName},
		{name: "carrier", usage: "[NAME]", help: "show one carrier's exceptions; alone, every carrier's", optional: true,
			args: (*Model).carrierNames, run: (*Model).commandCarrier},
		{name: "feeds", help: "the carrier feeds' health", run: func(m *Model, _ string) tea.Cmd { return m.openFeeds() }},
		{name: "pause", usage: "FEED REASON", help: "stop asking a carrier feed and hold its webhooks (supervisors)",
			args: (*Model).feedNames, run: (*Model).commandPause},
		{name: "resume", usage: "FEED", help: "let a paused feed run again (supervisors)", args: (*Model).feedNames, run: (*Model).commandResume},
		{name: "outbox", help: "the notifications going out", run: func(m *Model, _ string) tea.Cmd { return m.openOutbox() }},
		{name: "help", help: "every key", run: func(m *Model, _ string) tea.Cmd {
			m.help.ShowAll = true
			m.resize()
			return nil
		}},
		{name: "quit", help: "leave the desk", run: func(*Model, string) tea.Cmd { return tea.Quit }},
	}
}

// check tells what is wrong with arg for this command, before it runs.
func (c command) check(arg string) error {
	switch {
	case c.usage == "" && arg != "":
		return fmt.Errorf(":%s takes nothing after its name", c.name)
	case arg == "" && !c.optional && c.usage != "":
		return fmt.Errorf(":%s needs %s: %s", c.name, strings.ToLower(c.usage), c.help)
	}
	return nil
}

// commandOrder opens the order numbered arg, once the store has it.
func (m *Model) commandOrder(arg string) tea.Cmd {
	number := strings.TrimPrefix(arg, "#")
	if strings.Contains(number, " ") {
		m.err = fmt.Errorf(":order takes one order number, not %q", ansi.Strip(arg))
		return nil
	}
	src, from := m.src, m.top().paneID()
	return func() tea.Msg {
		d, err := src.Order(number)
		switch {
		case errors.Is(err, store.ErrNotFound):
			return errMsg{fmt.Errorf("no order %q", number)}
		case err != nil:
			return errMsg{err}
		}
		return openOrderMsg{from: from, number: d.Order.Number}
	}
}

// commandTracking finds parcels by tracking number: one opens, over its
// order; several list in the search box.
func (m *Model) commandTracking(arg string) tea.Cmd {
	src, from := m.src, m.top().paneID()
	return func() tea.Msg {
		hits, err := src.Search(arg, searchLimit)
		if err != nil {
			return errMsg{err}
		}
		hits = trackingHits(hits)
		switch len(hits) {
		case 0:
			return errMsg{fmt.Errorf("no parcel has tracking number %q", arg)}
		case 1:
			return openTrackingHit(src, from, hits[0])
		}
		return openSearchMsg{from: from, query: arg}
	}
}

// trackingHits keeps the hits on a tracking number: the whole number's if
// any, else those that start with it.
func trackingHits(hits []store.SearchHit) []store.SearchHit {
	var exact, prefix []store.SearchHit
	for _, h := range hits {
		switch {
		case h.Field != "tracking number":
		case h.Exact:
			exact = append(exact, h)
		default:
			prefix = append(prefix, h)
		}
	}
	if len(exact) > 0 {
		return exact
	}
	return prefix
}

// openTrackingHit reads the hit's order for the parcel it matched.
func openTrackingHit(src Source, from uint64, hit store.SearchHit) tea.Msg {
	d, err := src.Order(hit.Number)
	if err != nil {
		return errMsg{err}
	}
	for _, p := range d.Parcels {
		if p.TrackingNumber == hit.Value {
			return openTrackingMsg{from: from, order: d.Order.Number, parcel: p.ID}
		}
	}
	return openOrderMsg{from: from, number: d.Order.Number}
}

// commandViewName asks the exceptions pane for the view named arg.
func (m *Model) commandViewName(arg string) tea.Cmd {
	name, err := pick("view", m.viewNames(), arg)
	if err != nil {
		m.err = err
		return nil
	}
	return emit(showViewMsg{name: name})
}

// commandCarrier narrows the exceptions to one carrier with a feed, or,
// without a name, widens them to all again.
func (m *Model) commandCarrier(arg string) tea.Cmd {
	name := ""
	if arg != "" {
		names := m.carrierNames()
		if len(names) == 0 {
			m.err = fmt.Errorf("unknown carrier %q: this desk has no carrier feeds", ansi.Strip(arg))
			return nil
		}
		var err error
		if name, err = pick("carrier", names, arg); err != nil {
			m.err = err
			return nil
		}
	}
	return emit(filterCarrierMsg{carrier: name})
}

// errFeedsForSupervisors answers :pause and :resume for an agent who is
// not a supervisor.
var errFeedsForSupervisors = errors.New("pausing and resuming feeds is for supervisors")

// commandPause pauses the feed arg names, saying why: "dhl statuses all
// say delivered".
func (m *Model) commandPause(arg string) tea.Cmd {
	name, reason, _ := strings.Cut(arg, " ")
	feed, err := m.feedAction(name)
	if err != nil {
		m.err = err
		return nil
	}
	if reason == "" {
		m.err = fmt.Errorf(":pause %s needs a reason after the feed's name: the next supervisor reads it", feed)
		return nil
	}
	actions, agent := m.actions, m.agent
	return func() tea.Msg {
		if _, err := actions.PauseFeed(feed, agent, reason); err != nil {
			return errMsg{err}
		}
		return infoMsg{text: fmt.Sprintf("%s paused: nothing is asked of it and its webhooks are held until it is resumed (:resume %s)", feed, feed)}
	}
}

// commandResume lets the feed arg names run again.
func (m *Model) commandResume(arg string) tea.Cmd {
	feed, err := m.feedAction(arg)
	if err != nil {
		m.err = err
		return nil
	}
	actions, agent := m.actions, m.agent
	return func() tea.Msg {
		if err := actions.ResumeFeed(feed, agent); err != nil {
			return errMsg{err}
		}
		return infoMsg{text: feed + " resumed: its parcels are asked again within minutes, and its carrier resends what was held"}
	}
}

// feedAction checks the agent may pause and resume feeds, and picks the
// feed arg names.
func (m *Model) feedAction(arg string) (string, error) {
	if err := m.mayAct(errNoActions); err != nil {
		return "", err
	}
	if m.notSupervisor {
		return "", errFeedsForSupervisors
	}
	names := m.feedNames()
	if len(names) == 0 {
		return "", errors.New("this desk has no carrier feeds")
	}
	return pick("feed", names, arg)
}

// feedNames are the desk's feeds, polled or pushed.
func (m *Model) feedNames() []string {
	names := make([]string, len(m.health))
	for i, h := range m.health {
		names[i] = h.Feed
	}
	return names
}

// viewNames are the exception views' one-word names.
func (m *Model) viewNames() []string {
	views := store.Views(m.agent)
	names := make([]string, len(views))
	for i, v := range views {
		names[i] = v.Name
	}
	return names
}

// carrierNames are the carriers the desk polls: the ones whose parcels a
// carrier filter can find.
func (m *Model) carrierNames() []string {
	var names []string
	for _, h := range m.health {
		if h.Poll {
			names = append(names, h.Feed)
		}
	}
	return names
}

// pick is the option arg names: the one equal to it, in any case, or else
// the only one that starts with it.
func pick(what string, options []string, arg string) (string, error) {
	var found []string
	for _, o := range options {
		if strings.EqualFold(o, arg) {
			return o, nil
		}
		if strings.HasPrefix(strings.ToLower(o), strings.ToLower(arg)) {
			found = append(found, o)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return "", fmt.Errorf("unknown %s %q: try %s", what, ansi.Strip(arg), strings.Join(options, ", "))
	}
	return "", fmt.Errorf("%s %q could be %s: type more of it", what, ansi.Strip(arg), strings.Join(found, " or "))
}
