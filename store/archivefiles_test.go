package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Months of the archive fixture's two moves.
var (
	november = t0.AddDate(0, 8, 0) // 2026-11
	december = t0.AddDate(0, 9, 0) // 2026-12
)

// twoMonthArchive is a closed store whose finished orders #N0…#N4 were
// archived in November and #D0…#D4 in December, and #H0 is hot; it
// returns the store's path.
func twoMonthArchive(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "wismo.db")
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	for month, prefix := range map[string]string{"N": "11", "D": "12"} {
		for i := range 5 {
			putJourneys(t, s, fmt.Sprintf("#%s%d", month, i), longAgo,
				journey{fmt.Sprintf("JJ%s%02d", prefix, i), StatusDelivered, before, StateResolved})
		}
	}
	putJourneys(t, s, "#H0", longAgo, journey{"JJH0", StatusInTransit, before, ""})
	archiveOnly(t, s, "#N", november)
	archiveOnly(t, s, "#D", december)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// archiveOnly archives the finished orders whose numbers start with prefix,
// at at.
func archiveOnly(t *testing.T, s *Store, prefix string, at time.Time) {
	t.Helper()
	var numbers []string
	s.View(func(tx *Tx) error {
		return tx.bucket(bucketOrders).ForEach(func(k, _ []byte) error {
			if strings.HasPrefix(string(k), prefix) {
				numbers = append(numbers, string(k))
			}
			return nil
		})
	})
	err := s.exclusive(func() error {
		_, err := s.move(archiveMove{Month: monthOf(at), Cutoff: cutoff, Orders: numbers}, nil)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestArchiveFilesAreMonthlyAndReadNewestFirst(t *testing.T) {
	path := twoMonthArchive(t)
	for _, m := range []string{"2026-11", "2026-12"} {
		if _, err := os.Stat(filepath.Join(filepath.Dir(path), "archive", m+".db")); err != nil {
			t.Errorf("archive %s: %v", m, err)
		}
	}
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var months []string
	s.arch.each(func(f *archiveFile) (bool, error) {
		months = append(months, f.month)
		if f.writable {
			t.Errorf("archive %s is open for writing before any move", f.month)
		}
		return false, nil
	})
	if fmt.Sprint(months) != "[2026-12 2026-11]" {
		t.Errorf("archives read in the order %v, want newest first", months)
	}
	for _, q := range []string{"#N3", "jj1103", "#D1", "JJ1201", "N2@example.com", "#H0"} {
		hits, err := s.Search(q, 5)
		if err != nil || len(hits) != 1 || hits[0].Archived == (q == "#H0") {
			t.Errorf("Search(%q) = %+v, %v", q, hits, err)
		}
	}
	r, err := s.arch.record("#N3", 0)
	if err != nil || r.Order.Number != "#N3" {
		t.Errorf("record of #N3: %+v, %v", r.Order, err)
	}
}

// An archive file missing, truncated or written by a newer wismo: the
// desk opens, reads everything else, and a lookup that might have been in
// that file says which file and why.
func TestAnUnreadableArchiveLeavesTheRestWorking(t *testing.T) {
	for _, c := range []struct {
		name, why string
		spoil     func(t *testing.T, file string)
	}{
		{"missing", "the file is missing", func(t *testing.T, file string) {
			if err := os.Remove(file); err != nil {
				t.Fatal(err)
			}
		}},
		{"truncated", "not a wismo store", func(t *testing.T, file string) {
			if err := os.Truncate(file, 3000); err != nil {
				t.Fatal(err)
			}
		}},
		{"from a newer wismo", "newer wismo", func(t *testing.T, file string) {
			db, err := bolt.Open(file, 0o600, nil)
			if err != nil {
				t.Fatal(err)
			}
			db.Update(func(tx *bolt.Tx) error {
				return tx.Bucket(bucketMeta).Put(keySchema, binary.BigEndian.AppendUint32(nil, archiveSchema+1))
			})
			db.Close()
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := twoMonthArchive(t)
			c.spoil(t, filepath.Join(filepath.Dir(path), "archive", "2026-11.db"))
			s, err := Open(path, Options{NoSync: true})
			if err != nil {
				t.Fatalf("the desk does not open: %v", err)
			}
			defer s.Close()
			if d, err := s.Order("#D2"); err != nil || !d.Archived {
				t.Errorf("an order of the good archive: %+v, %v", d.Order.Number, err)
			}
			if d, err := s.Order("#H0"); err != nil || d.Archived {
				t.Errorf("the hot order: %+v, %v", d.Order.Number, err)
			}
			_, err = s.Order("#N2")
			if !errors.Is(err, ErrNotFound) || !errors.Is(err, ErrArchiveUnavailable) ||
				!strings.Contains(err.Error(), "archive 2026-11 unavailable: ") || !strings.Contains(err.Error(), c.why) {
				t.Errorf("an order of the spoilt archive: %v; want it to name the archive and say %q", err, c.why)
			}
			hits, err := s.Search("JJ1201", 5)
			if len(hits) != 1 || !errors.Is(err, ErrArchiveUnavailable) {
				t.Errorf("search beside the spoilt archive = %d hits, %v; want the good one's hit and a word on the other", len(hits), err)
			}
			// A move goes on into the month's own file.
			putJourneys(t, s, "#J0", longAgo, journey{"JJJ0", StatusDelivered, before, ""})
			if n, _, err := s.Archive(cutoff, 10, december.AddDate(0, 1, 0)); err != nil || n != 1 {
				t.Errorf("archiving beside a spoilt archive: %d, %v", n, err)
			}
		})
	}
}
