package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Webhook deliveries: each provider's delivery id is kept for a while after
// it was applied, so a retried or replayed delivery is recognised and not
// applied twice. deliveries maps provider\0id to the time it was applied;
// idx_delivery_at orders the same entries by that time so old ones can be
// dropped without a scan.

// SeenDelivery reports whether a webhook delivery was already applied.
func (t *Tx) SeenDelivery(provider, id string) bool {
	return t.bucket(bucketDeliveries).Get(deliveryKey(provider, id)) != nil
}

// MarkDelivery records that a webhook delivery was applied at at.
func (t *Tx) MarkDelivery(provider, id string, at time.Time) error {
	if provider == "" || id == "" || strings.ContainsRune(provider, 0) {
		return fmt.Errorf("delivery needs a provider and an id")
	}
	key := deliveryKey(provider, id)
	if err := t.bucket(bucketDeliveries).Put(key, timeKey(at)); err != nil {
		return err
	}
	return t.bucket(bucketIdxDeliveryAt).Put(join(timeKey(at), key), nil)
}

// deliveryKey is provider\0id. An id longer than maxKeyPart is kept as its
// SHA-256, so a provider's odd id can neither fail the write (bbolt keys
// stop at 32 KiB) nor bloat the index, and the same id still maps to the
// same key.
func deliveryKey(provider, id string) []byte {
	return join([]byte(provider), []byte{0}, []byte(boundedKeyPart(id)))
}

// maxKeyPart bounds a key part that comes from outside the desk.
const maxKeyPart = 128

func boundedKeyPart(s string) string {
	if len(s) <= maxKeyPart {
		return s
	}
	sum := sha256.Sum256([]byte(s))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// OldestDelivery is when the oldest remembered delivery was applied, zero
// when none is: a sweep reads it to write only when something is due to go.
func (t *Tx) OldestDelivery() time.Time {
	k, _ := t.bucket(bucketIdxDeliveryAt).Cursor().First()
	if len(k) < 8 {
		return time.Time{}
	}
	return time.Unix(0, int64(binary.BigEndian.Uint64(k[:8]))).UTC()
}

// ForgetDeliveries drops up to max delivery ids applied before cutoff and
// returns how many it dropped. Providers retry for hours or days, not
// weeks, so an id older than that will not come back.
func (t *Tx) ForgetDeliveries(cutoff time.Time, max int) (int, error) {
	idx := t.bucket(bucketIdxDeliveryAt)
	end := timeKey(cutoff)
	var old [][]byte
	c := idx.Cursor()
	for k, _ := c.First(); k != nil && bytes.Compare(k[:8], end) < 0 && len(old) < max; k, _ = c.Next() {
		old = append(old, bytes.Clone(k))
	}
	for _, k := range old {
		if err := idx.Delete(k); err != nil {
			return 0, err
		}
		if err := t.bucket(bucketDeliveries).Delete(k[8:]); err != nil {
			return 0, err
		}
	}
	return len(old), nil
}

// Quarantined is a webhook body the desk refused as unreadable, kept so
// someone can see what the provider sent.
type Quarantined struct {
	Provider string    `json:"provider"`
	At       time.Time `json:"at"`
	// Reason is why it was refused: the parse error.
	Reason string `json:"reason"`
	Body   []byte `json:"body"`
}

// quarantineKeep is how many refused bodies are kept; older ones go first.
// At the 1 MiB body cap that bounds the bucket at 256 MiB.
const quarantineKeep = 256

// Quarantine keeps a refused webhook body, dropping the oldest beyond
// quarantineKeep.
func (t *Tx) Quarantine(q Quarantined) error {
	b := t.bucket(bucketQuarantine)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	if err := t.put(bucketQuarantine, join(timeKey(q.At), u64(seq)), q); err != nil {
		return err
	}
	for n := b.Stats().KeyN + 1 - quarantineKeep; n > 0; n-- {
		k, _ := b.Cursor().First()
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// Quarantined returns up to n refused webhook bodies, newest first.
func (s *Store) Quarantined(n int) ([]Quarantined, error) {
	var out []Quarantined
	err := s.View(func(tx *Tx) error {
		c := tx.bucket(bucketQuarantine).Cursor()
		for k, v := c.Last(); k != nil && len(out) < n; k, v = c.Prev() {
			var q Quarantined
			if err := decode(v, &q); err != nil {
				return fmt.Errorf("quarantined %x: %w", k, err)
			}
			out = append(out, q)
		}
		return nil
	})
	return out, err
}

// unmappedPrefix starts the stats keys counting events whose code no
// mapping table knows: unmapped:carrier\0code.
const unmappedPrefix = "unmapped:"

// maxCodeLen bounds a counted code: a carrier's codes are a few
// characters, and a longer one is junk that must not grow a key per
// variant.
const maxCodeLen = 64

// CountUnmapped adds one to the count of a carrier's unmapped code, cut to
// 64 bytes (at a character boundary).
func (t *Tx) CountUnmapped(carrier, code string) error {
	if len(code) > maxCodeLen {
		code = strings.ToValidUTF8(code[:maxCodeLen], "")
	}
	return t.addCount([]byte(unmappedPrefix+carrier+"\x00"+code), 1)
}

// CodeCount is how many events a carrier sent with one unmapped code.
type CodeCount struct {
	Carrier, Code string
	Events        int
}

// UnmappedCodes lists the codes carriers sent that no mapping table knows,
// most frequent first: the desk kept those events, with status unknown,
// and someone should teach wismo what they mean.
func (s *Store) UnmappedCodes() ([]CodeCount, error) {
	var out []CodeCount
	err := s.View(func(tx *Tx) error {
		out = unmappedIn(tx.bucket(bucketStats))
		return nil
	})
	return out, err
}

// unmappedIn reads the unmapped-code counts of a stats bucket, most
// frequent first.
func unmappedIn(stats *bolt.Bucket) []CodeCount {
	var out []CodeCount
	c := stats.Cursor()
	prefix := []byte(unmappedPrefix)
	for k, v := c.Seek(prefix); bytes.HasPrefix(k, prefix); k, v = c.Next() {
		carrier, code, _ := strings.Cut(string(k[len(prefix):]), "\x00")
		out = append(out, CodeCount{Carrier: carrier, Code: code, Events: counter(v)})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Events > out[j].Events })
	return out
}

// FeedPause is a supervisor's hold on a carrier feed: while it stands the
// desk asks the carrier nothing and turns the feed's webhooks away to be
// sent again, until someone resumes it. feed_pauses maps the feed's name
// to its pause.
type FeedPause struct {
	Feed   string    `json:"feed"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason,omitempty"`
}

// PauseFeed records a feed's pause.
func (t *Tx) PauseFeed(p FeedPause) error {
	if p.Feed == "" || p.By == "" || p.At.IsZero() {
		return fmt.Errorf("a feed's pause names the feed, who paused it and when")
	}
	return t.put(bucketFeedPauses, []byte(p.Feed), p)
}

// ResumeFeed lifts a feed's pause.
func (t *Tx) ResumeFeed(feed string) error {
	return t.bucket(bucketFeedPauses).Delete([]byte(feed))
}

// FeedPaused is the feed's pause, if it is paused.
func (t *Tx) FeedPaused(feed string) (FeedPause, bool, error) {
	v := t.bucket(bucketFeedPauses).Get([]byte(feed))
	if v == nil {
		return FeedPause{}, false, nil
	}
	var p FeedPause
	if err := decode(v, &p); err != nil {
		return FeedPause{}, false, fmt.Errorf("feed pause %q: %w", feed, err)
	}
	return p, true, nil
}

// FeedPauses are the feeds paused, by name.
func (t *Tx) FeedPauses() (map[string]FeedPause, error) {
	out := map[string]FeedPause{}
	err := t.bucket(bucketFeedPauses).ForEach(func(k, v []byte) error {
		var p FeedPause
		if err := decode(v, &p); err != nil {
			return fmt.Errorf("feed pause %q: %w", k, err)
		}
		out[string(k)] = p
		return nil
	})
	return out, err
}
