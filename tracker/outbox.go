package tracker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/store"
	"github.com/wismo/wismo/tracker/notify"
)

// OutboxConfig tunes the outbox worker. Times are in the desk's clock.
type OutboxConfig struct {
	// Every is how often (wall clock) the worker looks for due messages.
	Every time.Duration
	// Tries is how many times a temporary failure is tried before the
	// message is failed for good.
	Tries int
	// Lease is how long a message may be with a provider before a worker
	// that stopped mid-send is taken to have died and the message is sent
	// again, with the same id.
	Lease time.Duration
	// QuietFrom and QuietUntil are the customer's local hours (0–23) in
	// which automatic SMS and WhatsApp messages wait; email does not ring
	// a phone and goes at once. Both zero means the default, 21 to 8; the
	// same hour in both means no quiet hours.
	QuietFrom, QuietUntil int
}

// DefaultOutboxConfig waits out 21:00–08:00 for texts and tries eight times.
func DefaultOutboxConfig() OutboxConfig {
	return OutboxConfig{Every: time.Second, Tries: 8, Lease: 5 * time.Minute, QuietFrom: 21, QuietUntil: 8}
}

// Outbox delivers queued notifications through their channel's sender and
// records how each went: queued → sending → sent, or failed with the
// provider's error. A message is marked sending, with a lease, before it is
// handed over; if the desk stops before it is marked sent, it is due again
// when the lease ends and goes out with the same id, which the email
// Message-ID and the SMS provider's idempotency key carry, so a provider
// that honours them does not deliver it twice.
type Outbox struct {
	store   *store.Store
	senders map[notify.Channel]notify.Sender
	now     func() time.Time
	cfg     OutboxConfig
	log     *slog.Logger
}

// NewOutbox returns a worker over st sending by channel through senders.
// A nil log discards.
func NewOutbox(st *store.Store, senders map[notify.Channel]notify.Sender, now func() time.Time, cfg OutboxConfig, log *slog.Logger) *Outbox {
	d := DefaultOutboxConfig()
	cfg.Every, cfg.Tries, cfg.Lease = positive(cfg.Every, d.Every), positive(cfg.Tries, d.Tries), positive(cfg.Lease, d.Lease)
	if cfg.QuietFrom == 0 && cfg.QuietUntil == 0 {
		cfg.QuietFrom, cfg.QuietUntil = d.QuietFrom, d.QuietUntil
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Outbox{store: st, senders: senders, now: now, cfg: cfg, log: log}
}

// Run sends due messages until ctx ends.
func (o *Outbox) Run(ctx context.Context) {
	tick := time.NewTicker(o.cfg.Every)
	defer tick.Stop()
	for {
		if _, err := o.SendDue(ctx); err != nil && ctx.Err() == nil {
			o.log.Error("outbox", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// outboxBatch is how many due messages one round takes.
const outboxBatch = 64

// SendDue sends the messages due now, one after another, and returns how
// many it handed to a provider.
func (o *Outbox) SendDue(ctx context.Context) (int, error) {
	now := o.now()
	var due []store.Notification
	err := o.store.View(func(tx *store.Tx) (err error) {
		due, err = tx.NotificationsDue(now, outboxBatch)
		return err
	})
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, n := range due {
		if ctx.Err() != nil {
			return sent, ctx.Err()
		}
		handed, err := o.deliver(ctx, n, now)
		if err != nil {
			return sent, err
		}
		if handed {
			sent++
		}
	}
	return sent, nil
}

// deliver takes one due message through its states, and reports whether it
// was handed to a provider.
func (o *Outbox) deliver(ctx context.Context, n store.Notification, now time.Time) (bool, error) {
	if later := o.quietUntil(n, now); !later.IsZero() {
		n.NextAt = later
		return false, o.put(n)
	}
	sender, ok := o.senders[notify.Channel(n.Channel)]
	if !ok {
		n.State, n.LastError = store.NotifyFailed, fmt.Sprintf("no %s channel is configured", n.Channel)
		return false, o.put(n)
	}
	n.State, n.Attempts, n.NextAt = store.NotifySending, n.Attempts+1, now.Add(o.cfg.Lease)
	if err := o.put(n); err != nil {
		return false, err
	}
	id, err := sender.Send(ctx, message(n))
	if ctx.Err() != nil {
		return false, nil // stopping: the lease brings it back, same id
	}
	o.settle(&n, id, err, now)
	return true, o.put(n)
}

// settle records a send's outcome on the message.
func (o *Outbox) settle(n *store.Notification, providerID string, err error, now time.Time) {
	switch {
	case err == nil:
		n.State, n.ProviderID, n.SentAt, n.LastError = store.NotifySent, providerID, now, ""
	case errors.Is(err, notify.ErrPermanent) || n.Attempts >= o.cfg.Tries:
		n.State, n.LastError = store.NotifyFailed, err.Error()
		o.log.Warn("notification failed", "id", n.ID, "order", n.Order, "channel", n.Channel, "err", err)
	default:
		n.State, n.LastError = store.NotifyQueued, err.Error()
		n.NextAt = now.Add(sendBackoff(n.Attempts))
	}
}

// sendBackoff is the wait after the nth failed attempt: 30 s doubling, at
// most an hour.
func sendBackoff(n int) time.Duration {
	return min(30*time.Second<<min(n-1, 7), time.Hour)
}

func (o *Outbox) put(n store.Notification) error {
	return o.store.Write(func(tx *store.Tx) error { return tx.PutNotification(n) })
}

func message(n store.Notification) notify.Message {
	return notify.Message{ID: fmt.Sprintf("n%d", n.ID), Channel: notify.Channel(n.Channel), To: n.To,
		Subject: n.Subject, Text: n.Text, HTML: n.HTML}
}

// quietUntil is when an automatic text may go, if now is in the customer's
// quiet hours (read in the zone of the order's address), else zero.
func (o *Outbox) quietUntil(n store.Notification, now time.Time) time.Time {
	if !n.Automatic || n.Channel == string(notify.Email) || o.cfg.QuietFrom == o.cfg.QuietUntil {
		return time.Time{}
	}
	var to store.Address // an order that cannot be read leaves UTC
	o.store.View(func(tx *store.Tx) error {
		if ord, err := tx.Order(n.Order); err == nil {
			to = ord.ShipTo
		}
		return nil
	})
	local := now.In(carriers.ZoneOrUTC(to.Country, to.Region))
	h := local.Hour()
	quiet := h >= o.cfg.QuietFrom || h < o.cfg.QuietUntil
	if o.cfg.QuietFrom < o.cfg.QuietUntil {
		quiet = h >= o.cfg.QuietFrom && h < o.cfg.QuietUntil
	}
	if !quiet {
		return time.Time{}
	}
	end := time.Date(local.Year(), local.Month(), local.Day(), o.cfg.QuietUntil, 0, 0, 0, local.Location())
	if !end.After(local) {
		end = end.AddDate(0, 0, 1)
	}
	return end.UTC()
}
