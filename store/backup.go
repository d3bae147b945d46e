package store

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"
)

// Snapshot is the whole store as of one moment, held by a read transaction
// until Close while writers carry on. The pages it reads cannot be reused
// meanwhile and a writer that must grow the memory map waits for it, so a
// snapshot is taken, written out and closed, never kept.
type Snapshot struct {
	tx *bolt.Tx
	db *bolt.DB // the file OpenSnapshot opened, closed with the snapshot
}

// Snapshot begins a snapshot of an open store: a backup while the desk runs.
func (s *Store) Snapshot() (*Snapshot, error) {
	tx, err := s.db.Begin(false)
	if err != nil {
		return nil, err
	}
	return &Snapshot{tx: tx}, nil
}

// OpenSnapshot opens the store at path read-only and begins a snapshot of
// it: a backup with no desk running. A desk holding the file is ErrInUse.
func OpenSnapshot(path string) (*Snapshot, error) {
	db, err := openReadOnly(path, defaultTimeout)
	if err != nil {
		return nil, err
	}
	sn := &Snapshot{db: db}
	err = guard(func() (err error) {
		if sn.tx, err = db.Begin(false); err == nil && sn.tx.Bucket(bucketMeta) == nil {
			sn.tx.Rollback()
			err = ErrNotStore
		}
		return err
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("store %s: %w", path, err)
	}
	return sn, nil
}

// Size is how many bytes WriteTo writes.
func (sn *Snapshot) Size() int64 { return sn.tx.Size() }

// WriteTo writes the snapshot to w as a store file of its own.
func (sn *Snapshot) WriteTo(w io.Writer) (int64, error) { return sn.tx.WriteTo(w) }

// Close ends the snapshot, and closes the file if OpenSnapshot opened it.
func (sn *Snapshot) Close() error {
	err := sn.tx.Rollback()
	if sn.db != nil {
		if cerr := sn.db.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

// SaveBackup writes the store file that fill produces to path, by way of
// path.tmp: it is synced, checked to open as a consistent wismo store, and
// only then renamed to path. On any failure path.tmp is removed and path
// left as it was, so a half-written backup never carries the name. An
// existing path.tmp is refused rather than overwritten: it is another
// backup to the same file under way, or the remains of a killed one.
func SaveBackup(path string, fill func(io.Writer) error) (Report, error) {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	switch {
	case errors.Is(err, fs.ErrExist):
		return Report{}, fmt.Errorf("%s exists: another backup to %s is under way, or one was killed (remove it if so)", tmp, path)
	case errors.Is(err, fs.ErrNotExist):
		return Report{}, fmt.Errorf("backup directory %s does not exist", filepath.Dir(path))
	case err != nil:
		return Report{}, err
	}
	err = fill(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	var r Report
	if err == nil {
		r, err = Check(tmp)
	}
	if err == nil && len(r.Problems) > 0 {
		err = fmt.Errorf("backup %s: %w: %s", tmp, ErrDamaged, r.damage())
	}
	if err == nil {
		err = replaceFile(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return Report{}, err
	}
	return r, nil
}
