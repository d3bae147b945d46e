package store

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	bolt "go.etcd.io/bbolt"
)

// indexKey is a secondary index entry: the folded value, a zero byte, then
// the primary key. Exact lookups seek "value\0", prefix lookups "value".
func indexKey(value, primary []byte) []byte {
	return join(value, []byte{0}, primary)
}

// scanIndex calls fn with the folded value, the primary key and the value
// of each entry of index whose folded value is q (exact) or starts with q,
// in key order, until fn returns false.
func scanIndex(c *bolt.Cursor, q []byte, exact bool, fn func(keyed, primary, v []byte) bool) {
	if len(q) == 0 {
		return
	}
	prefix := q
	if exact {
		prefix = join(q, []byte{0})
	}
	for k, v := c.Seek(prefix); withinPrefix(k, prefix); k, v = c.Next() {
		i := bytes.IndexByte(k, 0)
		if i < 0 || !fn(k[:i], k[i+1:], v) {
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
	return parcelsByTracking(t.bucket(bucketIdxTracking), q, exact, limit)
}

func parcelsByTracking(idx *bolt.Bucket, q []byte, exact bool, limit int) []ParcelID {
	var ids []ParcelID
	scanIndex(idx.Cursor(), q, exact, func(_, primary, _ []byte) bool {
		if len(primary) == 8 {
			ids = append(ids, ParcelID(binary.BigEndian.Uint64(primary)))
		}
		return limit == 0 || len(ids) < limit
	})
	return ids
}

// SearchHit is an order found by a search, with what matched: what a list
// of hits shows, read off the index without reading the order.
type SearchHit struct {
	// Number, Customer and PlacedAt are the order's number, its customer's
	// name and when it was placed.
	Number   string
	Customer string
	PlacedAt time.Time
	// Field is the key that matched ("order number", "tracking number",
	// "email", "phone", "name", "postcode") and Value the matching value
	// as stored.
	Field string
	Value string
	// Exact is true when the whole key matched, not a part of it.
	Exact bool
	// Archived is true for an order found in an archive file.
	Archived bool
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
// each order once, at most limit. Each rank is looked up in the hot file
// and then in the archive files, newest first, before the next: an
// archived order whose number is typed whole comes before hot orders whose
// numbers only start with it. A paste of several tracking numbers finds
// the order of every one of them, however many that is. Any input is
// safe: the work is bounded and bad bytes find nothing.
//
// An archive file that cannot be read is passed over: the hits from the
// rest come with an error that wraps ErrArchiveUnavailable and says which.
func (s *Store) Search(query string, limit int) ([]SearchHit, error) {
	q := cleanQuery(query)
	if q == "" || limit <= 0 {
		return nil, nil
	}
	var r hitList
	err := s.withScopes(func(scopes []*searchScope) error {
		if tokens := pasteTokens(q); len(tokens) > 1 && !isNumber(scopes, q) {
			r = hitList{limit: maxQueryTokens, seen: map[string]bool{}}
			if matched, err := searchPaste(scopes, tokens, &r); err != nil || matched > 1 {
				return err
			}
		}
		r = hitList{limit: limit, seen: map[string]bool{}}
		return search(scopes, q, &r)
	})
	return r.hits, err
}

// pasteTokens splits a paste into its numbers: exports and spreadsheets
// separate them with commas or semicolons as often as with line breaks.
func pasteTokens(q string) []string {
	return strings.FieldsFunc(q, func(r rune) bool { return unicode.IsSpace(r) || r == ',' || r == ';' })
}

// isNumber reports whether the whole query, spaces and all, is an order or
// tracking number in any scope: then it is one number written in groups
// ("JD01 4600 0062"), not a paste, however many of its groups are numbers
// too.
func isNumber(scopes []*searchScope, q string) bool {
	for _, sc := range scopes {
		found := false
		scanIndex(sc.orders.Cursor(), foldOrderNumber(q), true, func(_, _, _ []byte) bool {
			found = true
			return false
		})
		if found || len(parcelsByTracking(sc.tracking, foldTracking(q), true, 1)) > 0 {
			return true
		}
	}
	return false
}

// searchPaste looks up every token of a paste as a whole tracking or order
// number in every scope, and returns how many tokens matched: fewer than
// two means the query was not a paste of numbers ("anna müller", or a
// tracking number written with spaces).
func searchPaste(scopes []*searchScope, tokens []string, r *hitList) (int, error) {
	matched := 0
	for _, tok := range tokens[:min(len(tokens), maxQueryTokens)] {
		found := 0
		for _, sc := range scopes {
			byTracking, err := sc.searchTracking(foldTracking(tok), true, r)
			if err != nil {
				return 0, err
			}
			byNumber, err := sc.searchOrders(foldOrderNumber(tok), true, r)
			if err != nil {
				return 0, err
			}
			found += byTracking + byNumber
		}
		if found > 0 {
			matched++
		}
	}
	return matched, nil
}

// search runs the ranked lookups for one query, best rank first, each in
// every scope, until the list is full.
func search(scopes []*searchScope, q string, r *hitList) error {
	email := strings.Contains(q, "@")
	phone := looksLikePhone(q)
	type step func(sc *searchScope) error
	ids := func(exact bool) step {
		return func(sc *searchScope) error {
			if _, err := sc.searchOrders(foldOrderNumber(q), exact, r); err != nil {
				return err
			}
			_, err := sc.searchTracking(foldTracking(q), exact, r)
			return err
		}
	}
	customer := func(kind byte, value string, exact bool) step {
		return func(sc *searchScope) error { return sc.searchCustomer(kind, value, exact, r) }
	}
	// Every whole key of the query's shape before any prefix: "10115" is a
	// postcode before it is the start of an order number.
	steps := []step{ids(true)}
	if email {
		steps = append(steps, customer(keyEmail, foldEmail(q), true))
	}
	if phone {
		steps = append(steps, customer(keyPhone, phoneKey(q), true))
	}
	steps = append(steps, customer(keyPostcode, string(foldTracking(q)), true), ids(false))
	if email {
		steps = append(steps, customer(keyEmail, foldEmail(q), false))
	}
	if phone {
		steps = append(steps, customer(keyPhone, phoneSuffix(q), false))
	}
	steps = append(steps, func(sc *searchScope) error { return sc.searchName(q, r) })
	for _, step := range steps {
		for _, sc := range scopes {
			if err := step(sc); err != nil || r.full() {
				return err
			}
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
	if !r.seen[h.Number] && !r.full() {
		r.seen[h.Number] = true
		r.hits = append(r.hits, h)
	}
}

func (r *hitList) full() bool { return len(r.hits) >= r.limit }

// hit is the hit an index entry of order number makes: read off its
// value, or, for an entry without one, off the order. keyed is the value
// the entry's key holds, which the hit shows where the entry keeps no
// value of its own (see searchEntries); stored is the value that matched
// as stored, if the entry cannot say.
func (sc *searchScope) hit(number string, keyed, v []byte, field, stored string, exact bool) (SearchHit, error) {
	h := SearchHit{Number: number, Field: field, Exact: exact, Archived: sc.archived}
	if hv, ok := decodeHitValue(v); ok && hv.whole {
		h.Customer, h.PlacedAt, h.Value = hv.customer, hv.placedAt, cmp.Or(hv.value, stored)
		switch {
		case field == "order number":
			h.Value = number
		case field == "name":
			h.Value = hv.customer
		case h.Value == "":
			h.Value = string(keyed) // stored as the key folds it
		}
		return h, nil
	}
	o, err := sc.order(number)
	if err != nil {
		return h, fmt.Errorf("%s index entry for order %q: %w", field, number, err)
	}
	h.Customer, h.PlacedAt, h.Value = o.Customer.Name, o.PlacedAt, stored
	if stored == "" {
		h.Value = map[string]string{"order number": number, "email": o.Customer.Email, "phone": o.Customer.Phone,
			"postcode": o.ShipTo.PostalCode, "name": o.Customer.Name}[field]
	}
	return h, nil
}

// searchOrders adds the orders whose number matches q and returns how many
// index entries matched.
func (sc *searchScope) searchOrders(q []byte, exact bool, r *hitList) (int, error) {
	matched := 0
	var err error
	scanIndex(sc.orders.Cursor(), q, exact, func(keyed, primary, v []byte) bool {
		matched++
		var h SearchHit
		if h, err = sc.hit(string(primary), keyed, v, "order number", string(primary), exact); err == nil {
			r.add(h)
		}
		return err == nil && matched < r.limit
	})
	return matched, err
}

// searchTracking adds the orders of parcels whose tracking number matches q
// and returns how many index entries it read. It reads until the list is
// full: an order's parcels take one place in it, not one each.
func (sc *searchScope) searchTracking(q []byte, exact bool, r *hitList) (int, error) {
	read := 0
	var err error
	scanIndex(sc.tracking.Cursor(), q, exact, func(keyed, primary, v []byte) bool {
		read++
		if len(primary) != 8 {
			return read < maxCandidates
		}
		hv, ok := decodeHitValue(v)
		number, tracking := hv.number, cmp.Or(hv.value, string(keyed))
		if !ok || number == "" {
			id := ParcelID(binary.BigEndian.Uint64(primary))
			if number, tracking, err = sc.parcel(id); err != nil {
				err = fmt.Errorf("tracking index entry %d: %w", id, err)
				return false
			}
		}
		if !r.seen[number] {
			var h SearchHit
			if h, err = sc.hit(number, keyed, v, "tracking number", tracking, exact); err == nil {
				r.add(h)
			}
		}
		return err == nil && !r.full() && read < maxCandidates
	})
	return read, err
}

// searchCustomer adds the orders whose customer key of the given kind is q
// or starts with it.
func (sc *searchScope) searchCustomer(kind byte, q string, exact bool, r *hitList) error {
	if q == "" {
		return nil
	}
	read := 0
	var err error
	scanIndex(sc.customers.Cursor(), append([]byte{kind}, q...), exact, func(keyed, primary, v []byte) bool {
		read++
		if n := string(primary); !r.seen[n] {
			var h SearchHit
			if h, err = sc.hit(n, keyed[1:], v, searchFields[kind], "", exact); err == nil {
				r.add(h)
			}
		}
		return err == nil && !r.full() && read < maxCandidates
	})
	return err
}

// searchName adds the orders whose customer name has a word starting with
// each word of q. It walks the index for the longest word and checks the
// others on each candidate as it goes, so the list fills with orders that
// match every word, reading a bounded number of candidates.
func (sc *searchScope) searchName(q string, r *hitList) error {
	words := nameWords(q)
	if len(words) == 0 {
		return nil
	}
	slices.SortFunc(words, func(a, b string) int { return len(b) - len(a) })
	read := 0
	var err error
	scanIndex(sc.customers.Cursor(), append([]byte{keyName}, words[0]...), false, func(keyed, primary, v []byte) bool {
		read++
		if n := string(primary); !r.seen[n] {
			var h SearchHit
			if h, err = sc.hit(n, keyed[1:], v, "name", "", false); err != nil {
				return false
			}
			if hasWordPrefixes(nameWords(h.Customer), words[1:]) {
				h.Value = h.Customer
				r.add(h)
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
