package ui

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"charm.land/bubbles/v2/textinput"
	"github.com/charmbracelet/x/ansi"

	"github.com/wismo/wismo/store"
)

// ago renders how long before now t was, coarsely: agents want "3h", not
// "3h12m47s". The zero time renders as a dash.
func ago(now, t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	d := now.Sub(t)
	switch {
	case d < 0:
		return "now"
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	}
	return fmt.Sprintf("%dd%dh", int(d.Hours())/24, int(d.Hours())%24)
}

// since is ago as a phrase: "3h ago", or a dash for the zero time.
func since(now, t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return ago(now, t) + " ago"
}

// oneLine is text as one line of a row: escape sequences gone, control
// characters and line breaks turned into spaces, runs of space into one.
// An agent's note or a paste may hold any of them.
func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || !unicode.IsPrint(r) {
			return ' '
		}
		return r
	}, ansi.Strip(s))
	return strings.Join(strings.Fields(s), " ")
}

// humanize turns a snake_case name into words: "attempt_failed" becomes
// "attempt failed".
func humanize(s string) string { return strings.ReplaceAll(s, "_", " ") }

// kindLabel is a kind's name as agents read it.
func kindLabel(k store.ExceptionKind) string {
	if k == store.KindReturningToSender {
		return "return to sender"
	}
	return humanize(string(k))
}

// statusLabel is a parcel's status with its reason, if any.
func statusLabel(s store.Status, r store.Reason) string {
	if r == store.ReasonNone || r == store.ReasonOther {
		return humanize(string(s))
	}
	return humanize(string(s)) + " (" + humanize(string(r)) + ")"
}

// stamp renders a time for a detail line, in UTC.
func stamp(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("Mon 02 Jan 15:04 UTC")
}

// day renders a date for an ETA.
func day(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("Mon 02 Jan")
}

// eta renders a parcel's expected delivery: the current ETA, and the first
// one the carrier gave when the two fall on different days.
func eta(pc store.Parcel) string {
	now, first := day(pc.EstimatedDelivery), pc.OriginalEstimate
	if first.IsZero() || pc.EstimatedDelivery.IsZero() || day(first) == now {
		return now
	}
	return first.UTC().Format("02 Jan") + " → " + pc.EstimatedDelivery.UTC().Format("02 Jan")
}

// currencySymbols are the currencies written with a symbol; any other is
// written with its code.
var currencySymbols = map[string]string{"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥"}

// wholeCurrencies have no minor units.
var wholeCurrencies = map[string]bool{"JPY": true, "KRW": true}

// money renders an amount in minor units as agents read it: "€12.50",
// "CHF 12.50", "¥1200".
func money(minor int64, currency string) string {
	sign := ""
	if minor < 0 {
		minor, sign = -minor, "-"
	}
	amount := fmt.Sprintf("%d.%02d", minor/100, minor%100)
	if wholeCurrencies[currency] {
		amount = fmt.Sprint(minor)
	}
	if sym, ok := currencySymbols[currency]; ok {
		return sign + sym + amount
	}
	return strings.TrimSpace(sign + currency + " " + amount)
}

// shortStamp renders a time for a row: day, month and minute, in UTC.
func shortStamp(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("02 Jan 15:04")
}

// noteLine is what a notification's row says beyond its state: why it
// failed, and which agent asked for it.
func noteLine(n store.Notification) string {
	var parts []string
	if n.State == store.NotifyFailed && n.LastError != "" {
		parts = append(parts, n.LastError)
	}
	if n.RequestedBy != "" {
		parts = append(parts, "resent by "+n.RequestedBy)
	}
	return strings.Join(parts, " · ")
}

// newTextBox is a text box as every box of the desk has it. Deleting the
// word after the cursor (alt+d, alt+delete, ctrl+delete) is switched off:
// bubbles' text box (v2.2.1) panics on it with the cursor on the last
// character (charmbracelet/bubbles#1056).
func newTextBox(prompt string, limit int) textinput.Model {
	in := textinput.New()
	in.Prompt = prompt
	in.CharLimit = limit
	in.KeyMap.DeleteWordForward.SetEnabled(false)
	return in
}
