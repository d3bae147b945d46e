package store

import (
	"errors"

	bolt "go.etcd.io/bbolt"
)

// ErrClosed is returned for writes submitted after the store closed.
var ErrClosed = errors.New("store closed")

// maxGroup bounds how many submitted writes share one commit: enough that
// the commit's fsync and page writes are paid once for many parcels, few
// enough that the transaction's dirty pages stay a few megabytes.
const maxGroup = 1024

// write is one submitted write and where its result goes: fn runs in a
// transaction shared with other writes, or alone, exclusive, runs with no
// transaction of the writer's open and no write of anyone's between its
// own commits.
type write struct {
	fn        func(*Tx) error
	exclusive func() error
	done      chan error
}

// Submit queues fn for the store's single writer and returns at once; the
// returned channel receives fn's result after its commit (or its failure).
// The writer runs whatever is queued in one transaction, so many producers
// (poll workers, webhook handlers) share one commit and one fsync. fn may
// run more than once, so it must do nothing but read and write the
// transaction: when one write in a group fails, the transaction is rolled
// back, that write alone is answered with its error, and the rest run again
// without it. fn must not block.
func (s *Store) Submit(fn func(*Tx) error) <-chan error {
	return s.send(write{fn: fn, done: make(chan error, 1)})
}

// send queues w for the writer, or answers it at once if the store is
// closed or damaged.
func (s *Store) send(w write) <-chan error {
	s.sendMu.RLock()
	defer s.sendMu.RUnlock()
	switch {
	case s.closed:
		w.done <- ErrClosed
	case s.Damaged():
		w.done <- ErrDamaged
	default:
		s.writes <- w
	}
	return w.done
}

// Write runs fn through the store's writer and waits for its commit.
func (s *Store) Write(fn func(*Tx) error) error { return <-s.Submit(fn) }

// exclusive runs fn on the writer between two groups, and waits for it: a
// change that commits in several steps (an archive move) and must have no
// write between them.
func (s *Store) exclusive(fn func() error) error {
	return <-s.send(write{exclusive: fn, done: make(chan error, 1)})
}

// WriterStats counts the writer's work since the store opened.
type WriterStats struct {
	Writes  int // writes committed
	Commits int // transactions committed
}

// WriterStats returns the writer's counts so far.
func (s *Store) WriterStats() WriterStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.wstats
}

// writeLoop is the store's one writer: it takes every write queued, up to
// maxGroup, and commits them together. It ends when Close has closed the
// queue and everything queued is committed.
func (s *Store) writeLoop() {
	defer close(s.writerDone)
	group := make([]write, 0, maxGroup)
	var held *write // an exclusive write met while draining a group
	for {
		w, ok := s.nextWrite(&held)
		if !ok {
			return
		}
		if w.exclusive != nil {
			w.done <- s.guard(w.exclusive)
			continue
		}
		group = append(group[:0], w)
	drain:
		for len(group) < maxGroup {
			select {
			case w, ok := <-s.writes:
				switch {
				case !ok:
					break drain
				case w.exclusive != nil:
					held = &w
					break drain
				}
				group = append(group, w)
			default:
				break drain
			}
		}
		s.commitGroup(group)
	}
}

// nextWrite is the write held back from the last group, else the next one
// queued; false once the queue is closed and empty.
func (s *Store) nextWrite(held **write) (write, bool) {
	if *held != nil {
		w := **held
		*held = nil
		return w, true
	}
	w, ok := <-s.writes
	return w, ok
}

// commitGroup runs a group in one transaction. A write that fails is
// answered with its error; the writes before it, which ran cleanly, commit
// on their own, and the writes after it form a new group. Each write runs
// about twice at most, however many in a group fail.
func (s *Store) commitGroup(group []write) {
	for len(group) > 0 {
		failed := -1
		var failure error
		err := s.guard(func() error {
			return s.db.Update(func(btx *bolt.Tx) error {
				i := 0
				return runWrite(btx, s.arch, func(tx *Tx) error {
					for ; i < len(group); i++ {
						if err := group[i].fn(tx); err != nil {
							failed, failure = i, err
							return err
						}
					}
					return nil
				})
			})
		})
		if failed >= 0 {
			group[failed].done <- failure
			s.commitGroup(group[:failed])
			group = group[failed+1:]
			continue
		}
		if err == nil {
			s.mu.Lock()
			s.wstats.Writes += len(group)
			s.wstats.Commits++
			s.mu.Unlock()
			s.notify()
		}
		for _, w := range group {
			w.done <- err
		}
		return
	}
}
