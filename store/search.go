package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"unicode"

	bolt "go.etcd.io/bbolt"
)

// indexKey is a secondary index entry: the folded value, a zero byte, then
// the primary key. Exact lookups seek "value\0", prefix lookups "value".
func indexKey(value, primary []byte) []byte {
	return join(value, []byte{0}, primary)
}

// scanIndex calls fn with the primary key of each entry of index whose value
// is q (exact) or starts with q, in key order, until fn returns false.
func scanIndex(c *bolt.Cursor, q []byte, exact bool, fn func(value, primary []byte) bool) {
	if len(q) == 0 {
		return
	}
	prefix := q
	if exact {
		prefix = join(q, []byte{0})
	}
	for k, _ := c.Seek(prefix); withinPrefix(k, prefix); k, _ = c.Next() {
		i := bytes.IndexByte(k, 0)
		if i < 0 || !fn(k[:i], k[i+1:]) {
			return
		}
	}
}

// The customer keys in idx_search, each entry "kind | value \0 order".
const (
	keyEmail    byte = 'e'
	keyPhone    byte = 'p'
	keyName     byte = 'n'
	keyPostcode byte = 'z'
)

// searchFields names each customer key in results.
var searchFields = map[byte]string{
	keyEmail: "email", keyPhone: "phone", keyName: "name", keyPostcode: "postcode",
}

// searchKeys are an order's entries in idx_search.
func searchKeys(o Order) [][]byte {
	primary := []byte(o.Number)
	var keys [][]byte
	add := func(kind byte, value string) {
		if value != "" {
			keys = append(keys, indexKey(append([]byte{kind}, value...), primary))
		}
	}
	add(keyEmail, foldEmail(o.Customer.Email))
	if p := phoneKey(o.Customer.Phone); len(p) >= minPhoneDigits {
		add(keyPhone, p)
	}
	for _, w := range nameWords(o.Customer.Name) {
		add(keyName, w)
	}
	add(keyPostcode, string(foldTracking(o.ShipTo.PostalCode)))
	return keys
}

// parcelsByTracking returns parcel ids whose folded tracking number is q or,
// unless exact, starts with q; limit 0 means no limit.
func (t *Tx) parcelsByTracking(q []byte, exact bool, limit int) []ParcelID {
	var ids []ParcelID
	scanIndex(t.bucket(bucketIdxTracking).Cursor(), q, exact, func(_, primary []byte) bool {
		if len(primary) == 8 {
			ids = append(ids, ParcelID(binary.BigEndian.Uint64(primary)))
		}
		return limit == 0 || len(ids) < limit
	})
	return ids
}

// SearchHit is an order found by a search, with what matched.
type SearchHit struct {
	Order Order
	// Field is the key that matched ("order number", "tracking number",
	// "email", "phone", "name", "postcode") and Value the matching value
	// as stored.
	Field string
	Value string
	// Exact is true when the whole key matched, not a part of it.
	Exact bool
}

// maxCandidates bounds the index entries one search step reads: a common
// first name, or the parcels of orders already listed, must not make it
// slow.
const maxCandidates = 500

// Search finds orders from whatever an agent types or pastes: an order or
// tracking number (whole or its start), an email, a phone number (or its
// last six or more digits), a postcode, or the start of words of the
// customer's name. Results are ranked: exact order and tracking numbers,
// then exact emails and phones, then prefixes and postcodes, then names;
// each order once, at most limit. A paste of several tracking numbers finds
// the order of every one of them, however many that is. Any input is safe:
// the work is bounded and bad bytes find nothing.
func (s *Store) Search(query string, limit int) ([]SearchHit, error) {
	q := cleanQuery(query)
	if q == "" || limit <= 0 {
		return nil, nil
	}
	var r hitList
	err := s.View(func(tx *Tx) error {
		if tokens := pasteTokens(q); len(tokens) > 1 && !tx.isNumber(q) {
			r = hitList{limit: maxQueryTokens, seen: map[string]bool{}}
			if matched, err := tx.searchPaste(tokens, &r); err != nil || matched > 1 {
				return err
			}
		}
		r = hitList{limit: limit, seen: map[string]bool{}}
		return tx.search(q, &r)
	})
	return r.hits, err
}

// pasteTokens splits a paste into its numbers: exports and spreadsheets
// separate them with commas or semicolons as often as with line breaks.
func pasteTokens(q string) []string {
	return strings.FieldsFunc(q, func(r rune) bool { return unicode.IsSpace(r) || r == ',' || r == ';' })
}

// isNumber reports whether the whole query, spaces and all, is an order or
// tracking number: then it is one number written in groups ("JD01 4600
// 0062"), not a paste, however many of its groups are numbers too.
func (t *Tx) isNumber(q string) bool {
	found := false
	scanIndex(t.bucket(bucketIdxOrder).Cursor(), foldOrderNumber(q), true, func(_, _ []byte) bool {
		found = true
		return false
	})
	return found || len(t.parcelsByTracking(foldTracking(q), true, 1)) > 0
}

// searchPaste looks up every token of a paste as a whole tracking or order
// number, and returns how many tokens matched: fewer than two means the
// query was not a paste of numbers ("anna müller", or a tracking number
// written with spaces).
func (t *Tx) searchPaste(tokens []string, r *hitList) (int, error) {
	matched := 0
	for _, tok := range tokens[:min(len(tokens), maxQueryTokens)] {
		byTracking, err := t.searchTracking(foldTracking(tok), true, r)
		if err != nil {
			return 0, err
		}
		byNumber, err := t.searchOrders(foldOrderNumber(tok), true, r)
		if err != nil {
			return 0, err
		}
		if byTracking+byNumber > 0 {
			matched++
		}
	}
	return matched, nil
}

// search runs the ranked lookups for one query, best tier first, until the
// list is full.
func (t *Tx) search(q string, r *hitList) error {
	email := strings.Contains(q, "@")
	phone := looksLikePhone(q)
	ids := func(exact bool) func() error {
		return func() error {
			if _, err := t.searchOrders(foldOrderNumber(q), exact, r); err != nil {
				return err
			}
			_, err := t.searchTracking(foldTracking(q), exact, r)
			return err
		}
	}
	steps := []func() error{ids(true)}
	if email {
		steps = append(steps, func() error { return t.searchCustomer(keyEmail, foldEmail(q), true, r) })
	}
	if phone {
		steps = append(steps, func() error { return t.searchCustomer(keyPhone, phoneKey(q), true, r) })
	}
	steps = append(steps, ids(false))
	if email {
		steps = append(steps, func() error { return t.searchCustomer(keyEmail, foldEmail(q), false, r) })
	}
	if phone {
		steps = append(steps, func() error { return t.searchCustomer(keyPhone, phoneSuffix(q), false, r) })
	}
	steps = append(steps,
		func() error { return t.searchCustomer(keyPostcode, string(foldTracking(q)), true, r) },
		func() error { return t.searchName(q, r) },
	)
	for _, step := range steps {
		if err := step(); err != nil || r.full() {
			return err
		}
	}
	return nil
}

// hitList collects search hits, each order once, up to a limit.
type hitList struct {
	limit int
	seen  map[string]bool
	hits  []SearchHit
}

func (r *hitList) add(h SearchHit) {
	if !r.seen[h.Order.Number] && !r.full() {
		r.seen[h.Order.Number] = true
		r.hits = append(r.hits, h)
	}
}

func (r *hitList) full() bool { return len(r.hits) >= r.limit }

// searchOrders adds the orders whose number matches q and returns how many
// index entries matched.
func (t *Tx) searchOrders(q []byte, exact bool, r *hitList) (int, error) {
	var numbers []string
	scanIndex(t.bucket(bucketIdxOrder).Cursor(), q, exact, func(_, primary []byte) bool {
		numbers = append(numbers, string(primary))
		return len(numbers) < r.limit
	})
	for _, n := range numbers {
		if err := t.addOrderHit(r, n, "order number", n, exact); err != nil {
			return 0, err
		}
	}
	return len(numbers), nil
}

// searchTracking adds the orders of parcels whose tracking number matches q
// and returns how many index entries it read. It reads until the list is
// full: an order's parcels take one place in it, not one each.
func (t *Tx) searchTracking(q []byte, exact bool, r *hitList) (int, error) {
	read := 0
	var err error
	scanIndex(t.bucket(bucketIdxTracking).Cursor(), q, exact, func(_, primary []byte) bool {
		read++
		if len(primary) != 8 {
			return read < maxCandidates
		}
		id := ParcelID(binary.BigEndian.Uint64(primary))
		var p Parcel
		if p, err = t.Parcel(id); err != nil {
			err = fmt.Errorf("tracking index entry %d: %w", id, err)
			return false
		}
		err = t.addOrderHit(r, p.Order, "tracking number", p.TrackingNumber, exact)
		return err == nil && !r.full() && read < maxCandidates
	})
	return read, err
}

// searchCustomer adds the orders whose customer key of the given kind is q
// or starts with it.
func (t *Tx) searchCustomer(kind byte, q string, exact bool, r *hitList) error {
	if q == "" {
		return nil
	}
	var numbers []string
	scanIndex(t.bucket(bucketIdxSearch).Cursor(), append([]byte{kind}, q...), exact, func(_, primary []byte) bool {
		numbers = append(numbers, string(primary))
		return len(numbers) < r.limit
	})
	for _, n := range numbers {
		if err := t.addOrderHit(r, n, searchFields[kind], "", exact); err != nil {
			return err
		}
	}
	return nil
}

// searchName adds the orders whose customer name has a word starting with
// each word of q. It walks the index for the longest word and checks the
// others on each candidate as it goes, so the list fills with orders that
// match every word, reading a bounded number of candidates.
func (t *Tx) searchName(q string, r *hitList) error {
	words := nameWords(q)
	if len(words) == 0 {
		return nil
	}
	slices.SortFunc(words, func(a, b string) int { return len(b) - len(a) })
	read := 0
	var err error
	scanIndex(t.bucket(bucketIdxSearch).Cursor(), append([]byte{keyName}, words[0]...), false, func(_, primary []byte) bool {
		read++
		if n := string(primary); !r.seen[n] {
			var o Order
			if o, err = t.Order(n); err != nil {
				err = fmt.Errorf("name index entry %q: %w", n, err)
				return false
			}
			if hasWordPrefixes(nameWords(o.Customer.Name), words[1:]) {
				r.add(SearchHit{Order: o, Field: "name", Value: o.Customer.Name})
			}
		}
		return read < maxCandidates && !r.full()
	})
	return err
}

// hasWordPrefixes reports whether every query word starts some name word.
func hasWordPrefixes(name, query []string) bool {
	for _, q := range query {
		if !slices.ContainsFunc(name, func(w string) bool { return strings.HasPrefix(w, q) }) {
			return false
		}
	}
	return true
}

// addOrderHit adds order number n to the list. An empty value shows the
// customer field that matched as stored on the order.
func (t *Tx) addOrderHit(r *hitList, n, field, value string, exact bool) error {
	if r.seen[n] {
		return nil
	}
	o, err := t.Order(n)
	if err != nil {
		return fmt.Errorf("%s index entry for order %q: %w", field, n, err)
	}
	if value == "" {
		switch field {
		case "email":
			value = o.Customer.Email
		case "phone":
			value = o.Customer.Phone
		case "postcode":
			value = o.ShipTo.PostalCode
		}
	}
	r.add(SearchHit{Order: o, Field: field, Value: value, Exact: exact})
	return nil
}
