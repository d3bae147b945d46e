package carriers

import (
	"testing"
	"time"
)

func TestParseTime(t *testing.T) {
	berlin := ZoneOrUTC("DE", "")
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
		{"", "", false, true},
	}
	for _, tt := range tests {
		got, known, err := ParseTime(tt.in, berlin)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseTime(%q) err = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if err == nil && (got.Format(time.RFC3339Nano) != tt.want || known != tt.known || got.Location() != time.UTC) {
			t.Errorf("ParseTime(%q) = %s known=%v, want %s known=%v in UTC",
				tt.in, got.Format(time.RFC3339Nano), known, tt.want, tt.known)
		}
	}
}

// TestParseTimeLayouts: given layouts replace the default, first fit wins.
func TestParseTimeLayouts(t *testing.T) {
	got, known, err := ParseTime("2024-03-05", time.UTC, "2006-01-02T15:04", "2006-01-02")
	if err != nil || known || !got.Equal(time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("bare date = %v known=%v, %v", got, known, err)
	}
	if _, _, err := ParseTime("2024-03-05T10:12:00", time.UTC, "2006-01-02"); err == nil {
		t.Error("the default layout still applied when others were given")
	}
}

func TestParseZonedKeepsOffset(t *testing.T) {
	got, ok := ParseZoned("2024-08-15T09:30:00-07:00")
	if _, off := got.Zone(); !ok || off != -7*3600 {
		t.Errorf("ParseZoned = %v, %v; want the -07:00 offset kept", got, ok)
	}
	if _, ok := ParseZoned("2024-08-15T09:30:00"); ok {
		t.Error("a naive time parsed as zoned")
	}
}

func TestZoneOrUTC(t *testing.T) {
	if loc := ZoneOrUTC("US", "TX"); loc.String() != "America/Chicago" {
		t.Errorf("Texas = %v", loc)
	}
	if loc := ZoneOrUTC("US", ""); loc != time.UTC {
		t.Errorf("US without a state = %v, want UTC", loc)
	}
}
