package store

import (
	"hash/fnv"
	"strings"
	"testing"
	"time"
)

func TestFingerprintSubcode(t *testing.T) {
	scan := func(code, sub string) Event {
		return Event{RawCode: code, RawSubcode: sub, LocalTime: "2024-03-05T10:12:00", Location: Location{City: "Louisville"}}
	}
	if scan("005", "I/AR").Fingerprint() == scan("005", "I/DP").Fingerprint() {
		t.Error("two scans differing only in their subcode share a fingerprint")
	}
	// An EasyPost event stored when RawCode was "status/detail" is the
	// same event after the split.
	if scan("in_transit", "arrived_at_facility").Fingerprint() != scan("in_transit/arrived_at_facility", "").Fingerprint() {
		t.Error("splitting status/detail into RawCode and RawSubcode changed the fingerprint")
	}
}

// The fingerprint is FNV-1a over the code, the folded text, the minute and
// the folded city, each ended by a zero byte, exactly as stores of every
// schema keyed their events.
func FuzzFingerprintIsFNV(f *testing.F) {
	f.Add("005", "I/AR", " Arrived at FACILITY ", "2024-03-05T10:12:00", "LOUISVILLE", int64(0))
	f.Add("x", "", "Zoë STRASSE", "", "München", int64(1709633520))
	f.Fuzz(func(t *testing.T, code, sub, text, local, city string, unix int64) {
		e := Event{RawCode: code, RawSubcode: sub, RawText: text, LocalTime: local,
			Location: Location{City: city}, Time: time.Unix(unix%(1<<40), 0)}
		h := fnv.New64a()
		c := code
		if sub != "" {
			c += "/" + sub
		}
		for _, s := range []string{c, strings.ToLower(strings.TrimSpace(text)), e.minute(), strings.ToLower(city)} {
			h.Write([]byte(s))
			h.Write([]byte{0})
		}
		if got, want := e.Fingerprint(), h.Sum64(); got != want {
			t.Errorf("fingerprint %x, want %x", got, want)
		}
	})
}
