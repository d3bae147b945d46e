package notify

import (
	"strconv"
	"strings"
	"time"
)

// localeFormat holds how a language writes dates and money.
type localeFormat struct {
	lang   string
	days   [7]string  // Sunday first, as time.Weekday counts
	months [12]string // January first
	// dateLayout places {weekday}, {day} and {month}.
	dateLayout string
	// moneyLayout places ¤ (the symbol) and # (the number).
	moneyLayout    string
	decimal, group string
}

// localeFormats are the languages with their own date and money format.
var localeFormats = map[string]localeFormat{
	"en": {
		lang: "en",
		days: [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
		months: [12]string{"January", "February", "March", "April", "May", "June", "July",
			"August", "September", "October", "November", "December"},
		dateLayout: "{weekday}, {day} {month}", moneyLayout: "¤#", decimal: ".", group: ",",
	},
	"de": {
		lang: "de",
		days: [7]string{"Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"},
		months: [12]string{"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli",
			"August", "September", "Oktober", "November", "Dezember"},
		dateLayout: "{weekday}, {day}. {month}", moneyLayout: "# ¤", decimal: ",", group: ".",
	},
	"nl": {
		lang: "nl",
		days: [7]string{"zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"},
		months: [12]string{"januari", "februari", "maart", "april", "mei", "juni", "juli",
			"augustus", "september", "oktober", "november", "december"},
		dateLayout: "{weekday} {day} {month}", moneyLayout: "¤ #", decimal: ",", group: ".",
	},
}

// currencySymbols are the currencies written with a sign; others are
// written with their code.
var currencySymbols = map[string]string{"EUR": "€", "GBP": "£", "USD": "$"}

// zeroDecimal are the currencies whose minor unit is the unit itself.
var zeroDecimal = map[string]bool{"JPY": true, "KRW": true}

// formatFor returns the format of locale's language, English if it has none.
func formatFor(locale string) localeFormat {
	lang, _, _ := strings.Cut(locale, "-")
	if f, ok := localeFormats[lang]; ok {
		return f
	}
	return localeFormats[fallbackLocale]
}

// funcs are the template functions formatting for f's language.
func (f localeFormat) funcs() map[string]any {
	return map[string]any{"date": f.date, "money": f.money, "lang": func() string { return f.lang }}
}

// date writes the weekday, day and month of t ("Thursday, 26 November"),
// or nothing for the zero time.
func (f localeFormat) date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return strings.NewReplacer("{weekday}", f.days[t.Weekday()],
		"{day}", strconv.Itoa(t.Day()), "{month}", f.months[t.Month()-1]).Replace(f.dateLayout)
}

// money writes m as the language does ("€12.50", "12,50 €", "€ 12,50");
// a currency without a symbol is written with its code ("CHF 12.50").
func (f localeFormat) money(m Money) string {
	sym, ok := currencySymbols[m.Currency]
	layout := f.moneyLayout
	if !ok {
		sym = m.Currency
		layout = strings.Replace(layout, "¤#", "¤ #", 1)
	}
	minor, sign := m.Minor, ""
	if minor < 0 {
		minor, sign = -minor, "-"
	}
	decimals := 2
	if zeroDecimal[m.Currency] {
		decimals = 0
	}
	return sign + strings.NewReplacer("¤", sym, "#", f.number(minor, decimals)).Replace(layout)
}

// number writes a non-negative amount of minor units with the language's
// decimal and grouping marks.
func (f localeFormat) number(minor int64, decimals int) string {
	s := strconv.FormatInt(minor, 10)
	for len(s) <= decimals {
		s = "0" + s
	}
	whole, frac := s[:len(s)-decimals], s[len(s)-decimals:]
	for i := len(whole) - 3; i > 0; i -= 3 {
		whole = whole[:i] + f.group + whole[i:]
	}
	if decimals == 0 {
		return whole
	}
	return whole + f.decimal + frac
}
