package tracker

import (
	"errors"
	"fmt"
	"time"

	"github.com/wismo/wismo/store"
	"github.com/wismo/wismo/tracker/notify"
)

// Resend is an agent's request to send a notification again.
type Resend struct {
	Order   string
	Parcel  store.ParcelID // zero for an order-wide or return message
	Return  string
	Trigger notify.Trigger
	Channel notify.Channel
	To      string
	// Of is the notification resent, if the agent picked one.
	Of store.NotificationID
	// Agent is who asked; it goes in the audit log and on the message.
	Agent string
	// Confirmed sends it even if the same message went to the same
	// recipient within the last minute.
	Confirmed bool
}

// ErrRecentlySent reports that the same message went to the same recipient
// within a minute: the agent is asked to confirm before it goes again.
var ErrRecentlySent = errors.New("the same message went to this recipient less than a minute ago")

// resendWindow is how recent an identical message must be to ask again.
const resendWindow = time.Minute

// Resend queues a notification an agent asked for, rendered now in the
// customer's locale, and records it in the audit log in the same
// transaction. It goes at once, quiet hours or not: the agent decided.
func (t *Tracker) Resend(r Resend) (store.Notification, error) {
	if t.notifier == nil {
		return store.Notification{}, errors.New("this desk sends no notifications: none are configured")
	}
	if err := checkRecipient(r.Channel, r.To); err != nil {
		return store.Notification{}, err
	}
	now := t.now()
	var n store.Notification
	err := t.store.Write(func(tx *store.Tx) error {
		o, err := tx.Order(r.Order)
		if err != nil {
			return fmt.Errorf("order %s: %w", r.Order, err)
		}
		if !r.Confirmed && sentLately(tx, r, now) {
			return ErrRecentlySent
		}
		d, err := t.resendData(tx, o, r)
		if err != nil {
			return err
		}
		m, err := t.notifier.Templates.Render(r.Trigger, r.Channel, o.Customer.Locale, d)
		if err != nil {
			return err
		}
		n = store.Notification{Order: o.Number, Parcel: r.Parcel, Return: r.Return, Trigger: string(r.Trigger),
			Channel: string(r.Channel), Locale: o.Customer.Locale, To: r.To, Subject: m.Subject, Text: m.Text, HTML: m.HTML,
			QueuedAt: now, ResendOf: r.Of, RequestedBy: r.Agent}
		if err := tx.Enqueue(&n); err != nil {
			return err
		}
		return tx.Audit(store.AuditEntry{At: now, Agent: r.Agent, Action: "resend", Target: "order " + o.Number,
			Order: o.Number, Parcel: r.Parcel,
			Detail: fmt.Sprintf("%s by %s to %s (notification %d)", r.Trigger, r.Channel, r.To, n.ID)})
	})
	return n, err
}

// checkRecipient refuses an address the channel cannot deliver to.
func checkRecipient(ch notify.Channel, to string) error {
	switch ch {
	case notify.Email:
		if !notify.ValidEmail(to) {
			return fmt.Errorf("%q is not an email address", to)
		}
	case notify.SMS, notify.WhatsApp:
		if !notify.ValidPhone(to) {
			return fmt.Errorf("%q is not a phone number in +country form, such as +491701234567", to)
		}
	default:
		return fmt.Errorf("unknown channel %q", ch)
	}
	return nil
}

// sentLately reports whether the same trigger went by the same channel to
// the same recipient for the order within resendWindow.
func sentLately(tx *store.Tx, r Resend, now time.Time) bool {
	lately, _ := tx.OrderNotificationsSince(r.Order, now.Add(-resendWindow))
	for _, n := range lately {
		if n.Trigger == string(r.Trigger) && n.Channel == string(r.Channel) && n.To == r.To && n.Parcel == r.Parcel {
			return true
		}
	}
	return false
}

// resendData fills a template's data from the order and, when one is
// named, its parcel or return.
func (t *Tracker) resendData(tx *store.Tx, o store.Order, r Resend) (notify.Data, error) {
	d := t.orderData(o)
	if r.Parcel != 0 {
		p, err := tx.Parcel(r.Parcel)
		if err != nil {
			return d, fmt.Errorf("parcel %d: %w", r.Parcel, err)
		}
		d.Carrier, d.TrackingNumber, d.TrackingURL = carrierName(p.Carrier), p.TrackingNumber, TrackingURL(p.Carrier, p.TrackingNumber)
		d.Status, d.ETA = p.StatusText, p.EstimatedDelivery
		if d.ETA.IsZero() {
			d.ETA = p.PromisedBy
		}
	}
	if r.Return != "" {
		ret, err := tx.Return(r.Return)
		if err != nil {
			return d, fmt.Errorf("return %s: %w", r.Return, err)
		}
		d.RMA, d.Refund, d.Items = ret.RMA, notify.Money{Minor: ret.RefundAmount, Currency: ret.Currency}, items(ret.Lines)
	}
	return d, nil
}
