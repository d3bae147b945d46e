package ups

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestWireRoundTrip checks that the wire types carry everything Parse
// reads: a fixture decoded into them and encoded again, as the demo
// simulator does, must parse to exactly what the fixture parses to.
func TestWireRoundTrip(t *testing.T) {
	for _, name := range fixtures {
		body := fixture(t, name+".json")
		var resp Response
		if err := json.Unmarshal(body, &resp); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want, err := parseResponse(body)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got, err := parseResponse(marshal(t, resp))
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: round trip parses to %+v, %v; want %+v", name, got, err, want)
		}
	}
}

// TestErrorResponseShape pins the error body UPS sends with 4xx and 5xx.
func TestErrorResponseShape(t *testing.T) {
	e := ErrorResponse{Response: ErrorList{Errors: []Message{{Code: "TV1002", Message: "Invalid inquiry number"}}}}
	want := `{"response":{"errors":[{"code":"TV1002","message":"Invalid inquiry number"}]}}`
	if got := string(marshal(t, e)); got != want {
		t.Errorf("Marshal = %s, want %s", got, want)
	}
}
