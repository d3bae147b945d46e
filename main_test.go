package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Each bad start is met by one clear line and no damage: the desk never
// opens, so nothing it would draw can hide the message.
func TestDemoRefusesBadStarts(t *testing.T) {
	dir := t.TempDir()
	notStore := filepath.Join(dir, "notes")
	if err := os.MkdirAll(notStore, 0o700); err != nil {
		t.Fatal(err)
	}
	text := []byte(strings.Repeat("customer notes, not a database\n", 400))
	if err := os.WriteFile(filepath.Join(notStore, "wismo.db"), text, 0o600); err != nil {
		t.Fatal(err)
	}
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"not a store", []string{"demo", "--data", notStore}, "not a wismo store"},
		{"data dir is a file", []string{"demo", "--data", filepath.Join(blocker, "sub")}, "data directory"},
		{"zero speed", []string{"demo", "--speed", "0"}, "--speed must be positive"},
		{"no orders", []string{"demo", "--orders", "0"}, "--orders must be between"},
		{"stray argument", []string{"demo", "now"}, "no arguments"},
		{"unknown flag", []string{"demo", "--fast"}, "flag provided but not defined"},
		{"unknown command", []string{"serve-all"}, `unknown command "serve-all"`},
		{"no command", nil, "no command"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(c.args, &stdout, &stderr)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want an error containing %q", err, c.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is more than one line: %q", err)
			}
		})
	}
	got, err := os.ReadFile(filepath.Join(notStore, "wismo.db"))
	if err != nil || !bytes.Equal(got, text) {
		t.Error("the file that is not a store was changed")
	}
}

func TestDemoStateResumesAndRejectsForeignFiles(t *testing.T) {
	dir := t.TempDir()
	f := demoFlags{seed: 7, orders: 30}
	first, err := loadDemoState(dir, f)
	if err != nil {
		t.Fatal(err)
	}
	later := first.SimNow.Add(50 * time.Hour)
	if err := first.save(dir, later); err != nil {
		t.Fatal(err)
	}
	again, err := loadDemoState(dir, demoFlags{seed: 99, orders: 5})
	if err != nil {
		t.Fatal(err)
	}
	if again.Seed != 7 || again.Orders != 30 || !again.Epoch.Equal(first.Epoch) || !again.SimNow.Equal(later) {
		t.Errorf("resumed %+v, want the first world at %v", again, later)
	}
	if err := os.WriteFile(filepath.Join(dir, demoStateFile), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := loadDemoState(dir, f); err == nil || !strings.Contains(err.Error(), "not a wismo demo state file") {
		t.Errorf("garbled state: %v", err)
	}
}
