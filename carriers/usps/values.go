package usps

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// maxOffset is the widest UTC offset in use (UTC+14, Kiribati), in minutes;
// anything wider is not an offset.
const maxOffset = 14 * 60

// Offset is a GMTOffset: the event's local time minus UTC. The spec shows
// it as minutes (-420, a number or a string) and as "-7:00"; captured
// responses send "-05:00". It reads every shape and always writes the
// captured one. The zero Offset is "not given".
type Offset struct {
	// Minutes east of UTC: -300 for "-05:00".
	Minutes int
	// Known is false when USPS sent no offset (absent, null or "").
	Known bool
}

// UnmarshalJSON accepts "-05:00", "-7:00", "+05:30", "-0500", minutes as a
// string ("-420") or a number (-420), and null or "" for no offset.
func (o *Offset) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	text := string(data)
	if bytes.HasPrefix(data, []byte(`"`)) {
		if err := json.Unmarshal(data, &text); err != nil {
			return fmt.Errorf("GMTOffset: %w", err)
		}
	} else if text == "null" {
		text = ""
	}
	off, err := parseOffset(text)
	if err != nil {
		return fmt.Errorf("GMTOffset %.20s: %w", data, err)
	}
	*o = off
	return nil
}

// MarshalJSON writes a known offset as "-05:00" and an unknown one as null.
func (o Offset) MarshalJSON() ([]byte, error) {
	if !o.Known {
		return []byte("null"), nil
	}
	return json.Marshal(o.String())
}

// String is the offset as "-05:00".
func (o Offset) String() string {
	sign, m := '+', o.Minutes
	if m < 0 {
		sign, m = '-', -m
	}
	return fmt.Sprintf("%c%02d:%02d", sign, m/60, m%60)
}

// Zone is a fixed zone at the offset.
func (o Offset) Zone() *time.Location {
	return time.FixedZone(o.String(), o.Minutes*60)
}

// parseOffset reads "[+-]H:MM", "[+-]HHMM" or "[+-]minutes". Four digits
// cannot be minutes (the widest offset is 840), so they are hours and
// minutes: "-0500" is five hours.
func parseOffset(s string) (Offset, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Offset{}, nil
	}
	sign := 1
	switch s[0] {
	case '-':
		sign, s = -1, s[1:]
	case '+':
		s = s[1:]
	}
	if len(s) == 4 && !strings.Contains(s, ":") {
		s = s[:2] + ":" + s[2:]
	}
	minutes, ok := 0, false
	if h, m, found := strings.Cut(s, ":"); found {
		hours, okH := digits(h)
		mins, okM := digits(m)
		minutes, ok = hours*60+mins, okH && okM && len(m) == 2 && mins < 60
	} else {
		minutes, ok = digits(s)
	}
	if !ok || minutes > maxOffset {
		return Offset{}, errors.New("not an offset")
	}
	return Offset{Minutes: sign * minutes, Known: true}, nil
}

// digits reads a short run of ASCII digits; signs, spaces and anything
// else make it fail.
func digits(s string) (int, bool) {
	if s == "" || len(s) > 4 {
		return 0, false
	}
	n := 0
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// Flag is a USPS boolean. The spec declares booleans, but captured
// responses send them as strings ("true"); Flag reads both and writes the
// string form USPS uses.
type Flag bool

// UnmarshalJSON accepts true, false, "true", "false" (any case), "" and
// null (both false).
func (f *Flag) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	text := string(data)
	if bytes.HasPrefix(data, []byte(`"`)) {
		if err := json.Unmarshal(data, &text); err != nil {
			return err
		}
	}
	switch strings.ToLower(strings.TrimSpace(text)) {
	case "true":
		*f = true
	case "false", "", "null":
		*f = false
	default:
		return fmt.Errorf("flag: want true or false, got %.20s", data)
	}
	return nil
}

// MarshalJSON writes "true" or "false" as a JSON string.
func (f Flag) MarshalJSON() ([]byte, error) {
	return json.Marshal(strconv.FormatBool(bool(f)))
}
