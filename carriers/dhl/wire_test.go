package dhl

import (
	"encoding/json"
	"testing"

	"github.com/wismo/wismo/carriers/carrierstest"
)

func TestIDUnmarshal(t *testing.T) {
	tests := []struct {
		json    string
		want    ID
		wantErr bool
	}{
		{`"00340434161234567890"`, "00340434161234567890", false},
		{`7777777770`, "7777777770", false},
		// Beyond float64's 15-17 digits: must survive exactly.
		{`340434161234567890123`, "340434161234567890123", false},
		{`null`, "", false},
		{`12.5`, "", true},
		{`1e9`, "", true},
		{`-1`, "", true},
		{`true`, "", true},
		{`{}`, "", true},
	}
	for _, tt := range tests {
		var id ID
		err := json.Unmarshal([]byte(tt.json), &id)
		if (err != nil) != tt.wantErr || id != tt.want {
			t.Errorf("Unmarshal(%s) = %q, %v; want %q, error %v", tt.json, id, err, tt.want, tt.wantErr)
		}
	}
}

func TestIDMarshalsAsString(t *testing.T) {
	var s Shipment
	if err := json.Unmarshal([]byte(`{"id": 7777777770}`), &s); err != nil {
		t.Fatal(err)
	}
	if got := string(carrierstest.Marshal(t, s)); got != `{"id":"7777777770"}` {
		t.Errorf("Marshal = %s, want the id as a string and nothing else", got)
	}
}

func TestReferencesShapes(t *testing.T) {
	tests := []struct {
		json string
		want int
	}{
		{`{"references": [{"number": "ORD-1", "type": "customer-reference"}, {"number": "X", "type": "reference"}]}`, 2},
		{`{"references": {"number": "ORD-1", "type": "customer-reference"}}`, 1},
		{`{"references": {"number": 12345, "type": "customer-reference"}}`, 1},
		{`{"references": null}`, 0},
		{`{}`, 0},
	}
	for _, tt := range tests {
		var d Details
		if err := json.Unmarshal([]byte(tt.json), &d); err != nil {
			t.Errorf("Unmarshal(%s): %v", tt.json, err)
			continue
		}
		if len(d.References) != tt.want || (tt.want > 0 && d.References[0].Number == "") {
			t.Errorf("Unmarshal(%s) = %+v, want %d references", tt.json, d.References, tt.want)
		}
	}
	var d Details
	if err := json.Unmarshal([]byte(`{"references": "ORD-1"}`), &d); err == nil {
		t.Error("a string for references parsed; want an error")
	}
}

// TestReferencesFixtures parses both captured shapes inside full responses.
func TestReferencesFixtures(t *testing.T) {
	for name, wantNumber := range map[string]ID{"skeleton.json": "ORD-1", "numeric_id.json": "ORD-2"} {
		var resp Response
		if err := json.Unmarshal(carrierstest.Fixture(t, name), &resp); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		refs := resp.Shipments[0].Details.References
		if len(refs) != 1 || refs[0].Number != wantNumber {
			t.Errorf("%s: references = %+v, want one %s", name, refs, wantNumber)
		}
		if _, err := Parse(carrierstest.Fixture(t, name)); err != nil {
			t.Errorf("%s: Parse: %v", name, err)
		}
	}
}

// TestReferencesMarshalArray checks the simulator always emits the spec's
// array shape, whatever shape was read.
func TestReferencesMarshalArray(t *testing.T) {
	var d Details
	if err := json.Unmarshal([]byte(`{"references": {"number": "ORD-1", "type": "reference"}}`), &d); err != nil {
		t.Fatal(err)
	}
	want := `{"references":[{"number":"ORD-1","type":"reference"}]}`
	if got := string(carrierstest.Marshal(t, d)); got != want {
		t.Errorf("Marshal = %s, want %s", got, want)
	}
}
