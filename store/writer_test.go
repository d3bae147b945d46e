package store

import (
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
)

// holdWriter submits fn as a write that keeps the writer busy until
// release is called, so that later writes queue up behind it.
func holdWriter(s *Store, fn func(*Tx) error) (done <-chan error, release func()) {
	hold, held := make(chan struct{}), make(chan struct{})
	done = s.Submit(func(tx *Tx) error {
		close(held)
		<-hold
		return fn(tx)
	})
	<-held
	return done, func() { close(hold) }
}

// Writes queued while a commit is in progress share the next commit, and
// every submitter hears about its own write.
func TestWriterGroupsQueuedWrites(t *testing.T) {
	s := openTemp(t)
	first, release := holdWriter(s, func(tx *Tx) error { return tx.PutOrder(Order{Number: "first"}) })
	const n = 200
	var queued []<-chan error
	for i := range n {
		queued = append(queued, s.Submit(func(tx *Tx) error {
			return tx.PutOrder(Order{Number: fmt.Sprintf("o%03d", i)})
		}))
	}
	release()
	for _, done := range append(queued, first) {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if got := s.WriterStats(); got.Writes != n+1 || got.Commits != 2 {
		t.Errorf("writer stats %+v, want %d writes in 2 commits", got, n+1)
	}
	for _, number := range []string{"first", "o000", "o199"} {
		if _, err := s.Order(number); err != nil {
			t.Errorf("order %s: %v", number, err)
		}
	}
}

// A write that fails is answered with its own error and leaves nothing
// behind; the writes grouped with it still commit.
func TestWriterIsolatesAFailingWrite(t *testing.T) {
	s := openTemp(t)
	blocker, release := holdWriter(s, func(*Tx) error { return nil })
	boom := errors.New("boom")
	good1 := s.Submit(func(tx *Tx) error { return tx.PutOrder(Order{Number: "good1"}) })
	bad := s.Submit(func(tx *Tx) error {
		if err := tx.PutOrder(Order{Number: "half"}); err != nil {
			return err
		}
		return boom
	})
	good2 := s.Submit(func(tx *Tx) error { return tx.PutOrder(Order{Number: "good2"}) })
	release()
	if err := <-bad; !errors.Is(err, boom) {
		t.Errorf("failing write answered %v, want its own error", err)
	}
	for _, done := range []<-chan error{blocker, good1, good2} {
		if err := <-done; err != nil {
			t.Errorf("good write answered %v", err)
		}
	}
	if _, err := s.Order("half"); !errors.Is(err, ErrNotFound) {
		t.Errorf("the failed write's order is stored: %v", err)
	}
	for _, number := range []string{"good1", "good2"} {
		if _, err := s.Order(number); err != nil {
			t.Errorf("order %s lost with the failing write: %v", number, err)
		}
	}
}

// Close commits what is queued, and later writes are refused, not lost in
// silence or left waiting.
func TestWriterAfterClose(t *testing.T) {
	s := openTemp(t)
	var queued []<-chan error
	for i := range 50 {
		queued = append(queued, s.Submit(func(tx *Tx) error { return tx.PutOrder(Order{Number: fmt.Sprint(i)}) }))
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for i, done := range queued {
		if err := <-done; err != nil {
			t.Errorf("write %d queued before close: %v", i, err)
		}
	}
	if err := s.Write(func(*Tx) error { return nil }); !errors.Is(err, ErrClosed) {
		t.Errorf("write after close: %v, want ErrClosed", err)
	}
}

// However many writes of a group fail, each write runs a bounded number of
// times: a batch of bad answers must not stall the one writer.
func TestWriterRetriesAreBounded(t *testing.T) {
	s := openTemp(t)
	blocker, release := holdWriter(s, func(*Tx) error { return nil })
	const n = 400
	var runs atomic.Int64
	var queued []<-chan error
	for i := range n {
		queued = append(queued, s.Submit(func(tx *Tx) error {
			runs.Add(1)
			if i >= n/2 {
				return fmt.Errorf("bad answer %d", i)
			}
			return tx.PutOrder(Order{Number: fmt.Sprint(i)})
		}))
	}
	release()
	<-blocker
	failed := 0
	for _, done := range queued {
		if <-done != nil {
			failed++
		}
	}
	if failed != n/2 {
		t.Errorf("%d writes failed, want %d", failed, n/2)
	}
	if got := runs.Load(); got > 2*n {
		t.Errorf("%d writes ran %d times in all, want at most %d", n, got, 2*n)
	}
	if _, err := s.Order(fmt.Sprint(n/2 - 1)); err != nil {
		t.Errorf("a good write before the bad ones was lost: %v", err)
	}
}
