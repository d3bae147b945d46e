package intake

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// ImportResult is what a CSV import found: the orders or returns whose
// every row is good, and the rows that are not or that were skipped
// because another row of their order or return is not.
type ImportResult[T any] struct {
	Good []T
	Bad  []RowError
	// Rows counts the file's data rows, the header not included.
	Rows int
}

// RowError is a problem with one row of a CSV file.
type RowError struct {
	// Line is the file's line the row starts on, the header being line 1.
	Line int
	// Key is the row's order number or RMA id, when it could be read.
	Key string
	// Column is the column at fault, "" for the row as a whole.
	Column string
	Reason string
	// Because is, for a row skipped because another row of its order or
	// return is bad, that row's line; 0 for a row that is bad itself.
	Because int
}

// Error reads "line 7, qty: quantity "0" is not ...".
func (e RowError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("line %d: %s", e.Line, e.Reason)
	}
	return fmt.Sprintf("line %d, %s: %s", e.Line, e.Column, e.Reason)
}

// cell is a value a group of rows gives once, and the line it is on.
type cell struct {
	value string
	line  int
}

// builder makes one order or return of the rows that share its key, and
// reports what is wrong with them.
type builder[T any] func(key string, rows []row) (T, []RowError)

// assemble groups rows by the key in column keyCol, in the order keys are
// first seen, and builds each group. A group with any bad row is left out
// whole, and its other rows are reported as skipped because of it: an
// import writes all of an order or none of it. Bad rows come back sorted
// by line.
func assemble[T any](rows []row, keyCol, noun string, build builder[T]) ImportResult[T] {
	res := ImportResult[T]{Rows: len(rows)}
	groups := map[string][]row{}
	var keys []string
	for _, r := range rows {
		key, err := normKey(r.get(keyCol))
		if err != nil {
			res.Bad = append(res.Bad, keyless(r, keyCol, err))
			continue
		}
		if _, ok := groups[key]; !ok {
			keys = append(keys, key)
		}
		groups[key] = append(groups[key], r)
	}
	for _, key := range keys {
		v, errs := buildGroup(key, groups[key], build)
		if len(errs) == 0 {
			res.Good = append(res.Good, v)
			continue
		}
		res.Bad = append(res.Bad, sink(key, noun, groups[key], errs)...)
	}
	slices.SortStableFunc(res.Bad, func(a, b RowError) int { return cmp.Compare(a.Line, b.Line) })
	return res
}

// keyless reports a row whose key cannot be read, which belongs to no
// group: what is wrong with its record, if anything, else with its key.
func keyless(r row, keyCol string, err error) RowError {
	if r.err != nil {
		return RowError{Line: r.line, Reason: r.err.Error()}
	}
	return RowError{Line: r.line, Column: keyCol, Reason: err.Error()}
}

// buildGroup reports the rows whose record is itself broken, and builds
// the group of the others.
func buildGroup[T any](key string, rows []row, build builder[T]) (T, []RowError) {
	var errs []RowError
	var whole []row
	for _, r := range rows {
		if r.err != nil {
			errs = append(errs, RowError{Line: r.line, Reason: r.err.Error()})
			continue
		}
		whole = append(whole, r)
	}
	var v T
	if len(whole) > 0 {
		var more []RowError
		v, more = build(key, whole)
		errs = append(errs, more...)
	}
	for i := range errs {
		errs[i].Key = key
	}
	return v, errs
}

// sink returns a bad group's errors and a "skipped" entry for each of its
// rows that has none, pointing at the group's first bad line.
func sink(key, noun string, rows []row, errs []RowError) []RowError {
	bad := map[int]bool{}
	cause := errs[0].Line
	for _, e := range errs {
		bad[e.Line] = true
		cause = min(cause, e.Line)
	}
	for _, r := range rows {
		if !bad[r.line] {
			errs = append(errs, RowError{Line: r.line, Key: key, Because: cause,
				Reason: fmt.Sprintf("skipped: %s %s has a bad row on line %d", noun, key, cause)})
		}
	}
	return errs
}

// resolve finds the value each of cols has in a group: the first non-empty
// one. Later rows may repeat it or leave it empty; a row that gives
// another value is an error.
func resolve(rows []row, cols []string) (map[string]cell, []RowError) {
	vals := map[string]cell{}
	var errs []RowError
	for _, r := range rows {
		for _, col := range cols {
			v := r.get(col)
			if v == "" {
				continue
			}
			have, ok := vals[col]
			switch {
			case !ok:
				vals[col] = cell{v, r.line}
			case !sameValue(col, have.value, v):
				errs = append(errs, RowError{Line: r.line, Column: col,
					Reason: fmt.Sprintf("%q differs from %q on line %d", v, have.value, have.line)})
			}
		}
	}
	return vals, errs
}

// sameValue reports whether two rows give one value of col: an order
// number is the same with or without its "#".
func sameValue(col, a, b string) bool {
	if col == "order_number" {
		return strings.TrimPrefix(a, "#") == strings.TrimPrefix(b, "#")
	}
	return a == b
}

// setter checks a value and puts it into a T.
type setter[T any] func(v *T, value string) error

// apply sets v's fields from a group's values, in the order of cols, and
// reports each bad value on its line; a column in needs that no row
// gives is an error on the group's first line.
func apply[T any](v *T, vals map[string]cell, cols []string, set map[string]setter[T], needs []string, first int) []RowError {
	var errs []RowError
	for _, col := range cols {
		c, ok := vals[col]
		if !ok {
			continue
		}
		if err := set[col](v, c.value); err != nil {
			errs = append(errs, RowError{Line: c.line, Column: col, Reason: err.Error()})
		}
	}
	for _, col := range needs {
		if _, ok := vals[col]; !ok {
			errs = append(errs, RowError{Line: first, Column: col, Reason: "no row gives it"})
		}
	}
	return errs
}
