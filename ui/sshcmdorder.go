package ui

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/wismo/wismo/store"
)

// orderAnswer is what `order NUMBER` found: what the order pane reads,
// and each parcel's timeline, as the parcel pane reads it.
type orderAnswer struct {
	orderMsg
	events map[store.ParcelID][]store.Event // oldest first
}

// runOrder reads an order as its pane does, and its parcels' events.
func runOrder(src Source, args []string) (answer, error) {
	number := args[0]
	a := orderAnswer{orderMsg: loadOrder(src, number), events: map[store.ParcelID][]store.Event{}}
	if errors.Is(a.err, store.ErrNotFound) {
		return nil, fmt.Errorf("no order %s", oneLine(number))
	}
	if a.err != nil {
		return nil, fmt.Errorf("order %s: %w", oneLine(number), a.err)
	}
	for _, pc := range a.detail.Parcels {
		d, err := src.Parcel(pc.ID)
		if err != nil {
			return nil, fmt.Errorf("order %s, parcel %s: %w", oneLine(number), pc.TrackingNumber, err)
		}
		a.events[pc.ID] = d.Events
	}
	return a, nil
}

// The order --json document. Field names are stable; times are UTC, and
// a time not known yet is left out.
type (
	orderDoc struct {
		Number        string         `json:"number"`
		Channel       string         `json:"channel,omitempty"`
		PlacedAt      time.Time      `json:"placed_at"`
		Archived      bool           `json:"archived"`
		Customer      store.Customer `json:"customer"`
		ShipTo        store.Address  `json:"ship_to"`
		Lines         []store.Line   `json:"lines"`
		Parcels       []parcelDoc    `json:"parcels"`
		Returns       []returnDoc    `json:"returns"`
		Notifications []noteDoc      `json:"notifications"`
	}
	parcelDoc struct {
		Carrier           string          `json:"carrier"`
		TrackingNumber    string          `json:"tracking_number"`
		Service           string          `json:"service,omitempty"`
		Direction         store.Direction `json:"direction"`
		Status            store.Status    `json:"status"`
		Reason            store.Reason    `json:"reason,omitempty"`
		StatusAt          time.Time       `json:"status_at,omitzero"`
		PromisedBy        time.Time       `json:"promised_by,omitzero"`
		EstimatedDelivery time.Time       `json:"estimated_delivery,omitzero"`
		OriginalEstimate  time.Time       `json:"original_estimate,omitzero"`
		ShippedAt         time.Time       `json:"shipped_at,omitzero"`
		DeliveredAt       time.Time       `json:"delivered_at,omitzero"`
		LastEvent         *eventDoc       `json:"last_event,omitempty"`
		Exception         *exceptionDoc   `json:"exception,omitempty"`
		Events            []eventDoc      `json:"events"` // oldest first
	}
	eventDoc struct {
		Time      time.Time      `json:"time"`
		LocalTime string         `json:"local_time,omitempty"`
		Status    store.Status   `json:"status"`
		Reason    store.Reason   `json:"reason,omitempty"`
		RawCode   string         `json:"raw_code,omitempty"`
		RawText   string         `json:"raw_text,omitempty"`
		Location  store.Location `json:"location,omitzero"`
		Source    store.Source   `json:"source"`
	}
	exceptionDoc struct {
		Kind         store.ExceptionKind  `json:"kind"`
		State        store.ExceptionState `json:"state"`
		OpenedAt     time.Time            `json:"opened_at"`
		SnoozedUntil time.Time            `json:"snoozed_until,omitzero"`
		Assignee     string               `json:"assignee,omitempty"`
		Detail       string               `json:"detail,omitempty"`
	}
	returnDoc struct {
		RMA    string            `json:"rma"`
		State  store.ReturnState `json:"state"`
		Reason string            `json:"reason,omitempty"`
		Lines  []store.Line      `json:"lines,omitempty"`
		// RefundMinor is the refund in the currency's minor units (cents).
		RefundMinor int64              `json:"refund_minor,omitempty"`
		Currency    string             `json:"currency,omitempty"`
		RefundedAt  time.Time          `json:"refunded_at,omitzero"`
		CreatedAt   time.Time          `json:"created_at"`
		History     []store.ReturnStep `json:"history,omitempty"`
	}
	noteDoc struct {
		ID          store.NotificationID    `json:"id"`
		Trigger     string                  `json:"trigger"`
		Channel     string                  `json:"channel"`
		To          string                  `json:"to"`
		State       store.NotificationState `json:"state"`
		Subject     string                  `json:"subject,omitempty"`
		Attempts    int                     `json:"attempts"`
		LastError   string                  `json:"last_error,omitempty"`
		QueuedAt    time.Time               `json:"queued_at"`
		SentAt      time.Time               `json:"sent_at,omitzero"`
		RequestedBy string                  `json:"requested_by,omitempty"`
		ResendOf    store.NotificationID    `json:"resend_of,omitempty"`
	}
)

func (a orderAnswer) doc() any {
	o := a.detail.Order
	d := orderDoc{Number: o.Number, Channel: o.Channel, PlacedAt: o.PlacedAt.UTC(), Archived: a.detail.Archived,
		Customer: o.Customer, ShipTo: o.ShipTo, Lines: nonNil(o.Lines),
		Parcels: []parcelDoc{}, Returns: []returnDoc{}, Notifications: []noteDoc{}}
	for _, pc := range a.detail.Parcels {
		d.Parcels = append(d.Parcels, a.parcelDoc(pc))
	}
	for _, r := range a.returns {
		steps := slices.Clone(r.History)
		for i := range steps {
			steps[i].At = steps[i].At.UTC()
		}
		d.Returns = append(d.Returns, returnDoc{RMA: r.RMA, State: r.State, Reason: r.Reason, Lines: r.Lines,
			RefundMinor: r.RefundAmount, Currency: r.Currency, RefundedAt: r.RefundedAt.UTC(),
			CreatedAt: r.CreatedAt.UTC(), History: steps})
	}
	for _, n := range a.notes {
		d.Notifications = append(d.Notifications, noteDoc{ID: n.ID, Trigger: n.Trigger, Channel: n.Channel, To: n.To,
			State: n.State, Subject: n.Subject, Attempts: n.Attempts, LastError: n.LastError,
			QueuedAt: n.QueuedAt.UTC(), SentAt: n.SentAt.UTC(), RequestedBy: n.RequestedBy, ResendOf: n.ResendOf})
	}
	return d
}

func (a orderAnswer) parcelDoc(pc store.Parcel) parcelDoc {
	d := parcelDoc{Carrier: pc.Carrier, TrackingNumber: pc.TrackingNumber, Service: pc.Service,
		Direction: pc.Direction, Status: pc.Status, Reason: pc.Reason, StatusAt: pc.StatusAt.UTC(),
		PromisedBy: pc.PromisedBy.UTC(), EstimatedDelivery: pc.EstimatedDelivery.UTC(),
		OriginalEstimate: pc.OriginalEstimate.UTC(), ShippedAt: pc.ShippedAt.UTC(),
		DeliveredAt: pc.DeliveredAt.UTC(), Events: []eventDoc{}}
	for _, e := range a.events[pc.ID] {
		d.Events = append(d.Events, eventDoc{Time: e.Time.UTC(), LocalTime: e.LocalTime, Status: e.Status,
			Reason: e.Reason, RawCode: e.RawCode, RawText: e.RawText, Location: e.Location, Source: e.Source})
	}
	if n := len(d.Events); n > 0 {
		d.LastEvent = &d.Events[n-1]
	}
	if e, ok := a.detail.Exceptions[pc.ID]; ok {
		d.Exception = &exceptionDoc{Kind: e.Kind, State: e.State, OpenedAt: e.OpenedAt.UTC(),
			SnoozedUntil: e.SnoozedUntil.UTC(), Assignee: e.Assignee, Detail: e.Detail}
	}
	return d
}

// nonNil is s, or an empty list for none: JSON says [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func (a orderAnswer) text(w io.Writer) {
	o := a.detail.Order
	title := "Order " + o.Number
	if a.detail.Archived {
		title += " · archived, finished long ago"
	}
	fmt.Fprintln(w, oneLine(title))
	writeTable(w, nil, [][]string{
		{"Placed", stamp(o.PlacedAt)},
		{"Customer", strings.Join(nonEmpty(o.Customer.Name, o.Customer.Email, o.Customer.Phone), " · ")},
		{"Ship to", shipTo(o.ShipTo)},
		{"Items", items(o.Lines)},
	})
	writeSection(w, fmt.Sprintf("Parcels (%d)", len(a.detail.Parcels)),
		[]string{"VIA", "TRACKING", "STATUS", "SINCE", "ETA", "EXCEPTION", "LAST SCAN"}, a.parcelRows())
	for _, pc := range a.detail.Parcels {
		events := a.events[pc.ID]
		rows := make([][]string, len(events))
		for i, e := range events {
			rows[len(events)-1-i] = eventCells(e)
		}
		writeSection(w, fmt.Sprintf("Events of %s %s (%d), newest first", pc.Carrier, pc.TrackingNumber, len(events)),
			columnTitles(timelineColumns), rows)
	}
	writeSection(w, fmt.Sprintf("Returns (%d)", len(a.returns)),
		[]string{"RMA", "STATE", "REASON", "REFUND", "REFUNDED", "HISTORY"}, a.returnRows())
	rows := make([][]string, len(a.notes))
	for i, n := range a.notes {
		rows[i] = noteCells(n, string(n.State))
	}
	writeSection(w, fmt.Sprintf("Notifications (%d)", len(a.notes)), columnTitles(logColumns), rows)
}

// writeSection writes a titled table after a blank line; the table only
// when it has rows.
func writeSection(w io.Writer, title string, header []string, rows [][]string) {
	fmt.Fprintln(w)
	fmt.Fprintln(w, oneLine(title))
	if len(rows) > 0 {
		writeTable(w, header, rows)
	}
}

// parcelRows are the parcels with their status, exception and last scan.
func (a orderAnswer) parcelRows() [][]string {
	rows := make([][]string, len(a.detail.Parcels))
	for i, pc := range a.detail.Parcels {
		exc := ""
		if e, ok := a.detail.Exceptions[pc.ID]; ok {
			exc = kindLabel(e.Kind) + " (" + exceptionState(e) + ")"
		}
		rows[i] = []string{pc.Carrier, pc.TrackingNumber, statusLabel(pc.Status, pc.Reason), shortStamp(pc.StatusAt),
			eta(pc), exc, lastScan(a.events[pc.ID])}
	}
	return rows
}

// lastScan is a parcel's latest event: when, where and what.
func lastScan(events []store.Event) string {
	if len(events) == 0 {
		return "—"
	}
	e := events[len(events)-1]
	return strings.Join(nonEmpty(shortStamp(e.Time), e.Location.City, e.RawText), " · ")
}

// returnRows are the returns with their refunds and the steps they took.
func (a orderAnswer) returnRows() [][]string {
	rows := make([][]string, len(a.returns))
	for i, r := range a.returns {
		refund := ""
		if r.RefundAmount != 0 {
			refund = money(r.RefundAmount, r.Currency)
		}
		steps := strings.TrimPrefix(history(r.History, math.MaxInt), "  · ")
		rows[i] = []string{r.RMA, humanize(string(r.State)), r.Reason, refund, day(r.RefundedAt), steps}
	}
	return rows
}
