package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/table"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/wismo/wismo/store"
	"github.com/wismo/wismo/tracker/notify"
)

var parcelColumns = []column{
	{title: "Via", width: 5, drop: 4},
	{title: "Tracking", width: 20},
	{title: "Status", width: 20},
	{title: "Since", width: 5, drop: 2},
	{title: "Silent", width: 6, drop: 6},
	{title: "ETA (first → now)", width: 17, drop: 3},
	{title: "Exception", width: 13, drop: 1},
	{title: "Latest scan", width: 8, flex: true, drop: 5},
}

// orderPane shows one order: who, what, where, its parcels, its returns
// and the notifications its customer was sent. tab moves the keyboard
// between the parcels and the notification log.
type orderPane struct {
	loads
	tableBase
	src    Source
	now    func() time.Time
	number string
	dkeys  DetailKeys

	detail   store.OrderDetail
	returns  []store.Return
	log      noteLog
	onLog    bool // the log has the keyboard
	retLines int  // returns that fit
	selID    store.ParcelID
	clock    time.Time
	err      error
	ready    bool
}

// orderMsg carries a loaded order with its returns and notifications.
type orderMsg struct {
	tag
	detail  store.OrderDetail
	returns []store.Return
	notes   []store.Notification
	now     time.Time
	err     error
}

// newOrderPane shows order number with parcel sel selected (0: the first).
func newOrderPane(src Source, now func() time.Time, styles *Styles, number string, sel store.ParcelID) *orderPane {
	keys := DefaultListKeys("parcel timeline")
	return &orderPane{loads: newLoads(), tableBase: newTableBase(styles, keys),
		log: newNoteLog(styles, keys, false), src: src, now: now, number: number, selID: sel, dkeys: DefaultDetailKeys()}
}

func (p *orderPane) Title() string { return "Order " + p.number }

func (p *orderPane) ShortHelp() []key.Binding {
	keys := p.keys.Short()
	if p.onLog {
		keys[2].SetHelp("enter", "show message")
	}
	return append(keys, p.dkeys.Resend, p.dkeys.Switch)
}

func (p *orderPane) FullHelp() [][]key.Binding {
	return [][]key.Binding{p.keys.Full(), {p.dkeys.Resend, p.dkeys.Switch}}
}

func (p *orderPane) SetSize(w, h int) {
	p.fit(parcelColumns, w, h)
	p.log.fit(w)
	p.layout()
}

// layout shares the height: the parcels first, all of them if the
// smallest log still fits below, then the returns, and the log takes the
// rest; it shows only if a header and a row fit.
func (p *orderPane) layout() {
	avail := p.height - lipgloss.Height(p.summary()) - lipgloss.Height(detailGap)
	const heading = 2 // a gap and a section title
	parcels := max(min(2+len(p.detail.Parcels), avail-heading-minTableHeight), minTableHeight)
	avail -= parcels
	p.retLines = min(len(p.returns), avail-2*heading-minTableHeight)
	if p.retLines > 0 {
		avail -= heading + p.retLines
	}
	p.table.SetHeight(parcels)
	p.log.table.SetHeight(avail - heading)
	p.setFocus(p.onLog && p.logShown())
}

// logShown reports whether the log has room for a header and a row.
func (p *orderPane) logShown() bool { return p.log.table.Height() >= 1 }

func (p *orderPane) setFocus(onLog bool) {
	p.onLog = onLog
	p.log.focus(onLog)
	focusTable(&p.table, p.styles, !onLog)
}

func (p *orderPane) Reload() tea.Cmd {
	t, src, now, number := p.loads.next(), p.src, p.now, p.number
	return func() tea.Msg {
		msg := loadOrder(src, number)
		msg.tag, msg.now = t, now()
		return msg
	}
}

// loadOrder reads an order, then its returns and its notification log.
func loadOrder(src Source, number string) orderMsg {
	var msg orderMsg
	if msg.detail, msg.err = src.Order(number); msg.err != nil {
		return msg
	}
	if msg.returns, msg.err = src.OrderReturns(number); msg.err != nil {
		return msg
	}
	msg.notes, msg.err = src.OrderNotifications(number)
	return msg
}

func (p *orderPane) Update(msg tea.Msg) (Pane, tea.Cmd) {
	switch msg := msg.(type) {
	case orderMsg:
		if p.loads.current(msg.tag) {
			p.loaded(msg)
		}
	case changedMsg:
		return p, p.Reload()
	case tickMsg:
		p.clock = msg.now
		p.sync()
	case tea.KeyPressMsg:
		return p, p.key(msg)
	}
	return p, nil
}

func (p *orderPane) loaded(msg orderMsg) {
	p.ready, p.err, p.clock = true, msg.err, msg.now
	if msg.err != nil {
		return
	}
	p.detail, p.returns = msg.detail, msg.returns
	p.log.set(msg.notes)
	p.sync()
	p.layout()
}

func (p *orderPane) key(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, p.dkeys.Resend):
		return emit(openResendMsg{from: p.id, req: p.resendReq()})
	case key.Matches(msg, p.dkeys.Switch):
		p.setFocus(!p.onLog && p.logShown() && len(p.log.notes) > 0)
		return nil
	case p.onLog && key.Matches(msg, p.keys.Open):
		if n, ok := p.log.selected(); ok {
			return emit(openLetterMsg{from: p.id, letter: noteLetter(n)})
		}
		return nil
	case p.onLog:
		return p.log.update(msg)
	case key.Matches(msg, p.keys.Open) && len(p.detail.Parcels) > 0:
		return emit(openParcelMsg{from: p.id, id: p.detail.Parcels[p.table.Cursor()].ID})
	}
	var cmd tea.Cmd
	p.table, cmd = p.table.Update(msg)
	if pc, ok := p.parcel(); ok {
		p.selID = pc.ID
	}
	return cmd
}

// Click selects the parcel under the pointer.
func (p *orderPane) Click(_, y int) tea.Cmd {
	top := lipgloss.Height(p.summary()) + lipgloss.Height(detailGap)
	if i, ok := rowAt(y-top, len(p.table.Rows()), p.table.Height()); ok {
		p.setFocus(false)
		p.table.SetCursor(i)
		p.selID = p.detail.Parcels[i].ID
	}
	return nil
}

// TrackedParcel is the selected parcel, for copy and open.
func (p *orderPane) TrackedParcel() (carrier, tracking string, ok bool) {
	pc, ok := p.parcel()
	return pc.Carrier, pc.TrackingNumber, ok && !p.onLog
}

// parcel is the selected parcel, if any.
func (p *orderPane) parcel() (store.Parcel, bool) {
	i := p.table.Cursor()
	if i < 0 || i >= len(p.detail.Parcels) {
		return store.Parcel{}, false
	}
	return p.detail.Parcels[i], true
}

// resendReq is what n offers to resend: the selected notification when
// the log has the keyboard, else the selected parcel's news.
func (p *orderPane) resendReq() resendReq {
	if n, ok := p.log.selected(); ok && p.onLog {
		return resendOf(n)
	}
	if pc, ok := p.parcel(); ok {
		return resendFor(pc)
	}
	return resendReq{order: p.number, trigger: notify.Shipped, channel: notify.Email}
}

// sync renders the parcels, keeping the selection on the same parcel.
func (p *orderPane) sync() {
	rows := make([]table.Row, len(p.detail.Parcels))
	cursor := 0
	for i, pc := range p.detail.Parcels {
		if pc.ID == p.selID {
			cursor = i
		}
		exc := ""
		if e, ok := p.detail.Exceptions[pc.ID]; ok {
			exc = kindLabel(e.Kind)
		}
		rows[i] = table.Row{
			pc.Carrier, pc.TrackingNumber, statusLabel(pc.Status, pc.Reason), ago(p.clock, pc.StatusAt),
			ago(p.clock, pc.LastEventAt), eta(pc), exc, pc.StatusText,
		}
	}
	p.table.SetRows(rows)
	p.table.SetCursor(cursor)
}

func (p *orderPane) summary() string {
	o := p.detail.Order
	if !p.ready || p.err != nil {
		return ""
	}
	left := fields(p.styles, p.width,
		field{"Customer", o.Customer.Name},
		field{"Email", o.Customer.Email},
		field{"Phone", o.Customer.Phone},
		field{"Ship to", shipTo(o.ShipTo)},
	)
	number := o.Number
	if p.detail.Archived {
		number += " · archived, finished long ago"
	}
	right := fields(p.styles, p.width,
		field{"Order", number},
		field{"Placed", stamp(o.PlacedAt)},
		field{"Items", items(o.Lines)},
		field{"Parcels", fmt.Sprint(len(p.detail.Parcels))},
	)
	return columns2(p.styles, p.width, left, right)
}

func (p *orderPane) View() string {
	switch {
	case p.err != nil:
		return p.styles.ErrorMsg.Render(fmt.Sprintf("Could not read order %s: %v", p.number, p.err))
	case !p.ready:
		return p.styles.Empty.Render("Loading order " + p.number + "…")
	}
	parts := []string{p.summary(), detailGap, p.table.View()}
	parts = append(parts, returnsBlock(p.styles, p.returns, p.width, p.retLines)...)
	if p.logShown() {
		parts = append(parts, detailGap, p.styles.Section.Render(fmt.Sprintf("Notifications (%d)", len(p.log.notes))))
		parts = append(parts, p.logView())
	}
	return clampLines(lipgloss.JoinVertical(lipgloss.Left, parts...), p.height)
}

// logView is the notification log, or why it is empty.
func (p *orderPane) logView() string {
	if len(p.log.notes) == 0 {
		return p.styles.Subtle.Render("None sent yet. n resends the selected parcel's news.")
	}
	return p.log.table.View()
}

// shipTo is an address on one line: street, town, country.
func shipTo(a store.Address) string {
	return strings.Join(nonEmpty(a.Line1, a.PostalCode+" "+a.City, a.Country), ", ")
}

// items lists an order's lines: "2× Ceramic mug, 1× Tea towel".
func items(lines []store.Line) string {
	var out []string
	for _, l := range lines {
		out = append(out, fmt.Sprintf("%d× %s", l.Qty, l.Title))
	}
	return strings.Join(out, ", ")
}

// nonEmpty drops blank strings.
func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}
