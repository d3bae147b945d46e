package store

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Finished orders past retention leave the hot file for archive files in
// archive/ beside it, one bbolt file per month the moves happened in
// (archive/2026-11.db): written that month, read-only after. The hot file
// then holds only the live window, and its size levels off as bbolt
// reuses the pages archived orders leave.
//
// An archive file holds, per order, one record with everything the desk
// showed of it (archiveRecord), and its own search indexes, so an archived
// order is found by every key a hot one is. The hot file keeps no trace
// of an archived order: a lookup that misses the hot file asks the
// archives, newest first.
//
//	meta          "schema" -> uint32, "month" -> YYYY-MM
//	orders        order number                        -> archive record
//	parcels       parcel id (8)                       -> order number
//	idx_order     folded order number \0 order number -> nil
//	idx_tracking  folded tracking number \0 parcel id -> nil
//	idx_search    as the hot file's
const archiveSchema uint32 = 1

var (
	bucketArcOrders  = []byte("orders")
	bucketArcParcels = []byte("parcels")
	keyArchiveMonth  = []byte("month")
)

var archiveBuckets = [][]byte{bucketMeta, bucketArcOrders, bucketArcParcels, bucketIdxOrder, bucketIdxTracking, bucketIdxSearch}

// ErrArchiveUnavailable means an archive file could not be read: missing,
// damaged, or written by a newer wismo. The orders in it cannot be shown
// until it is restored; everything else works.
var ErrArchiveUnavailable = errors.New("unavailable")

// archiveFile is one month's archive.
type archiveFile struct {
	month    string
	path     string
	db       *bolt.DB
	writable bool
	err      error // why it cannot be read; db is nil then
}

// unavailable is the error a read of the file gives while it cannot be
// read.
func (f *archiveFile) unavailable() error {
	return fmt.Errorf("archive %s %w: %v", f.month, ErrArchiveUnavailable, f.err)
}

// view runs fn in a read transaction of the file. A panic in bbolt (a
// damaged page) is an unavailable archive.
func (f *archiveFile) view(fn func(*bolt.Tx) error) error {
	if f.db == nil {
		return f.unavailable()
	}
	err := guard(func() error { return f.db.View(fn) })
	if errors.Is(err, ErrDamaged) {
		return fmt.Errorf("archive %s %w: %v", f.month, ErrArchiveUnavailable, err)
	}
	return err
}

// archives is a store's set of archive files.
type archives struct {
	dir  string
	opts Options
	mu   sync.RWMutex   // held to read the set; taken to change it
	set  []*archiveFile // newest month first
	// moving is held by a move, and by a backup while it takes its
	// snapshots, so a backup never sees an order in two places or none.
	moving sync.Mutex
}

// archiveDir is where the archive files of the store at path are.
func archiveDir(path string) string { return filepath.Join(filepath.Dir(path), "archive") }

// monthOf names the archive file for moves made at t.
func monthOf(t time.Time) string { return t.UTC().Format("2006-01") }

var monthFile = regexp.MustCompile(`^(\d{4}-\d{2})\.db$`)

// openArchives opens the archive files of the store at path, read-only:
// those the hot file lists (known) and any other in the directory. A file
// that cannot be opened is kept in the set as unavailable.
func openArchives(path string, known []string, opts Options) *archives {
	a := &archives{dir: archiveDir(path), opts: opts}
	months := slices.Clone(known)
	if entries, err := os.ReadDir(a.dir); err == nil {
		for _, e := range entries {
			if m := monthFile.FindStringSubmatch(e.Name()); m != nil {
				months = append(months, m[1])
			}
		}
	}
	slices.Sort(months)
	months = slices.Compact(months)
	for _, m := range slices.Backward(months) {
		a.set = append(a.set, a.open(m, false))
	}
	return a
}

// open opens one month's file, creating it if writable.
func (a *archives) open(month string, writable bool) *archiveFile {
	f := &archiveFile{month: month, path: filepath.Join(a.dir, month+".db"), writable: writable}
	if _, err := os.Stat(f.path); !writable && errors.Is(err, fs.ErrNotExist) {
		f.err = errors.New("the file is missing")
		return f
	}
	if writable {
		if err := os.MkdirAll(a.dir, 0o700); err != nil {
			f.err = err
			return f
		}
	}
	err := guard(func() (err error) {
		f.db, err = bolt.Open(f.path, 0o600, &bolt.Options{Timeout: a.opts.Timeout, ReadOnly: !writable,
			FreelistType: bolt.FreelistMapType, NoSync: a.opts.NoSync})
		if err != nil {
			return err
		}
		if writable {
			err = f.db.Update(func(tx *bolt.Tx) error { return initArchive(tx, month) })
		}
		if err == nil {
			err = f.db.View(checkArchive)
		}
		return err
	})
	if err != nil {
		if f.db != nil {
			f.db.Close()
			f.db = nil
		}
		f.err = openError(f.path, err)
	}
	return f
}

// initArchive creates an archive file's buckets and notes its schema and
// month; a file that has them is left as it is.
func initArchive(tx *bolt.Tx, month string) error {
	if meta := tx.Bucket(bucketMeta); meta != nil {
		return nil
	}
	for _, name := range archiveBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	meta := tx.Bucket(bucketMeta)
	if err := meta.Put(keySchema, binary.BigEndian.AppendUint32(nil, archiveSchema)); err != nil {
		return err
	}
	return meta.Put(keyArchiveMonth, []byte(month))
}

// checkArchive refuses a file that is not a wismo archive this build can
// read.
func checkArchive(tx *bolt.Tx) error {
	meta := tx.Bucket(bucketMeta)
	if meta == nil || tx.Bucket(bucketArcOrders) == nil {
		return fmt.Errorf("%w: not a wismo archive", ErrNotStore)
	}
	v := meta.Get(keySchema)
	if len(v) != 4 {
		return fmt.Errorf("%w: no schema version", ErrNotStore)
	}
	if n := binary.BigEndian.Uint32(v); n > archiveSchema {
		return fmt.Errorf("%w (archive schema %d, this build reads up to %d)", ErrNewerSchema, n, archiveSchema)
	}
	return nil
}

// each calls fn with every archive file, newest first, until fn reports
// it is done, holding the set still meanwhile.
func (a *archives) each(fn func(f *archiveFile) (bool, error)) error {
	a.mu.RLock()
	defer a.mu.RUnlock()
	for _, f := range a.set {
		if done, err := fn(f); done || err != nil {
			return err
		}
	}
	return nil
}

// forWrite returns month's file open for writing, creating it if need be.
// The file written before it becomes read-only: an archive is written in
// its month only.
func (a *archives) forWrite(month string) (*archiveFile, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	i := slices.IndexFunc(a.set, func(f *archiveFile) bool { return f.month == month })
	if i >= 0 && a.set[i].writable && a.set[i].db != nil {
		return a.set[i], nil
	}
	for j, f := range a.set {
		if f.writable && f.db != nil {
			f.db.Close()
			a.set[j] = a.open(f.month, false)
		}
	}
	if i >= 0 && a.set[i].db != nil {
		a.set[i].db.Close()
	}
	f := a.open(month, true)
	if i >= 0 {
		a.set[i] = f
	} else {
		a.set = append(a.set, f)
		slices.SortFunc(a.set, func(x, y *archiveFile) int { return cmp.Compare(y.month, x.month) })
	}
	if f.err != nil {
		return nil, f.unavailable()
	}
	return f, nil
}

// unavailable lists the archive files that cannot be read, and why.
func (a *archives) unavailable() []error {
	a.mu.RLock()
	defer a.mu.RUnlock()
	var out []error
	for _, f := range a.set {
		if f.db == nil {
			out = append(out, f.unavailable())
		}
	}
	return out
}

// close closes every archive file.
func (a *archives) close() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	var errs []error
	for _, f := range a.set {
		if f.db != nil {
			errs = append(errs, f.db.Close())
			f.db = nil
		}
	}
	return errors.Join(errs...)
}

// putArchived writes an order's record into an archive file, with its
// index entries; writing it again overwrites them.
func putArchived(tx *bolt.Tx, rec archiveRecord) error {
	v, err := encode(rec)
	if err != nil {
		return err
	}
	number := []byte(rec.Order.Number)
	if err := tx.Bucket(bucketArcOrders).Put(number, v); err != nil {
		return err
	}
	parcels, err := rec.parcels()
	if err != nil {
		return err
	}
	for _, p := range parcels {
		if err := tx.Bucket(bucketArcParcels).Put(u64(uint64(p.ID)), number); err != nil {
			return err
		}
	}
	return moveEntries(tx.Bucket, nil, searchEntries(rec.Order, parcels))
}

// parcels decodes the record's parcels, without their timelines.
func (rec archiveRecord) parcels() ([]Parcel, error) {
	out := make([]Parcel, len(rec.Parcels))
	for i, ap := range rec.Parcels {
		var err error
		if out[i], _, err = ap.parcel(false); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// unarchive takes an order out of an archive file, if it is there: a move
// that stopped wrote it, and it has since stopped qualifying.
func unarchive(tx *bolt.Tx, number string) error {
	v := tx.Bucket(bucketArcOrders).Get([]byte(number))
	if v == nil {
		return nil
	}
	var rec archiveRecord
	if err := decode(v, &rec); err != nil {
		return fmt.Errorf("archived order %s: %w", number, err)
	}
	parcels, err := rec.parcels()
	if err != nil {
		return err
	}
	for _, p := range parcels {
		if err := tx.Bucket(bucketArcParcels).Delete(u64(uint64(p.ID))); err != nil {
			return err
		}
	}
	if err := moveEntries(tx.Bucket, searchEntries(rec.Order, parcels), nil); err != nil {
		return err
	}
	return tx.Bucket(bucketArcOrders).Delete([]byte(number))
}
