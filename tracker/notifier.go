package tracker

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/wismo/wismo/store"
	"github.com/wismo/wismo/tracker/notify"
)

// Notifier is what the tracker needs to tell customers on its own.
type Notifier struct {
	Templates *notify.Templates
	// Shop is the shop's name, the sender customers recognise.
	Shop string
	// Channels are the channels automatic messages go by, each when the
	// order has an address for it (an email, a phone in +country form).
	// Empty means email only.
	Channels []notify.Channel
}

// Notify has the tracker queue customer notifications on parcel and return
// transitions, in the transaction that records the transition. Call it
// before Run.
func (t *Tracker) Notify(n Notifier) {
	if len(n.Channels) == 0 {
		n.Channels = []notify.Channel{notify.Email}
	}
	t.notifier = &n
}

// parcelTrigger is what a parcel's change tells its customer, if anything:
// shipped on its first scan in transit, then out for delivery, waiting for
// pickup, delivered, or a problem; a delay when the carrier's ETA slips a
// day past the promised date. Only parcels going to the customer notify.
func parcelTrigger(before, after store.Parcel) (notify.Trigger, bool) {
	if after.Direction == store.Inbound {
		return "", false
	}
	if after.Status != before.Status {
		switch after.Status {
		case store.StatusInTransit:
			return notify.Shipped, before.ShippedAt.IsZero()
		case store.StatusOutForDelivery:
			return notify.OutForDelivery, true
		case store.StatusAvailableForPickup:
			return notify.AvailableForPickup, true
		case store.StatusDelivered:
			return notify.Delivered, true
		case store.StatusAttemptFailed, store.StatusException:
			return notify.Exception, true
		}
	}
	if late(after) && !late(before) && !after.Status.Terminal() {
		return notify.Delay, true
	}
	return "", false
}

// late reports an ETA more than a day past the promised date.
func late(p store.Parcel) bool {
	return !p.PromisedBy.IsZero() && p.EstimatedDelivery.After(p.PromisedBy.Add(24*time.Hour))
}

// returnTrigger is what a return's new state tells its customer.
func returnTrigger(state store.ReturnState) (notify.Trigger, bool) {
	switch state {
	case store.ReturnReceived:
		return notify.ReturnReceived, true
	case store.ReturnRefunded:
		return notify.RefundIssued, true
	}
	return "", false
}

// notifyParcel queues a parcel's trigger on every channel the order can be
// reached by, once per parcel, trigger and channel.
func (t *Tracker) notifyParcel(tx *store.Tx, p store.Parcel, trigger notify.Trigger, now time.Time) error {
	o, err := tx.Order(p.Order)
	if err != nil {
		return fmt.Errorf("order %s: %w", p.Order, err)
	}
	d := t.orderData(o)
	d.Carrier, d.TrackingNumber, d.TrackingURL = carrierName(p.Carrier), p.TrackingNumber, TrackingURL(p.Carrier, p.TrackingNumber)
	d.Status, d.ETA = p.StatusText, p.EstimatedDelivery
	if d.ETA.IsZero() {
		d.ETA = p.PromisedBy
	}
	base := store.Notification{Order: o.Number, Parcel: p.ID, Trigger: string(trigger), Automatic: true, QueuedAt: now}
	return t.enqueueAll(tx, o, base, fmt.Sprintf("parcel %d", p.ID), trigger, d)
}

// notifyReturn queues a return's trigger, once per return, trigger and
// channel.
func (t *Tracker) notifyReturn(tx *store.Tx, r store.Return, trigger notify.Trigger, now time.Time) error {
	o, err := tx.Order(r.Order)
	if err != nil {
		return fmt.Errorf("order %s: %w", r.Order, err)
	}
	d := t.orderData(o)
	d.RMA, d.Refund = r.RMA, notify.Money{Minor: r.RefundAmount, Currency: r.Currency}
	d.Items = items(r.Lines)
	base := store.Notification{Order: o.Number, Return: r.RMA, Trigger: string(trigger), Automatic: true, QueuedAt: now}
	return t.enqueueAll(tx, o, base, "return "+r.RMA, trigger, d)
}

func (t *Tracker) orderData(o store.Order) notify.Data {
	return notify.Data{OrderNumber: o.Number, CustomerName: o.Customer.Name, Shop: t.notifier.Shop, Items: items(o.Lines)}
}

func items(lines []store.Line) []notify.Item {
	out := make([]notify.Item, len(lines))
	for i, l := range lines {
		out[i] = notify.Item{Title: l.Title, Qty: l.Qty}
	}
	return out
}

// enqueueAll renders and queues one notification per channel the order has
// an address for. A message already queued under its key is the same
// transition seen again and is skipped. A template that will not render is
// logged rather than failing the carrier's news with it.
func (t *Tracker) enqueueAll(tx *store.Tx, o store.Order, n store.Notification, subject string, trigger notify.Trigger, d notify.Data) error {
	for _, ch := range t.notifier.Channels {
		to, ok := Recipient(o.Customer, ch)
		if !ok {
			continue
		}
		m, err := t.notifier.Templates.Render(trigger, ch, o.Customer.Locale, d)
		if err != nil {
			t.log.Error("notification not rendered", "order", o.Number, "trigger", trigger, "channel", ch, "err", err)
			continue
		}
		n := n
		n.Channel, n.Locale, n.To = string(ch), o.Customer.Locale, to
		n.Subject, n.Text, n.HTML = m.Subject, m.Text, m.HTML
		n.Key = fmt.Sprintf("%s|%s|%s", subject, trigger, ch)
		if err := tx.Enqueue(&n); err != nil && !errors.Is(err, store.ErrDuplicate) {
			return err
		}
	}
	return nil
}

// Recipient is the order's address for a channel: its email, or its phone
// in E.164 form (spaces, dashes, dots and brackets dropped). A phone
// without its country code cannot be texted and gives none.
func Recipient(c store.Customer, ch notify.Channel) (string, bool) {
	if ch == notify.Email {
		return c.Email, notify.ValidEmail(c.Email)
	}
	phone := strings.Map(func(r rune) rune {
		if strings.ContainsRune(" -.()/", r) {
			return -1
		}
		return r
	}, c.Phone)
	return phone, notify.ValidPhone(phone)
}

// carrierNames are how customers know the carriers wismo names in lower
// case.
var carrierNames = map[string]string{"dhl": "DHL", "ups": "UPS", "fedex": "FedEx", "usps": "USPS", "dpd": "DPD", "gls": "GLS"}

func carrierName(c string) string {
	if n, ok := carrierNames[c]; ok {
		return n
	}
	return c
}

// trackingPages are the carriers' public tracking pages, the number
// appended.
var trackingPages = map[string]string{
	"dhl":   "https://www.dhl.com/global-en/home/tracking.html?tracking-id=",
	"ups":   "https://www.ups.com/track?tracknum=",
	"fedex": "https://www.fedex.com/fedextrack/?trknbr=",
	"usps":  "https://tools.usps.com/go/TrackConfirmAction?tLabels=",
	"dpd":   "https://tracking.dpd.de/status/en_US/parcel/",
	"gls":   "https://gls-group.com/track/",
}

// TrackingURL is the carrier's public page for a parcel, empty when wismo
// knows none.
func TrackingURL(carrier, number string) string {
	page, ok := trackingPages[carrier]
	if !ok {
		return ""
	}
	return page + number
}
