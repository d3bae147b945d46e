package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/wismo/wismo/store"
	"github.com/wismo/wismo/tracker"
	"github.com/wismo/wismo/tracker/intake"
)

// runImport is `wismo import orders|returns [--data DIR] FILE.csv`: it
// reads the file, lists its bad rows by line, and stores every good order
// or return, each in its own transaction, so one that does not fit the
// store (a tracking number already on another order, a return move the
// state machine forbids) is reported and the rest still go in. Importing a
// file again changes nothing already stored.
func runImport(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "orders" && args[0] != "returns") {
		return errors.New("usage: wismo import orders|returns [--data DIR] FILE.csv")
	}
	kind := args[0]
	path, operands, err := parseStoreFlags("import "+kind, args[1:], stderr, "FILE.csv")
	if err != nil {
		return err
	}
	f, err := os.Open(operands[0])
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := store.Open(path, store.Options{Timeout: time.Second})
	if errors.Is(err, store.ErrInUse) {
		return fmt.Errorf("%w: the desk is running on it; stop it first, or send the shop's webhooks to the desk instead", err)
	}
	if err != nil {
		return err
	}
	defer st.Close()
	tr := tracker.New(st, nil, time.Now, tracker.Config{}, nil)
	if kind == "orders" {
		res, err := intake.ReadOrdersCSV(f)
		if err != nil {
			return fmt.Errorf("%s: %w", operands[0], err)
		}
		return report(stdout, operands[0], res.Rows, res.Bad, storeEach(st, res.Good, tr.ImportOrder, func(o intake.Order) string { return "order " + o.Number }))
	}
	res, err := intake.ReadReturnsCSV(f)
	if err != nil {
		return fmt.Errorf("%s: %w", operands[0], err)
	}
	return report(stdout, operands[0], res.Rows, res.Bad, storeEach(st, res.Good, tr.ImportReturn, func(r intake.Return) string { return "return " + r.RMA }))
}

// stored is what storing one imported item came to.
type stored struct {
	name string
	err  error
}

// storeEach stores each item in its own transaction.
func storeEach[T any](st *store.Store, items []T, put func(*store.Tx, T, time.Time) error, name func(T) string) []stored {
	out := make([]stored, len(items))
	for i, it := range items {
		out[i] = stored{name: name(it), err: st.Update(func(tx *store.Tx) error { return put(tx, it, time.Now()) })}
	}
	return out
}

// report prints the bad rows, what did not fit the store, and the count
// stored; it fails when anything was left out, so a script notices.
func report(w io.Writer, file string, rows int, bad []intake.RowError, done []stored) error {
	for _, b := range bad {
		fmt.Fprintf(w, "%s: %v\n", file, b)
	}
	ok := 0
	var failed []error
	for _, d := range done {
		if d.err != nil {
			failed = append(failed, fmt.Errorf("%s: %w", d.name, d.err))
			fmt.Fprintf(w, "%s: %s not stored: %v\n", file, d.name, d.err)
			continue
		}
		ok++
	}
	fmt.Fprintf(w, "%s: %d rows read, %d stored, %d rows refused, %d not stored\n", file, rows, ok, len(bad), len(failed))
	if len(bad) > 0 || len(failed) > 0 {
		return fmt.Errorf("%s: %d rows refused and %d items not stored (listed above); the rest are stored", file, len(bad), len(failed))
	}
	return nil
}
