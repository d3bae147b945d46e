package notify

import (
	"net/mail"
	"strings"
	"unicode"
)

// ValidPhone reports whether s is a phone number in E.164 form: a "+", then
// 8 to 15 digits, the first not 0 (no country code starts with 0). Spaces,
// dashes and brackets are not accepted: SMS providers want the bare form,
// so the resend dialog asks for it rather than guessing.
func ValidPhone(s string) bool {
	digits, ok := strings.CutPrefix(s, "+")
	if !ok || len(digits) < 8 || len(digits) > 15 || digits[0] == '0' {
		return false
	}
	for _, r := range digits {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// ValidEmail reports whether s is a bare email address a mail system will
// take: net/mail parses it, it has no display name, comments or angle
// brackets ("Ann <ann@x.org>" is refused), its local part needs no quoting,
// and its domain is a host name — one label ("ann@localhost") or several
// joined by dots ("ann@mail.example.org"), each label letters, digits and
// inner hyphens, up to 63 bytes. Domain literals ("ann@[192.0.2.1]") are
// refused: no customer's address is one.
func ValidEmail(s string) bool {
	if len(s) > 254 {
		return false
	}
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Name != "" || addr.Address != s {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	return validDomain(s[at+1:])
}

// validDomain reports whether d is a host name of one or more labels.
// Letters may be any script's, as mail systems accept internationalised
// domains.
func validDomain(d string) bool {
	for label := range strings.SplitSeq(d, ".") {
		if label == "" || len(label) > 63 ||
			strings.HasPrefix(label, "-") || strings.HasSuffix(label, "-") {
			return false
		}
		for _, r := range label {
			if r != '-' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				return false
			}
		}
	}
	return true
}
