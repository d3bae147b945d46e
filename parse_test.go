package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every carrier's fixtures go through wismo parse and come out as events
// that each name their status and the rule that gave it.
func TestParseCommandReadsEveryCarrier(t *testing.T) {
	fixtures := map[string]string{
		"dhl":       "carriers/dhl/testdata/skeleton.json",
		"ups":       "carriers/ups/testdata/delivered.json",
		"fedex":     "carriers/fedex/testdata/batch.json",
		"usps":      "carriers/usps/testdata/delivered.json",
		"easypost":  "carriers/easypost/testdata/event_updated.json",
		"aftership": "carriers/aftership/testdata/skeleton_exception.json",
	}
	for carrier, path := range fixtures {
		var stdout, stderr bytes.Buffer
		if err := run([]string{"parse", "--carrier", carrier, filepath.FromSlash(path)}, &stdout, &stderr); err != nil {
			t.Fatalf("%s: %v", carrier, err)
		}
		var out []struct {
			Events []map[string]any `json:"events"`
		}
		if err := json.Unmarshal(stdout.Bytes(), &out); err != nil || len(out) == 0 || len(out[0].Events) == 0 {
			t.Fatalf("%s: output %q, %v; want shipments with events", carrier, stdout.String(), err)
		}
		for _, e := range out[0].Events {
			if e["status"] == "" || e["rule"] == "" || e["time"] == "" || !strings.HasSuffix(e["time"].(string), "Z") {
				t.Errorf("%s: event %v lacks a UTC time, status or rule", carrier, e)
			}
		}
	}
}

func TestParseEasyPostTrackerAndEvent(t *testing.T) {
	for _, path := range []string{"carriers/easypost/testdata/tracker_returned.json", "carriers/easypost/testdata/event_updated.json"} {
		var stdout bytes.Buffer
		if err := run([]string{"parse", "--carrier", "easypost", path}, &stdout, &bytes.Buffer{}); err != nil || !strings.Contains(stdout.String(), `"rule"`) {
			t.Errorf("%s: %v, output %.80q", path, err, stdout.String())
		}
	}
}

// Bad input gets an error that names what is wrong, and no output.
func TestParseCommandRefusesBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	truncated := write("cut.json", `{"shipments": [{"id": "1", "events": [`)
	huge := write("huge.json", `{"shipments": []}`+strings.Repeat(" ", 1<<20))
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"parse", truncated}, "needs --carrier"},
		{[]string{"parse", "--carrier", "royalmail", truncated}, `unknown carrier "royalmail"`},
		{[]string{"parse", "--carrier", "dhl"}, "needs one FILE"},
		{[]string{"parse", "--carrier", "dhl", truncated}, "cut.json: dhl: malformed response"},
		{[]string{"parse", "--carrier", "dhl", filepath.Join(dir, "missing.json")}, "no such file"},
		{[]string{"parse", "--carrier", "dhl", huge}, "larger than 1 MiB"},
	}
	for _, tt := range tests {
		var stdout bytes.Buffer
		err := run(tt.args, &stdout, &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), tt.want) || stdout.Len() > 0 {
			t.Errorf("%v: err %v, output %q; want an error containing %q and no output", tt.args, err, stdout.String(), tt.want)
		}
	}
}

func TestParseReadsStandardInput(t *testing.T) {
	body, err := os.ReadFile("carriers/dhl/testdata/skeleton.json")
	if err != nil {
		t.Fatal(err)
	}
	var stdout bytes.Buffer
	if err := runParse([]string{"--carrier", "dhl", "-"}, bytes.NewReader(body), &stdout, &bytes.Buffer{}); err != nil || !strings.Contains(stdout.String(), "dhl/transit") {
		t.Errorf("stdin: %v, output %.100q", err, stdout.String())
	}
}
