package usps

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/wismo/wismo/carriers/carrierstest"
)

func TestOffsetUnmarshal(t *testing.T) {
	tests := []struct {
		json    string
		want    Offset
		wantErr bool
	}{
		{`"-05:00"`, Offset{-300, true}, false},
		{`"-7:00"`, Offset{-420, true}, false},
		{`"+05:30"`, Offset{330, true}, false},
		{`"+00:00"`, Offset{0, true}, false},
		{`-420`, Offset{-420, true}, false},
		{`"-420"`, Offset{-420, true}, false},
		{`" -300 "`, Offset{-300, true}, false},
		{`0`, Offset{0, true}, false},
		{`null`, Offset{}, false},
		{`""`, Offset{}, false},
		{`"-0500"`, Offset{-300, true}, false},
		{`"+1000"`, Offset{600, true}, false},
		{`"-0560"`, Offset{}, true},
		{`"-05:0"`, Offset{}, true},
		{`"-05:60"`, Offset{}, true},
		{`"--5"`, Offset{}, true},
		{`-420.5`, Offset{}, true},
		{`900`, Offset{}, true},
		{`"EST"`, Offset{}, true},
		{`true`, Offset{}, true},
	}
	for _, tt := range tests {
		var o Offset
		err := json.Unmarshal([]byte(tt.json), &o)
		if (err != nil) != tt.wantErr || o != tt.want {
			t.Errorf("Unmarshal(%s) = %+v, %v; want %+v, error %v", tt.json, o, err, tt.want, tt.wantErr)
		}
	}
}

func TestOffsetMarshal(t *testing.T) {
	for o, want := range map[Offset]string{
		{-420, true}: `"-07:00"`,
		{330, true}:  `"+05:30"`,
		{0, true}:    `"+00:00"`,
		{}:           `null`,
	} {
		if got := string(carrierstest.Marshal(t, o)); got != want {
			t.Errorf("Marshal(%+v) = %s, want %s", o, got, want)
		}
	}
	if got := string(carrierstest.Marshal(t, TrackingEvent{EventCode: "TL"})); got != `{"eventCode":"TL"}` {
		t.Errorf("an event without offset or flags = %s, want them left out", got)
	}
}

func TestFlag(t *testing.T) {
	for in, want := range map[string]Flag{`true`: true, `"true"`: true, `"TRUE"`: true, `false`: false,
		`"false"`: false, `""`: false, `null`: false} {
		var f Flag = !want
		if err := json.Unmarshal([]byte(in), &f); err != nil || f != want {
			t.Errorf("Unmarshal(%s) = %v, %v; want %v", in, f, err, want)
		}
	}
	for _, in := range []string{`"yes"`, `1`, `{}`} {
		var f Flag
		if err := json.Unmarshal([]byte(in), &f); err == nil {
			t.Errorf("Unmarshal(%s) succeeded; want an error", in)
		}
	}
	if got := string(carrierstest.Marshal(t, Flag(true))); got != `"true"` {
		t.Errorf("Marshal(true) = %s, want the string USPS sends", got)
	}
}

// TestWireRoundTrip checks what the simulator emits is what Parse reads:
// each fixture decoded into the wire types and encoded again normalizes
// exactly as the original.
func TestWireRoundTrip(t *testing.T) {
	for _, name := range carrierstest.Fixtures(t) {
		t.Run(name, func(t *testing.T) {
			var d TrackingDetails
			if err := json.Unmarshal(carrierstest.Fixture(t, name), &d); err != nil {
				t.Fatal(err)
			}
			again := carrierstest.Marshal(t, d)
			var d2 TrackingDetails
			if err := json.Unmarshal(again, &d2); err != nil {
				t.Fatalf("re-reading %s: %v", again, err)
			}
			if !reflect.DeepEqual(d, d2) {
				t.Errorf("wire values changed in a round trip:\n%+v\n%+v", d, d2)
			}
			if a, b := carrierstest.ParseOne(t, Parse, carrierstest.Fixture(t, name)), carrierstest.ParseOne(t, Parse, again); !reflect.DeepEqual(a, b) {
				t.Errorf("normalized output changed:\n%+v\n%+v", a, b)
			}
		})
	}
}

// TestUniqueMailPieceIDSpellings reads both the spec's and the captured
// responses' spelling of the field.
func TestUniqueMailPieceIDSpellings(t *testing.T) {
	for _, body := range []string{`{"trackingNumber": "T1", "uniqueMailPieceId": "77"}`,
		`{"trackingNumber": "T1", "uniqueMailPieceID": "77"}`} {
		if s := carrierstest.ParseOne(t, Parse, []byte(body)); s.Ref != "77" {
			t.Errorf("%s: Ref = %q, want 77", body, s.Ref)
		}
	}
}
