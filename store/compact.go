package store

import (
	"fmt"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"
)

// compactTxSize is how many bytes of keys and values Compact copies per
// transaction: large enough to be quick, small enough to bound memory.
const compactTxSize = 64 << 20

// Compact rewrites the store at path with every page full and no free
// pages, which is how space left by archiving returns to the disk, and
// returns the file's size before and after. The store must not be in use:
// a desk holding it is ErrInUse. The old file stays locked until the new
// one has replaced it, so no desk starts on it midway; one that was
// already waiting for it opens the new file (see Open). A damaged store is
// refused, and the copy is written next to the store, synced and renamed
// over it, so a failure at any point leaves the store as it was.
//
// The archive files beside it are compacted too, each the same way (an
// archive is written with keys in no useful order, so its pages are half
// full until compacted, and stay as compacted once its month is over).
// The sizes returned add up the hot file and the archives.
func Compact(path string) (before, after int64, err error) {
	months, err := archiveMonthsOf(path)
	if err != nil {
		return 0, 0, err
	}
	before, after, err = compactFile(path)
	if err != nil {
		return 0, 0, err
	}
	arch := openArchives(path, months, Options{Timeout: defaultTimeout})
	arch.close() // only their names: each is compacted from its own file
	for _, f := range arch.set {
		if f.err != nil {
			return before, after, fmt.Errorf("compact: %w", f.unavailable())
		}
		b, a, err := compactFile(f.path)
		if err != nil {
			return before, after, err
		}
		before, after = before+b, after+a
	}
	return before, after, nil
}

// archiveMonthsOf reads the months the store at path lists archive files
// for.
func archiveMonthsOf(path string) ([]string, error) {
	db, err := openReadOnly(path, defaultTimeout)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	months, err := monthsIn(db)
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", path, err)
	}
	return months, nil
}

// monthsIn reads the months an open store file lists archive files for.
func monthsIn(db *bolt.DB) ([]string, error) {
	var months []string
	err := guard(func() error {
		return db.View(func(tx *bolt.Tx) (err error) {
			if tx.Bucket(bucketMeta) == nil {
				return ErrNotStore
			}
			months, err = (&Tx{tx: tx}).archiveMonths()
			return err
		})
	})
	return months, err
}

// compactFile compacts one file: the hot file or an archive.
func compactFile(path string) (before, after int64, err error) {
	src, err := openReadOnly(path, defaultTimeout)
	if err != nil {
		return 0, 0, err
	}
	defer src.Close()
	r, err := inspect(src, false)
	if err == nil && len(r.Problems) > 0 {
		err = fmt.Errorf("%w: %s", ErrDamaged, r.damage())
	}
	if err != nil {
		return 0, 0, fmt.Errorf("store %s: %w", path, err)
	}
	tmp, err := compactCopy(src, path)
	if err != nil {
		return 0, 0, fmt.Errorf("compact %s: %w", path, err)
	}
	if err := replaceFile(tmp, path); err != nil {
		os.Remove(tmp)
		return 0, 0, fmt.Errorf("compact %s: %w", path, err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return 0, 0, err
	}
	return r.Size, fi.Size(), nil
}

// compactCopy copies src into a new file next to path and returns its name.
// The copy's commits skip fsync: nothing reads the file until replaceFile
// has synced it whole.
func compactCopy(src *bolt.DB, path string) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".compact-*")
	if err != nil {
		return "", err
	}
	tmp := f.Name()
	f.Close()
	dst, err := bolt.Open(tmp, 0o600, &bolt.Options{NoSync: true, FreelistType: bolt.FreelistMapType})
	if err != nil {
		os.Remove(tmp)
		return "", err
	}
	err = guard(func() error { return bolt.Compact(dst, src, compactTxSize) })
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return "", err
	}
	return tmp, nil
}

// replaceFile makes the finished file tmp the file at path: it syncs tmp,
// renames it over path (atomic: a reader sees the old file or the new one)
// and syncs the directory so the rename survives a crash.
func replaceFile(tmp, path string) error {
	f, err := os.Open(tmp)
	if err != nil {
		return err
	}
	err = f.Sync()
	f.Close()
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	dir, err := os.Open(filepath.Dir(path))
	if err != nil {
		return err
	}
	defer dir.Close()
	return dir.Sync()
}
