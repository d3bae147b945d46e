package dhl

import (
	"testing"
	"time"
)

func TestParseTimeLayouts(t *testing.T) {
	berlin, _ := addressZone(Address{CountryCode: "DE"})
	tests := []struct {
		in, want string
		known    bool
		wantErr  bool
	}{
		{"2024-03-05T10:12:00Z", "2024-03-05T10:12:00Z", true, false},
		{"2024-03-05T10:12:00+01:00", "2024-03-05T09:12:00Z", true, false},
		{"2024-03-05T10:12:00+0100", "2024-03-05T09:12:00Z", true, false},
		{"2024-03-05T10:12:00.123Z", "2024-03-05T10:12:00.123Z", true, false},
		{"2024-03-05T10:12:00", "2024-03-05T09:12:00Z", false, false},
		{" 2024-03-05T10:12:00.5 ", "2024-03-05T09:12:00.5Z", false, false},
		{"2024-03-05", "", false, true},
		{"05.03.2024 10:12", "", false, true},
		{"2024-03-05T25:12:00", "", false, true},
	}
	for _, tt := range tests {
		got, known, err := parseTime(tt.in, berlin)
		if (err != nil) != tt.wantErr {
			t.Errorf("parseTime(%q) err = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if err == nil && (got.Format(time.RFC3339Nano) != tt.want || known != tt.known || got.Location() != time.UTC) {
			t.Errorf("parseTime(%q) = %s known=%v, want %s known=%v in UTC",
				tt.in, got.Format(time.RFC3339Nano), known, tt.want, tt.known)
		}
	}
}

func TestEventZoneUsesTheUSState(t *testing.T) {
	e := Event{Location: Place{Address: Address{CountryCode: "US", AddressRegion: "TX"}}}
	if loc := eventZone(e, time.UTC); loc.String() != "America/Chicago" {
		t.Errorf("Texas event read in %v, want America/Chicago", loc)
	}
	e.Location.Address.AddressRegion = ""
	if loc := eventZone(e, time.UTC); loc != time.UTC {
		t.Errorf("US event without a state read in %v, want UTC", loc)
	}
}
