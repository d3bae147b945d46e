package intake

import (
	"errors"
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/language"

	"github.com/wismo/wismo/carriers"
)

// parseTime reads an RFC 3339 timestamp, keeping its offset, or a bare
// date (YYYY-MM-DD), which is taken as midnight UTC.
func parseTime(s string) (time.Time, error) {
	if t, ok := carriers.ParseZoned(s); ok {
		return t, nil
	}
	if t, err := time.Parse(time.DateOnly, strings.TrimSpace(s)); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q is neither an RFC 3339 time nor a YYYY-MM-DD date", s)
}

// parseQty reads a quantity: a positive whole number.
func parseQty(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n <= 0 || n > maxQty {
		return 0, fmt.Errorf("quantity %q is not a whole number from 1 to %d", s, maxQty)
	}
	return n, nil
}

// maxQty bounds a line's quantity: anything larger is a typo, and the sum
// of a few must not overflow.
const maxQty = 1_000_000

// checkEmail accepts a bare address (no display name), as the outbox will
// send to it.
func checkEmail(s string) error {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s || !strings.Contains(a.Address[strings.LastIndexByte(a.Address, '@'):], ".") {
		return fmt.Errorf("%q is not an email address", s)
	}
	return nil
}

// checkPhone accepts what people write for a phone number: digits with an
// optional leading "+" and spaces, dots, dashes or brackets between them,
// with at most 15 digits (E.164's limit) and at least 5.
func checkPhone(s string) error {
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0, strings.ContainsRune(" .-()", r):
		default:
			return fmt.Errorf("%q is not a phone number", s)
		}
	}
	if digits < 5 || digits > 15 {
		return fmt.Errorf("%q is not a phone number: it has %d digits", s, digits)
	}
	return nil
}

// normLocale checks a BCP 47 language tag ("de", "en-GB", "pt_BR") and
// returns it in canonical form.
func normLocale(s string) (string, error) {
	tag, err := language.Parse(strings.ReplaceAll(s, "_", "-"))
	if err != nil {
		return "", fmt.Errorf("%q is not a locale such as en or de-AT", s)
	}
	return tag.String(), nil
}

// normCountry returns an ISO 3166 alpha-2 country code; the alpha-3 codes
// carriers.NormCountry knows are turned into theirs.
func normCountry(s string) (string, error) {
	c := carriers.NormCountry(s)
	if len(c) != 2 || !isUpperASCII(c) {
		return "", fmt.Errorf("country %q is not a 2-letter ISO code", s)
	}
	return c, nil
}

func isUpperASCII(s string) bool {
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// checkTracking accepts a tracking number: printable, no longer than any
// carrier's, with no space inside (carriers print numbers in groups, but
// a parcel is looked up by the number as one word).
func checkTracking(s string) error {
	if len(s) > 64 {
		return fmt.Errorf("tracking number %.20q… is longer than 64 characters", s)
	}
	for _, r := range s {
		if !unicode.IsPrint(r) || unicode.IsSpace(r) {
			return fmt.Errorf("tracking number %q holds a space or a control character", s)
		}
	}
	return nil
}

// minorDigits lists the ISO 4217 currencies whose minor unit is not a
// hundredth; every other currency has two decimals.
var minorDigits = map[string]int{
	"BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0,
	"KRW": 0, "PYG": 0, "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0,
	"XAF": 0, "XOF": 0, "XPF": 0,
	"BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
}

// errNoCurrency is a money amount given without its currency.
var errNoCurrency = errors.New("an amount needs its currency")

// parseMoney reads a decimal amount such as "24.90" in currency and
// returns it in minor units (2490). Amounts are exact decimals, never
// floats; more decimals than the currency has are an error, not rounded.
func parseMoney(amount, currency string) (int64, error) {
	amount, currency = strings.TrimSpace(amount), strings.TrimSpace(currency)
	if currency == "" {
		return 0, errNoCurrency
	}
	if len(currency) != 3 || !isUpperASCII(currency) {
		return 0, fmt.Errorf("currency %q is not a 3-letter ISO code", currency)
	}
	digits, ok := minorDigits[currency]
	if !ok {
		digits = 2
	}
	whole, frac, _ := strings.Cut(amount, ".")
	if len(frac) > digits || whole == "" || !allDigits(whole) || !allDigits(frac) || len(whole) > 12 {
		return 0, fmt.Errorf("amount %q is not a non-negative %s amount with at most %d decimals", amount, currency, digits)
	}
	frac += strings.Repeat("0", digits-len(frac))
	return strconv.ParseInt(whole+frac, 10, 64)
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// normKey checks an order number or RMA id and drops the "#" shops show
// before order numbers: "#1001" and "1001" are the same order.
func normKey(s string) (string, error) {
	k := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "#"))
	switch {
	case k == "":
		return "", errors.New("empty")
	case len(k) > 64:
		return "", fmt.Errorf("%.20q… is longer than 64 characters", k)
	case strings.IndexFunc(k, unicode.IsControl) >= 0:
		return "", fmt.Errorf("%q holds a control character", k)
	}
	return k, nil
}
