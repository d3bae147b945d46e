package ups

import (
	"testing"

	"github.com/wismo/wismo/carriers/carrierstest"
)

// TestWireRoundTrip checks that the wire types carry everything Parse
// reads: a fixture decoded into them and encoded again, as the demo
// simulator does, must parse to exactly what the fixture parses to.
func TestWireRoundTrip(t *testing.T) {
	carrierstest.RoundTrip[Response](t, func(body []byte) (any, error) { return parseResponse(body) })
}

// TestErrorResponseShape pins the error body UPS sends with 4xx and 5xx.
func TestErrorResponseShape(t *testing.T) {
	e := ErrorResponse{Response: ErrorList{Errors: []Message{{Code: "TV1002", Message: "Invalid inquiry number"}}}}
	want := `{"response":{"errors":[{"code":"TV1002","message":"Invalid inquiry number"}]}}`
	if got := string(carrierstest.Marshal(t, e)); got != want {
		t.Errorf("Marshal = %s, want %s", got, want)
	}
}
