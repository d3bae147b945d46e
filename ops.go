package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/wismo/wismo/store"
)

// storeFile is the store's file name in a data directory.
const storeFile = "wismo.db"

// parseStoreFlags parses what the store commands share: --data, and the
// operands named in operands, which must all be given.
func parseStoreFlags(cmd string, args []string, stderr io.Writer, operands ...string) (string, []string, error) {
	flags := flag.NewFlagSet(cmd, flag.ContinueOnError)
	flags.SetOutput(stderr)
	dir := flags.String("data", ".", "the data `DIR` holding "+storeFile)
	flags.Usage = func() {
		fmt.Fprintf(stderr, "Usage: wismo %s [--data DIR]", cmd)
		for _, o := range operands {
			fmt.Fprint(stderr, " ", o)
		}
		fmt.Fprintln(stderr)
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		return "", nil, err
	}
	switch {
	case flags.NArg() < len(operands):
		return "", nil, fmt.Errorf("%s needs %s", cmd, operands[flags.NArg()])
	case flags.NArg() > len(operands):
		return "", nil, fmt.Errorf("%s takes %d argument(s), got %q", cmd, len(operands), flags.Args())
	}
	return filepath.Join(*dir, storeFile), flags.Args(), nil
}

// runCheck runs bbolt's consistency check on the store and prints each
// problem, or a summary of a consistent store.
func runCheck(args []string, stdout, stderr io.Writer) error {
	path, _, err := parseStoreFlags("check", args, stderr)
	if err != nil {
		return err
	}
	r, err := store.Check(path)
	if err != nil {
		return err
	}
	for _, p := range r.Problems {
		fmt.Fprintln(stdout, p)
	}
	if r.More > 0 {
		fmt.Fprintf(stdout, "and %d more\n", r.More)
	}
	if n := len(r.Problems) + r.More; n > 0 {
		found := fmt.Sprintf("%d problems", n)
		if n == 1 {
			found = "1 problem"
		}
		return fmt.Errorf("%s: %w: %s found; restore it from a backup", path, store.ErrDamaged, found)
	}
	fmt.Fprintf(stdout, "store is consistent: %s\n", path)
	fmt.Fprintf(stdout, "%d orders (and %d archived), %d parcels, %d events, %s on disk\n",
		r.Orders, r.Archived, r.Parcels, r.Events, mib(r.Size))
	if len(r.Unmapped) > 0 {
		fmt.Fprintln(stdout, "carrier codes no mapping knows (their events are kept, status unknown):")
		for _, c := range r.Unmapped {
			fmt.Fprintf(stdout, "  %s %q: %d events\n", c.Carrier, c.Code, c.Events)
		}
	}
	if r.Quarantined > 0 {
		fmt.Fprintf(stdout, "%d refused webhook bodies kept in quarantine\n", r.Quarantined)
	}
	return nil
}

// runCompact rewrites the store without its free pages.
func runCompact(args []string, stdout, stderr io.Writer) error {
	path, _, err := parseStoreFlags("compact", args, stderr)
	if err != nil {
		return err
	}
	start := time.Now()
	before, after, err := store.Compact(path)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "compacted %s: %s before, %s after (%s)\n",
		path, mib(before), mib(after), time.Since(start).Round(time.Millisecond))
	return nil
}

// runBackup writes a consistent copy of the store to FILE: through the desk
// when one holds the store, from the file itself when none does.
func runBackup(args []string, stdout, stderr io.Writer) error {
	path, operands, err := parseStoreFlags("backup", args, stderr, "FILE")
	if err != nil {
		return err
	}
	file := operands[0]
	if isSameFile(file, path) {
		return fmt.Errorf("%s is the store itself: back it up to another file", file)
	}
	r, source, err := backup(path, file)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %s to %s %s: %d orders (and %d archived), %s, checked consistent\n",
		path, file, source, r.Orders, r.Archived, mib(r.Size))
	return nil
}

// backup asks the desk on the data directory's control socket for the
// copy and, if no desk answers there, opens the store itself. It returns
// the check of the copy and where the copy came from.
func backup(path, file string) (store.Report, string, error) {
	sock := controlSocket(filepath.Dir(path))
	r, err := store.SaveBackup(file, func(w io.Writer) error { return fetchBackup(sock, w) })
	if !errors.Is(err, errNoDesk) {
		return r, "from the running desk", err
	}
	sn, err := store.OpenSnapshot(path)
	if errors.Is(err, store.ErrInUse) {
		return r, "", fmt.Errorf("%w, and no desk answers on %s", err, sock)
	}
	if err != nil {
		return r, "", err
	}
	defer sn.Close()
	r, err = store.SaveBackup(file, func(w io.Writer) error {
		_, err := sn.WriteTo(w)
		return err
	})
	return r, "from the store file", err
}

func isSameFile(a, b string) bool {
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	return err == nil && os.SameFile(fa, fb)
}

// mib is a size in bytes as people read it.
func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }
