package store

import (
	"errors"
	"fmt"
	"time"
)

// AuditEntry records one thing an agent did: append-only, never changed.
type AuditEntry struct {
	At     time.Time `json:"at"`
	Agent  string    `json:"agent"`
	Action string    `json:"action"`
	// Target names what was acted on ("order 1001", "notification 7").
	Target string `json:"target"`
	Detail string `json:"detail,omitempty"`
}

// Audit appends an entry to the audit log, in the transaction of the action
// it records.
func (t *Tx) Audit(e AuditEntry) error {
	if e.Agent == "" || e.Action == "" {
		return errors.New("an audit entry names its agent and action")
	}
	b := t.bucket(bucketAudit)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	return t.put(bucketAudit, join(timeKey(e.At), u64(seq)), e)
}

// AuditTrail returns up to n entries about target, newest first; an empty
// target returns every entry. It reads back from the newest entry, so
// asking about a target acted on long ago reads the log that far.
func (s *Store) AuditTrail(target string, n int) ([]AuditEntry, error) {
	var out []AuditEntry
	err := s.View(func(tx *Tx) error {
		c := tx.bucket(bucketAudit).Cursor()
		for k, v := c.Last(); k != nil && len(out) < n; k, v = c.Prev() {
			var e AuditEntry
			if err := decode(v, &e); err != nil {
				return fmt.Errorf("audit %x: %w", k, err)
			}
			if target == "" || e.Target == target {
				out = append(out, e)
			}
		}
		return nil
	})
	return out, err
}
