package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func openTemp(t testing.TB) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "wismo.db"), Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestReopenKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wismo.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Update(func(tx *Tx) error { return tx.PutOrder(Order{Number: "1001"}) }); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Order("1001"); err != nil {
		t.Fatalf("order after reopen: %v", err)
	}
}

// A second process must be told the store is busy, not hang.
func TestSecondOpenIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wismo.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = Open(path, Options{Timeout: 100 * time.Millisecond})
	if !errors.Is(err, ErrInUse) {
		t.Fatalf("second open: got %v, want ErrInUse", err)
	}
	if want := "store in use by another process"; !bytes.Contains([]byte(err.Error()), []byte(want)) {
		t.Errorf("error %q does not say %q", err, want)
	}
}

func TestNewerSchemaIsRefusedAndUntouched(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wismo.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket(bucketMeta)
		if err != nil {
			return err
		}
		return b.Put(keySchema, binary.BigEndian.AppendUint32(nil, SchemaVersion+1))
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	before := readFile(t, path)
	_, err = Open(path, Options{})
	if !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("got %v, want ErrNewerSchema", err)
	}
	if !bytes.Equal(before, readFile(t, path)) {
		t.Error("refused store was modified")
	}
}

func TestForeignFilesAreRefusedAndUntouched(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(text, bytes.Repeat([]byte("not a database\n"), 500), 0o600); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "other.db")
	db, err := bolt.Open(other, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("users")); return err }); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, path := range []string{text, other} {
		before := readFile(t, path)
		if _, err := Open(path, Options{}); !errors.Is(err, ErrNotStore) {
			t.Errorf("%s: got %v, want ErrNotStore", filepath.Base(path), err)
		}
		if !bytes.Equal(before, readFile(t, path)) {
			t.Errorf("%s was modified", filepath.Base(path))
		}
	}
}

func TestUnwritableDirectory(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root ignores directory permissions")
	}
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	_, err := Open(filepath.Join(dir, "wismo.db"), Options{})
	if err == nil || !bytes.Contains([]byte(err.Error()), []byte("permission denied")) {
		t.Fatalf("got %v, want permission denied", err)
	}
}

func TestSubscribeCoalesces(t *testing.T) {
	s := openTemp(t)
	ch, cancel := s.Subscribe()
	for i := range 5 {
		if err := s.Update(func(tx *Tx) error { return tx.PutOrder(Order{Number: string(rune('a' + i))}) }); err != nil {
			t.Fatal(err)
		}
	}
	<-ch
	select {
	case <-ch:
		t.Fatal("five commits gave more than one pending signal")
	default:
	}
	failed := s.Update(func(tx *Tx) error { return errors.New("boom") })
	if failed == nil {
		t.Fatal("update error lost")
	}
	select {
	case <-ch:
		t.Fatal("a rolled back transaction signalled a change")
	default:
	}
	cancel()
	if _, ok := <-ch; ok {
		t.Fatal("channel open after cancel")
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
