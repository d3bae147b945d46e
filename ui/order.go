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
)

var parcelColumns = []column{
	{title: "Via", width: 5, drop: 4},
	{title: "Tracking", width: 20},
	{title: "Status", width: 20},
	{title: "Since", width: 5, drop: 2},
	{title: "ETA", width: 10, drop: 3},
	{title: "Exception", width: 13, drop: 1},
	{title: "Latest scan", width: 8, flex: true, drop: 5},
}

// orderPane shows one order: who, what, where, and its parcels.
type orderPane struct {
	loads
	tableBase
	src    Source
	now    func() time.Time
	number string

	detail store.OrderDetail
	selID  store.ParcelID
	clock  time.Time
	err    error
	ready  bool
}

// orderMsg carries a loaded order.
type orderMsg struct {
	tag
	detail store.OrderDetail
	now    time.Time
	err    error
}

func newOrderPane(src Source, now func() time.Time, styles *Styles, number string) *orderPane {
	return &orderPane{loads: newLoads(), tableBase: newTableBase(styles, DefaultListKeys("parcel timeline")),
		src: src, now: now, number: number}
}

func (p *orderPane) Title() string { return "Order " + p.number }

func (p *orderPane) SetSize(w, h int) {
	p.fit(parcelColumns, w, h)
	p.layout()
}

// layout gives the parcels table what the summary and the gap under it
// leave, but never less than a header and one row.
func (p *orderPane) layout() {
	p.table.SetHeight(max(p.height-lipgloss.Height(p.summary())-lipgloss.Height(detailGap), minTableHeight))
}

func (p *orderPane) Reload() tea.Cmd {
	t, src, now, number := p.loads.next(), p.src, p.now, p.number
	return func() tea.Msg {
		d, err := src.Order(number)
		return orderMsg{tag: t, detail: d, now: now(), err: err}
	}
}

func (p *orderPane) Update(msg tea.Msg) (Pane, tea.Cmd) {
	switch msg := msg.(type) {
	case orderMsg:
		if p.loads.current(msg.tag) {
			p.ready, p.err, p.clock = true, msg.err, msg.now
			if msg.err == nil {
				p.detail = msg.detail
				p.sync()
				p.layout()
			}
		}
	case changedMsg:
		return p, p.Reload()
	case tickMsg:
		p.clock = msg.now
		p.sync()
	case tea.KeyPressMsg:
		if key.Matches(msg, p.keys.Open) && len(p.detail.Parcels) > 0 {
			return p, emit(openParcelMsg{from: p.id, id: p.detail.Parcels[p.table.Cursor()].ID})
		}
		var cmd tea.Cmd
		p.table, cmd = p.table.Update(msg)
		if i := p.table.Cursor(); i >= 0 && i < len(p.detail.Parcels) {
			p.selID = p.detail.Parcels[i].ID
		}
		return p, cmd
	}
	return p, nil
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
			day(pc.EstimatedDelivery), exc, pc.StatusText,
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
	var items []string
	for _, l := range o.Lines {
		items = append(items, fmt.Sprintf("%d× %s", l.Qty, l.Title))
	}
	left := fields(p.styles, p.width,
		field{"Customer", o.Customer.Name},
		field{"Email", o.Customer.Email},
		field{"Phone", o.Customer.Phone},
		field{"Ship to", strings.Join(nonEmpty(o.ShipTo.Line1, o.ShipTo.PostalCode+" "+o.ShipTo.City, o.ShipTo.Country), ", ")},
	)
	number := o.Number
	if p.detail.Archived {
		number += " · archived, finished long ago"
	}
	right := fields(p.styles, p.width,
		field{"Order", number},
		field{"Placed", stamp(o.PlacedAt)},
		field{"Items", strings.Join(items, ", ")},
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
	return lipgloss.JoinVertical(lipgloss.Left, p.summary(), detailGap, p.table.View())
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
