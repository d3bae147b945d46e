package notify

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"
)

// customers are who a shop in each language writes to, with the carrier's
// words in the customer's language.
var customers = map[string]struct{ name, carrier, number, status, pickup string }{
	"en": {"Olivia Bennett", "Royal Mail", "FX123456785GB", "Address incomplete", "Post Office, 12 High Street"},
	"de": {"Jürgen Weiß", "DHL", "00340434161234567890", "Adresse unvollständig", "Packstation 112, Bergmannstr. 5"},
	"nl": {"Sanne de Vries", "PostNL", "3SNLOU1234567", "Adres onvolledig", "PostNL-punt Primera, Markt 4"},
}

// realistic returns an order as a shop would have it for locale's customer.
func realistic(locale string) Data {
	c := customers[locale]
	return Data{
		OrderNumber: "100872", CustomerName: c.name, Shop: "Nordlicht Outdoor",
		Carrier: c.carrier, TrackingNumber: c.number,
		TrackingURL: "https://nordlicht.shop/t/8KQ2ZD", Status: c.status,
		ETA: time.Date(2026, time.November, 26, 0, 0, 0, 0, time.UTC),
		Items: []Item{
			{Title: "Merino base layer, navy, M", Qty: 1},
			{Title: "Trekking socks (3 pairs)", Qty: 2},
		},
		RMA: "RMA-20931", Refund: Money{Minor: 8990, Currency: "EUR"},
		PickupPoint: c.pickup,
	}
}

func load(t *testing.T, dir string) *Templates {
	t.Helper()
	tm, err := LoadTemplates(dir)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func render(t *testing.T, tm *Templates, tr Trigger, ch Channel, locale string, d Data) Message {
	t.Helper()
	m, err := tm.Render(tr, ch, locale, d)
	if err != nil {
		t.Fatalf("%s %s %s: %v", tr, ch, locale, err)
	}
	return m
}

func TestTriggersAndLocales(t *testing.T) {
	tm := load(t, "")
	if got := tm.Triggers(); len(got) != 8 || got[0] != Shipped {
		t.Errorf("Triggers() = %v", got)
	}
	if got, want := tm.Locales(), []string{"de", "en", "nl"}; !slices.Equal(got, want) {
		t.Errorf("Locales() = %v, want %v", got, want)
	}
}

func TestEveryTemplateRenders(t *testing.T) {
	tm := load(t, "")
	for _, loc := range tm.Locales() {
		for _, tr := range tm.Triggers() {
			for _, ch := range []Channel{Email, SMS, WhatsApp} {
				m := render(t, tm, tr, ch, loc, realistic(loc))
				parts := []string{m.Text}
				if ch == Email {
					parts = append(parts, m.Subject, m.HTML)
				}
				for _, p := range parts {
					if strings.TrimSpace(p) == "" || strings.Contains(p, "<no value>") ||
						!strings.Contains(p, "100872") && tr != RefundIssued {
						t.Errorf("%s %s %s: part %q", loc, tr, ch, p)
					}
				}
				if m.Channel != ch || m.ID != "" || m.To != "" {
					t.Errorf("%s %s %s: message %+v", loc, tr, ch, m)
				}
			}
		}
	}
}

// A customer whose order lacks the optional fields still gets a message
// without dangling labels.
func TestSparseData(t *testing.T) {
	tm := load(t, "")
	d := Data{OrderNumber: "100872", Shop: "Nordlicht Outdoor", Carrier: "DHL",
		TrackingNumber: "00340434161234567890", PickupPoint: "Packstation 112",
		Refund: Money{Minor: 8990, Currency: "EUR"}}
	for _, tr := range tm.Triggers() {
		m := render(t, tm, tr, Email, "en", d)
		for _, bad := range []string{"Track your parcel", "In this parcel", "Return number", "note:", "Hi ,"} {
			if strings.Contains(m.Text, bad) {
				t.Errorf("%s: %q in\n%s", tr, bad, m.Text)
			}
		}
	}
}

func TestFirstNameFromCustomerName(t *testing.T) {
	m := render(t, load(t, ""), Shipped, Email, "en", realistic("en"))
	if !strings.HasPrefix(m.Text, "Hi Olivia,\n") {
		t.Errorf("text starts %q", m.Text[:20])
	}
}

func TestLocaleFallback(t *testing.T) {
	tm := load(t, "")
	d := realistic("de")
	for _, tc := range []struct {
		locale, like string
		trigger      Trigger
	}{
		{"de-AT", "de", Shipped},
		{"de_at", "de", Delay},
		{"DE", "de", Shipped},
		{"fr-FR", "en", Shipped},
		{"", "en", Delivered},
		{"nl-BE", "nl", Delivered},
	} {
		got := render(t, tm, tc.trigger, Email, tc.locale, d)
		want := render(t, tm, tc.trigger, Email, tc.like, d)
		if got != want {
			t.Errorf("%q %s: got %q, want the %s message %q", tc.locale, tc.trigger, got.Subject, tc.like, want.Subject)
		}
	}
}

func TestWhatsAppSharesSMSText(t *testing.T) {
	tm := load(t, "")
	sms := render(t, tm, Delay, SMS, "de", realistic("de"))
	wa := render(t, tm, Delay, WhatsApp, "de", realistic("de"))
	if wa.Text != sms.Text || wa.Channel != WhatsApp {
		t.Errorf("whatsapp %+v, sms %+v", wa, sms)
	}
}

// gsmBasic and gsmExtended are the GSM 03.38 alphabet: a basic character
// takes one of an SMS's 160 places, an extended one two.
const (
	gsmBasic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
		"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
	gsmExtended = "^{}\\[~]|€\f"
)

// gsmLen counts s in GSM characters, or reports the first rune outside the
// alphabet (which would make the whole SMS UCS-2, 70 characters a part).
func gsmLen(s string) (n int, bad rune) {
	for _, r := range s {
		switch {
		case strings.ContainsRune(gsmBasic, r):
			n++
		case strings.ContainsRune(gsmExtended, r):
			n += 2
		default:
			return n, r
		}
	}
	return n, 0
}

func TestSMSFitsOneMessage(t *testing.T) {
	tm := load(t, "")
	for _, loc := range tm.Locales() {
		noLink := realistic(loc)
		noLink.TrackingURL = ""
		for _, d := range []Data{realistic(loc), noLink} {
			for _, tr := range tm.Triggers() {
				text := render(t, tm, tr, SMS, loc, d).Text
				n, bad := gsmLen(text)
				if bad != 0 || n > 160 {
					t.Errorf("%s %s: %d GSM characters, non-GSM %q:\n%s", loc, tr, n, bad, text)
				}
			}
		}
	}
}

func TestHTMLEscaping(t *testing.T) {
	d := realistic("en")
	d.CustomerName, d.FirstName = "<script>alert(1)</script>", ""
	d.TrackingURL = "javascript:alert(2)"
	m := render(t, load(t, ""), Shipped, Email, "en", d)
	if strings.Contains(m.HTML, "<script>") || !strings.Contains(m.HTML, "&lt;script&gt;") {
		t.Errorf("name not escaped:\n%s", m.HTML)
	}
	if strings.Contains(m.HTML, "javascript:") {
		t.Errorf("unsafe link kept:\n%s", m.HTML)
	}
	if !strings.Contains(m.Text, "Hi <script>alert(1)</script>,") {
		t.Errorf("plain text altered:\n%s", m.Text)
	}
}

func writeFile(t *testing.T, dir, rel, text string) {
	t.Helper()
	p := filepath.Join(dir, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestOverrideReplacesOneTemplate(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "de/shipped.email.tmpl", `{{define "subject"}}Paket {{.OrderNumber}} ist raus{{end}}`+
		`{{define "text"}}Hallo {{.FirstName}}{{end}}{{define "body"}}<p>Hallo {{.FirstName}}</p>{{end}}`)
	writeFile(t, dir, "fr/shipped.sms.tmpl", `{{.Shop}} : commande {{.OrderNumber}} expédiée le {{date .ETA}}.`)
	tm, embedded := load(t, dir), load(t, "")
	d := realistic("de")
	if m := render(t, tm, Shipped, Email, "de-AT", d); m.Subject != "Paket 100872 ist raus" ||
		!strings.Contains(m.HTML, `<html lang="de">`) {
		t.Errorf("override not used: %q\n%s", m.Subject, m.HTML)
	}
	if render(t, tm, Delay, Email, "de", d) != render(t, embedded, Delay, Email, "de", d) {
		t.Error("an embedded template not overridden changed")
	}
	if m := render(t, tm, Shipped, SMS, "fr-FR", d); !strings.Contains(m.Text, "Thursday, 26 November") {
		t.Errorf("new locale's sms: %q", m.Text)
	}
	if render(t, tm, Shipped, Email, "fr-FR", d) != render(t, embedded, Shipped, Email, "en", d) {
		t.Error("fr-FR email, which fr lacks, is not the English one")
	}
	if !slices.Contains(tm.Locales(), "fr") {
		t.Errorf("Locales() = %v", tm.Locales())
	}
}

func TestBrokenOverrideFailsAtLoad(t *testing.T) {
	for name, tc := range map[string]struct{ rel, text string }{
		"parse":       {"de/delay.sms.tmpl", `{{.Shop}: late`},
		"field":       {"de/delay.sms.tmpl", `{{.Shop}}: {{.Parcel}}`},
		"no body":     {"en/delay.email.tmpl", `{{define "subject"}}x{{end}}{{define "text"}}y{{end}}`},
		"empty":       {"nl/delay.sms.tmpl", `{{if false}}x{{end}}`},
		"layout":      {"layout.html.tmpl", `{{define "html"}}{{template "body" .}{{end}}`},
		"bad trigger": {"de/shiped.email.tmpl", `x`},
		"bad locale":  {"deutsch/shipped.sms.tmpl", `x`},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, dir, tc.rel, tc.text)
			_, err := LoadTemplates(dir)
			if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, tc.rel)) {
				t.Errorf("err = %v, want one naming %s", err, tc.rel)
			}
		})
	}
}

func TestMissingOverrideDir(t *testing.T) {
	if _, err := LoadTemplates(filepath.Join(t.TempDir(), "nope")); err == nil {
		t.Error("a missing override directory loaded")
	}
}

func TestUnknownTrigger(t *testing.T) {
	if _, err := load(t, "").Render("lost", Email, "en", realistic("en")); err == nil {
		t.Error("rendered a trigger with no template")
	}
}

func TestFormats(t *testing.T) {
	thu := time.Date(2026, time.November, 26, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		lang, got, want string
	}{
		{"en", formatFor("en").date(thu), "Thursday, 26 November"},
		{"de", formatFor("de-AT").date(thu), "Donnerstag, 26. November"},
		{"nl", formatFor("nl").date(thu), "donderdag 26 november"},
		{"fr", formatFor("fr").date(thu), "Thursday, 26 November"},
		{"zero", formatFor("de").date(time.Time{}), ""},
		{"en", formatFor("en").money(Money{1250, "EUR"}), "€12.50"},
		{"de", formatFor("de").money(Money{1250, "EUR"}), "12,50 €"},
		{"nl", formatFor("nl").money(Money{1250, "EUR"}), "€ 12,50"},
		{"en", formatFor("en").money(Money{123456789, "GBP"}), "£1,234,567.89"},
		{"de", formatFor("de").money(Money{123456789, "EUR"}), "1.234.567,89 €"},
		{"en", formatFor("en").money(Money{5, "CHF"}), "CHF 0.05"},
		{"de", formatFor("de").money(Money{-990, "CHF"}), "-9,90 CHF"},
		{"en", formatFor("en").money(Money{1500, "JPY"}), "JPY 1,500"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.lang, tc.got, tc.want)
		}
	}
}

// The golden files are the review copy of the shipped wording
// (regenerate with go test ./tracker/notify -update).
func TestGolden(t *testing.T) {
	tm := load(t, "")
	show := func(m Message) string {
		if m.Channel != Email {
			return m.Text + "\n"
		}
		return "Subject: " + m.Subject + "\n\n" + m.Text + "\n\n-- html --\n" + m.HTML
	}
	t.Run("en_shipped_email", func(t *testing.T) {
		golden.RequireEqual(t, show(render(t, tm, Shipped, Email, "en", realistic("en"))))
	})
	t.Run("de_shipped_email", func(t *testing.T) {
		golden.RequireEqual(t, show(render(t, tm, Shipped, Email, "de", realistic("de"))))
	})
	t.Run("de_delay_sms", func(t *testing.T) {
		golden.RequireEqual(t, show(render(t, tm, Delay, SMS, "de", realistic("de"))))
	})
}
