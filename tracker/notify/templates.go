package notify

import (
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	texttemplate "text/template"
	"time"
)

// embedded holds the templates that ship with the binary; see Templates
// for the layout.
//
//go:embed templates
var embedded embed.FS

// layoutFile is the HTML frame every email's "body" is set in.
const layoutFile = "layout.html.tmpl"

// fallbackLocale is the locale every trigger must have every channel in.
const fallbackLocale = "en"

// Data is what a template may use. Empty fields are allowed where the
// templates test for them (TrackingURL, ETA, Items, Status, RMA and the
// names); the shipped templates print the others as they are.
type Data struct {
	// OrderNumber is the shop's order number as the customer knows it.
	OrderNumber string
	// CustomerName is the name on the order; FirstName, when empty, is
	// its first word.
	CustomerName, FirstName string
	// Shop is the shop's name, the sender the customer recognises.
	Shop string
	// Carrier is the carrier's display name ("DHL", "PostNL").
	Carrier string
	// TrackingNumber is the parcel's; TrackingURL a page to follow it on,
	// if known. A short one keeps an SMS to one part.
	TrackingNumber, TrackingURL string
	// Status is the carrier's own words for the latest event ("Address
	// incomplete"), shown by the delay, exception and delivered messages.
	Status string
	// ETA is the expected delivery day in the customer's time zone; zero
	// if unknown. Templates print it with {{date .ETA}}.
	ETA time.Time
	// Items are the lines in this parcel, or in this return.
	Items []Item
	// RMA is the return's id.
	RMA string
	// Refund is the amount refunded; templates print it with {{money .Refund}}.
	Refund Money
	// PickupPoint names where the parcel waits to be collected.
	PickupPoint string
}

// Item is one order line as the customer sees it.
type Item struct {
	Title string
	Qty   int
}

// Money is an amount in the currency's minor units (cents for "EUR").
type Money struct {
	Minor    int64
	Currency string // ISO 4217, "EUR"
}

// Templates renders notifications per trigger, channel and locale.
//
// The templates live in a directory tree, embedded in the binary:
//
//	layout.html.tmpl               the HTML frame: defines "html", which
//	                               calls "subject" (title) and "body"
//	{locale}/{trigger}.email.tmpl  defines "subject", "text" (plain-text
//	                               part) and "body" (HTML part)
//	{locale}/{trigger}.sms.tmpl    the short text, for SMS and WhatsApp
//	{locale}/{trigger}.whatsapp.tmpl  optional: WhatsApp's own text
//
// with {locale} as "en", "de" or "de-AT" and {trigger} a Trigger ("shipped").
// Each file stands alone, so an operator can copy one, edit it and put it
// in the override directory under the same relative path, where it
// replaces the embedded file. An email file may define "html" itself to
// leave the frame out. Besides Data's fields a template may call {{date
// t}} ("Thursday, 26 November"), {{money m}} ("€12.50") and {{lang}} ("de"),
// formatted for the file's locale (en, de and nl have tables; other
// languages are formatted as English).
//
// A message is looked up by exact locale ("de-AT"), then its language
// ("de"), then "en"; WhatsApp looks for its own file before SMS's in each.
type Templates struct {
	sets    map[templateKey]*templateSet
	locales []string
}

// templateKey names one file's place in the tree.
type templateKey struct {
	locale  string
	trigger Trigger
	channel Channel
}

// templateSet is one file parsed: text holds every template in it, html
// (emails only) the same file set in the layout, escaped for HTML.
type templateSet struct {
	file string
	text *texttemplate.Template
	html *htmltemplate.Template
}

// source is one template file's text and the name errors call it by.
type source struct {
	rel, name, text string
}

// triggers lists every Trigger in the order the resend dialog shows them.
var triggers = []Trigger{Shipped, OutForDelivery, Delivered, Delay, Exception,
	AvailableForPickup, ReturnReceived, RefundIssued}

// LoadTemplates parses the embedded templates and, unless overrideDir is
// empty, the files in overrideDir that replace them. Every file is parsed
// and rendered once with sample data here, so a broken override fails at
// start-up with its file name rather than at send time.
func LoadTemplates(overrideDir string) (*Templates, error) {
	root, err := fs.Sub(embedded, "templates")
	if err != nil {
		return nil, err
	}
	files := map[string]source{}
	if err := collect(root, "embedded templates", files); err != nil {
		return nil, err
	}
	if overrideDir != "" {
		if err := collect(os.DirFS(overrideDir), overrideDir, files); err != nil {
			return nil, err
		}
	}
	layout := files[layoutFile]
	delete(files, layoutFile)
	t := &Templates{sets: map[templateKey]*templateSet{}}
	for _, rel := range slices.Sorted(maps.Keys(files)) {
		k, err := parseKey(rel)
		if err != nil {
			return nil, fmt.Errorf("notify: template %s: %w", files[rel].name, err)
		}
		if t.sets[k], err = parseSet(k, files[rel], layout); err != nil {
			return nil, err
		}
	}
	if err := t.check(); err != nil {
		return nil, err
	}
	return t, nil
}

// collect reads every .tmpl file under fsys into files by its path
// relative to the root; origin prefixes the names errors use.
func collect(fsys fs.FS, origin string, files map[string]source) error {
	return fs.WalkDir(fsys, ".", func(rel string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(rel, ".tmpl") {
			return err
		}
		b, err := fs.ReadFile(fsys, rel)
		if err != nil {
			return fmt.Errorf("notify: templates: %w", err)
		}
		files[rel] = source{rel: rel, name: filepath.Join(origin, rel), text: string(b)}
		return nil
	})
}

// localeDir is how a locale's directory is named: a language, perhaps
// with a region ("de", "de-AT", "es-419").
var localeDir = regexp.MustCompile(`^[a-z]{2,3}(-[A-Z]{2}|-[0-9]{3})?$`)

// parseKey reads "{locale}/{trigger}.{channel}.tmpl".
func parseKey(rel string) (templateKey, error) {
	bad := errors.New("want {locale}/{trigger}.{email|sms|whatsapp}.tmpl")
	dir, file := path.Split(rel)
	loc := strings.TrimSuffix(dir, "/")
	if !localeDir.MatchString(loc) {
		return templateKey{}, bad
	}
	trigger, channel, _ := strings.Cut(strings.TrimSuffix(file, ".tmpl"), ".")
	k := templateKey{loc, Trigger(trigger), Channel(channel)}
	if !slices.Contains(triggers, k.trigger) ||
		!slices.Contains([]Channel{Email, SMS, WhatsApp}, k.channel) {
		return templateKey{}, bad
	}
	return k, nil
}

// parseSet parses one file with its locale's functions; an email is parsed
// a second time, after the layout, as HTML.
func parseSet(k templateKey, src, layout source) (*templateSet, error) {
	f := formatFor(k.locale).funcs()
	s := &templateSet{file: src.name}
	var err error
	s.text, err = texttemplate.New(src.rel).Option("missingkey=error").Funcs(f).Parse(src.text)
	if err != nil || k.channel != Email {
		return s, wrapTemplateErr(src, err)
	}
	s.html, err = htmltemplate.New(layout.rel).Option("missingkey=error").Funcs(f).Parse(layout.text)
	if err != nil {
		return nil, wrapTemplateErr(layout, err)
	}
	if _, err = s.html.New(src.rel).Parse(src.text); err != nil {
		return nil, wrapTemplateErr(src, err)
	}
	for _, name := range []string{"subject", "text", "html"} {
		if s.html.Lookup(name) == nil {
			return nil, wrapTemplateErr(src, fmt.Errorf("no {{define %q}}", name))
		}
	}
	return s, nil
}

// wrapTemplateErr names the file a parse error came from.
func wrapTemplateErr(src source, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("notify: template %s: %w", src.name, err)
}

// check makes sure every trigger can be sent on every channel in the
// fallback locale and that every file renders, and lists the locales.
func (t *Templates) check() error {
	for _, tr := range triggers {
		for _, ch := range []Channel{Email, SMS} {
			if t.sets[templateKey{fallbackLocale, tr, ch}] == nil {
				return fmt.Errorf("notify: templates: no %s/%s.%s.tmpl", fallbackLocale, tr, ch)
			}
		}
	}
	for k, s := range t.sets {
		if _, err := s.render(k.channel, sampleData); err != nil {
			return err
		}
		if !slices.Contains(t.locales, k.locale) {
			t.locales = append(t.locales, k.locale)
		}
	}
	slices.Sort(t.locales)
	return nil
}

// Triggers lists the triggers there are templates for.
func (t *Templates) Triggers() []Trigger { return slices.Clone(triggers) }

// Locales lists the locales with at least one template of their own.
func (t *Templates) Locales() []string { return slices.Clone(t.locales) }

// Render fills the template for trigger and channel in the locale nearest
// to locale (a tag such as "de-AT" or "de_AT"; empty means English) with d.
// It sets Channel, Subject, Text and, for email, HTML; ID and To are the
// caller's. A template that uses a field d lacks fails here.
func (t *Templates) Render(trigger Trigger, channel Channel, locale string, d Data) (Message, error) {
	s := t.find(trigger, channel, locale)
	if s == nil {
		return Message{}, fmt.Errorf("notify: no %s template for %q", channel, trigger)
	}
	if d.FirstName == "" {
		d.FirstName, _, _ = strings.Cut(strings.TrimSpace(d.CustomerName), " ")
	}
	return s.render(channel, d)
}

// find walks the locale fallback chain for the trigger's template.
func (t *Templates) find(trigger Trigger, channel Channel, locale string) *templateSet {
	channels := []Channel{channel}
	if channel == WhatsApp {
		channels = append(channels, SMS)
	}
	loc := canonicalLocale(locale)
	lang, _, _ := strings.Cut(loc, "-")
	for _, l := range []string{loc, lang, fallbackLocale} {
		for _, ch := range channels {
			if s := t.sets[templateKey{l, trigger, ch}]; s != nil {
				return s
			}
		}
	}
	return nil
}

// executor is what text and HTML templates have in common.
type executor interface {
	ExecuteTemplate(w io.Writer, name string, data any) error
}

// part is one template of a set and the message field it fills.
type part struct {
	t    executor
	name string
	dst  *string
}

// render executes the set's parts into a message for channel.
func (s *templateSet) render(channel Channel, d Data) (Message, error) {
	m := Message{Channel: channel}
	parts := []part{{s.text, s.text.Name(), &m.Text}}
	if s.html != nil {
		parts = []part{{s.text, "subject", &m.Subject}, {s.text, "text", &m.Text}, {s.html, "html", &m.HTML}}
	}
	for _, p := range parts {
		var b strings.Builder
		if err := p.t.ExecuteTemplate(&b, p.name, d); err != nil {
			return Message{}, fmt.Errorf("notify: template %s: %w", s.file, err)
		}
		*p.dst = b.String()
	}
	m.Subject = strings.Join(strings.Fields(m.Subject), " ")
	m.Text = tidy(m.Text)
	if m.Text == "" {
		return Message{}, fmt.Errorf("notify: template %s: the text is empty", s.file)
	}
	return m, nil
}

// tidy trims trailing spaces and collapses runs of blank lines, which
// conditional blocks in a template leave behind, so template authors need
// not count newlines.
func tidy(text string) string {
	var b strings.Builder
	blank := false
	for line := range strings.Lines(strings.TrimSpace(text)) {
		line = strings.TrimRight(line, " \t\r\n")
		if line == "" && blank {
			continue
		}
		blank = line == ""
		b.WriteString(line + "\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// canonicalLocale writes a locale tag as the tree names it: "de_at" and
// "DE-at" become "de-AT".
func canonicalLocale(s string) string {
	lang, region, ok := strings.Cut(strings.ReplaceAll(strings.TrimSpace(s), "_", "-"), "-")
	if !ok {
		return strings.ToLower(lang)
	}
	return strings.ToLower(lang) + "-" + strings.ToUpper(region)
}

// sampleData fills every field, so that rendering it at load reaches every
// branch a template is likely to have.
var sampleData = Data{
	OrderNumber: "100234", CustomerName: "Anna Schmidt", FirstName: "Anna",
	Shop: "Example Shop", Carrier: "DHL", TrackingNumber: "00340434161234567890",
	TrackingURL: "https://shop.example/t/8KQ2ZD", Status: "In transit",
	ETA:   time.Date(2026, time.November, 26, 0, 0, 0, 0, time.UTC),
	Items: []Item{{Title: "Wool socks", Qty: 2}}, RMA: "R-5521",
	Refund: Money{Minor: 1250, Currency: "EUR"}, PickupPoint: "Packstation 112",
}
