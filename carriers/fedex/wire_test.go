package fedex

import (
	"encoding/json"
	"testing"

	"github.com/wismo/wismo/carriers/carrierstest"
)

func TestCountUnmarshal(t *testing.T) {
	tests := []struct {
		json    string
		want    Count
		wantErr bool
	}{
		{`"0"`, "0", false},
		{`"2"`, "2", false},
		{`3`, "3", false},
		{`null`, "", false},
		{`1.5`, "", true},
		{`true`, "", true},
		{`{}`, "", true},
	}
	for _, tt := range tests {
		var c Count
		err := json.Unmarshal([]byte(tt.json), &c)
		if (err != nil) != tt.wantErr || c != tt.want {
			t.Errorf("Unmarshal(%s) = %q, %v; want %q, error %v", tt.json, c, err, tt.want, tt.wantErr)
		}
	}
	if got := string(carrierstest.Marshal(t, DeliveryDetails{DeliveryAttempts: "1"})); got != `{"deliveryAttempts":"1"}` {
		t.Errorf("Marshal = %s, want the count as a string", got)
	}
}

// TestWireRoundTrip checks that what the simulator writes with the wire
// types reads back to the same normalized answer as the fixture it came
// from: every field Parse reads survives encoding.
func TestWireRoundTrip(t *testing.T) {
	carrierstest.RoundTrip[Response](t, func(body []byte) (any, error) { return parseResponse(body) })
}

// TestScanEventKeepsEmptyExceptions: FedEx writes exceptionCode and
// exceptionDescription even when empty, and so does the simulator.
func TestScanEventKeepsEmptyExceptions(t *testing.T) {
	got := string(carrierstest.Marshal(t, ScanEvent{Date: "2024-02-17T05:35:00-05:00", EventType: "OD"}))
	want := `{"date":"2024-02-17T05:35:00-05:00","eventType":"OD","exceptionCode":"","exceptionDescription":""}`
	if got != want {
		t.Errorf("Marshal = %s, want %s", got, want)
	}
}

func TestRequestShape(t *testing.T) {
	req := Request{IncludeDetailedScans: true, TrackingInfo: []TrackingInfo{
		{TrackingNumberInfo: TrackingNumberInfo{TrackingNumber: "612345678901"}}}}
	want := `{"includeDetailedScans":true,"trackingInfo":[{"trackingNumberInfo":{"trackingNumber":"612345678901"}}]}`
	if got := string(carrierstest.Marshal(t, req)); got != want {
		t.Errorf("Marshal = %s, want %s", got, want)
	}
}
