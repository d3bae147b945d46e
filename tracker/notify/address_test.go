package notify

import (
	"strings"
	"testing"
)

func TestValidPhone(t *testing.T) {
	for s, want := range map[string]bool{
		"+491701234567":     true,
		"+14155238886":      true,
		"+12345678":         true, // 8 digits, the shortest taken
		"+123456789012345":  true, // 15 digits, E.164's longest
		"+1234567":          false,
		"+1234567890123456": false,
		"491701234567":      false,
		"+0491701234567":    false,
		"+49 170 1234567":   false,
		"+49-170-1234567":   false,
		"+49(170)1234567":   false,
		"++491701234567":    false,
		"+４９1701234567":     false, // full-width digits
		"whatsapp:+1415523": false,
		"":                  false,
		"+":                 false,
	} {
		if got := ValidPhone(s); got != want {
			t.Errorf("ValidPhone(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestValidEmail(t *testing.T) {
	for s, want := range map[string]bool{
		"ann@example.org":                         true,
		"ann.lee+parcels@example.co":              true,
		"ann@localhost":                           true,
		"ann@mail-1.example.org":                  true,
		"o'neil@example.ie":                       true,
		"jürgen@müller.de":                        true,
		"ann@xn--mller-kva.de":                    true,
		"Ann <ann@example.org>":                   false,
		"<ann@example.org>":                       false,
		"ann@example.org (Ann)":                   false,
		" ann@example.org":                        false,
		`"ann lee"@example.org`:                   false,
		"ann":                                     false,
		"ann@":                                    false,
		"@example.org":                            false,
		"ann@@example.org":                        false,
		"ann@example..org":                        false,
		"ann@example.org.":                        false,
		"ann@.example.org":                        false,
		"ann@-example.org":                        false,
		"ann@example-.org":                        false,
		"ann@exa_mple.org":                        false,
		"ann@[192.0.2.1]":                         false,
		"ann@example.org, bob@x.org":              false,
		"ann@" + strings.Repeat("a", 64) + ".org": false,
		strings.Repeat("a", 64) + "@" + strings.Repeat("b.", 94) + "org": false, // over 254
		"": false,
	} {
		if got := ValidEmail(s); got != want {
			t.Errorf("ValidEmail(%q) = %v, want %v", s, got, want)
		}
	}
}
