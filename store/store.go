package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Errors Open reports. Each says what is wrong in words an operator can act on.
var (
	// ErrInUse means another process holds the store file.
	ErrInUse = errors.New("store in use by another process")
	// ErrNotStore means the file exists but is not a wismo store.
	ErrNotStore = errors.New("not a wismo store")
	// ErrNewerSchema means the file was written by a newer wismo.
	ErrNewerSchema = errors.New("store written by a newer wismo")
	// ErrNotFound is returned by lookups that find nothing.
	ErrNotFound = errors.New("not found")
	// ErrArchived means a write named an order that has left the hot
	// buckets for the archive, where it is kept read-only.
	ErrArchived = errors.New("order is archived")
	// ErrDamaged means a check of the file found damaged pages, or a read
	// met one: writes are refused from then on rather than build on them.
	ErrDamaged = errors.New("store is damaged")
)

// Options tune Open. The zero value is usable.
type Options struct {
	// Timeout bounds the wait for the file lock; another process holding it
	// yields ErrInUse after this long. Default 1 s.
	Timeout time.Duration
	// InitialMmapSize reserves address space up front so a growing file does
	// not make the writer wait for every open reader (a background check
	// holds one for as long as it runs). Default: the file's size and half
	// again, and 1 GiB more; at least 256 MiB.
	InitialMmapSize int
	// NoSync skips fsync on commit: for throwaway demo stores and tests only.
	NoSync bool
}

// Store is an open wismo store. It is safe for concurrent use.
type Store struct {
	db *bolt.DB

	writes     chan write
	writerDone chan struct{}
	sendMu     sync.RWMutex // held to send on writes; Close takes it to close writes
	closed     bool

	mu     sync.Mutex
	subs   map[chan struct{}]struct{}
	wstats WriterStats

	checkMu sync.Mutex
	check   CheckStatus
	damaged atomic.Bool   // a check found damage: writes are refused
	suspect chan struct{} // a read hit a page it could not make sense of

	arch *archives
}

// Open opens or creates the store at path. All buckets are created in one
// transaction; a file that is not a wismo store, or one written by a newer
// version, is refused and left untouched.
func Open(path string, opts Options) (*Store, error) {
	if opts.Timeout == 0 {
		opts.Timeout = defaultTimeout
	}
	if opts.InitialMmapSize == 0 {
		opts.InitialMmapSize = mmapFor(path)
	}
	db, err := openBolt(path, opts)
	if err != nil {
		return nil, err
	}
	s := &Store{
		db:         db,
		writes:     make(chan write, maxGroup),
		writerDone: make(chan struct{}),
		subs:       map[chan struct{}]struct{}{},
		suspect:    make(chan struct{}, 1),
	}
	if err := guard(func() error { return s.prepare(path, opts) }); err != nil {
		if s.arch != nil {
			s.arch.close()
		}
		db.Close()
		return nil, fmt.Errorf("store %s: %w", path, err)
	}
	go s.writeLoop()
	return s, nil
}

// prepare makes an opened file ready to serve: it checks and upgrades its
// schema, opens the archive files, finishes an archive move a stop left
// half done, and notes that a process has the store open.
func (s *Store) prepare(path string, opts Options) error {
	if err := s.db.Update(initSchema); err != nil {
		return err
	}
	var months []string
	err := s.db.View(func(btx *bolt.Tx) (err error) {
		months, err = (&Tx{tx: btx}).archiveMonths()
		return err
	})
	if err != nil {
		return err
	}
	s.arch = openArchives(path, months, opts)
	if err := upgradeChunked(s.db, s.arch); err != nil {
		return err
	}
	if _, err := s.finishMove(); err != nil && !errors.Is(err, ErrArchiveUnavailable) {
		return err // an archive it cannot write leaves the move for a later Archive call
	}
	s.check.UncleanStop, err = markOpen(s.db)
	return err
}

// mmapFor is the memory map to open the file at path with: its size and
// half again, and 1 GiB more, so the writer seldom has to grow the map
// (which waits for every reader to finish); at least 256 MiB. It is
// address space, not memory.
func mmapFor(path string) int {
	var size int64
	if fi, err := os.Stat(path); err == nil {
		size = fi.Size()
	}
	return int(max(256<<20, size+size/2+1<<30))
}

// openBolt opens the file at path for writing, creating it if need be.
// If Compact renamed a new file over the one bbolt opened while it waited
// for that file's lock, it opens the file that is there now.
func openBolt(path string, opts Options) (*bolt.DB, error) {
	var locked *os.File
	var db *bolt.DB
	err := guard(func() (err error) {
		db, err = bolt.Open(path, 0o600, &bolt.Options{
			Timeout:         opts.Timeout,
			InitialMmapSize: opts.InitialMmapSize,
			FreelistType:    bolt.FreelistMapType,
			NoSync:          opts.NoSync,
			OpenFile: func(name string, flag int, perm os.FileMode) (*os.File, error) {
				f, err := os.OpenFile(name, flag, perm)
				locked = f
				return f, err
			},
		})
		return err
	})
	if err != nil {
		return nil, openError(path, err)
	}
	if replaced(path, locked) {
		db.Close()
		return openBolt(path, opts)
	}
	return db, nil
}

// replaced reports whether path no longer names the file f.
func replaced(path string, f *os.File) bool {
	now, err := os.Stat(path)
	if err != nil {
		return false
	}
	had, err := f.Stat()
	return err == nil && !os.SameFile(now, had)
}

// openError turns bbolt's open failures into the store's own errors.
func openError(path string, err error) error {
	switch {
	case errors.Is(err, ErrDamaged):
		return fmt.Errorf("store %s: %w", path, err)
	case errors.Is(err, berrors.ErrTimeout):
		return fmt.Errorf("store %s: %w", path, ErrInUse)
	case errors.Is(err, os.ErrPermission):
		return fmt.Errorf("store %s: permission denied", path)
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrVersionMismatch),
		errors.Is(err, berrors.ErrChecksum), isNonEmptyFile(path):
		// bbolt reports some malformed files (too short, say) with untyped
		// errors; an existing file it cannot open is not one of ours.
		return fmt.Errorf("store %s: %w (%v)", path, ErrNotStore, err)
	}
	return fmt.Errorf("store %s: %w", path, err)
}

func isNonEmptyFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Size() > 0
}

// initSchema checks the schema version, creates every bucket and upgrades
// an older store. It runs in one transaction, so a refusal or a failed
// upgrade writes nothing.
func initSchema(tx *bolt.Tx) error {
	version := uint32(SchemaVersion)
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		if hasAnyBucket(tx) {
			return ErrNotStore
		}
	} else if v := meta.Get(keySchema); len(v) == 4 {
		version = binary.BigEndian.Uint32(v)
		if version > SchemaVersion {
			return fmt.Errorf("%w (schema %d, this build reads up to %d)", ErrNewerSchema, version, SchemaVersion)
		}
	} else {
		return fmt.Errorf("%w: meta bucket has no schema version", ErrNotStore)
	}
	for _, name := range allBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	if err := runWrite(tx, nil, func(tx *Tx) error { return migrate(tx, version) }); err != nil {
		return err
	}
	return tx.Bucket(bucketMeta).Put(keySchema, binary.BigEndian.AppendUint32(nil, SchemaVersion))
}

func hasAnyBucket(tx *bolt.Tx) bool {
	k, _ := tx.Cursor().First()
	return k != nil
}

// Close finishes the write in progress, refuses further writes, closes the
// file and ends every subscription.
func (s *Store) Close() error {
	s.sendMu.Lock()
	if !s.closed {
		s.closed = true
		close(s.writes)
	}
	s.sendMu.Unlock()
	<-s.writerDone
	s.mu.Lock()
	for ch := range s.subs {
		close(ch)
		delete(s.subs, ch)
	}
	s.mu.Unlock()
	return errors.Join(s.markClosed(), s.db.Close(), s.arch.close())
}

// Path is the store's file.
func (s *Store) Path() string { return s.db.Path() }

// Update runs fn in one write transaction and, after a successful commit,
// signals every subscriber. fn must not block: no network, no channel sends.
func (s *Store) Update(fn func(*Tx) error) error {
	if s.Damaged() {
		return ErrDamaged
	}
	err := s.guard(func() error {
		return s.db.Update(func(btx *bolt.Tx) error { return runWrite(btx, s.arch, fn) })
	})
	if err == nil {
		s.notify()
	}
	return err
}

// View runs fn in one short read transaction, for callers that read several
// records consistently. fn must not block.
// A read that panics in bbolt met a damaged page: it fails with
// ErrDamaged, and a check is asked for (see guard).
func (s *Store) View(fn func(*Tx) error) error {
	return s.guard(func() error {
		return s.db.View(func(btx *bolt.Tx) error { return fn(&Tx{tx: btx, arch: s.arch}) })
	})
}

// guard runs a transaction and turns a panic in it into ErrDamaged: bbolt
// panics on a page it cannot make sense of. A check is asked for, which
// tells damage from anything else and stops the writes if it is damage.
func (s *Store) guard(fn func() error) error {
	err := guard(fn)
	if errors.Is(err, ErrDamaged) {
		select {
		case s.suspect <- struct{}{}:
		default:
		}
	}
	return err
}

// CheckWanted receives when a read met a page it could not make sense of:
// the file should be checked now, not at the next scheduled check.
func (s *Store) CheckWanted() <-chan struct{} { return s.suspect }

// Subscribe returns a channel that receives a value after commits, and a
// function that ends the subscription. The channel has capacity one and sends
// never block, so a burst of commits coalesces into one wake-up.
func (s *Store) Subscribe() (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	s.mu.Lock()
	s.subs[ch] = struct{}{}
	s.mu.Unlock()
	return ch, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if _, ok := s.subs[ch]; ok {
			delete(s.subs, ch)
			close(ch)
		}
	}
}

func (s *Store) notify() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for ch := range s.subs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// Tx is one transaction over the store. Write methods fail in a read
// transaction; values returned are copies that outlive it.
type Tx struct {
	tx   *bolt.Tx
	arch *archives // the store's archive files, for what the hot file no longer holds
	// parcels holds the parcels this transaction has read or written,
	// decoded, with their encoded timelines: one ingest reads a parcel
	// several times (to merge, to reindex, to judge) and decoding is most
	// of a write's cost.
	parcels map[ParcelID]cachedParcel
	// scratch is AddEvents' to reuse, call after call.
	scratch timeline
}

// cachedParcel is a parcel as this transaction last read or wrote it.
// A written one is dirty until flush puts its record: one ingest writes a
// parcel's timeline and then its fields, and the record is encoded and put
// once for both.
type cachedParcel struct {
	Parcel
	timeline []byte
	dirty    bool
}

// flush puts the record of every parcel written since the last flush, in
// key order. Whatever runs fns in a write transaction flushes before it
// commits.
func (t *Tx) flush() error {
	var ids []ParcelID
	for id, c := range t.parcels {
		if c.dirty {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	b := t.bucket(bucketParcels)
	for _, id := range ids {
		c := t.parcels[id]
		if err := b.Put(u64(uint64(id)), encodeParcel(c.Parcel, c.timeline)); err != nil {
			return fmt.Errorf("parcel %d: %w", id, err)
		}
		c.dirty = false
		t.parcels[id] = c
	}
	return nil
}

// runWrite runs fn in the write transaction btx of the store whose
// archives are arch, and flushes what it wrote.
func runWrite(btx *bolt.Tx, arch *archives, fn func(*Tx) error) error {
	tx := &Tx{tx: btx, arch: arch}
	if err := fn(tx); err != nil {
		return err
	}
	return tx.flush()
}

func (t *Tx) bucket(name []byte) *bolt.Bucket {
	b := t.tx.Bucket(name)
	if fill, ok := appendFill[string(name)]; ok && b != nil {
		b.FillPercent = fill
	}
	return b
}

// get decodes the value at key in bucket into v, or returns ErrNotFound.
func (t *Tx) get(bucket, key []byte, v any) error {
	b := t.bucket(bucket).Get(key)
	if b == nil {
		return ErrNotFound
	}
	return decode(b, v)
}

// put encodes v under key in bucket.
func (t *Tx) put(bucket, key []byte, v any) error {
	b, err := encode(v)
	if err != nil {
		return err
	}
	return t.bucket(bucket).Put(key, b)
}
