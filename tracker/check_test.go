package tracker

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/wismo/wismo/store"
)

// A desk started on a store its last process did not close checks the
// file at once, in the background, and logs what it found; one that was
// closed cleanly waits for the schedule.
func TestRunChecksTheStoreAfterAnUncleanStop(t *testing.T) {
	for _, unclean := range []bool{true, false} {
		path := filepath.Join(t.TempDir(), "wismo.db")
		st, err := store.Open(path, store.Options{NoSync: true})
		if err != nil {
			t.Fatal(err)
		}
		addParcel(t, st, "T1", t0)
		st.Close()
		if unclean {
			leaveOpen(t, path)
		}
		st, err = store.Open(path, store.Options{NoSync: true})
		if err != nil {
			t.Fatal(err)
		}
		tr, log := newTracker(st, newClock(t0))
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		wg.Go(func() { tr.Run(ctx) })
		deadline := time.Now().Add(5 * time.Second)
		for unclean && st.CheckStatus().Finished.IsZero() && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		time.Sleep(50 * time.Millisecond)
		cancel()
		wg.Wait()
		status := st.CheckStatus()
		st.Close()
		if checked := !status.Finished.IsZero(); checked != unclean {
			t.Errorf("unclean stop %v: checked at start %v (%+v)", unclean, checked, status)
		}
		if unclean && (status.Why != "after an unclean stop" || !strings.Contains(log.String(), "store check: consistent")) {
			t.Errorf("check after an unclean stop: %+v; log:\n%s", status, log)
		}
	}
}

// leaveOpen makes a closed store look as a killed process leaves it.
func leaveOpen(t *testing.T, path string) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(func(tx *bolt.Tx) error { return tx.Bucket([]byte("meta")).Put([]byte("open"), []byte("x")) }); err != nil {
		t.Fatal(err)
	}
}
