package notify

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/textproto"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// TLSMode says how the connection to the SMTP server is protected.
type TLSMode string

// The TLS modes. The zero value is TLSStartTLS.
const (
	// TLSStartTLS upgrades the connection with STARTTLS and refuses a
	// server that does not offer it.
	TLSStartTLS TLSMode = "starttls"
	// TLSOpportunistic upgrades with STARTTLS when the server offers it and
	// sends in the clear when it does not.
	TLSOpportunistic TLSMode = "opportunistic"
	// TLSImplicit speaks TLS from the first byte (SMTPS, port 465).
	TLSImplicit TLSMode = "tls"
	// TLSNone never encrypts: for a mail server on this host, like the
	// demo's. A password is then sent only to localhost.
	TLSNone TLSMode = "none"
)

// Defaults for an EmailConfig's zero fields.
const (
	DefaultConnectTimeout = 10 * time.Second
	DefaultSendTimeout    = time.Minute
)

// EmailConfig says how to reach the SMTP server and whom mail is from.
type EmailConfig struct {
	Host string
	// Port defaults by TLS mode: 465 for TLSImplicit, 587 for TLSStartTLS,
	// 25 otherwise.
	Port int
	// Username and Password log in when Username is set; PLAIN or LOGIN,
	// whichever the server offers.
	Username, Password string
	TLS                TLSMode
	// From is the sender, with or without a display name:
	// "Shop Care <care@shop.example>". Its domain ends every Message-ID.
	From string
	// ConnectTimeout bounds the dial and then each SMTP command;
	// SendTimeout the whole exchange. Zero means the defaults above.
	ConnectTimeout, SendTimeout time.Duration
	// RootCAs, when set, replaces the system's pool for checking the
	// server's certificate (a private CA, a test's).
	RootCAs *x509.CertPool
	// InsecureSkipVerify accepts any certificate. It is never implied:
	// only a test or a deliberate config sets it.
	InsecureSkipVerify bool
}

// EmailSender delivers email over SMTP. It dials once per message: the
// outbox sends a few messages a minute, and a fresh connection has no
// state a failed send could leave behind.
type EmailSender struct {
	cfg    EmailConfig
	from   *mail.Address
	domain string
}

// NewEmailSender checks cfg and fills in its defaults.
func NewEmailSender(cfg EmailConfig) (*EmailSender, error) {
	if cfg.Host == "" {
		return nil, errors.New("email: no SMTP host")
	}
	from, err := mail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("email: from address %q: %w", cfg.From, err)
	}
	if cfg.TLS == "" {
		cfg.TLS = TLSStartTLS
	}
	if cfg.Port == 0 {
		cfg.Port = defaultPort(cfg.TLS)
	}
	if cfg.Port == 0 {
		return nil, fmt.Errorf("email: unknown TLS mode %q", cfg.TLS)
	}
	if cfg.ConnectTimeout <= 0 {
		cfg.ConnectTimeout = DefaultConnectTimeout
	}
	if cfg.SendTimeout <= 0 {
		cfg.SendTimeout = DefaultSendTimeout
	}
	domain := from.Address[strings.LastIndexByte(from.Address, '@')+1:]
	return &EmailSender{cfg: cfg, from: from, domain: domain}, nil
}

// defaultPort is the port mode is usually served on, 0 for an unknown mode.
func defaultPort(mode TLSMode) int {
	switch mode {
	case TLSImplicit:
		return 465
	case TLSStartTLS:
		return 587
	case TLSOpportunistic, TLSNone:
		return 25
	}
	return 0
}

// Send delivers m and returns its Message-ID, "<ID@from-domain>". The
// Message-ID is made from m.ID, not drawn at random, so a message sent
// again after a crash (the server took it, the outbox never heard) carries
// the same Message-ID as the first: mail systems and clients that
// deduplicate see one message, and the customer's thread stays whole.
//
// A 5xx reply (550 mailbox unavailable, 553 bad address, 535 login
// refused) and a recipient that is not an address wrap ErrPermanent; a 4xx
// reply (421, 450, 451), a refused or dropped connection, a TLS failure
// and a timeout do not.
func (s *EmailSender) Send(ctx context.Context, m Message) (string, error) {
	if !ValidEmail(m.To) {
		return "", fmt.Errorf("email: recipient %q is not an email address: %w", m.To, ErrPermanent)
	}
	if m.ID == "" {
		return "", fmt.Errorf("email: message has no id: %w", ErrPermanent)
	}
	msgID := "<" + messageID(m.ID, s.domain) + ">"
	msg, err := s.compose(m, msgID)
	if err != nil {
		return "", fmt.Errorf("email: %w: %w", err, ErrPermanent)
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.SendTimeout)
	defer cancel()
	client, err := gomail.NewClient(s.cfg.Host, s.options(ctx)...)
	if err != nil {
		return "", fmt.Errorf("email: %w", s.scrub(err))
	}
	// An error after the server accepted the data (a failed RSET or QUIT)
	// does not unsend the message.
	if err := client.DialAndSendWithContext(ctx, msg); err != nil && !msg.IsDelivered() {
		return "", s.failure(ctx, err)
	}
	return msgID, nil
}

// compose builds the message: a text part, an HTML part, or both as
// multipart/alternative.
func (s *EmailSender) compose(m Message, msgID string) (*gomail.Msg, error) {
	msg := gomail.NewMsg()
	if err := msg.FromFormat(s.from.Name, s.from.Address); err != nil {
		return nil, err
	}
	if err := msg.To(m.To); err != nil {
		return nil, err
	}
	msg.Subject(m.Subject)
	msg.SetGenHeader(gomail.HeaderMessageID, msgID)
	switch {
	case m.HTML == "":
		msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	case m.Text == "":
		msg.SetBodyString(gomail.TypeTextHTML, m.HTML)
	default:
		msg.SetBodyString(gomail.TypeTextPlain, m.Text)
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}

// messageID is id@domain with every byte of id outside RFC 5322's atext
// written "=XX", and "=" itself too, so that any id gives a valid
// Message-ID and two ids never give the same one.
func messageID(id, domain string) string {
	const atext = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/?^_`{|}~"
	var b strings.Builder
	for i := range len(id) {
		if c := id[i]; strings.IndexByte(atext, c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "=%02X", c)
		}
	}
	return b.String() + "@" + domain
}

// options are the go-mail client settings for one send bounded by ctx.
func (s *EmailSender) options(ctx context.Context) []gomail.Option {
	policy := gomail.NoTLS // TLSNone, and TLSImplicit, whose dialer does TLS
	switch s.cfg.TLS {
	case TLSStartTLS:
		policy = gomail.TLSMandatory
	case TLSOpportunistic:
		policy = gomail.TLSOpportunistic
	}
	opts := []gomail.Option{
		gomail.WithPort(s.cfg.Port),
		gomail.WithTimeout(s.cfg.ConnectTimeout),
		gomail.WithTLSPolicy(policy),
		gomail.WithTLSConfig(s.tlsConfig()),
		gomail.WithDialContextFunc(s.dialer(ctx)),
	}
	if s.cfg.Username != "" {
		opts = append(opts,
			gomail.WithUsername(s.cfg.Username),
			gomail.WithPassword(s.cfg.Password),
			gomail.WithOpportunisticSMTPAuth(gomail.SMTPAuthPlain, gomail.SMTPAuthLogin))
	}
	return opts
}

func (s *EmailSender) tlsConfig() *tls.Config {
	return &tls.Config{
		ServerName:         s.cfg.Host,
		RootCAs:            s.cfg.RootCAs,
		InsecureSkipVerify: s.cfg.InsecureSkipVerify, //nolint:gosec // only when configured so
		MinVersion:         tls.VersionTLS12,
	}
}

// dialer connects, over TLS from the start in TLSImplicit mode. go-mail
// heeds a context only while dialling; closing the connection when ctx
// ends makes the send's deadline and the caller's cancellation stop the
// SMTP exchange too.
func (s *EmailSender) dialer(ctx context.Context) gomail.DialContextFunc {
	return func(dialCtx context.Context, network, addr string) (net.Conn, error) {
		d := &net.Dialer{}
		var conn net.Conn
		var err error
		if s.cfg.TLS == TLSImplicit {
			conn, err = (&tls.Dialer{NetDialer: d, Config: s.tlsConfig()}).DialContext(dialCtx, network, addr)
		} else {
			conn, err = d.DialContext(dialCtx, network, addr)
		}
		if err != nil {
			return nil, err
		}
		context.AfterFunc(ctx, func() { _ = conn.Close() })
		return conn, nil
	}
}

// failure turns a failed send into the error Send returns: permanent for a
// 5xx reply, with the context's error when it cut the exchange short, and
// without the password.
func (s *EmailSender) failure(ctx context.Context, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		err = fmt.Errorf("%w: %w", ctxErr, err)
	}
	err = fmt.Errorf("email: %w", s.scrub(err))
	if replyCode(err) >= 500 {
		return fmt.Errorf("%w: %w", err, ErrPermanent)
	}
	return err
}

// replyCode is the SMTP reply code behind err, 0 when the server gave none.
func replyCode(err error) int {
	var se *gomail.SendError
	if errors.As(err, &se) {
		return se.ErrorCode()
	}
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code
	}
	return 0
}

// scrub blanks the password wherever err's text repeats it. The result
// still unwraps to err, so its reply code and context error stay readable.
func (s *EmailSender) scrub(err error) error {
	if s.cfg.Password == "" || !strings.Contains(err.Error(), s.cfg.Password) {
		return err
	}
	return &scrubbedError{msg: strings.ReplaceAll(err.Error(), s.cfg.Password, "[redacted]"), err: err}
}

// scrubbedError is an error whose text had a secret blanked.
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }

func (e *scrubbedError) Unwrap() error { return e.err }
