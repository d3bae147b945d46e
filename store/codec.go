package store

import (
	"encoding/binary"
	"encoding/json"
	"time"
)

// encode and decode are the one place values are serialized. JSON keeps the
// file inspectable with bbolt's own tools; the format is private to store.
func encode(v any) ([]byte, error) { return json.Marshal(v) }

func decode(b []byte, v any) error { return json.Unmarshal(b, v) }

// u64 encodes n big-endian so keys sort numerically.
func u64(n uint64) []byte {
	return binary.BigEndian.AppendUint64(make([]byte, 0, 8), n)
}

// timeKey encodes t as big-endian Unix nanoseconds; the zero time sorts first.
func timeKey(t time.Time) []byte {
	if t.IsZero() {
		return u64(0)
	}
	return u64(uint64(t.UnixNano()))
}

// join concatenates key parts into a fresh slice.
func join(parts ...[]byte) []byte {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	k := make([]byte, 0, n)
	for _, p := range parts {
		k = append(k, p...)
	}
	return k
}

// clone copies a value out of a transaction: bbolt's slices are only valid
// until it ends.
func clone(b []byte) []byte { return append([]byte(nil), b...) }
