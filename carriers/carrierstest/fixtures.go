package carrierstest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/wismo/wismo/carriers"
)

// Fixture is the body in testdata/name.
func Fixture(tb testing.TB, name string) []byte {
	tb.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return body
}

// Fixtures names every testdata/*.json, failing when there is none.
func Fixtures(tb testing.TB) []string {
	tb.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil || len(paths) == 0 {
		tb.Fatalf("no fixtures: %v", err)
	}
	names := make([]string, len(paths))
	for i, p := range paths {
		names[i] = filepath.Base(p)
	}
	return names
}

// Marshal is json.Marshal that fails the test on error.
func Marshal(tb testing.TB, v any) []byte {
	tb.Helper()
	body, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return body
}

// Golden compares v as indented JSON with
// testdata/<test name>.golden; go test -update rewrites the file, and the
// diff is then read before committing.
func Golden(t *testing.T, v any) {
	t.Helper()
	out, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden.RequireEqual(t, append(out, '\n'))
}

// GoldenEach runs a subtest per fixture, named after it without ".json",
// that compares what normalize makes of its body with the golden file.
func GoldenEach(t *testing.T, normalize func(name string, body []byte) (any, error)) {
	t.Helper()
	for _, name := range Fixtures(t) {
		t.Run(strings.TrimSuffix(name, ".json"), func(t *testing.T) {
			out, err := normalize(name, Fixture(t, name))
			if err != nil {
				t.Fatal(err)
			}
			Golden(t, out)
		})
	}
}

// ParseOne runs parse on a body that must hold exactly one shipment.
func ParseOne(t *testing.T, parse func([]byte) ([]carriers.Shipment, error), body []byte) carriers.Shipment {
	t.Helper()
	shipments, err := parse(body)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(shipments) != 1 {
		t.Fatalf("got %d shipments, want 1", len(shipments))
	}
	return shipments[0]
}

// ParseFails checks that parse refuses body whole: no result, and an error
// that starts with prefix (the package's "dhl: ") and contains want.
func ParseFails(t *testing.T, parse func([]byte) ([]carriers.Shipment, error), prefix, body, want string) {
	t.Helper()
	shipments, err := parse([]byte(body))
	if err == nil || shipments != nil {
		t.Fatalf("Parse = %v, %v; want nil and an error", shipments, err)
	}
	if !strings.HasPrefix(err.Error(), prefix) || !strings.Contains(err.Error(), want) {
		t.Errorf("error = %q, want %q prefix and %q", err, prefix, want)
	}
}

// RoundTrip checks the simulator's path: every fixture decoded into the
// wire type W and encoded again must normalize exactly as the fixture
// does, so every field the parser reads survives encoding.
func RoundTrip[W any](t *testing.T, normalize func(body []byte) (any, error)) {
	t.Helper()
	for _, name := range Fixtures(t) {
		body := Fixture(t, name)
		var wire W
		if err := json.Unmarshal(body, &wire); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want, err := normalize(body)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got, err := normalize(Marshal(t, wire)); err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: re-encoded, it normalizes to %+v, %v; want %+v", name, got, err, want)
		}
	}
}
