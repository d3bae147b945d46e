package tracker

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wismo/wismo/store"
	"github.com/wismo/wismo/tracker/notify"
)

// provider is a message provider a test scripts: the nth send gets errs[n]
// (nil: accepted). Like a provider honouring idempotency keys, it delivers
// a message id once however often it is sent.
type provider struct {
	mu        sync.Mutex
	errs      []error
	sends     int
	delivered map[string]notify.Message
	// block makes Send wait for its context to end, then accept: a
	// provider that took the message while the desk was going down.
	block bool
}

func (p *provider) Send(ctx context.Context, m notify.Message) (string, error) {
	if p.block {
		<-ctx.Done()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	n := p.sends
	p.sends++
	if n < len(p.errs) && p.errs[n] != nil {
		return "", p.errs[n]
	}
	if p.delivered == nil {
		p.delivered = map[string]notify.Message{}
	}
	p.delivered[m.ID] = m
	return "prov-" + m.ID, nil
}

// queue stores an order shipping to Berlin and queues one notification on it.
func queue(t *testing.T, st *store.Store, channel string, automatic bool, at time.Time) store.NotificationID {
	t.Helper()
	n := store.Notification{Order: "1001", Trigger: "shipped", Channel: channel, To: "+491701234567",
		Text: "Your parcel is on its way", Automatic: automatic, QueuedAt: at}
	err := st.Update(func(tx *store.Tx) error {
		if _, err := tx.Order("1001"); errors.Is(err, store.ErrNotFound) {
			if err := tx.PutOrder(store.Order{Number: "1001", ShipTo: store.Address{City: "Berlin", Country: "DE"}}); err != nil {
				return err
			}
		}
		return tx.Enqueue(&n)
	})
	if err != nil {
		t.Fatal(err)
	}
	return n.ID
}

func notification(t *testing.T, st *store.Store, id store.NotificationID) store.Notification {
	t.Helper()
	var n store.Notification
	if err := st.View(func(tx *store.Tx) (err error) { n, err = tx.Notification(id); return err }); err != nil {
		t.Fatal(err)
	}
	return n
}

// noon is 13:00 in Berlin: outside quiet hours.
var noon = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

func TestOutboxSendsAndRecordsTheProvidersID(t *testing.T) {
	st := openStore(t)
	id := queue(t, st, "sms", true, noon)
	p := &provider{}
	o := NewOutbox(st, map[notify.Channel]notify.Sender{notify.SMS: p}, newClock(noon).Now, OutboxConfig{}, nil)
	if n, err := o.SendDue(context.Background()); n != 1 || err != nil {
		t.Fatalf("SendDue = %d, %v", n, err)
	}
	got := notification(t, st, id)
	if got.State != store.NotifySent || got.ProviderID != fmt.Sprintf("prov-n%d", id) || got.Attempts != 1 || !got.SentAt.Equal(noon) {
		t.Errorf("notification = %+v, want sent with the provider's id", got)
	}
	if n, _ := o.SendDue(context.Background()); n != 0 {
		t.Errorf("a sent notification was sent again (%d)", n)
	}
}

func TestOutboxRetriesTemporaryFailuresThenGivesUp(t *testing.T) {
	st := openStore(t)
	id := queue(t, st, "sms", false, noon)
	busy := errors.New("provider busy")
	p := &provider{errs: []error{busy, busy, busy}}
	clk := newClock(noon)
	o := NewOutbox(st, map[notify.Channel]notify.Sender{notify.SMS: p}, clk.Now, OutboxConfig{Tries: 3}, nil)
	o.SendDue(context.Background())
	got := notification(t, st, id)
	if got.State != store.NotifyQueued || got.LastError != "provider busy" || !got.NextAt.Equal(noon.Add(30*time.Second)) {
		t.Fatalf("after a temporary failure: %+v; want queued again in 30 s", got)
	}
	if n, _ := o.SendDue(context.Background()); n != 0 {
		t.Error("a message was retried before its backoff ended")
	}
	for range 2 {
		clk.Add(time.Hour)
		o.SendDue(context.Background())
	}
	if got := notification(t, st, id); got.State != store.NotifyFailed || got.Attempts != 3 {
		t.Errorf("after %d tries: %+v; want failed", got.Attempts, got)
	}
}

func TestOutboxFailsPermanentErrorsAtOnce(t *testing.T) {
	st := openStore(t)
	refused := queue(t, st, "sms", false, noon)
	nowhere := queue(t, st, "whatsapp", false, noon)
	p := &provider{errs: []error{fmt.Errorf("HTTP 400: invalid 'To' number: %w", notify.ErrPermanent)}}
	o := NewOutbox(st, map[notify.Channel]notify.Sender{notify.SMS: p}, newClock(noon).Now, OutboxConfig{}, nil)
	o.SendDue(context.Background())
	if got := notification(t, st, refused); got.State != store.NotifyFailed || !strings.Contains(got.LastError, "invalid 'To'") {
		t.Errorf("refused: %+v; want failed with the provider's reason", got)
	}
	if got := notification(t, st, nowhere); got.State != store.NotifyFailed || !strings.Contains(got.LastError, "no whatsapp channel") {
		t.Errorf("no channel: %+v; want failed naming the missing channel", got)
	}
}

// The desk stops while a provider has a message: it was accepted but never
// marked sent. After the lease it goes again with the same id, and a
// provider that honours the id delivers it once.
func TestOutboxRecoversAMessageCaughtMidSend(t *testing.T) {
	st := openStore(t)
	id := queue(t, st, "sms", false, noon)
	p := &provider{block: true}
	clk := newClock(noon)
	o := NewOutbox(st, map[notify.Channel]notify.Sender{notify.SMS: p}, clk.Now, OutboxConfig{Lease: 5 * time.Minute}, nil)
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); o.SendDue(ctx) }()
	for notification(t, st, id).State != store.NotifySending {
		time.Sleep(time.Millisecond)
	}
	stop()
	<-done
	if got := notification(t, st, id); got.State != store.NotifySending {
		t.Fatalf("after the stop: %s, want still sending", got.State)
	}
	p.block = false
	restarted := NewOutbox(st, map[notify.Channel]notify.Sender{notify.SMS: p}, clk.Now, OutboxConfig{Lease: 5 * time.Minute}, nil)
	if n, _ := restarted.SendDue(context.Background()); n != 0 {
		t.Error("the message went again before its lease ended")
	}
	clk.Add(6 * time.Minute)
	restarted.SendDue(context.Background())
	if got := notification(t, st, id); got.State != store.NotifySent || p.sends != 2 || len(p.delivered) != 1 {
		t.Errorf("state %s after %d sends, %d delivered; want sent, two sends of one id, one message", got.State, p.sends, len(p.delivered))
	}
}

func TestAutomaticTextsWaitOutQuietHours(t *testing.T) {
	st := openStore(t)
	late := time.Date(2026, 11, 24, 22, 30, 0, 0, time.UTC) // 23:30 in Berlin
	text := queue(t, st, "sms", true, late)
	mail := queue(t, st, "email", true, late)
	resend := queue(t, st, "sms", false, late)
	p := &provider{}
	o := NewOutbox(st, map[notify.Channel]notify.Sender{notify.SMS: p, notify.Email: p}, newClock(late).Now, OutboxConfig{}, nil)
	o.SendDue(context.Background())
	morning := time.Date(2026, 11, 25, 7, 0, 0, 0, time.UTC) // 08:00 in Berlin
	if got := notification(t, st, text); got.State != store.NotifyQueued || !got.NextAt.Equal(morning) {
		t.Errorf("automatic SMS at 23:30: %s, next %v; want queued until 08:00 Berlin", got.State, got.NextAt)
	}
	for _, id := range []store.NotificationID{mail, resend} {
		if got := notification(t, st, id); got.State != store.NotifySent {
			t.Errorf("%s (automatic %v): %s, want sent at once", got.Channel, got.Automatic, got.State)
		}
	}
}
