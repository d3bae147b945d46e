package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/table"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/wismo/wismo/store"
)

var timelineColumns = []column{
	{title: "Carrier time", width: 19, drop: 5},
	{title: "UTC", width: 12},
	{title: "Where", width: 14, drop: 1},
	{title: "Code", width: 9, drop: 4},
	{title: "Status", width: 20},
	{title: "Carrier text", width: 12, flex: true, drop: 2},
}

// parcelPane is one parcel's timeline, newest first, with why each event
// means what it means: raw code, normalized status, mapping rule.
type parcelPane struct {
	loads
	tableBase
	src    Source
	now    func() time.Time
	parcel store.ParcelID
	dkeys  DetailKeys

	detail  store.ParcelDetail
	events  []store.Event      // newest first, as rows
	history []store.AuditEntry // what agents did about it, newest first
	clock   time.Time
	err     error
	ready   bool
}

// parcelMsg carries a loaded parcel.
type parcelMsg struct {
	tag
	detail  store.ParcelDetail
	history []store.AuditEntry
	now     time.Time
	err     error
}

// historyLines is how many of the latest actions on a parcel its pane
// shows above the timeline.
const historyLines = 4

func newParcelPane(src Source, now func() time.Time, styles *Styles, id store.ParcelID) *parcelPane {
	keys := DefaultListKeys("")
	keys.Open.SetEnabled(false)
	dkeys := DefaultDetailKeys()
	dkeys.Switch.SetEnabled(false)
	return &parcelPane{loads: newLoads(), tableBase: newTableBase(styles, keys), src: src, now: now, parcel: id, dkeys: dkeys}
}

func (p *parcelPane) ShortHelp() []key.Binding { return append(p.keys.Short(), p.dkeys.Resend) }

func (p *parcelPane) FullHelp() [][]key.Binding {
	return [][]key.Binding{p.keys.Full(), {p.dkeys.Resend}}
}

func (p *parcelPane) Title() string {
	if p.detail.Parcel.TrackingNumber != "" {
		return "Parcel " + p.detail.Parcel.TrackingNumber
	}
	return "Parcel"
}

func (p *parcelPane) SetSize(w, h int) {
	p.fit(timelineColumns, w, h)
	p.layout()
}

// layout gives the timeline what the summary, the gap and the event line
// leave, but never less than a header and one row.
func (p *parcelPane) layout() {
	used := lipgloss.Height(p.summary()) + lipgloss.Height(detailGap) + lipgloss.Height(p.eventLine())
	p.table.SetHeight(max(p.height-used, minTableHeight))
}

func (p *parcelPane) Reload() tea.Cmd {
	t, src, now, id := p.loads.next(), p.src, p.now, p.parcel
	return func() tea.Msg {
		d, err := src.Parcel(id)
		if err != nil {
			return parcelMsg{tag: t, err: err, now: now()}
		}
		h, err := src.ParcelAudit(id, historyLines)
		return parcelMsg{tag: t, detail: d, history: h, now: now(), err: err}
	}
}

func (p *parcelPane) Update(msg tea.Msg) (Pane, tea.Cmd) {
	switch msg := msg.(type) {
	case parcelMsg:
		if p.loads.current(msg.tag) {
			p.loaded(msg)
		}
	case changedMsg:
		return p, p.Reload()
	case tickMsg:
		p.clock = msg.now
	case tea.KeyPressMsg:
		if key.Matches(msg, p.dkeys.Resend) && p.ready && p.err == nil {
			return p, emit(openResendMsg{from: p.id, req: resendFor(p.detail.Parcel)})
		}
		var cmd tea.Cmd
		p.table, cmd = p.table.Update(msg)
		p.layout()
		return p, cmd
	}
	return p, nil
}

func (p *parcelPane) loaded(msg parcelMsg) {
	p.ready, p.err, p.clock = true, msg.err, msg.now
	if msg.err != nil {
		return
	}
	// A new event lands on top; keep the cursor on the event it was on.
	shift := len(msg.detail.Events) - len(p.events)
	p.detail, p.history = msg.detail, msg.history
	p.events = p.events[:0]
	for i := len(msg.detail.Events) - 1; i >= 0; i-- {
		p.events = append(p.events, msg.detail.Events[i])
	}
	rows := make([]table.Row, len(p.events))
	for i, e := range p.events {
		rows[i] = eventCells(e)
	}
	cursor := p.table.Cursor()
	p.table.SetRows(rows)
	if shift > 0 && cursor > 0 {
		cursor += shift
	}
	p.table.SetCursor(cursor)
	p.layout()
}

// eventCells is an event's row under timelineColumns.
func eventCells(e store.Event) []string {
	return []string{
		e.LocalTime, e.Time.UTC().Format("02 Jan 15:04"), e.Location.City, e.RawCode,
		statusLabel(e.Status, e.Reason), e.RawText,
	}
}

func (p *parcelPane) summary() string {
	if !p.ready || p.err != nil {
		return ""
	}
	pc := p.detail.Parcel
	left := fields(p.styles, p.width,
		field{"Tracking", pc.TrackingNumber},
		field{"Carrier", pc.Carrier + " " + pc.Service},
		field{"Order", pc.Order},
		field{"Status", fmt.Sprintf("%s, %s ago", statusLabel(pc.Status, pc.Reason), ago(p.clock, pc.StatusAt))},
		field{"Last scan", since(p.clock, pc.LastEventAt)},
	)
	right := fields(p.styles, p.width,
		field{"ETA", eta(pc)},
		field{"Promised", day(pc.PromisedBy)},
		field{"Polled", since(p.clock, pc.LastPolledAt)},
		field{"Feed error", pc.LastError},
	)
	out := columns2(p.styles, p.width, left, right)
	if e := p.detail.Exception; e != nil {
		sev := p.styles.Severity[e.Severity]
		line := sev.Render("⚠ "+kindLabel(e.Kind)) +
			p.styles.Subtle.Render(fmt.Sprintf(" · %s · opened %s ago · %s · rule %s", exceptionState(*e), ago(p.clock, e.OpenedAt), e.Detail, e.Rule))
		out = lipgloss.JoinVertical(lipgloss.Left, out, detailGap, ansi.Truncate(line, p.width, "…"))
	}
	if len(p.history) > 0 {
		out = lipgloss.JoinVertical(lipgloss.Left, out, detailGap, p.historyBlock())
	}
	return out
}

// exceptionState says where an exception is in the workflow, and who has it.
func exceptionState(e store.Exception) string {
	s := string(e.State)
	if e.State == store.StateSnoozed {
		s += " until " + shortStamp(e.SnoozedUntil)
	}
	if e.Assignee != "" {
		s += ", with " + e.Assignee
	}
	return s
}

// historyBlock lists what agents did about the parcel, newest first.
func (p *parcelPane) historyBlock() string {
	lines := []string{p.styles.Section.Render("History")}
	for _, a := range p.history {
		line := fmt.Sprintf("%s  %s %s", shortStamp(a.At), oneLine(a.Agent), a.Action)
		if a.Detail != "" {
			line += ": " + oneLine(a.Detail)
		}
		lines = append(lines, ansi.Truncate(p.styles.Subtle.Render(line), p.width, "…"))
	}
	return strings.Join(lines, "\n")
}

// TrackedParcel is the parcel shown, for copy and open.
func (p *parcelPane) TrackedParcel() (carrier, tracking string, ok bool) {
	pc := p.detail.Parcel
	return pc.Carrier, pc.TrackingNumber, p.ready && p.err == nil
}

// Click selects the scan under the pointer.
func (p *parcelPane) Click(_, y int) tea.Cmd {
	top := lipgloss.Height(p.summary()) + lipgloss.Height(detailGap)
	if i, ok := rowAt(y-top, len(p.table.Rows()), p.table.Height()); ok {
		p.table.SetCursor(i)
		p.layout()
	}
	return nil
}

// eventLine explains the selected event in full: the carrier's code and
// text, what wismo made of it and which rule said so.
func (p *parcelPane) eventLine() string {
	i := p.table.Cursor()
	if i < 0 || i >= len(p.events) {
		return ""
	}
	e := p.events[i]
	zone := "zone known"
	if !e.TZKnown {
		zone = "zone guessed"
	}
	return p.styles.Subtle.Width(p.width).Render(fmt.Sprintf("%s %q → %s by %s · %s (%s) · %s",
		e.RawCode, e.RawText, statusLabel(e.Status, e.Reason), e.Rule, stamp(e.Time), zone, e.Source))
}

func (p *parcelPane) View() string {
	switch {
	case p.err != nil:
		return p.styles.ErrorMsg.Render(fmt.Sprintf("Could not read parcel: %v", p.err))
	case !p.ready:
		return p.styles.Empty.Render("Loading timeline…")
	case len(p.events) == 0:
		return lipgloss.JoinVertical(lipgloss.Left, p.summary(), detailGap,
			p.styles.Empty.Render("No scans yet: the carrier has not reported this parcel."))
	}
	return lipgloss.JoinVertical(lipgloss.Left, p.summary(), detailGap, p.table.View(), p.eventLine())
}
