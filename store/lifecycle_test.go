package store

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"
)

// putFinished stores n orders delivered long before the cutoff and n still
// on their way, numbered from prefix.
func putFinished(t *testing.T, s *Store, prefix string, n int) {
	t.Helper()
	for i := range n {
		putJourneys(t, s, fmt.Sprintf("#%s%03d", prefix, i), longAgo,
			journey{fmt.Sprintf("%sD%03d", prefix, i), StatusDelivered, before, StateResolved})
		putJourneys(t, s, fmt.Sprintf("#%s%03dT", prefix, i), longAgo,
			journey{fmt.Sprintf("%sT%03d", prefix, i), StatusInTransit, before, ""})
	}
}

func TestCompactShrinksAnArchivedStoreAndKeepsItsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wismo.db")
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	putFinished(t, s, "C", 300)
	for {
		n, _, err := s.Archive(cutoff, 100, t0)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
	}
	want := dumpStore(t, s)
	s.Close()

	before, after, err := Compact(path)
	if err != nil {
		t.Fatal(err)
	}
	if after >= before {
		t.Errorf("compacted from %d to %d bytes, want smaller", before, after)
	}
	r, err := Check(path)
	archived := int64(0)
	for _, a := range r.Archives {
		archived += a.Size
	}
	if err != nil || len(r.Problems) > 0 || len(r.Archives) != 1 || r.Size+archived != after {
		t.Fatalf("check after compact = %+v, %v; want the hot file and its archive, %d bytes in all", r, err, after)
	}
	if r.Orders != 300 || r.Archived != 300 || r.Parcels != 300 || r.Events != 600 {
		t.Errorf("compacted store holds %+v, want 300 orders, 300 archived, 300 parcels, 600 events", r)
	}
	s, err = Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := dumpStore(t, s); string(got) != string(want) {
		t.Error("the compacted store holds other data than the store it was compacted from")
	}
	if d, err := s.Order("#C007"); err != nil || !d.Archived {
		t.Errorf("archived order after compact = %+v, %v", d, err)
	}
}

func TestCompactAndCheckRefuseAStoreInUse(t *testing.T) {
	s := openTemp(t)
	if _, _, err := Compact(s.Path()); !errors.Is(err, ErrInUse) {
		t.Errorf("Compact of an open store: got %v, want ErrInUse", err)
	}
	if _, err := Check(s.Path()); !errors.Is(err, ErrInUse) {
		t.Errorf("Check of an open store: got %v, want ErrInUse", err)
	}
	if _, _, err := Compact(filepath.Join(t.TempDir(), "none.db")); err == nil {
		t.Error("Compact of a missing file did not fail")
	}
}

// A snapshot is the store as of one moment: orders written while it is
// being saved are not in it, and the copy opens as a consistent store.
func TestSnapshotIsOneMomentWhileWritesGoOn(t *testing.T) {
	s := openTemp(t)
	putFinished(t, s, "B", 100)
	sn, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var writeErr error
	wg.Go(func() {
		for i := 0; i < 50 && writeErr == nil; i++ {
			writeErr = s.Update(func(tx *Tx) error {
				return tx.PutOrder(Order{Number: fmt.Sprintf("#LATE%02d", i), PlacedAt: lately})
			})
		}
	})
	dir := filepath.Join(t.TempDir(), "backup")
	r, err := SaveBackup(dir, "wismo.db", func(save func(string, func(io.Writer) error) error) error {
		for _, f := range sn.Files() {
			if err := save(f.Name, func(w io.Writer) error { _, err := f.WriteTo(w); return err }); err != nil {
				return err
			}
		}
		return nil
	})
	sn.Close()
	wg.Wait()
	if writeErr != nil {
		t.Fatal(writeErr)
	}
	if err != nil || len(r.Problems) > 0 || r.Orders != 200 {
		t.Fatalf("backup = %+v, %v; want a consistent store of 200 orders", r, err)
	}
	backup, err := Open(filepath.Join(dir, "wismo.db"), Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer backup.Close()
	rows, err := backup.OrdersBefore(nil, 1000)
	if err != nil || len(rows) != 200 || slices.ContainsFunc(rows, func(r OrderRow) bool { return r.Order.PlacedAt.Equal(lately) }) {
		t.Errorf("backup lists %d orders (%v), want the 200 there before the snapshot", len(rows), err)
	}
}

func TestSaveBackupNeverLeavesAHalfFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "backup")
	one := func(name string, write func(io.Writer) error) func(func(string, func(io.Writer) error) error) error {
		return func(save func(string, func(io.Writer) error) error) error { return save(name, write) }
	}
	_, err := SaveBackup(path, "wismo.db", one("wismo.db", func(w io.Writer) error {
		_, err := w.Write([]byte("the first page of a store, then the connection dropped"))
		return err
	}))
	if !errors.Is(err, ErrNotStore) {
		t.Errorf("truncated backup: got %v, want it refused as not a store", err)
	}
	_, err = SaveBackup(path, "wismo.db", one("wismo.db", func(io.Writer) error { return io.ErrUnexpectedEOF }))
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("failed copy: got %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*")); len(left) != 0 {
		t.Errorf("failed backups left %v", left)
	}
}

// A desk that was waiting for the store's lock while Compact replaced the
// file must open the new file: writes to the old one would be lost.
func TestOpenWaitingThroughACompactOpensTheNewFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wismo.db")
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	putFinished(t, s, "W", 5)
	s.Close()
	reader, err := openReadOnly(path, defaultTimeout) // keeps the desk waiting
	if err != nil {
		t.Fatal(err)
	}
	opened := make(chan *Store)
	go func() {
		s, err := Open(path, Options{NoSync: true, Timeout: 10 * time.Second})
		if err != nil {
			t.Error(err)
		}
		opened <- s
	}()
	time.Sleep(300 * time.Millisecond) // the desk has the old file open, waiting
	if _, _, err := Compact(path); err != nil {
		t.Fatal(err)
	}
	reader.Close()
	s = <-opened
	if s == nil {
		t.FailNow()
	}
	if err := s.Update(func(tx *Tx) error { return tx.PutOrder(Order{Number: "#AFTER", PlacedAt: lately}) }); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Order("#AFTER"); err != nil {
		t.Errorf("an order written after the compaction is lost: %v", err)
	}
}
