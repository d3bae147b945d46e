package carriers

import "testing"

func TestZone(t *testing.T) {
	tests := []struct{ country, region, want string }{
		{"DE", "", "Europe/Berlin"},
		{"uk", "", "Europe/London"},
		{" GB ", "", "Europe/London"},
		{"DEU", "", "Europe/Berlin"},
		{"PT", "", "Europe/Lisbon"},
		{"US", "ca", "America/Los_Angeles"},
		{"USA", "NY", "America/New_York"},
		{"", "TX", "America/Chicago"},
	}
	for _, tt := range tests {
		if loc, ok := Zone(tt.country, tt.region); !ok || loc.String() != tt.want {
			t.Errorf("Zone(%q, %q) = %v, %v; want %s", tt.country, tt.region, loc, ok, tt.want)
		}
	}
	// Multi-zone countries, a US address without a known state, and
	// unknown countries pin no zone.
	for _, c := range [][2]string{{"US", ""}, {"US", "ZZ"}, {"CA", ""}, {"AU", ""}, {"RU", ""}, {"BR", ""}, {"MX", ""}, {"", ""}, {"XX", ""}} {
		if loc, ok := Zone(c[0], c[1]); ok {
			t.Errorf("Zone(%q, %q) = %v; want none", c[0], c[1], loc)
		}
	}
}
