package main

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/wismo/wismo/store"
)

var placed = time.Date(2026, 3, 5, 8, 0, 0, 0, time.UTC)

// putOrders writes orders number from..from+n-1 in one transaction.
func putOrders(st *store.Store, from, n int) error {
	return st.Update(func(tx *store.Tx) error {
		for i := from; i < from+n; i++ {
			o := store.Order{Number: fmt.Sprintf("#%d", i), PlacedAt: placed.Add(time.Duration(i) * time.Minute),
				Customer: store.Customer{Name: fmt.Sprintf("Customer %d", i), Email: fmt.Sprintf("c%d@example.com", i)}}
			if err := tx.PutOrder(o); err != nil {
				return err
			}
		}
		return nil
	})
}

// newStore makes a data directory whose store holds n orders.
func newStore(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, storeFile), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := putOrders(st, 1000, n); err != nil {
		t.Fatal(err)
	}
	return dir
}

// countOrders opens the store at path and counts its orders.
func countOrders(t *testing.T, path string) int {
	t.Helper()
	st, err := store.Open(path, store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rows, err := st.OrdersBefore(nil, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	return len(rows)
}

// damageOrdersPage writes garbage over the orders bucket's root page of a
// closed store, found through bbolt's page layout: the page id times the
// page size is where it starts in the file.
func damageOrdersPage(t *testing.T, path string) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var offset int64
	var size int
	db.View(func(tx *bolt.Tx) error {
		size = db.Info().PageSize
		offset = int64(tx.Bucket([]byte("orders")).Root()) * int64(size)
		return nil
	})
	db.Close()
	if offset == 0 {
		t.Fatal("the orders bucket is inline: no page of its own to damage")
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(bytes.Repeat([]byte{0xA5, 0x17}, size/2), offset); err != nil {
		t.Fatal(err)
	}
}

func runCmd(args ...string) (string, error) {
	var stdout, stderr bytes.Buffer
	err := run(args, &stdout, &stderr)
	return stdout.String(), err
}

func TestCheckFindsADamagedPageAndTheDeskStopsOnIt(t *testing.T) {
	dir := newStore(t, 300)
	out, err := runCmd("check", "--data", dir)
	if err != nil || !strings.Contains(out, "store is consistent") || !strings.Contains(out, "300 orders (and 0 archived)") {
		t.Fatalf("check of a sound store: %v\n%s", err, out)
	}
	path := filepath.Join(dir, storeFile)
	damageOrdersPage(t, path)
	damaged, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	out, err = runCmd("check", "--data", dir)
	if err == nil || !strings.Contains(err.Error(), "store is damaged") || strings.Contains(out, "consistent") || out == "" {
		t.Errorf("check of a damaged store: %v\n%s", err, out)
	}
	t.Logf("check said:\n%s%v", out, err)
	// Compact refuses before it writes a byte.
	_, err = runCmd("compact", "--data", dir)
	if err == nil || !strings.Contains(err.Error(), "store is damaged") || strings.Contains(err.Error(), "\n") {
		t.Errorf("compact on a damaged store: got %v, want one line saying it is damaged", err)
	}
	if after, err := os.ReadFile(path); err != nil || !bytes.Equal(damaged, after) {
		t.Errorf("compact wrote to the damaged store (%v)", err)
	}
	// The desk opens at once (it reads no page it does not serve) and
	// stops, without a crash, on the first damaged page it meets, saying
	// what to do.
	_, err = runCmd("demo", "--data", dir)
	if err == nil || !strings.Contains(err.Error(), "store is damaged") || strings.Contains(err.Error(), "\n") ||
		!strings.Contains(err.Error(), "wismo check --data") {
		t.Errorf("demo on a damaged store: got %v, want one line saying it is damaged and what to do", err)
	}
}

func TestBackupWhileTheDeskHoldsTheStore(t *testing.T) {
	dir := newStore(t, 200)
	st, err := store.Open(filepath.Join(dir, storeFile), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	stop := serveControl(dir, st, slog.New(slog.DiscardHandler))
	if fi, err := os.Stat(controlSocket(dir)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("control socket: %v, %v; want mode 0600", fi, err)
	}
	var wg sync.WaitGroup
	var writeErr error
	wg.Go(func() {
		for i := 0; i < 20 && writeErr == nil; i++ {
			writeErr = putOrders(st, 5000+i*10, 10) // the desk keeps writing
		}
	})
	backupDir := filepath.Join(t.TempDir(), "backup")
	out, err := runCmd("backup", "--data", dir, backupDir)
	wg.Wait()
	if err != nil || writeErr != nil || !strings.Contains(out, "from the running desk") {
		t.Fatalf("backup: %v, %v\n%s", err, writeErr, out)
	}
	if n := countOrders(t, filepath.Join(backupDir, storeFile)); n < 200 || n > 400 || n%10 != 0 {
		t.Errorf("backup holds %d orders, want the 200 and whole batches of those written since", n)
	}
	if _, err := os.Stat(backupDir + ".tmp"); !os.IsNotExist(err) {
		t.Errorf("%s.tmp left behind: %v", backupDir, err)
	}
	stop()
	if _, err := os.Stat(controlSocket(dir)); !os.IsNotExist(err) {
		t.Errorf("control socket left after the desk stopped: %v", err)
	}
}

func TestBackupAndCompactWithNoDesk(t *testing.T) {
	dir := newStore(t, 150)
	// A socket left by a desk that died must not stand in the way.
	if err := os.WriteFile(controlSocket(dir), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	backupDir := filepath.Join(t.TempDir(), "backup")
	out, err := runCmd("backup", "--data", dir, backupDir)
	if err != nil || !strings.Contains(out, "from the store file") {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	if n := countOrders(t, filepath.Join(backupDir, storeFile)); n != 150 {
		t.Errorf("backup holds %d orders, want 150", n)
	}
	out, err = runCmd("compact", "--data", dir)
	if err != nil || !strings.Contains(out, "before") || !strings.Contains(out, "after") {
		t.Fatalf("compact: %v\n%s", err, out)
	}
	if n := countOrders(t, filepath.Join(dir, storeFile)); n != 150 {
		t.Errorf("compacted store holds %d orders, want 150", n)
	}
}

// Every bad start of a store command is one clear line, and leaves no file.
func TestStoreCommandsRefuseBadInput(t *testing.T) {
	dir := newStore(t, 5)
	empty := t.TempDir()
	out := t.TempDir()
	held := newStore(t, 5)
	st, err := store.Open(filepath.Join(held, storeFile), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"backup without a directory", []string{"backup", "--data", dir}, "backup needs BACKUP"},
		{"backup to two directories", []string{"backup", "--data", dir, "a", "b"}, "backup takes 1 argument"},
		{"backup into a missing directory", []string{"backup", "--data", dir, filepath.Join(out, "no", "b")}, "backup directory " + filepath.Join(out, "no") + " does not exist"},
		{"backup over the store", []string{"backup", "--data", dir, dir}, "is the data directory itself"},
		{"backup over a backup", []string{"backup", "--data", dir, t.TempDir()}, "exists: back up to a new directory"},
		{"backup of no store", []string{"backup", "--data", empty, filepath.Join(out, "b")}, "no store at"},
		{"backup of a store held without a desk", []string{"backup", "--data", held, filepath.Join(out, "b")}, "store in use by another process, and no desk answers"},
		{"backup with an unknown flag", []string{"backup", "--fast", "b"}, "flag provided but not defined"},
		{"check with an argument", []string{"check", "--data", dir, "now"}, "check takes 0 argument"},
		{"check of no store", []string{"check", "--data", empty}, "no store at"},
		{"check of a store in use", []string{"check", "--data", held}, "store in use by another process"},
		{"compact of a store in use", []string{"compact", "--data", held}, "store in use by another process"},
		{"compact with an unknown flag", []string{"compact", "-x"}, "flag provided but not defined"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := runCmd(c.args...)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want an error containing %q", err, c.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is more than one line: %q", err)
			}
		})
	}
	if left, _ := os.ReadDir(out); len(left) != 0 {
		t.Errorf("refused backups left %v", left)
	}
	if _, err := os.Stat(filepath.Join(empty, storeFile)); !os.IsNotExist(err) {
		t.Errorf("a command on an empty directory created a store: %v", err)
	}
}

func TestCheckListsUnmappedCodesAndQuarantine(t *testing.T) {
	dir := newStore(t, 3)
	st, err := store.Open(filepath.Join(dir, storeFile), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	err = st.Update(func(tx *store.Tx) error {
		for range 2 {
			if err := tx.CountUnmapped("ups", "ZZ"); err != nil {
				return err
			}
		}
		return tx.Quarantine(store.Quarantined{Provider: "aftership", At: time.Now(), Reason: "malformed", Body: []byte("{")})
	})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	out, err := runCmd("check", "--data", dir)
	if err != nil || !strings.Contains(out, `ups "ZZ": 2 events`) || !strings.Contains(out, "1 refused webhook bodies kept in quarantine") {
		t.Errorf("check: %v\n%s", err, out)
	}
}

// archivedStore is a data directory whose store holds 40 orders: 20
// archived in November, 10 in December, 10 hot.
func archivedStore(t *testing.T) string {
	t.Helper()
	dir := newStore(t, 40)
	st, err := store.Open(filepath.Join(dir, storeFile), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, step := range []struct {
		upTo  int
		month time.Time
	}{{1020, time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC)}, {1030, time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)}} {
		if _, _, err := st.Archive(placed.Add(time.Duration(step.upTo)*time.Minute), 100, step.month); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// Check, backup and compact take the archive files with the hot file: a
// backup is a data directory that restores them all, and check names an
// archive that went missing.
func TestStoreCommandsTakeTheArchives(t *testing.T) {
	dir := archivedStore(t)
	out, err := runCmd("check", "--data", dir)
	if err != nil || !strings.Contains(out, "10 orders (and 30 archived)") ||
		!strings.Contains(out, "2026-11  consistent, 20 orders") || !strings.Contains(out, "2026-12  consistent, 10 orders") ||
		!strings.Contains(out, "where the bytes go:") {
		t.Fatalf("check: %v\n%s", err, out)
	}
	backupDir := filepath.Join(t.TempDir(), "backup")
	if out, err := runCmd("backup", "--data", dir, backupDir); err != nil || !strings.Contains(out, "30 archived in 2 archive files") {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	for _, f := range []string{storeFile, "archive/2026-11.db", "archive/2026-12.db"} {
		if _, err := os.Stat(filepath.Join(backupDir, f)); err != nil {
			t.Errorf("backup lacks %s: %v", f, err)
		}
	}
	st, err := store.Open(filepath.Join(backupDir, storeFile), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	if d, err := st.Order("#1005"); err != nil || !d.Archived {
		t.Errorf("the backup's archived order: %+v, %v", d.Order.Number, err)
	}
	st.Close()
	if out, err := runCmd("compact", "--data", dir); err != nil || !strings.Contains(out, "after") {
		t.Fatalf("compact: %v\n%s", err, out)
	}
	if err := os.Remove(filepath.Join(dir, "archive", "2026-11.db")); err != nil {
		t.Fatal(err)
	}
	out, err = runCmd("check", "--data", dir)
	if err == nil || !strings.Contains(out, "archive 2026-11 unavailable: the file is missing") || !strings.Contains(err.Error(), "restore it from a backup") {
		t.Errorf("check with an archive missing: %v\n%s", err, out)
	}
}

// check on a store a desk holds has the desk check it in the background
// and prints what it found.
func TestCheckWhileTheDeskHoldsTheStore(t *testing.T) {
	dir := newStore(t, 200)
	st, err := store.Open(filepath.Join(dir, storeFile), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	stop := serveControl(dir, st, slog.New(slog.DiscardHandler))
	defer stop()
	out, err := runCmd("check", "--data", dir)
	if err != nil || !strings.Contains(out, "the running desk checked it") || !strings.Contains(out, "store is consistent") {
		t.Fatalf("check through the desk: %v\n%s", err, out)
	}
	if c := st.CheckStatus(); c.Finished.IsZero() || c.Why != "asked for by wismo check" {
		t.Errorf("the desk's checks after wismo check: %+v", c)
	}
}
