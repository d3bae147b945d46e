package mailbox

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wismo/wismo/tracker/notify"
)

// arrival is the box's clock in the tests.
var arrival = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

func start(t *testing.T) *Box {
	t.Helper()
	b := &Box{AccountSID: "ACdemo", AuthToken: "demo-token", Now: func() time.Time { return arrival }}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if err := b.Start(ctx); err != nil {
		t.Fatal(err)
	}
	return b
}

// What the desk's real senders send arrives, readable.
func TestTheDesksSendersDeliverToTheBox(t *testing.T) {
	b := start(t)
	host, port, _ := net.SplitHostPort(b.SMTPAddr())
	p, _ := strconv.Atoi(port)
	email, err := notify.NewEmailSender(notify.EmailConfig{Host: host, Port: p, TLS: notify.TLSNone, From: "Tee & Becher <care@shop.example>"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = email.Send(context.Background(), notify.Message{ID: "n1", Channel: notify.Email, To: "anna@example.com",
		Subject: "Ihre Bestellung 1001 ist unterwegs", Text: "Hallo Anna, Grüße", HTML: "<p>Hallo Anna</p>"})
	if err != nil {
		t.Fatal(err)
	}
	sms, err := notify.NewSMSSender(notify.SMSConfig{BaseURL: b.APIURL(), AccountSID: "ACdemo", AuthToken: "demo-token",
		From: "+4915100000000", WhatsAppFrom: "+4915100000001"})
	if err != nil {
		t.Fatal(err)
	}
	for _, ch := range []notify.Channel{notify.SMS, notify.WhatsApp} {
		if _, err := sms.Send(context.Background(), notify.Message{ID: "n2" + string(ch), Channel: ch, To: "+491701234567", Text: "Paket kommt heute"}); err != nil {
			t.Fatal(err)
		}
	}
	got := b.Messages(10)
	if len(got) != 3 {
		t.Fatalf("box holds %d messages, want 3", len(got))
	}
	wa, text, mail := got[0], got[1], got[2]
	if !mail.At.Equal(arrival) {
		t.Errorf("arrival stamped %v, want the box's clock %v", mail.At, arrival)
	}
	if mail.Channel != "email" || mail.Subject != "Ihre Bestellung 1001 ist unterwegs" || !strings.Contains(mail.Body, "Grüße") ||
		!strings.Contains(mail.Header, "Message-Id: <n1@shop.example>") && !strings.Contains(mail.Header, "Message-ID: <n1@shop.example>") {
		t.Errorf("mail = %+v", mail)
	}
	if text.Channel != "sms" || text.To != "+491701234567" || text.Body != "Paket kommt heute" || wa.Channel != "whatsapp" {
		t.Errorf("texts = %+v, %+v", text, wa)
	}
}

func TestTheBoxRefusesWrongCredentials(t *testing.T) {
	b := start(t)
	sms, err := notify.NewSMSSender(notify.SMSConfig{BaseURL: b.APIURL(), AccountSID: "ACdemo", AuthToken: "wrong", From: "+4915100000000"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = sms.Send(context.Background(), notify.Message{ID: "n9", Channel: notify.SMS, To: "+491701234567", Text: "x"})
	if !errors.Is(err, notify.ErrPermanent) || len(b.Messages(10)) != 0 {
		t.Errorf("wrong token: %v, %d messages kept", err, len(b.Messages(10)))
	}
}
