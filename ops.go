package main

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
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
	if errors.Is(err, store.ErrInUse) {
		return checkThroughDesk(path, err, stdout)
	}
	if err != nil {
		return err
	}
	if err := printProblems(stdout, path, r.Problems, r.More); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "store is consistent: %s\n", path)
	fmt.Fprintf(stdout, "%d orders (and %d archived), %d parcels, %d events, %s on disk\n",
		r.Orders, r.Archived, r.Parcels, r.Events, mib(r.Size))
	if r.UncleanStop {
		fmt.Fprintln(stdout, "the last desk did not close it (killed, or the machine stopped): the next desk checks it in the background as it starts")
	}
	printBuckets(stdout, r)
	if err := printArchives(stdout, r); err != nil {
		return err
	}
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

// printProblems lists a check's problems and fails if there are any.
func printProblems(w io.Writer, path string, problems []string, more int) error {
	for _, p := range problems {
		fmt.Fprintln(w, p)
	}
	if more > 0 {
		fmt.Fprintf(w, "and %d more\n", more)
	}
	if n := len(problems) + more; n > 0 {
		found := fmt.Sprintf("%d problems", n)
		if n == 1 {
			found = "1 problem"
		}
		return fmt.Errorf("%s: %w: %s found; restore it from a backup", path, store.ErrDamaged, found)
	}
	return nil
}

// checkThroughDesk has the desk that holds the store at path check it, in
// the background, and prints what it found as check does; inUse is why
// the file could not be opened.
func checkThroughDesk(path string, inUse error, stdout io.Writer) error {
	sock := controlSocket(filepath.Dir(path))
	d, err := deskCheck(sock, stdout)
	if errors.Is(err, errNoDesk) {
		return fmt.Errorf("%w, and no desk answers on %s", inUse, sock)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "the running desk checked it (%s, %s of pages)\n", d.Took, mib(d.Size))
	if err := printProblems(stdout, path, d.Problems, d.More); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "store is consistent: %s\n", path)
	return nil
}

// printBuckets says where the hot file's bytes go, biggest first.
func printBuckets(w io.Writer, r store.Report) {
	buckets := slices.Clone(r.Buckets)
	slices.SortFunc(buckets, func(a, b store.BucketSize) int { return cmp.Compare(b.Allocated, a.Allocated) })
	fmt.Fprintln(w, "where the bytes go:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  bucket\tkeys\tkey bytes\tvalue bytes\tpages\tfill\tper event\t")
	for _, b := range buckets {
		if b.Keys == 0 {
			continue
		}
		perEvent := "—"
		if r.Events > 0 {
			perEvent = fmt.Sprintf("%.1f B", float64(b.Allocated)/float64(r.Events))
		}
		fmt.Fprintf(tw, "  %s\t%d\t%s\t%s\t%s\t%.0f%%\t%s\t\n", b.Name, b.Keys, mib(b.KeyBytes), mib(b.ValueBytes),
			mib(b.Allocated), 100*b.Fill, perEvent)
	}
	tw.Flush()
}

// printArchives lists the archive files and what their checks found; an
// archive that cannot be read or is damaged fails the check.
func printArchives(w io.Writer, r store.Report) error {
	if len(r.Archives) == 0 {
		return nil
	}
	fmt.Fprintln(w, "archive files:")
	var bad []string
	for _, a := range r.Archives {
		switch {
		case a.Err != nil:
			fmt.Fprintf(w, "  %s  %v\n", a.Month, a.Err)
			bad = append(bad, a.Month)
		case len(a.Problems) > 0:
			fmt.Fprintf(w, "  %s  damaged: %d problems, first: %s\n", a.Month, len(a.Problems)+a.More, a.Problems[0])
			bad = append(bad, a.Month)
		default:
			fmt.Fprintf(w, "  %s  consistent, %d orders, %s  %s\n", a.Month, a.Orders, mib(a.Size), a.Path)
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("archive %s: %w: restore it from a backup; the desk serves everything else meanwhile",
			strings.Join(bad, ", "), store.ErrArchiveUnavailable)
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

// runBackup writes a consistent copy of the store, the hot file and its
// archive files, to DIR, a new data directory: through the desk when one
// holds the store, from the files themselves when none does.
func runBackup(args []string, stdout, stderr io.Writer) error {
	path, operands, err := parseStoreFlags("backup", args, stderr, "BACKUP")
	if err != nil {
		return err
	}
	dir := operands[0]
	if isSameFile(dir, filepath.Dir(path)) {
		return fmt.Errorf("%s is the data directory itself: back it up to a new directory", dir)
	}
	r, source, err := backup(path, dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %s to %s %s: %d orders (and %d archived in %d archive files), %s, checked consistent\n",
		filepath.Dir(path), dir, source, r.Orders, r.Archived, len(r.Archives), mib(r.Size+archiveBytes(r)))
	return nil
}

// archiveBytes adds up the archive files' sizes.
func archiveBytes(r store.Report) int64 {
	var n int64
	for _, a := range r.Archives {
		n += a.Size
	}
	return n
}

// backup asks the desk on the data directory's control socket for the
// copy and, if no desk answers there, opens the store itself. It returns
// the check of the copy and where the copy came from.
func backup(path, dir string) (store.Report, string, error) {
	sock := controlSocket(filepath.Dir(path))
	r, err := store.SaveBackup(dir, storeFile, func(save func(string, func(io.Writer) error) error) error {
		return fetchBackup(sock, save)
	})
	if !errors.Is(err, errNoDesk) {
		return r, "from the running desk", err
	}
	sn, err := store.OpenSnapshot(path)
	if errors.Is(err, store.ErrInUse) {
		return r, "", fmt.Errorf("%w, and no desk answers on %s", err, sock)
	}
	if sn != nil {
		defer sn.Close()
	}
	if err != nil {
		return r, "", err
	}
	r, err = store.SaveBackup(dir, storeFile, func(save func(string, func(io.Writer) error) error) error {
		for _, f := range sn.Files() {
			if err := save(f.Name, func(w io.Writer) error { _, err := f.WriteTo(w); return err }); err != nil {
				return err
			}
		}
		return nil
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
