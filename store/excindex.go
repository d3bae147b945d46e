package store

import (
	"bytes"
	"strings"
)

// ExceptionFilter narrows the open exceptions a page shows. A zero field
// matches everything.
type ExceptionFilter struct {
	Kind     ExceptionKind
	Carrier  string
	State    ExceptionState
	Assignee string
}

// filterDims are the dimensions an exception can be filtered on, in the
// order their values appear in an index key.
const filterDims = 4

// values returns the filter's value per dimension, "" where unset.
func (f ExceptionFilter) values() [filterDims]string {
	return [filterDims]string{string(f.Kind), f.Carrier, string(f.State), f.Assignee}
}

// mask has bit i set where dimension i is filtered on.
func (f ExceptionFilter) mask() byte {
	var m byte
	for i, v := range f.values() {
		if v != "" {
			m |= 1 << i
		}
	}
	return m
}

// prefix is where the filter's rows start in idx_exc: the mask, then each
// filtered value ended by a zero byte.
func (f ExceptionFilter) prefix() []byte {
	return filterPrefix(f.mask(), f.values())
}

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

// exceptionFilterOf is the filter that matches e exactly on every dimension.
func exceptionFilterOf(e Exception) ExceptionFilter {
	return ExceptionFilter{Kind: e.Kind, Carrier: e.Carrier, State: e.State, Assignee: e.Assignee}
}

// indexException adds (or removes) an unresolved exception's entries in
// idx_exc and its counts. The index holds one entry per subset of the
// filter dimensions, each followed by the severity-then-age order key, so
// every filter combination is one contiguous, ordered range: a page costs
// the same per row whatever the filter, and sixteen small puts on a change
// to an exception are cheap beside a scan on every read.
func (t *Tx) indexException(e Exception, add bool) error {
	idx := t.bucket(bucketIdxExc)
	values := exceptionFilterOf(e).values()
	order := openKey(e)
	for mask := 0; mask < 1<<filterDims; mask++ {
		k := append(filterPrefix(byte(mask), values), order...)
		var err error
		if add {
			err = idx.Put(k, nil)
		} else {
			err = idx.Delete(k)
		}
		if err != nil {
			return err
		}
	}
	delta := int64(1)
	if !add {
		delta = -1
	}
	for _, key := range [][]byte{countKey(e.Kind), carrierCountKey(e.Carrier), stateCountKey(e.State)} {
		if err := t.addCount(key, delta); err != nil {
			return err
		}
	}
	return nil
}

// withinPrefix reports whether an index key belongs to the filter's range.
func withinPrefix(k, prefix []byte) bool { return k != nil && bytes.HasPrefix(k, prefix) }
