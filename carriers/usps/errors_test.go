package usps

import "testing"

func TestErrorMessageText(t *testing.T) {
	tests := []struct {
		body, want string
		notFound   bool
	}{
		{`{"apiVersion": "v3", "error": {"code": "400", "message": "Bad request",
			"errors": [{"status": "400", "code": "INVALID_PARAM", "title": "Invalid", "detail": "trackingNumber is too short"}]}}`,
			"Bad request; trackingNumber is too short", false},
		{`{"error": {"code": "NOT_FOUND", "errors": [{"title": "Tracking number not found"}]}}`,
			"NOT_FOUND; Tracking number not found", true},
		{`{"error": {"message": "Missing", "errors": [{"status": "404", "detail": "Missing"}]}}`, "Missing", true},
		{`<html>Bad gateway</html>`, "", false},
		{`{"error": "invalid_client"}`, "", false},
	}
	for _, tt := range tests {
		m := readErrorMessage([]byte(tt.body))
		if got := m.text(); got != tt.want || m.notFound() != tt.notFound {
			t.Errorf("%s: text %q notFound %v, want %q %v", tt.body, got, m.notFound(), tt.want, tt.notFound)
		}
	}
}
