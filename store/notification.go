package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"
)

// NotificationID identifies a notification in the outbox.
type NotificationID uint64

// NotificationState is where a notification is on its way out.
type NotificationState string

// The states: queued until the worker takes it, sending while a provider
// has it, then sent or failed for good.
const (
	NotifyQueued  NotificationState = "queued"
	NotifySending NotificationState = "sending"
	NotifySent    NotificationState = "sent"
	NotifyFailed  NotificationState = "failed"
)

// Notification is one message to a customer, from the moment it is decided
// until a provider took it or it failed for good. Its content is rendered
// when it is queued, so the desk shows exactly what went out.
type Notification struct {
	ID      NotificationID `json:"id"`
	Order   string         `json:"order"`
	Parcel  ParcelID       `json:"parcel,omitempty"`
	Return  string         `json:"return,omitempty"`
	Trigger string         `json:"trigger"`
	Channel string         `json:"channel"`
	Locale  string         `json:"locale,omitempty"`
	To      string         `json:"to"`
	Subject string         `json:"subject,omitempty"`
	Text    string         `json:"text"`
	HTML    string         `json:"html,omitempty"`
	// Key makes an automatic notification happen once: parcel and trigger.
	// Resends have none.
	Key   string            `json:"key,omitempty"`
	State NotificationState `json:"state"`
	// Automatic notifications wait out the customer's quiet hours; an
	// agent's resend goes at once.
	Automatic  bool      `json:"automatic,omitempty"`
	Attempts   int       `json:"attempts,omitempty"`
	NextAt     time.Time `json:"next_at"`
	LastError  string    `json:"last_error,omitempty"`
	ProviderID string    `json:"provider_id,omitempty"`
	QueuedAt   time.Time `json:"queued_at"`
	SentAt     time.Time `json:"sent_at,omitempty"`
	// ResendOf and RequestedBy say which notification an agent resent, and
	// who.
	ResendOf    NotificationID `json:"resend_of,omitempty"`
	RequestedBy string         `json:"requested_by,omitempty"`
}

// ErrDuplicate reports an automatic notification already queued under its
// key: the transition that decided it happened before.
var ErrDuplicate = errors.New("notification already queued for this parcel and trigger")

// Enqueue puts a notification in the outbox, due at n.NextAt (now, if
// zero), and sets n.ID and n.State. An automatic one whose key is taken is
// refused with ErrDuplicate: each parcel's trigger notifies once, and as
// the key is written in the transaction that made the decision, a crash
// can neither lose nor repeat it.
func (t *Tx) Enqueue(n *Notification) error {
	if n.Order == "" || n.Channel == "" || n.To == "" {
		return errors.New("notification needs an order, a channel and a recipient")
	}
	if n.Key != "" && t.bucket(bucketIdxNotifyKey).Get([]byte(n.Key)) != nil {
		return ErrDuplicate
	}
	seq, err := t.bucket(bucketNotifications).NextSequence()
	if err != nil {
		return err
	}
	n.ID, n.State = NotificationID(seq), NotifyQueued
	if n.NextAt.IsZero() {
		n.NextAt = n.QueuedAt
	}
	if n.Key != "" {
		if err := t.bucket(bucketIdxNotifyKey).Put([]byte(n.Key), u64(seq)); err != nil {
			return err
		}
	}
	if err := t.bucket(bucketIdxNotifyOrder).Put(notifyOrderKey(n.Order, n.ID), nil); err != nil {
		return err
	}
	return t.writeNotification(Notification{}, *n)
}

// Notification reads one notification.
func (t *Tx) Notification(id NotificationID) (Notification, error) {
	var n Notification
	err := t.get(bucketNotifications, u64(uint64(id)), &n)
	return n, err
}

// PutNotification writes a notification's progress, keeping the due index
// in step: only queued and sending notifications are due.
func (t *Tx) PutNotification(n Notification) error {
	old, err := t.Notification(n.ID)
	if err != nil {
		return fmt.Errorf("notification %d: %w", n.ID, err)
	}
	return t.writeNotification(old, n)
}

func (t *Tx) writeNotification(old, n Notification) error {
	idx := t.bucket(bucketIdxNotifyDue)
	if old.ID != 0 && old.due() {
		if err := idx.Delete(notifyDueKey(old)); err != nil {
			return err
		}
	}
	if n.due() {
		if err := idx.Put(notifyDueKey(n), nil); err != nil {
			return err
		}
	}
	if err := t.countNotification(old, n); err != nil {
		return err
	}
	return t.put(bucketNotifications, u64(uint64(n.ID)), n)
}

func (n Notification) due() bool { return n.State == NotifyQueued || n.State == NotifySending }

// notifyDueKey orders the due index: an agent's messages before automatic
// ones, so a resend never waits behind a burst of automatic news; then by
// time, then id.
func notifyDueKey(n Notification) []byte {
	return join([]byte{duePriority(n)}, timeKey(n.NextAt), u64(uint64(n.ID)))
}

func duePriority(n Notification) byte {
	if n.Automatic {
		return 1
	}
	return 0
}

// notifyOrderKey lists an order's notifications in the order queued.
func notifyOrderKey(order string, id NotificationID) []byte {
	return join([]byte(order), []byte{0}, u64(uint64(id)))
}

// NotificationsDue returns up to n notifications due by now: queued ones,
// and ones left sending by a worker that stopped. Agents' messages come
// first, then automatic ones, each the longest due first.
func (t *Tx) NotificationsDue(now time.Time, n int) ([]Notification, error) {
	var out []Notification
	end := timeKey(now)
	c := t.bucket(bucketIdxNotifyDue).Cursor()
	for _, prio := range []byte{0, 1} {
		for k, _ := c.Seek([]byte{prio}); k != nil && k[0] == prio && len(out) < n && bytes.Compare(k[1:9], end) <= 0; k, _ = c.Next() {
			nt, err := t.Notification(NotificationID(binary.BigEndian.Uint64(k[9:])))
			if err != nil {
				return nil, err
			}
			out = append(out, nt)
		}
	}
	return out, nil
}

// OrderNotificationsSince returns an order's notifications queued at or
// after since, newest first.
func (t *Tx) OrderNotificationsSince(order string, since time.Time) ([]Notification, error) {
	var out []Notification
	prefix := join([]byte(order), []byte{0})
	c := t.bucket(bucketIdxNotifyOrder).Cursor()
	// Ids grow with time, so the newest are at the end of the order's keys.
	k, _ := c.Seek(append(prefix, 0xff))
	if k == nil {
		k, _ = c.Last()
	} else {
		k, _ = c.Prev()
	}
	for ; bytes.HasPrefix(k, prefix); k, _ = c.Prev() {
		n, err := t.Notification(NotificationID(binary.BigEndian.Uint64(k[len(prefix):])))
		if err != nil {
			return nil, err
		}
		if n.QueuedAt.Before(since) {
			break
		}
		out = append(out, n)
	}
	return out, nil
}

// OrderNotifications returns an order's notifications, newest first: the
// log the desk shows on the order.
func (s *Store) OrderNotifications(order string) ([]Notification, error) {
	var out []Notification
	err := s.hotOrHistory(order, 0, func(tx *Tx) (err error) {
		if out, err = tx.OrderNotificationsSince(order, time.Time{}); err != nil || len(out) > 0 {
			return err
		}
		_, err = tx.Order(order) // none here: archived, if not hot
		return err
	}, func(rec archiveRecord) {
		out = slices.Clone(rec.Notifications) // oldest first as gathered
		slices.Reverse(out)
	})
	if nowhere(err) {
		return nil, nil // an order the desk never had has sent nothing
	}
	return out, err
}

// RecentNotifications returns up to n notifications, newest first, for
// the desk's outbox view.
func (s *Store) RecentNotifications(n int) ([]Notification, error) {
	var out []Notification
	err := s.View(func(tx *Tx) error {
		c := tx.bucket(bucketNotifications).Cursor()
		for k, v := c.Last(); k != nil && len(out) < n; k, v = c.Prev() {
			var nt Notification
			if err := decode(v, &nt); err != nil {
				return fmt.Errorf("notification %x: %w", k, err)
			}
			out = append(out, nt)
		}
		return nil
	})
	return out, err
}
