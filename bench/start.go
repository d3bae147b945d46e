package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"golang.org/x/sys/unix"

	"github.com/wismo/wismo/store"
)

// startTimes are the times from opening the store to the exceptions
// pane's first page with the header's counts: with the files in the page
// cache, and right after they were taken out of it.
type startTimes struct {
	warm, cold time.Duration
	how        string // how the files were taken out of the page cache
}

// measureStart times the desk's start on the store in dir, warm, then
// cold.
func measureStart(dir string) (startTimes, error) {
	var s startTimes
	path := filepath.Join(dir, "wismo.db")
	if _, err := openFirstPage(path); err != nil { // so the warm figure is warm
		return s, err
	}
	var err error
	if s.warm, err = openFirstPage(path); err != nil {
		return s, err
	}
	if s.how, err = dropCache(dir); err != nil {
		return s, err
	}
	s.cold, err = openFirstPage(path)
	return s, err
}

// dropCache takes the store's files in dir out of the page cache, so the
// next reads come from the disk, and says how: as root, the kernel drops
// every clean page (echo 1 > /proc/sys/vm/drop_caches, after a sync);
// otherwise posix_fadvise(DONTNEED) drops each of the store's files'.
func dropCache(dir string) (string, error) {
	if os.Geteuid() == 0 {
		unix.Sync()
		if err := os.WriteFile("/proc/sys/vm/drop_caches", []byte("1"), 0); err == nil {
			return "the page cache dropped (echo 1 > /proc/sys/vm/drop_caches, as root)", nil
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "archive", "*.db"))
	files = append(files, filepath.Join(dir, "wismo.db"))
	for _, name := range files {
		if err := fadviseDontNeed(name); err != nil {
			return "", err
		}
	}
	return "the store's files dropped from the page cache (posix_fadvise DONTNEED)", nil
}

func fadviseDontNeed(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return err
	}
	return unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED)
}

// coldSearch drops the store's files from the page cache, opens the store
// and times searches of every kind at once.
func coldSearch(dir string, d *dataset, s span, n int) ([]latency, string, error) {
	how, err := dropCache(dir)
	if err != nil {
		return nil, "", err
	}
	st, err := store.Open(filepath.Join(dir, "wismo.db"), store.Options{})
	if err != nil {
		return nil, "", err
	}
	defer st.Close()
	l, err := searchLatency(st, d, s, n)
	return l, how, err
}

// checkFigures are the background consistency check's: how long it took
// alone, what it found, and how ingest fared while it ran against the
// same ingest without it.
type checkFigures struct {
	alone, beside time.Duration
	report        store.Report
	ingestAlone   ingestRun // half of the extra orders, no check running
	ingestBeside  ingestRun // the other half, the check running
}

// ingestRun is how many events an ingest stored, and in how long.
type ingestRun struct {
	events int
	took   time.Duration
}

// checkBesideIngest runs the desk's background check over the store at
// path alone; then half of the orders of s come in and are polled with no
// check running, and the other half while the check runs again, as on a
// desk that checks its file while carriers report.
func checkBesideIngest(path string, d *dataset, s span, rounds int) (checkFigures, error) {
	var c checkFigures
	st, err := store.Open(path, store.Options{})
	if err != nil {
		return c, err
	}
	defer st.Close()
	t0 := time.Now()
	if c.report, err = st.Verify(context.Background(), "bench"); err != nil {
		return c, err
	}
	c.alone = time.Since(t0)
	if n := len(c.report.Problems); n > 0 {
		return c, fmt.Errorf("the check found %d problems in the bench's store: %s", n, c.report.Problems[0])
	}

	half := span{s.lo, (s.lo + s.hi) / 2}
	if c.ingestAlone, err = timedIngest(st, d, half, rounds); err != nil {
		return c, err
	}
	var wg sync.WaitGroup
	var checkErr error
	t0 = time.Now()
	wg.Go(func() {
		var r store.Report
		r, checkErr = st.Verify(context.Background(), "bench")
		c.beside = time.Since(t0)
		if checkErr == nil && len(r.Problems) > 0 {
			checkErr = fmt.Errorf("the check beside ingest found %d problems: %s", len(r.Problems), r.Problems[0])
		}
	})
	c.ingestBeside, err = timedIngest(st, d, span{half.hi, s.hi}, rounds)
	wg.Wait()
	if err != nil {
		return c, err
	}
	return c, checkErr
}

// timedIngest takes the orders of s in and polls them through, and times
// the polls.
func timedIngest(st *store.Store, d *dataset, s span, rounds int) (ingestRun, error) {
	now := d.placedAt(s.hi).Add(time.Hour)
	if err := intake(st, d, s, now); err != nil {
		return ingestRun{}, err
	}
	t0 := time.Now()
	err := ingest(st, d, rounds, now, io.Discard)
	return ingestRun{events: d.events(s), took: time.Since(t0)}, err
}
