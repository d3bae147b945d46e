package store

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Folding turns what an agent types, and what the store indexes, into one
// comparable form per key kind. The same function folds both sides.

// foldTracking normalizes a tracking number as agents type it: any case,
// with or without spaces and dashes.
func foldTracking(s string) []byte {
	return []byte(strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r), r == '-', r == 0:
			return -1
		}
		return unicode.ToUpper(r)
	}, s))
}

// foldOrderNumber normalizes an order number: as foldTracking, and without
// the "#" shops print in front of it.
func foldOrderNumber(s string) []byte {
	return foldTracking(strings.TrimLeft(strings.TrimSpace(s), "#"))
}

// foldText folds case and strips accents, so "Müller", "MULLER" and
// "muller" meet, and "Straße" meets "strasse". Plain ASCII only needs its
// case folded; anything else goes through a Caser and a transform chain,
// which keep state, so each call makes its own.
func foldText(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	t := transform.Chain(cases.Fold(), norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		return strings.ToLower(s)
	}
	return out
}

func isASCII(s string) bool {
	for i := range len(s) {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// nameWords are the folded words of a name, each one an index entry, so a
// prefix of any of them finds the name. Apostrophes join rather than
// split: "O'Brien" is one word, "obrien", found by "O'B" and "obr".
func nameWords(name string) []string {
	joined := strings.NewReplacer("'", "", "’", "").Replace(name)
	words := strings.FieldsFunc(foldText(joined), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	slices.Sort(words)
	return slices.Compact(words)
}

// foldEmail is an email address in the one case it is matched in, without
// zero bytes: the index ends a value with one.
func foldEmail(s string) string {
	return foldText(strings.TrimSpace(strings.ReplaceAll(s, "\x00", "")))
}

// minPhoneDigits is the fewest digits a phone search matches on: fewer
// would match half the customers.
const minPhoneDigits = 6

// phoneKey is a phone number's digits, without the leading zeros of a trunk
// or international prefix, reversed: a prefix of the key is then a suffix
// of the number, so "0170 1234567", "+49 170 1234567" and "1234567" all
// find the same customer.
func phoneKey(s string) string {
	digits := make([]byte, 0, len(s))
	for i := len(s) - 1; i >= 0; i-- {
		if c := s[i]; c >= '0' && c <= '9' {
			digits = append(digits, c)
		}
	}
	return strings.TrimRight(string(digits), "0")
}

// phoneSuffixDigits is how many of a phone query's last digits match the
// end of a stored number: enough to tell customers apart, few enough that
// "+49 170 1234567" finds the "0170 1234567" a customer gave, whose digits
// start differently.
const phoneSuffixDigits = 9

// phoneSuffix is the key prefix that finds numbers ending in the query's
// last phoneSuffixDigits digits (all of them if it has fewer).
func phoneSuffix(s string) string {
	k := phoneKey(s)
	return k[:min(len(k), phoneSuffixDigits)]
}

// looksLikePhone reports whether a query is written as a phone number: only
// digits and the punctuation phone numbers are written with.
func looksLikePhone(s string) bool {
	return s != "" && strings.Trim(s, "0123456789+-()./ ") == "" && len(phoneKey(s)) >= minPhoneDigits
}

// Bounds on what a search looks at, whatever it is given.
const (
	maxQueryBytes  = 4 << 10 // a paste of a few dozen tracking numbers
	maxQueryTokens = 50      // tracking numbers in one paste
)

// cleanQuery makes any input safe to search with: invalid UTF-8 and control
// characters are dropped (line breaks and tabs become spaces, as pastes
// separate with them), and the length is capped.
func cleanQuery(q string) string {
	if len(q) > maxQueryBytes {
		q = q[:maxQueryBytes]
	}
	q = strings.ToValidUTF8(q, "")
	q = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			return ' '
		case unicode.IsControl(r), r == utf8.RuneError:
			return -1
		}
		return r
	}, q)
	return strings.TrimSpace(q)
}
