package store

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// Snapshot is the whole store as of one moment, the hot file and every
// archive file, each held by a read transaction until Close while writers
// carry on. The pages it reads cannot be reused meanwhile and a writer
// that must grow the memory map waits for it, so a snapshot is taken,
// written out and closed, never kept. No archive move runs while its
// transactions begin, so no order is in two of its files, or in none.
type Snapshot struct {
	files []SnapshotFile
	close func() error
}

// SnapshotFile is one file of a snapshot: its name within a data
// directory ("wismo.db", "archive/2026-11.db") and its contents.
type SnapshotFile struct {
	Name string
	tx   *bolt.Tx
}

// Size is how many bytes WriteTo writes.
func (f SnapshotFile) Size() int64 { return f.tx.Size() }

// WriteTo writes the file as it was at the snapshot.
func (f SnapshotFile) WriteTo(w io.Writer) (int64, error) { return f.tx.WriteTo(w) }

// Files are the snapshot's files, the hot file first.
func (sn *Snapshot) Files() []SnapshotFile { return sn.files }

// Close ends the snapshot, and closes the files if OpenSnapshot opened
// them.
func (sn *Snapshot) Close() error { return sn.close() }

// Snapshot begins a snapshot of an open store: a backup while the desk
// runs. An archive file that cannot be read is left out, and named in the
// error beside the snapshot, which holds the rest.
func (s *Store) Snapshot() (*Snapshot, error) {
	return snapshot(s.db, s.arch, func() error { return nil })
}

// OpenSnapshot opens the store at path and its archive files read-only
// and begins a snapshot of them: a backup with no desk running. A desk
// holding the file is ErrInUse.
func OpenSnapshot(path string) (*Snapshot, error) {
	db, err := openReadOnly(path, defaultTimeout)
	if err != nil {
		return nil, err
	}
	months, err := monthsIn(db)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("store %s: %w", path, err)
	}
	arch := openArchives(path, months, Options{Timeout: defaultTimeout})
	sn, err := snapshot(db, arch, func() error { return errors.Join(arch.close(), db.Close()) })
	if sn == nil {
		arch.close()
		db.Close()
	}
	return sn, err
}

// snapshot begins read transactions on the hot file and each archive,
// with no move under way.
func snapshot(db *bolt.DB, arch *archives, closeFiles func() error) (*Snapshot, error) {
	arch.moving.Lock()
	defer arch.moving.Unlock()
	arch.mu.RLock()
	defer arch.mu.RUnlock()
	var txs []*bolt.Tx
	sn := &Snapshot{}
	sn.close = func() error {
		var errs []error
		for _, tx := range txs {
			errs = append(errs, tx.Rollback())
		}
		return errors.Join(append(errs, closeFiles())...)
	}
	tx, err := db.Begin(false)
	if err != nil {
		return nil, err
	}
	txs = append(txs, tx)
	sn.files = append(sn.files, SnapshotFile{Name: filepath.Base(db.Path()), tx: tx})
	var missing []error
	for _, f := range arch.set {
		if f.db == nil {
			missing = append(missing, f.unavailable())
			continue
		}
		tx, err := f.db.Begin(false)
		if err != nil {
			missing = append(missing, fmt.Errorf("archive %s %w: %v", f.month, ErrArchiveUnavailable, err))
			continue
		}
		txs = append(txs, tx)
		sn.files = append(sn.files, SnapshotFile{Name: "archive/" + f.month + ".db", tx: tx})
	}
	return sn, errors.Join(missing...)
}

// SaveBackup writes a backup as a data directory at dir: the hot file as
// hot and the archive files under archive/, as fill gives them to save.
// It is written as dir.tmp, each file synced, then checked (the hot file
// and each archive, as Check does) and only then renamed to dir. On any
// failure dir.tmp is removed and dir not made, so a half-written backup
// never carries the name. An existing dir or dir.tmp is refused rather
// than overwritten: dir.tmp is another backup to the same place under
// way, or the remains of a killed one.
func SaveBackup(dir, hot string, fill func(save func(name string, write func(io.Writer) error) error) error) (Report, error) {
	tmp := dir + ".tmp"
	if _, err := os.Stat(dir); err == nil {
		return Report{}, fmt.Errorf("%s exists: back up to a new directory", dir)
	}
	err := os.Mkdir(tmp, 0o700)
	switch {
	case errors.Is(err, fs.ErrExist):
		return Report{}, fmt.Errorf("%s exists: another backup to %s is under way, or one was killed (remove it if so)", tmp, dir)
	case errors.Is(err, fs.ErrNotExist):
		return Report{}, fmt.Errorf("backup directory %s does not exist", filepath.Dir(dir))
	case err != nil:
		return Report{}, err
	}
	r, err := saveBackup(tmp, hot, fill)
	if err == nil {
		err = replaceFile(tmp, dir)
	}
	if err != nil {
		os.RemoveAll(tmp)
		return Report{}, err
	}
	return r, nil
}

func saveBackup(tmp, hot string, fill func(save func(name string, write func(io.Writer) error) error) error) (Report, error) {
	err := fill(func(name string, write func(io.Writer) error) error {
		return saveFile(filepath.Join(tmp, filepath.FromSlash(filepath.Clean("/"+name))), write)
	})
	if err != nil {
		return Report{}, err
	}
	r, err := Check(filepath.Join(tmp, hot))
	if err != nil {
		return r, err
	}
	if len(r.Problems) > 0 {
		return r, fmt.Errorf("backup %s: %w: %s", hot, ErrDamaged, r.damage())
	}
	for _, a := range r.Archives {
		switch {
		case a.Err != nil:
			return r, fmt.Errorf("backup of archive %s: %w", a.Month, a.Err)
		case len(a.Problems) > 0:
			return r, fmt.Errorf("backup of archive %s: %w: %s", a.Month, ErrDamaged, strings.Join(a.Problems, "; "))
		}
	}
	return r, nil
}

// saveFile writes one file of a backup and syncs it.
func saveFile(path string, write func(io.Writer) error) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	err = write(f)
	if err == nil {
		err = f.Sync()
	}
	return errors.Join(err, f.Close())
}
