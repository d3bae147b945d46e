package store

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
)

// ExceptionFilter narrows the open exceptions a view shows. An empty set
// or an empty string matches everything; a set matches any of its values,
// and an empty value inside a set is ignored.
type ExceptionFilter struct {
	Kinds    []ExceptionKind
	Carrier  string
	States   []ExceptionState
	Assignee string
}

// filterDims are the dimensions an exception can be filtered on, in the
// order their values appear in an index key; dimState is the state's bit
// in a mask of them.
const (
	filterDims = 4
	dimState   = 1 << 2
)

// indexedMask reports whether idx_exc keeps ranges for a mask of
// dimensions: only those with the state. Every view names its states, and
// a filter that does not reads the ranges of the three unresolved states
// together, so each exception has eight entries where one per mask cost
// sixteen index puts and sixteen counters on every change.
func indexedMask(mask int) bool { return mask&dimState != 0 }

// unresolvedStates are the states idx_exc holds: a filter that names no state
// reads all of them.
var unresolvedStates = []string{string(StateAcknowledged), string(StateOpen), string(StateSnoozed)}

// dims returns the filter's values per dimension, nil where it does not
// narrow that dimension (the state always narrows: see indexedMask).
// Values are cleaned as index keys are (no zero bytes) and deduplicated,
// so no two ranges of one filter overlap.
func (f ExceptionFilter) dims() [filterDims][]string {
	states := valueSet(f.States)
	if states == nil {
		states = unresolvedStates
	}
	return [filterDims][]string{valueSet(f.Kinds), valueSet([]string{f.Carrier}), states, valueSet([]string{f.Assignee})}
}

func valueSet[S ~string](vs []S) []string {
	var out []string
	for _, v := range vs {
		if s := strings.ReplaceAll(string(v), "\x00", ""); s != "" {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// prefixes returns where the filter's rows lie in idx_exc: one contiguous
// range per combination of its values (the cross product of its sets),
// disjoint, each ordered worst then oldest first.
func (f ExceptionFilter) prefixes() [][]byte {
	dims := f.dims()
	var mask byte
	for i, vs := range dims {
		if vs != nil {
			mask |= 1 << i
		}
	}
	out := [][]byte{{mask}}
	for _, vs := range dims {
		if vs == nil {
			continue
		}
		next := make([][]byte, 0, len(out)*len(vs))
		for _, p := range out {
			for _, v := range vs {
				next = append(next, append(append(slices.Clip(p), v...), 0))
			}
		}
		out = next
	}
	return out
}

// filterPrefix is where the rows of one combination of values start in
// idx_exc: the mask of dimensions filtered on, then each filtered value
// ended by a zero byte.
func filterPrefix(mask byte, values [filterDims]string) []byte {
	k := []byte{mask}
	for i, v := range values {
		if mask&(1<<i) != 0 {
			k = append(k, strings.ReplaceAll(v, "\x00", "")...)
			k = append(k, 0)
		}
	}
	return k
}

// filterValues is e's value on every dimension, in index order.
func filterValues(e Exception) [filterDims]string {
	return [filterDims]string{string(e.Kind), e.Carrier, string(e.State), e.Assignee}
}

// indexException adds (or removes) an unresolved exception's entries in
// idx_exc and the counter of each. The index holds one entry per subset of
// the filter dimensions, each followed by the severity-then-age order key,
// so every combination of values is one contiguous, ordered range: a page
// costs the same per row whatever the filter, and sixteen small puts on a
// change to an exception are cheap beside a scan on every read. Each
// range's size is kept beside it in stats, so a view of several ranges is
// counted by adding a few counters.
func (t *Tx) indexException(e Exception, add bool) error {
	idx := t.bucket(bucketIdxExc)
	values := filterValues(e)
	order := openKey(e)
	delta := int64(1)
	if !add {
		delta = -1
	}
	for mask := 0; mask < 1<<filterDims; mask++ {
		if !indexedMask(mask) {
			continue
		}
		prefix := filterPrefix(byte(mask), values)
		k := append(slices.Clip(prefix), order...)
		var err error
		if add {
			err = idx.Put(k, nil)
		} else {
			err = idx.Delete(k)
		}
		if err != nil {
			return err
		}
		if err := t.addCount(rangeCountKey(prefix), delta); err != nil {
			return err
		}
	}
	return nil
}

// rangeCountPrefix starts the stats keys that count the entries of one
// idx_exc range: exc:<range prefix>.
const rangeCountPrefix = "exc:"

func rangeCountKey(prefix []byte) []byte { return append([]byte(rangeCountPrefix), prefix...) }

// countFilter adds up the counters of f's ranges.
func (t *Tx) countFilter(f ExceptionFilter) int {
	n := 0
	for _, p := range f.prefixes() {
		n += t.count(rangeCountKey(p))
	}
	return n
}

// withinPrefix reports whether an index key belongs to the filter's range.
func withinPrefix(k, prefix []byte) bool { return k != nil && bytes.HasPrefix(k, prefix) }

// schema5Counters start the counters schema 5 kept for the header (per
// kind, carrier and state), which the range counters replace.
var schema5Counters = []string{"open:", "carrier:", "state:"}

// countRanges sets every idx_exc range's counter from one walk of the
// index, drops the counters it replaces, and notes every assignee as an
// agent: the step to schema 6. Counters already there are counted afresh,
// so a store that went through migrate1to2 is not counted twice.
func (t *Tx) countRanges() error {
	stats := t.bucket(bucketStats)
	var stale [][]byte
	c := stats.Cursor()
	for _, p := range append(schema5Counters, rangeCountPrefix) {
		for k, _ := c.Seek([]byte(p)); withinPrefix(k, []byte(p)); k, _ = c.Next() {
			stale = append(stale, clone(k))
		}
	}
	for _, k := range stale {
		if err := stats.Delete(k); err != nil {
			return err
		}
	}
	counts := map[string]uint64{}
	err := t.bucket(bucketIdxExc).ForEach(func(k, _ []byte) error {
		if len(k) <= openKeyLen {
			return fmt.Errorf("idx_exc key %x is too short", k)
		}
		counts[string(k[:len(k)-openKeyLen])]++
		return nil
	})
	if err != nil {
		return err
	}
	for prefix, n := range counts {
		if err := stats.Put(rangeCountKey([]byte(prefix)), u64(n)); err != nil {
			return err
		}
		if assigneeOnly := byte(1 << 3); prefix[0] == assigneeOnly {
			if err := t.noteAgent(prefix[1 : len(prefix)-1]); err != nil {
				return err
			}
		}
	}
	return nil
}
