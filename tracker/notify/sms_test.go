package notify

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wismo/wismo/carriers"
)

const (
	testSID   = "AC0123456789abcdef"
	testToken = "tok-0ddba11-s3cret"
)

// smsAPI is a Messages API on httptest that records each request and
// answers with the next of its canned answers (the last one repeats).
type smsAPI struct {
	t       *testing.T
	answers []smsAnswer

	mu   sync.Mutex
	reqs []smsRequest
}

type smsAnswer struct {
	status int
	body   string
	header http.Header
}

type smsRequest struct {
	path, user, pass, idempotency, contentType string
	form                                       url.Values
}

func (a *smsAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	user, pass, _ := r.BasicAuth()
	if err := r.ParseForm(); err != nil {
		a.t.Error(err)
	}
	a.mu.Lock()
	a.reqs = append(a.reqs, smsRequest{
		path: r.URL.Path, user: user, pass: pass, form: r.PostForm,
		idempotency: r.Header.Get("Idempotency-Key"), contentType: r.Header.Get("Content-Type"),
	})
	ans := a.answers[min(len(a.reqs), len(a.answers))-1]
	a.mu.Unlock()
	for k, v := range ans.header {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(ans.status)
	_, _ = w.Write([]byte(ans.body))
}

func (a *smsAPI) requests() []smsRequest {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.reqs
}

// startSMS serves answers and returns the API and a sender pointed at it.
func startSMS(t *testing.T, change func(*SMSConfig), answers ...smsAnswer) (*smsAPI, *SMSSender) {
	t.Helper()
	api := &smsAPI{t: t, answers: answers}
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	cfg := SMSConfig{
		BaseURL: srv.URL, AccountSID: testSID, AuthToken: testToken,
		From: "+15005550006", WhatsAppFrom: "+14155238886",
	}
	if change != nil {
		change(&cfg)
	}
	s, err := NewSMSSender(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return api, s
}

var created = smsAnswer{status: http.StatusCreated, body: `{"sid":"SM87105da94bff44b999e4e6eb90d8eb6a","status":"queued"}`}

func outForDelivery(ch Channel) Message {
	return Message{ID: "01JOUTBOX43", Channel: ch, To: "+491701234567", Text: "Your parcel is out for delivery today."}
}

func TestSMSPostsTheFormWithBasicAuthAndIdempotencyKey(t *testing.T) {
	api, s := startSMS(t, nil, created)
	sid, err := s.Send(context.Background(), outForDelivery(SMS))
	if err != nil {
		t.Fatal(err)
	}
	if sid != "SM87105da94bff44b999e4e6eb90d8eb6a" {
		t.Errorf("provider id %q", sid)
	}
	req := api.requests()[0]
	if req.path != "/2010-04-01/Accounts/"+testSID+"/Messages.json" {
		t.Errorf("path %q", req.path)
	}
	if req.user != testSID || req.pass != testToken {
		t.Errorf("basic auth %q:%q", req.user, req.pass)
	}
	if req.contentType != "application/x-www-form-urlencoded" || req.idempotency != "01JOUTBOX43" {
		t.Errorf("Content-Type %q, Idempotency-Key %q", req.contentType, req.idempotency)
	}
	want := url.Values{"To": {"+491701234567"}, "From": {"+15005550006"}, "Body": {"Your parcel is out for delivery today."}}
	if req.form.Encode() != want.Encode() {
		t.Errorf("form %v, want %v", req.form, want)
	}
}

func TestSMSWhatsAppPrefixesBothNumbers(t *testing.T) {
	api, s := startSMS(t, nil, created)
	if _, err := s.Send(context.Background(), outForDelivery(WhatsApp)); err != nil {
		t.Fatal(err)
	}
	form := api.requests()[0].form
	if form.Get("To") != "whatsapp:+491701234567" || form.Get("From") != "whatsapp:+14155238886" {
		t.Errorf("To %q, From %q", form.Get("To"), form.Get("From"))
	}
}

func TestSMSMessagingServiceStandsInForAMissingNumber(t *testing.T) {
	api, s := startSMS(t, func(c *SMSConfig) {
		c.WhatsAppFrom, c.MessagingServiceSID = "", "MG9752274e9e519418a7406176694466fa"
	}, created)
	if _, err := s.Send(context.Background(), outForDelivery(WhatsApp)); err != nil {
		t.Fatal(err)
	}
	form := api.requests()[0].form
	if form.Get("MessagingServiceSid") != "MG9752274e9e519418a7406176694466fa" || form.Has("From") {
		t.Errorf("form %v", form)
	}
}

func TestSMSRetryAfterA500CarriesTheSameIdempotencyKey(t *testing.T) {
	api, s := startSMS(t, nil, smsAnswer{status: 500, body: `{"code":20500,"message":"Internal Server Error"}`}, created)
	m := outForDelivery(SMS)
	if _, err := s.Send(context.Background(), m); err == nil || errors.Is(err, ErrPermanent) {
		t.Fatalf("first send: err = %v, want a temporary error", err)
	}
	if _, err := s.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	reqs := api.requests()
	if len(reqs) != 2 || reqs[0].idempotency != m.ID || reqs[1].idempotency != m.ID {
		t.Errorf("requests %+v, want two with Idempotency-Key %q", reqs, m.ID)
	}
}

func TestSMSBadRequestIsPermanentWithTheProvidersMessage(t *testing.T) {
	_, s := startSMS(t, nil, smsAnswer{status: 400, body: `{"code":21211,"message":"The 'To' number +491701234567 is not a valid phone number.",` +
		`"more_info":"https://www.twilio.com/docs/errors/21211","status":400}`})
	_, err := s.Send(context.Background(), outForDelivery(SMS))
	if !errors.Is(err, ErrPermanent) {
		t.Fatalf("err = %v, want ErrPermanent", err)
	}
	if !strings.Contains(err.Error(), "is not a valid phone number. (code 21211)") {
		t.Errorf("err = %v, want the provider's message and code", err)
	}
}

func TestSMSTooManyRequestsIsTemporaryAndKeepsRetryAfter(t *testing.T) {
	_, s := startSMS(t, nil, smsAnswer{status: 429, body: `{"code":20429,"message":"Too Many Requests"}`,
		header: http.Header{"Retry-After": {"7"}}})
	_, err := s.Send(context.Background(), outForDelivery(SMS))
	if err == nil || errors.Is(err, ErrPermanent) {
		t.Fatalf("err = %v, want a temporary error", err)
	}
	var he *carriers.HTTPError
	if !errors.As(err, &he) || he.RetryAfter != 7*time.Second {
		t.Errorf("err = %v, want an HTTPError asking to wait 7s", err)
	}
}

func TestSMSNeverShowsTheAuthToken(t *testing.T) {
	for _, ans := range []smsAnswer{
		{status: 401, body: `{"code":20003,"message":"Authenticate with ` + testToken + `"}`},
		{status: 500, body: `{"message":"upstream said ` + testToken + `"}`},
		{status: 400, body: `{"message":"bad request ` + testToken + `"}`},
	} {
		_, s := startSMS(t, nil, ans)
		_, err := s.Send(context.Background(), outForDelivery(SMS))
		if err == nil || strings.Contains(err.Error(), testToken) {
			t.Errorf("HTTP %d: err = %v, want an error without the token", ans.status, err)
		}
	}
}

func TestSMSRefusesBadMessagesWithoutARequest(t *testing.T) {
	api, s := startSMS(t, func(c *SMSConfig) { c.WhatsAppFrom = "" }, created)
	for name, m := range map[string]Message{
		"local number":        {ID: "1", Channel: SMS, To: "01701234567"},
		"spaces":              {ID: "1", Channel: SMS, To: "+49 170 1234567"},
		"email address":       {ID: "1", Channel: SMS, To: "ann@example.org"},
		"prefixed already":    {ID: "1", Channel: WhatsApp, To: "whatsapp:+491701234567"},
		"email channel":       {ID: "1", Channel: Email, To: "+491701234567"},
		"no id":               {Channel: SMS, To: "+491701234567"},
		"no WhatsApp sender":  {ID: "1", Channel: WhatsApp, To: "+491701234567"},
		"country code 0":      {ID: "1", Channel: SMS, To: "+0491701234567"},
		"too long for E.164":  {ID: "1", Channel: SMS, To: "+4917012345678901"},
		"too short for E.164": {ID: "1", Channel: SMS, To: "+4917012"},
	} {
		if _, err := s.Send(context.Background(), m); !errors.Is(err, ErrPermanent) {
			t.Errorf("%s: err = %v, want ErrPermanent", name, err)
		}
	}
	if n := len(api.requests()); n != 0 {
		t.Errorf("%d requests, want none", n)
	}
}

func TestSMSAnswerWithoutASidIsPermanent(t *testing.T) {
	_, s := startSMS(t, nil, smsAnswer{status: 200, body: `<html>welcome</html>`})
	if _, err := s.Send(context.Background(), outForDelivery(SMS)); !errors.Is(err, ErrPermanent) {
		t.Fatalf("err = %v, want ErrPermanent", err)
	}
}

func TestSMSTimeoutIsTemporary(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-release }))
	defer srv.Close()
	defer close(release)
	s, err := NewSMSSender(SMSConfig{BaseURL: srv.URL, AccountSID: testSID, AuthToken: testToken,
		From: "+15005550006", Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Send(context.Background(), outForDelivery(SMS))
	if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrPermanent) {
		t.Fatalf("err = %v, want a temporary deadline error", err)
	}
}

func TestSMSOversizedAnswerIsAnError(t *testing.T) {
	_, s := startSMS(t, nil, smsAnswer{status: 500, body: strings.Repeat("x", carriers.MaxBody+1)})
	if _, err := s.Send(context.Background(), outForDelivery(SMS)); !errors.Is(err, carriers.ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
}

func TestNewSMSSenderChecksItsConfig(t *testing.T) {
	for name, cfg := range map[string]SMSConfig{
		"no token":       {AccountSID: testSID, From: "+15005550006"},
		"no sender":      {AccountSID: testSID, AuthToken: testToken},
		"bad From":       {AccountSID: testSID, AuthToken: testToken, From: "5005550006"},
		"base URL":       {AccountSID: testSID, AuthToken: testToken, From: "+15005550006", BaseURL: "api.twilio.com"},
		"bad WhatsApp":   {AccountSID: testSID, AuthToken: testToken, WhatsAppFrom: "whatsapp:+14155238886"},
		"no account SID": {AuthToken: testToken, From: "+15005550006"},
	} {
		if _, err := NewSMSSender(cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
