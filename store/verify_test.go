package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// verifyFixture is a closed store of n orders, each parcel with a few
// scans and every tenth with an exception, rewritten once so the file has
// free pages; it returns the file's path.
func verifyFixture(t *testing.T, n int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "wismo.db")
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	for start := 0; start < n; start += 500 {
		mustUpdate(t, s, func(tx *Tx) error {
			for i := start; i < min(start+500, n); i++ {
				if err := benchOrder(tx, i); err != nil {
					return err
				}
			}
			return nil
		})
	}
	scanAll(t, s, n, 0)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// scanAll gives each of the first n parcels another scan, round r.
func scanAll(t *testing.T, s *Store, n, r int) {
	t.Helper()
	for start := 0; start < n; start += 500 {
		err := s.Write(func(tx *Tx) error {
			for i := start; i < min(start+500, n); i++ {
				at := t0.Add(time.Duration(r+1) * time.Hour)
				_, err := tx.AddEvents(ParcelID(i+1), SourcePoll, []Event{{Time: at, LocalTime: at.Format(time.RFC3339),
					RawCode: "transit", RawText: fmt.Sprintf("Processed in hub %d", r), Status: StatusInTransit}})
				if err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func openVerified(t *testing.T, path string) (*Store, Report) {
	t.Helper()
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	r, err := s.Verify(context.Background(), "test")
	if err != nil {
		t.Fatal(err)
	}
	return s, r
}

func TestVerifyFindsASoundStoreSound(t *testing.T) {
	path := verifyFixture(t, 3000)
	s, r := openVerified(t, path)
	if len(r.Problems) > 0 || s.Damaged() {
		t.Fatalf("a sound store: %v", r.Problems)
	}
	st := s.CheckStatus()
	if st.Running || st.Finished.IsZero() || st.Checked == 0 || st.Checked > st.Pages || st.UncleanStop {
		t.Errorf("status after a check of a cleanly closed store = %+v", st)
	}
	if err := s.Write(func(tx *Tx) error { return nil }); err != nil {
		t.Errorf("a write after a sound check: %v", err)
	}
	s.Close()
	if offline, err := Check(path); err != nil || len(offline.Problems) > 0 {
		t.Errorf("bbolt's check of the same file: %v, %v", offline.Problems, err)
	}
}

// The check runs while the writer commits, freeing and reusing pages all
// the while: it sees its snapshot, never a page freed after it began. It
// runs until checks have overlapped with a few dozen commits.
func TestVerifyWhileWritesGoOn(t *testing.T) {
	path := verifyFixture(t, 2000)
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Go(func() {
		for r := 1; ; r++ {
			select {
			case <-stop:
				return
			default:
			}
			scanAll(t, s, 2000, r)
		}
	})
	overlapped := 0
	for checks := 0; overlapped < 40 && checks < 200; checks++ {
		before := s.WriterStats().Commits
		r, err := s.Verify(context.Background(), "test")
		if err != nil || len(r.Problems) > 0 {
			t.Fatalf("check %d while writing found %v, %v", checks, r.Problems, err)
		}
		overlapped += s.WriterStats().Commits - before
	}
	close(stop)
	wg.Wait()
	if overlapped < 40 {
		t.Errorf("checks overlapped with only %d commits", overlapped)
	}
}

// damages are ways a page of a store file goes bad, each done to a closed
// file through bbolt's page layout.
var damages = []struct {
	name   string
	damage func(t *testing.T, f *os.File, pageSize int, orders, parcels, freelist uint64)
}{
	{"garbage over a bucket's root page", func(t *testing.T, f *os.File, size int, orders, _, _ uint64) {
		garbage := make([]byte, size)
		for i := range garbage {
			garbage[i] = byte(0xA5 ^ i)
		}
		writePage(t, f, size, orders, garbage)
	}},
	{"two keys of a leaf swapped", func(t *testing.T, f *os.File, size int, _, parcels, _ uint64) {
		leaf := firstLeaf(t, f, size, parcels)
		page := readPage(t, f, size, leaf)
		a, b := page[16:32], page[32:48]
		// Swap where the first two elements' keys are, so they read in
		// the wrong order.
		pa := binary.LittleEndian.Uint32(a[4:]) + 0
		pb := binary.LittleEndian.Uint32(b[4:]) + elementSize
		binary.LittleEndian.PutUint32(a[4:], pb)
		binary.LittleEndian.PutUint32(b[4:], pa-elementSize)
		writePage(t, f, size, leaf, page)
	}},
	{"a page in use listed as free", func(t *testing.T, f *os.File, size int, orders, _, freelist uint64) {
		page := readPage(t, f, size, freelist)
		n := binary.LittleEndian.Uint16(page[10:])
		if n == 0 || n == 0xffff {
			t.Fatalf("free-page list of %d entries", n)
		}
		binary.LittleEndian.PutUint64(page[16+8*int(n-1):], orders)
		writePage(t, f, size, freelist, page)
	}},
}

func readPage(t *testing.T, f *os.File, size int, id uint64) []byte {
	t.Helper()
	b := make([]byte, size)
	if _, err := f.ReadAt(b, int64(id)*int64(size)); err != nil {
		t.Fatal(err)
	}
	return b
}

func writePage(t *testing.T, f *os.File, size int, id uint64, b []byte) {
	t.Helper()
	if _, err := f.WriteAt(b, int64(id)*int64(size)); err != nil {
		t.Fatal(err)
	}
}

// firstLeaf follows a tree's first children down to its first leaf.
func firstLeaf(t *testing.T, f *os.File, size int, id uint64) uint64 {
	for {
		page := readPage(t, f, size, id)
		if binary.LittleEndian.Uint16(page[8:]) == leafFlag {
			return id
		}
		id = binary.LittleEndian.Uint64(page[16+8:])
	}
}

// pageLayout reads where a closed store's orders and parcels trees and its
// free-page list start.
func pageLayout(t *testing.T, path string) (size int, orders, parcels, freelist uint64) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var txid uint64
	db.View(func(tx *bolt.Tx) error {
		size, txid = db.Info().PageSize, uint64(tx.ID())
		orders, parcels = uint64(tx.Bucket(bucketOrders).Root()), uint64(tx.Bucket(bucketParcels).Root())
		return nil
	})
	db.Close()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for id := range uint64(2) {
		if m, err := readMeta(readPage(t, f, size, id)); err == nil && m.txid == txid {
			return size, orders, parcels, m.freelist
		}
	}
	t.Fatal("no meta page for the last transaction")
	return
}

// Each kind of damage is found by the desk's background check and by
// bbolt's own check of the closed file alike; the desk then refuses every
// write and goes on serving reads.
func TestVerifyFindsDamageAsBboltDoes(t *testing.T) {
	for _, d := range damages {
		t.Run(d.name, func(t *testing.T) {
			path := verifyFixture(t, 3000)
			size, orders, parcels, freelist := pageLayout(t, path)
			f, err := os.OpenFile(path, os.O_RDWR, 0)
			if err != nil {
				t.Fatal(err)
			}
			d.damage(t, f, size, orders, parcels, freelist)
			f.Close()

			copied := filepath.Join(t.TempDir(), "copy.db")
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(copied, b, 0o600); err != nil {
				t.Fatal(err)
			}
			offline, err := Check(copied)
			if err != nil && !errors.Is(err, ErrDamaged) {
				t.Fatal(err)
			}
			if len(offline.Problems) == 0 && err == nil {
				t.Fatalf("bbolt's check finds nothing wrong: the damage is no damage")
			}

			s, r := openVerified(t, path)
			if len(r.Problems) == 0 {
				t.Fatalf("the background check finds nothing; bbolt's found %v", offline.Problems)
			}
			t.Logf("found: %v", r.Problems)
			if !s.Damaged() || !s.CheckStatus().Damaged {
				t.Error("the store is not marked damaged")
			}
			if err := s.Write(func(tx *Tx) error { return nil }); !errors.Is(err, ErrDamaged) {
				t.Errorf("a write to a damaged store: %v, want ErrDamaged", err)
			}
			if err := s.Update(func(tx *Tx) error { return nil }); !errors.Is(err, ErrDamaged) {
				t.Errorf("an update of a damaged store: %v, want ErrDamaged", err)
			}
			if _, _, err := s.Events(ParcelID(2999), nil, 10); err != nil {
				t.Errorf("a read of an undamaged part: %v", err)
			}
		})
	}
}

// A store its process did not close says so when it opens next; one
// closed cleanly does not.
func TestOpenTellsAnUncleanStop(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wismo.db")
	for i, want := range []bool{false, false} {
		s, err := Open(path, Options{NoSync: true})
		if err != nil {
			t.Fatal(err)
		}
		if got := s.CheckStatus().UncleanStop; got != want {
			t.Errorf("open %d: unclean stop %v, want %v", i, got, want)
		}
		s.Close()
	}
	// What a killed process leaves: the note that it had the store open.
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keyOpen, []byte("x")) })
	db.Close()
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !s.CheckStatus().UncleanStop {
		t.Error("a store left open is not told as an unclean stop")
	}
}
