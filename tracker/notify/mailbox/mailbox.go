// Package mailbox is the demo's far end of the notification channels: a
// real SMTP server and a Twilio-compatible Messages API on loopback that
// keep what they are sent, so a newcomer sees the message they resent
// arrive, headers and body. Production desks send to real providers and
// never start it.
package mailbox

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/mail"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-smtp"
)

// Message is one message the box received.
type Message struct {
	At      time.Time
	Channel string // "email", "sms" or "whatsapp"
	From    string
	To      string
	Subject string
	// Header is the email's header block as received, empty for texts.
	Header string
	// Body is the email's text part, or the text message.
	Body string
}

// keep bounds what the box holds: it is for looking at, not archiving.
const keep = 500

// Box receives mail and text messages.
type Box struct {
	// AccountSID and AuthToken are the credentials the Messages API wants.
	AccountSID, AuthToken string
	// SMTPListen is the SMTP server's address; empty picks a free
	// loopback port.
	SMTPListen string
	// RefuseMail, when set, answers a recipient it returns an error for
	// with that error, as a mail server refusing or deferring a mailbox
	// does (550, 451).
	RefuseMail func(to string) *smtp.SMTPError
	// Now stamps arrivals; nil means the wall clock. The demo gives its
	// simulated clock, so arrivals and the desk's own times agree.
	Now func() time.Time

	mu    sync.Mutex
	got   []Message
	smtp  *smtp.Server
	http  *http.Server
	smtpA string
	httpA string
}

// Start opens the SMTP server and the Messages API on loopback ports and
// serves until ctx ends or Close is called.
func (b *Box) Start(ctx context.Context) error {
	ml, err := net.Listen("tcp", cmp.Or(b.SMTPListen, "127.0.0.1:0"))
	if err != nil {
		return fmt.Errorf("mailbox: %w", err)
	}
	hl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		ml.Close()
		return fmt.Errorf("mailbox: %w", err)
	}
	b.smtpA, b.httpA = ml.Addr().String(), "http://"+hl.Addr().String()
	b.smtp = smtp.NewServer(backend{b})
	b.smtp.Domain, b.smtp.AllowInsecureAuth = "mailbox.localhost", true
	b.smtp.ReadTimeout, b.smtp.WriteTimeout = 10*time.Second, 10*time.Second
	b.smtp.MaxMessageBytes = 1 << 20
	b.smtp.ErrorLog = log.New(io.Discard, "", 0)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /2010-04-01/Accounts/{sid}/Messages.json", b.text)
	b.http = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go b.smtp.Serve(ml)
	go b.http.Serve(hl)
	go func() {
		<-ctx.Done()
		b.Close()
	}()
	return nil
}

// SMTPAddr is the SMTP server's host:port; APIURL the Messages API's base.
func (b *Box) SMTPAddr() string { return b.smtpA }

// APIURL is the Messages API's base URL.
func (b *Box) APIURL() string { return b.httpA }

// Close stops both servers.
func (b *Box) Close() {
	if b.smtp != nil {
		b.smtp.Close()
		b.http.Close()
	}
}

// Messages returns up to n received messages, newest first.
func (b *Box) Messages(n int) []Message {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := slices.Clone(b.got[max(len(b.got)-n, 0):])
	slices.Reverse(out)
	return out
}

func (b *Box) now() time.Time {
	if b.Now == nil {
		return time.Now()
	}
	return b.Now()
}

func (b *Box) add(m Message) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.got = append(b.got, m); len(b.got) > keep {
		b.got = slices.Delete(b.got, 0, len(b.got)-keep)
	}
}

// text is the Messages API: it checks the credentials and keeps the text.
func (b *Box) text(w http.ResponseWriter, r *http.Request) {
	sid, token, ok := r.BasicAuth()
	if !ok || sid != b.AccountSID || token != b.AuthToken || r.PathValue("sid") != sid {
		reply(w, http.StatusUnauthorized, map[string]any{"code": 20003, "message": "Authenticate", "status": 401})
		return
	}
	to, from, body := r.PostFormValue("To"), r.PostFormValue("From"), r.PostFormValue("Body")
	if to == "" || body == "" {
		reply(w, http.StatusBadRequest, map[string]any{"code": 21604, "message": "A 'To' phone number and a 'Body' are required.", "status": 400})
		return
	}
	channel := "sms"
	if strings.HasPrefix(to, "whatsapp:") {
		channel, to, from = "whatsapp", strings.TrimPrefix(to, "whatsapp:"), strings.TrimPrefix(from, "whatsapp:")
	}
	b.add(Message{At: b.now(), Channel: channel, From: from, To: to, Body: body})
	id := make([]byte, 16)
	rand.Read(id)
	reply(w, http.StatusCreated, map[string]any{"sid": "SM" + hex.EncodeToString(id), "status": "queued", "to": to})
}

func reply(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

// backend takes every mail, logged in or not.
type backend struct{ b *Box }

func (be backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{b: be.b}, nil }

type session struct {
	b        *Box
	from, to string
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error { s.from = from; return nil }
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if s.b.RefuseMail != nil {
		if err := s.b.RefuseMail(to); err != nil {
			return err
		}
	}
	s.to = to
	return nil
}
func (s *session) Reset()        {}
func (s *session) Logout() error { return nil }

// Data reads the message and keeps its header and text part.
func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return &smtp.SMTPError{Code: 554, Message: "unreadable message: " + err.Error()}
	}
	header, _, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
	subject, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	s.b.add(Message{At: s.b.now(), Channel: "email", From: s.from, To: s.to, Subject: subject,
		Header: string(header), Body: textPart(m)})
	return nil
}

// textPart is the message's text/plain part, or its whole body.
func textPart(m *mail.Message) string {
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil || !strings.HasPrefix(mt, "multipart/") {
		var r io.Reader = m.Body
		if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
			r = quotedprintable.NewReader(r)
		}
		body, _ := io.ReadAll(r)
		return string(body)
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err != nil {
			return ""
		}
		if strings.HasPrefix(p.Header.Get("Content-Type"), "text/plain") {
			body, _ := io.ReadAll(p)
			return string(body)
		}
	}
}
