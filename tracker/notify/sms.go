package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/wismo/wismo/carriers"
)

// DefaultSMSTimeout bounds one request to the Messages API when
// SMSConfig.Timeout is zero.
const DefaultSMSTimeout = 15 * time.Second

// SMSConfig says how to reach a Twilio-compatible Messages API and whom
// messages are from.
type SMSConfig struct {
	// BaseURL is the API's root; "https://api.twilio.com" when empty.
	BaseURL string
	// AccountSID and AuthToken are the HTTP Basic credentials; the SID also
	// names the account in the path.
	AccountSID, AuthToken string
	// From is the SMS sender's number (E.164) and WhatsAppFrom the WhatsApp
	// sender's, sent as "whatsapp:+…". A channel without its own number
	// sends MessagingServiceSID instead, letting the provider pick.
	From, WhatsAppFrom  string
	MessagingServiceSID string
	// Timeout bounds each request; zero means DefaultSMSTimeout.
	Timeout time.Duration
	// HTTP makes the requests; nil means a client that follows no
	// redirects (a redirected POST would lose its form).
	HTTP *http.Client
}

// SMSSender delivers SMS and WhatsApp messages through one Messages API:
// WhatsApp is the same request with "whatsapp:" before both numbers.
type SMSSender struct {
	cfg      SMSConfig
	endpoint string
	hc       *http.Client
}

// NewSMSSender checks cfg and fills in its defaults.
func NewSMSSender(cfg SMSConfig) (*SMSSender, error) {
	if cfg.AccountSID == "" || cfg.AuthToken == "" {
		return nil, errors.New("sms: account SID and auth token are both needed")
	}
	if cfg.From == "" && cfg.WhatsAppFrom == "" && cfg.MessagingServiceSID == "" {
		return nil, errors.New("sms: no sender: set a From number or a messaging service")
	}
	for _, n := range []string{cfg.From, cfg.WhatsAppFrom} {
		if n != "" && !ValidPhone(n) {
			return nil, fmt.Errorf("sms: sender %q is not an E.164 number", n)
		}
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = "https://api.twilio.com"
	}
	base, err := url.Parse(cfg.BaseURL)
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" {
		return nil, fmt.Errorf("sms: base URL %q is not an http(s) URL", cfg.BaseURL)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultSMSTimeout
	}
	hc := cfg.HTTP
	if hc == nil {
		hc = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		}}
	}
	endpoint := strings.TrimRight(cfg.BaseURL, "/") +
		"/2010-04-01/Accounts/" + url.PathEscape(cfg.AccountSID) + "/Messages.json"
	return &SMSSender{cfg: cfg, endpoint: endpoint, hc: hc}, nil
}

// Send delivers m by SMS or WhatsApp, as m.Channel says, and returns the
// provider's message sid.
//
// Every request carries an Idempotency-Key header set to m.ID, so a
// provider that honours the header answers a retry of a message it
// already took (the first answer was lost, or the desk crashed before
// recording it) with that message, not a second one. Twilio's own
// I-Twilio-Idempotency-Token is a header Twilio puts on the webhooks it
// sends, not one its Messages API reads, so it is not sent.
//
// A recipient that is not E.164 fails before any request. A 4xx answer
// wraps ErrPermanent, except 429 and 408, which like a 5xx or a failed
// connection are worth a retry; the *carriers.HTTPError inside keeps the
// provider's message and any Retry-After. The auth token is blanked
// wherever an answer or a transport error repeats it.
func (s *SMSSender) Send(ctx context.Context, m Message) (string, error) {
	form, err := s.form(m)
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return "", fmt.Errorf("sms: %w: %w", err, ErrPermanent)
	}
	req.SetBasicAuth(s.cfg.AccountSID, s.cfg.AuthToken)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Idempotency-Key", m.ID)
	resp, err := carriers.Do(s.hc, req, s.cfg.AuthToken)
	if err != nil {
		return "", fmt.Errorf("sms: %w", err)
	}
	if !resp.OK() {
		return "", refusal(resp)
	}
	return accepted(resp)
}

// form is the request's body for m, or an error wrapping ErrPermanent when
// m cannot be sent as it is.
func (s *SMSSender) form(m Message) (url.Values, error) {
	if m.ID == "" {
		return nil, fmt.Errorf("sms: message has no id: %w", ErrPermanent)
	}
	if !ValidPhone(m.To) {
		return nil, fmt.Errorf("sms: recipient %q is not an E.164 phone number: %w", m.To, ErrPermanent)
	}
	to, from := m.To, s.cfg.From
	switch m.Channel {
	case SMS:
	case WhatsApp:
		to, from = "whatsapp:"+m.To, ""
		if s.cfg.WhatsAppFrom != "" {
			from = "whatsapp:" + s.cfg.WhatsAppFrom
		}
	default:
		return nil, fmt.Errorf("sms: cannot send a %q message: %w", m.Channel, ErrPermanent)
	}
	form := url.Values{"To": {to}, "Body": {m.Text}}
	switch {
	case from != "":
		form.Set("From", from)
	case s.cfg.MessagingServiceSID != "":
		form.Set("MessagingServiceSid", s.cfg.MessagingServiceSID)
	default:
		return nil, fmt.Errorf("sms: no %s sender configured: %w", m.Channel, ErrPermanent)
	}
	return form, nil
}

// accepted reads the sid from a 2xx answer. An answer without one did not
// come from a Messages API (a wrong base URL reaching some other server):
// calling it sent would lose the message unseen, and asking again would
// reach the same server, so it is a permanent failure.
func accepted(resp carriers.Response) (string, error) {
	var ok struct {
		SID string `json:"sid"`
	}
	if err := json.Unmarshal(resp.Body, &ok); err != nil || ok.SID == "" {
		return "", fmt.Errorf("sms: HTTP %d without a message sid: %w", resp.Code, ErrPermanent)
	}
	return ok.SID, nil
}

// refusal is the error for an answer that is not a 2xx, with the
// provider's explanation ({code, message, more_info, status}) when it gave
// one.
func refusal(resp carriers.Response) error {
	var body struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}
	_ = json.Unmarshal(resp.Body, &body) // a body that is not JSON still has its status
	detail := body.Message
	if body.Code != 0 {
		detail = fmt.Sprintf("%s (code %d)", detail, body.Code)
	}
	he := resp.Err(detail)
	if he.Temporary() {
		return fmt.Errorf("sms: %w", he)
	}
	return fmt.Errorf("sms: %w: %w", he, ErrPermanent)
}
