package notify

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// newEmail is a sender for srv with the test's changes to its config.
func newEmail(t *testing.T, srv *mailServer, change func(*EmailConfig)) *EmailSender {
	t.Helper()
	cfg := EmailConfig{
		Host: srv.host, Port: srv.port, TLS: TLSNone,
		From:        "Shop Care <care@shop.example>",
		SendTimeout: 5 * time.Second,
	}
	if change != nil {
		change(&cfg)
	}
	s, err := NewEmailSender(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func shippedMail() Message {
	return Message{
		ID: "01JOUTBOX42", Channel: Email, To: "ann@example.org",
		Subject: "Your order 1042 is on its way — grüße",
		Text:    "Hello Ann, your parcel has shipped.",
		HTML:    "<p>Hello Ann, your <b>parcel</b> has shipped.</p>",
	}
}

func TestEmailDeliversBothPartsWithAStableMessageID(t *testing.T) {
	srv := startMailServer(t, &mailServer{}, nil)
	s := newEmail(t, srv, nil)
	m := shippedMail()
	first, err := s.Send(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.Send(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	if want := "<01JOUTBOX42@shop.example>"; first != want || again != want {
		t.Fatalf("provider ids %q, %q, want %q twice", first, again, want)
	}
	got := srv.messages()
	if len(got) != 2 {
		t.Fatalf("server took %d messages, want 2", len(got))
	}
	for _, raw := range got {
		checkShippedMail(t, raw, m, first)
	}
}

// checkShippedMail parses raw as the server received it and compares it
// with m.
func checkShippedMail(t *testing.T, raw []byte, m Message, msgID string) {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	from, err := msg.Header.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Name != "Shop Care" || from[0].Address != "care@shop.example" {
		t.Errorf("From = %v (%v)", from, err)
	}
	if to, err := msg.Header.AddressList("To"); err != nil || len(to) != 1 || to[0].Address != m.To {
		t.Errorf("To = %v (%v)", to, err)
	}
	if subj, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); err != nil || subj != m.Subject {
		t.Errorf("Subject = %q (%v), want %q", subj, err, m.Subject)
	}
	if got := msg.Header.Get("Message-ID"); got != msgID {
		t.Errorf("Message-ID = %q, want %q", got, msgID)
	}
	parts := readParts(t, msg)
	if parts["text/plain"] != m.Text || parts["text/html"] != m.HTML || len(parts) != 2 {
		t.Errorf("parts = %q", parts)
	}
}

// readParts is the decoded body of each part of a multipart/alternative
// message, by media type.
func readParts(t *testing.T, msg *mail.Message) map[string]string {
	t.Helper()
	media, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || media != "multipart/alternative" {
		t.Fatalf("Content-Type %q (%v), want multipart/alternative", media, err)
	}
	parts := map[string]string{}
	r := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := r.NextPart()
		if errors.Is(err, io.EOF) {
			return parts
		}
		if err != nil {
			t.Fatal(err)
		}
		media, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		body, err := io.ReadAll(p)
		if err != nil {
			t.Fatal(err)
		}
		parts[media] = strings.TrimRight(string(body), "\r\n")
	}
}

func TestEmailWithoutHTMLIsOnePlainPart(t *testing.T) {
	srv := startMailServer(t, &mailServer{}, nil)
	m := shippedMail()
	m.HTML = ""
	if _, err := newEmail(t, srv, nil).Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(srv.messages()[0]))
	if err != nil {
		t.Fatal(err)
	}
	if media, _, _ := mime.ParseMediaType(msg.Header.Get("Content-Type")); media != "text/plain" {
		t.Errorf("Content-Type %q, want text/plain", media)
	}
}

func TestEmailMessageIDKeepsAnyIDValidAndDistinct(t *testing.T) {
	for id, want := range map[string]string{
		"01JOUTBOX42": "01JOUTBOX42@shop.example",
		"a b@c<d>":    "a=20b=40c=3Cd=3E@shop.example",
		"x=20":        "x=3D20@shop.example",
		"order.1042":  "order=2E1042@shop.example",
	} {
		if got := messageID(id, "shop.example"); got != want {
			t.Errorf("messageID(%q) = %q, want %q", id, got, want)
		}
	}
}

func TestEmailServerDownIsTemporary(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := &mailServer{host: "127.0.0.1", port: l.Addr().(*net.TCPAddr).Port}
	_ = l.Close()
	_, err = newEmail(t, down, nil).Send(context.Background(), shippedMail())
	if err == nil || errors.Is(err, ErrPermanent) {
		t.Fatalf("err = %v, want a temporary error", err)
	}
}

func TestEmailReplyCodesDecideWhetherToRetry(t *testing.T) {
	tempfail := func(code int, msg string) *smtp.SMTPError {
		return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{code / 100, 0, 0}, Message: msg}
	}
	for name, tc := range map[string]struct {
		srv       *mailServer
		permanent bool
	}{
		"421 at greeting":         {&mailServer{helloErr: tempfail(421, "too busy")}, false},
		"450 at RCPT":             {&mailServer{rcptErr: tempfail(450, "mailbox busy")}, false},
		"451 after DATA":          {&mailServer{dataErr: tempfail(451, "local error")}, false},
		"550 mailbox unavailable": {&mailServer{rcptErr: tempfail(550, "no such user")}, true},
		"553 mailbox name":        {&mailServer{rcptErr: tempfail(553, "mailbox name not allowed")}, true},
		"554 after DATA":          {&mailServer{dataErr: tempfail(554, "rejected as spam")}, true},
	} {
		t.Run(name, func(t *testing.T) {
			srv := startMailServer(t, tc.srv, nil)
			_, err := newEmail(t, srv, nil).Send(context.Background(), shippedMail())
			if err == nil {
				t.Fatal("sent, want an error")
			}
			if got := errors.Is(err, ErrPermanent); got != tc.permanent {
				t.Errorf("permanent = %v, want %v: %v", got, tc.permanent, err)
			}
			if len(srv.messages()) != 0 {
				t.Error("the server kept the message")
			}
		})
	}
}

func TestEmailRefusesABadRecipientWithoutConnecting(t *testing.T) {
	srv := startMailServer(t, &mailServer{}, nil)
	s := newEmail(t, srv, nil)
	for _, to := range []string{"", "ann", "Ann <ann@example.org>", "ann@", "ann@exa mple.org", "+491701234567"} {
		m := shippedMail()
		m.To = to
		if _, err := s.Send(context.Background(), m); !errors.Is(err, ErrPermanent) {
			t.Errorf("To %q: err = %v, want ErrPermanent", to, err)
		}
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if srv.sessions != 0 {
		t.Errorf("%d sessions, want none", srv.sessions)
	}
}

func TestEmailSendTimeoutStopsASilentServer(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() { // accepts and never greets
		c, err := l.Accept()
		if err == nil {
			defer c.Close()
			_, _ = io.Copy(io.Discard, c)
		}
	}()
	silent := &mailServer{host: "127.0.0.1", port: l.Addr().(*net.TCPAddr).Port}
	s := newEmail(t, silent, func(c *EmailConfig) { c.SendTimeout = 200 * time.Millisecond })
	start := time.Now()
	_, err = s.Send(context.Background(), shippedMail())
	if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrPermanent) {
		t.Fatalf("err = %v, want a temporary deadline error", err)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("took %v, want about the 200ms send timeout", took)
	}
}

func TestEmailLogsInOverTLSTrustingTheGivenCA(t *testing.T) {
	serverTLS, pool := selfSigned(t)
	for _, mode := range []TLSMode{TLSStartTLS, TLSImplicit} {
		t.Run(string(mode), func(t *testing.T) {
			srv := &mailServer{user: "desk", pass: "s3cret-pass", implicitTLS: mode == TLSImplicit}
			startMailServer(t, srv, serverTLS)
			s := newEmail(t, srv, func(c *EmailConfig) {
				c.TLS, c.RootCAs = mode, pool
				c.Username, c.Password = "desk", "s3cret-pass"
			})
			if _, err := s.Send(context.Background(), shippedMail()); err != nil {
				t.Fatal(err)
			}
			if len(srv.messages()) != 1 {
				t.Fatalf("server took %d messages, want 1", len(srv.messages()))
			}
		})
	}
}

func TestEmailWrongPasswordFailsWithoutSayingIt(t *testing.T) {
	serverTLS, pool := selfSigned(t)
	srv := startMailServer(t, &mailServer{user: "desk", pass: "s3cret-pass"}, serverTLS)
	s := newEmail(t, srv, func(c *EmailConfig) {
		c.TLS, c.RootCAs = TLSStartTLS, pool
		c.Username, c.Password = "desk", "wrong-horse-battery"
	})
	_, err := s.Send(context.Background(), shippedMail())
	if err == nil {
		t.Fatal("sent with a wrong password")
	}
	if !strings.Contains(err.Error(), "bad password") || strings.Contains(err.Error(), "wrong-horse-battery") {
		t.Errorf("error is not the server's refusal, or shows the password: %v", err)
	}
	if len(srv.messages()) != 0 {
		t.Error("the server kept the message")
	}
}

func TestEmailChecksTheCertificateUnlessToldNotTo(t *testing.T) {
	serverTLS, _ := selfSigned(t)
	srv := startMailServer(t, &mailServer{}, serverTLS)
	strict := newEmail(t, srv, func(c *EmailConfig) { c.TLS = TLSStartTLS })
	if _, err := strict.Send(context.Background(), shippedMail()); err == nil || errors.Is(err, ErrPermanent) {
		t.Fatalf("err = %v, want a temporary certificate error", err)
	}
	lax := newEmail(t, srv, func(c *EmailConfig) { c.TLS, c.InsecureSkipVerify = TLSStartTLS, true })
	if _, err := lax.Send(context.Background(), shippedMail()); err != nil {
		t.Fatal(err)
	}
}

func TestEmailStartTLSRequiredRefusesAPlainServer(t *testing.T) {
	srv := startMailServer(t, &mailServer{}, nil)
	s := newEmail(t, srv, func(c *EmailConfig) { c.TLS = TLSStartTLS })
	if _, err := s.Send(context.Background(), shippedMail()); err == nil {
		t.Fatal("sent in the clear although STARTTLS was required")
	}
	opportunistic := newEmail(t, srv, func(c *EmailConfig) { c.TLS = TLSOpportunistic })
	if _, err := opportunistic.Send(context.Background(), shippedMail()); err != nil {
		t.Fatal(err)
	}
}
