package store

import (
	"context"
	"fmt"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Opening the store reads no page beyond what it serves: bbolt's meta
// pages carry checksums, and a commit that did not finish is not seen.
// What a crash cannot be trusted not to leave, and a disk can rot without
// one, is found by Verify, which the desk runs in the background after an
// unclean stop and on a schedule. A check that finds damage stops every
// write (ErrDamaged) and keeps reads going, so agents see what the store
// still holds, with a warning, while the operator restores a backup.

// CheckStatus is where the store's checks stand.
type CheckStatus struct {
	// UncleanStop is set when the process before this one did not close
	// the store: it was killed, or the machine stopped.
	UncleanStop bool
	// Running is set while a check runs: why, since when, and how many of
	// the snapshot's pages it has checked so far.
	Running        bool
	Why            string
	Started        time.Time
	Checked, Pages int
	// Last is the last finished check's report, Finished when it finished
	// (zero if no check has) and Took how long it ran.
	Last     Report
	Finished time.Time
	Took     time.Duration
	// Damaged is set once a check has found a problem: every write is
	// refused from then on.
	Damaged bool
}

// CheckStatus returns where the store's checks stand.
func (s *Store) CheckStatus() CheckStatus {
	s.checkMu.Lock()
	defer s.checkMu.Unlock()
	st := s.check
	st.Last.Problems = append([]string(nil), st.Last.Problems...)
	return st
}

// Damaged reports whether a check has found the store damaged.
func (s *Store) Damaged() bool { return s.damaged.Load() }

// checkStep is how many pages Verify checks between pauses: 4 MiB of 4 KiB
// pages, a few milliseconds from the page cache.
const checkStep = 1024

// Verify checks a snapshot of the open store's file page by page, as
// bbolt's consistency check does (see pagecheck.go), while agents and the
// tracker go on working. It checks checkStep pages at a time and then
// rests as long as the step took, so it takes at most half a core and
// yields the disk between steps. why says what asked for the check, for
// CheckStatus. A check that finds problems marks the store damaged. Only
// one check runs at a time; a second call while one runs returns at once
// with ErrCheckRunning.
//
// The check holds one read transaction from start to end, which keeps
// the snapshot's pages from being reused (the file grows by what is
// written meanwhile, and reuses it after) and keeps the writer from
// growing the memory map (Open maps well past the file's size for that).
func (s *Store) Verify(ctx context.Context, why string) (Report, error) {
	if !s.startCheck(why) {
		return Report{}, ErrCheckRunning
	}
	start := time.Now()
	r, err := s.verify(ctx)
	s.finishCheck(r, err, start)
	return r, err
}

// ErrCheckRunning is Verify's answer while another check runs.
var ErrCheckRunning = fmt.Errorf("a check of the store is already running")

func (s *Store) verify(ctx context.Context) (Report, error) {
	f, err := os.Open(s.db.Path())
	if err != nil {
		return Report{}, err
	}
	defer f.Close()
	pageSize := s.db.Info().PageSize
	meta, release, err := s.snapshotMeta(f, pageSize)
	if err != nil {
		return Report{}, err
	}
	defer release()
	r := Report{Size: int64(meta.hwm) * int64(pageSize)}
	c := newPageChecker(f, pageSize, meta, &r)
	s.progress(c.visited, int(meta.hwm))
	for !c.step(checkStep) {
		t0 := time.Now()
		s.progress(c.visited, int(meta.hwm))
		select {
		case <-ctx.Done():
			return r, ctx.Err()
		case <-time.After(max(time.Since(t0), time.Millisecond)):
		}
	}
	return r, nil
}

func (s *Store) startCheck(why string) bool {
	s.checkMu.Lock()
	defer s.checkMu.Unlock()
	if s.check.Running {
		return false
	}
	s.check.Running, s.check.Why, s.check.Started = true, why, time.Now()
	s.check.Checked, s.check.Pages = 0, 0
	return true
}

func (s *Store) progress(checked, pages int) {
	s.checkMu.Lock()
	defer s.checkMu.Unlock()
	s.check.Checked, s.check.Pages = checked, pages
}

// finishCheck records a check's end; problems mark the store damaged.
func (s *Store) finishCheck(r Report, err error, start time.Time) {
	s.checkMu.Lock()
	defer s.checkMu.Unlock()
	s.check.Running = false
	if err != nil {
		return
	}
	s.check.Last, s.check.Finished, s.check.Took = r, time.Now(), time.Since(start)
	if len(r.Problems) > 0 {
		s.check.Damaged = true
		s.damaged.Store(true)
	}
}

// keyOpen is in the meta bucket while a process has the store open.
var keyOpen = []byte("open")

// markOpen notes that a process has the store open and reports whether
// the one before left the note behind: it did not close the store.
func markOpen(db *bolt.DB) (unclean bool, err error) {
	err = db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		unclean = meta.Get(keyOpen) != nil
		return meta.Put(keyOpen, []byte(time.Now().UTC().Format(time.RFC3339)))
	})
	return unclean, err
}

// markClosed takes the note away as the store closes cleanly. A damaged
// store is left as it is: nothing more is written to it.
func (s *Store) markClosed() error {
	if s.Damaged() {
		return nil
	}
	return s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Delete(keyOpen) })
}
