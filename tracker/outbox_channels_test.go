package tracker

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/wismo/wismo/store"
	"github.com/wismo/wismo/tracker/notify"
	"github.com/wismo/wismo/tracker/notify/mailbox"
)

// emailTo queues an email and returns an outbox sending email to addr
// with the desk's real SMTP sender.
func emailTo(t *testing.T, st *store.Store, clk *clock, addr string) (*Outbox, store.NotificationID) {
	t.Helper()
	n := store.Notification{Order: "1001", Trigger: "shipped", Channel: "email", To: "anna@example.com",
		Subject: "Your order 1001 is on its way", Text: "Hello Anna", QueuedAt: clk.Now()}
	if err := st.Update(func(tx *store.Tx) error { return tx.Enqueue(&n) }); err != nil {
		t.Fatal(err)
	}
	host, port, _ := net.SplitHostPort(addr)
	p, _ := strconv.Atoi(port)
	sender, err := notify.NewEmailSender(notify.EmailConfig{Host: host, Port: p, TLS: notify.TLSNone,
		From: "care@shop.example", ConnectTimeout: time.Second, SendTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return NewOutbox(st, map[notify.Channel]notify.Sender{notify.Email: sender}, clk.Now, OutboxConfig{}, nil), n.ID
}

func startBox(t *testing.T, b *mailbox.Box) *mailbox.Box {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if err := b.Start(ctx); err != nil {
		t.Fatal(err)
	}
	return b
}

// The mail server is down, then up: the message is retried and arrives
// exactly once.
func TestEmailWaitsForTheServerAndArrivesOnce(t *testing.T) {
	st := openStore(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens: the server is down
	clk := newClock(noon)
	o, id := emailTo(t, st, clk, addr)
	o.SendDue(context.Background())
	if got := notification(t, st, id); got.State != store.NotifyQueued || got.LastError == "" {
		t.Fatalf("server down: %s %q, want queued with the error", got.State, got.LastError)
	}
	box := startBox(t, &mailbox.Box{SMTPListen: addr})
	clk.Add(time.Minute)
	o.SendDue(context.Background())
	o.SendDue(context.Background())
	if got := notification(t, st, id); got.State != store.NotifySent || got.Attempts != 2 {
		t.Errorf("server up: %s after %d attempts, want sent on the second", got.State, got.Attempts)
	}
	if msgs := box.Messages(10); len(msgs) != 1 || msgs[0].Subject != "Your order 1001 is on its way" {
		t.Errorf("mailbox holds %+v, want the message once", msgs)
	}
}

// A tempfail (451) is retried; a refused mailbox (550) fails the message
// for good, with the server's reason for the agent to see.
func TestEmailTempfailRetriedRefusalFailed(t *testing.T) {
	var deferred atomic.Int32
	box := startBox(t, &mailbox.Box{RefuseMail: func(to string) *smtp.SMTPError {
		switch {
		case strings.HasPrefix(to, "gone@"):
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "mailbox unavailable"}
		case deferred.Add(1) == 1:
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
		}
		return nil
	}})
	st := openStore(t)
	clk := newClock(noon)
	o, id := emailTo(t, st, clk, box.SMTPAddr())
	gone := store.Notification{Order: "1001", Trigger: "shipped", Channel: "email", To: "gone@example.com", Text: "x", QueuedAt: noon}
	if err := st.Update(func(tx *store.Tx) error { return tx.Enqueue(&gone) }); err != nil {
		t.Fatal(err)
	}
	o.SendDue(context.Background())
	if got := notification(t, st, id); got.State != store.NotifyQueued || !strings.Contains(got.LastError, "451") {
		t.Errorf("after a 451: %s %q, want queued again", got.State, got.LastError)
	}
	if got := notification(t, st, gone.ID); got.State != store.NotifyFailed || !strings.Contains(got.LastError, "550") {
		t.Errorf("after a 550: %s %q, want failed with the reason", got.State, got.LastError)
	}
	clk.Add(time.Minute)
	o.SendDue(context.Background())
	if got := notification(t, st, id); got.State != store.NotifySent || len(box.Messages(10)) != 1 {
		t.Errorf("retry: %s, %d delivered; want sent once", got.State, len(box.Messages(10)))
	}
}

// The SMS provider answers 500, then takes the message: retried and sent;
// a 400 fails it for good.
func TestTextsRetryOn500AndFailOn400(t *testing.T) {
	var calls atomic.Int32
	provider := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.PostFormValue("To") == "+15005550001":
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"code": 21211, "message": "The 'To' number is not a valid phone number.", "status": 400}`))
		case calls.Add(1) == 1:
			w.WriteHeader(http.StatusInternalServerError)
			w.Write([]byte(`{"code": 20500, "message": "Internal Server Error", "status": 500}`))
		default:
			w.WriteHeader(http.StatusCreated)
			w.Write([]byte(`{"sid": "SM123", "status": "queued"}`))
		}
	}))
	defer provider.Close()
	sms, err := notify.NewSMSSender(notify.SMSConfig{BaseURL: provider.URL, AccountSID: "AC1", AuthToken: "tok", From: "+4915100000000"})
	if err != nil {
		t.Fatal(err)
	}
	st := openStore(t)
	ok := queue(t, st, "sms", false, noon)
	bad := store.Notification{Order: "1001", Trigger: "shipped", Channel: "sms", To: "+15005550001", Text: "x", QueuedAt: noon}
	if err := st.Update(func(tx *store.Tx) error { return tx.Enqueue(&bad) }); err != nil {
		t.Fatal(err)
	}
	clk := newClock(noon)
	o := NewOutbox(st, map[notify.Channel]notify.Sender{notify.SMS: sms}, clk.Now, OutboxConfig{}, nil)
	o.SendDue(context.Background())
	clk.Add(time.Minute)
	o.SendDue(context.Background())
	if got := notification(t, st, ok); got.State != store.NotifySent || got.ProviderID != "SM123" || got.Attempts != 2 {
		t.Errorf("after a 500: %+v, want sent with the provider's sid on the second attempt", got)
	}
	if got := notification(t, st, bad.ID); got.State != store.NotifyFailed || !strings.Contains(got.LastError, "not a valid phone number") {
		t.Errorf("a 400: %s %q, want failed with the provider's reason", got.State, got.LastError)
	}
}
