package store

import "testing"

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
