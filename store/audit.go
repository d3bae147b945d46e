package store

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// AuditEntry records one thing an agent did: append-only, never changed.
type AuditEntry struct {
	At     time.Time `json:"at"`
	Agent  string    `json:"agent"`
	Action string    `json:"action"`
	// Target names what was acted on ("order 1001", "exception 7").
	Target string `json:"target"`
	Detail string `json:"detail,omitempty"`
	// Order and Parcel are the order and parcel the action concerns, when
	// it concerns one: the entry then shows in their histories.
	Order  string   `json:"order,omitempty"`
	Parcel ParcelID `json:"parcel,omitempty"`
}

// Audit appends an entry to the audit log, in the transaction of the action
// it records, with its entries in the order's and the parcel's histories,
// and adds its agent to the names Agents lists.
func (t *Tx) Audit(e AuditEntry) error {
	if e.Agent == "" || e.Action == "" {
		return errors.New("an audit entry names its agent and action")
	}
	seq, err := t.bucket(bucketAudit).NextSequence()
	if err != nil {
		return err
	}
	key := join(timeKey(e.At), u64(seq))
	if err := t.put(bucketAudit, key, e); err != nil {
		return err
	}
	if err := t.indexAudit(e, key); err != nil {
		return err
	}
	return t.noteAgent(e.Agent)
}

// indexAudit files the entry at key under its parcel and its order in
// idx_audit: the history of either is then one prefix, newest last.
func (t *Tx) indexAudit(e AuditEntry, key []byte) error {
	idx := t.bucket(bucketIdxAudit)
	if e.Parcel != 0 {
		if err := idx.Put(join(parcelAuditPrefix(e.Parcel), key), nil); err != nil {
			return err
		}
	}
	if e.Order != "" {
		return idx.Put(join(orderAuditPrefix(e.Order), key), nil)
	}
	return nil
}

// indexAuditLog files the entries of a log written before schema 6 in
// idx_audit (an entry of then names its order only in its target, "order
// N") and notes their agents: the step to schema 6, one walk of the log.
func (t *Tx) indexAuditLog() error {
	return t.bucket(bucketAudit).ForEach(func(k, v []byte) error {
		var e AuditEntry
		if err := decode(v, &e); err != nil {
			return fmt.Errorf("audit %x: %w", k, err)
		}
		if number, ok := strings.CutPrefix(e.Target, "order "); ok && e.Order == "" {
			e.Order = number
		}
		if err := t.indexAudit(e, clone(k)); err != nil {
			return err
		}
		return t.noteAgent(e.Agent)
	})
}

func parcelAuditPrefix(id ParcelID) []byte { return join([]byte{'p'}, u64(uint64(id))) }

func orderAuditPrefix(number string) []byte {
	return join([]byte{'o'}, []byte(boundedKeyPart(strings.ReplaceAll(number, "\x00", ""))), []byte{0})
}

// ParcelAudit returns up to n entries about a parcel, newest first.
func (s *Store) ParcelAudit(id ParcelID, n int) ([]AuditEntry, error) {
	return s.auditUnder(parcelAuditPrefix(id), n, "", id, func(tx *Tx) error {
		_, err := tx.Parcel(id)
		return err
	}, func(e AuditEntry) bool { return e.Parcel == id })
}

// OrderAudit returns up to n entries about an order, newest first.
func (s *Store) OrderAudit(number string, n int) ([]AuditEntry, error) {
	return s.auditUnder(orderAuditPrefix(number), n, number, 0, func(tx *Tx) error {
		_, err := tx.Order(number)
		return err
	}, func(e AuditEntry) bool { return e.Order == number })
}

// auditUnder reads the newest n entries filed under prefix in idx_audit,
// or, when there are none and hot says the order or parcel is not in the
// hot file, the newest n of its archived record's entries that about
// keeps.
func (s *Store) auditUnder(prefix []byte, n int, number string, parcel ParcelID, hot func(*Tx) error, about func(AuditEntry) bool) ([]AuditEntry, error) {
	var out []AuditEntry
	err := s.hotOrHistory(number, parcel, func(tx *Tx) error {
		c := tx.bucket(bucketIdxAudit).Cursor()
		for k := seekPage(c, prefix, nil, true); withinPrefix(k, prefix) && len(out) < n; k, _ = c.Prev() {
			var e AuditEntry
			if err := tx.get(bucketAudit, k[len(prefix):], &e); err != nil {
				return fmt.Errorf("audit %x: %w", k[len(prefix):], err)
			}
			out = append(out, e)
		}
		if len(out) > 0 {
			return nil
		}
		return hot(tx) // none here: archived, if not hot
	}, func(rec archiveRecord) {
		for _, e := range slices.Backward(rec.Audit) {
			if about(e) && len(out) < n {
				out = append(out, e)
			}
		}
	})
	if nowhere(err) {
		return out, nil // nothing was done to what the desk never had; or entries name an order it does not keep
	}
	return out, err
}

// AuditTrail returns up to n entries about target, newest first; an empty
// target returns every entry. It reads back from the newest entry, so
// asking about a target acted on long ago reads the log that far; a
// parcel's or an order's history is ParcelAudit's or OrderAudit's.
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

// agentPrefix starts the stats keys naming everyone who acted or was
// assigned an exception: agent:<name>, whose value is a single 1 (the
// set needs none, and a byte reads back surely where an empty value might
// read as absent).
const agentPrefix = "agent:"

// noteAgent adds a name to the set Agents reads, unless it is empty, one
// of the desk's own names, or too long to be anyone's.
func (t *Tx) noteAgent(name string) error {
	if name == "" || name == SystemAgent || name == UpdatedByCarrier || len(name) > maxKeyPart || strings.ContainsRune(name, 0) {
		return nil
	}
	b := t.bucket(bucketStats)
	key := []byte(agentPrefix + name)
	if b.Get(key) != nil {
		return nil
	}
	return b.Put(key, []byte{1})
}

// Agents returns, in byte order, the names of everyone who ever acted on
// the desk or was assigned an exception: the assign dialog's suggestions.
func (s *Store) Agents() ([]string, error) {
	var out []string
	err := s.View(func(tx *Tx) error {
		prefix := []byte(agentPrefix)
		c := tx.bucket(bucketStats).Cursor()
		for k, _ := c.Seek(prefix); withinPrefix(k, prefix); k, _ = c.Next() {
			out = append(out, string(k[len(prefix):]))
		}
		return nil
	})
	return out, err
}
