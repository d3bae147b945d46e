package store

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// storeOrder writes o with one parcel of the carrier per tracking number
// and returns the parcel ids.
func storeOrder(t testing.TB, s *Store, carrier string, o Order, tracking ...string) []ParcelID {
	t.Helper()
	err := s.Update(func(tx *Tx) error {
		for _, tn := range tracking {
			p := Parcel{Carrier: carrier, TrackingNumber: tn, Order: o.Number, Status: StatusInTransit}
			if err := tx.CreateParcel(&p); err != nil {
				return err
			}
			o.Parcels = append(o.Parcels, p.ID)
		}
		return tx.PutOrder(o)
	})
	if err != nil {
		t.Fatal(err)
	}
	return o.Parcels
}

// searchFixture is a desk with customers whose keys overlap in the ways
// agents' queries do: shared first names, a surname with and without its
// umlaut, a name with ß, phones written three ways.
func searchFixture(t testing.TB) *Store {
	t.Helper()
	s := openTemp(t)
	for _, f := range []struct {
		number, name, email, phone, postcode string
		tracking                             []string
	}{
		{"#1001", "Anna Müller", "Anna.Mueller@Example.de", "+49 170 1234567", "10115", []string{"JD014600006281234567"}},
		{"#1002", "Jonas Muller", "jonas.muller@example.com", "030 9876543", "80331", []string{"00340434161234567890"}},
		{"#1003", "Anna Schmidt", "anna@schmidt.example", "(0151) 555-4443", "SW1A 1AA", []string{"1Z999AA10123456784"}},
		{"#1004", "Lena Straße", "", "", "20095", []string{"JVGL0612345678", "JVGL0612345679"}},
		{"#1005", "Ännchen Mülheim", "aennchen@example.de", "4567", "", nil},
		{"#1006", "Bernd Strasser", "bernd@example.de", "", "20095", []string{"CH123"}},
	} {
		o := Order{Number: f.number, Customer: Customer{Name: f.name, Email: f.email, Phone: f.phone},
			ShipTo: Address{PostalCode: f.postcode}}
		storeOrder(t, s, "dhl", o, f.tracking...)
	}
	return s
}

// findOrders runs a query and returns the order numbers found, failing the
// test on an error or an order found twice.
func findOrders(t testing.TB, s *Store, query string, limit int) ([]string, []SearchHit) {
	t.Helper()
	hits, err := s.Search(query, limit)
	if err != nil {
		t.Fatalf("Search(%q): %v", query, err)
	}
	var numbers []string
	for _, h := range hits {
		if slices.Contains(numbers, h.Number) {
			t.Errorf("Search(%q) found order %s twice", query, h.Number)
		}
		numbers = append(numbers, h.Number)
	}
	return numbers, hits
}

func TestSearchEachKey(t *testing.T) {
	s := searchFixture(t)
	cases := []struct {
		query string
		want  []string
		field string // of the first hit
		exact bool
	}{
		{"#1001", []string{"#1001"}, "order number", true},
		{"1001", []string{"#1001"}, "order number", true},
		{" # 1001 ", []string{"#1001"}, "order number", true},
		{"10 01", []string{"#1001"}, "order number", true},
		{"jd01 4600 0062 8123 4567", []string{"#1001"}, "tracking number", true},
		{"JD01-4600-0062-8123-4567", []string{"#1001"}, "tracking number", true},
		{"jd014600006281234567", []string{"#1001"}, "tracking number", true},
		{"jvgl 0612 345679", []string{"#1004"}, "tracking number", true},
		{"1z999aa1", []string{"#1003"}, "tracking number", false},
		{"anna.mueller@example.de", []string{"#1001"}, "email", true},
		{"ANNA.MUELLER@EXAMPLE.DE", []string{"#1001"}, "email", true},
		{" Jonas.Muller@Example.COM ", []string{"#1002"}, "email", true},
		{"anna.mueller@", []string{"#1001"}, "email", false},
		{"+49 170 1234567", []string{"#1001"}, "phone", true},
		{"+49-170-123.45.67", []string{"#1001"}, "phone", true},
		{"0049 170 1234567", []string{"#1001"}, "phone", true},
		{"0170-1234567", []string{"#1001"}, "phone", false},
		{"(0170) 123 45 67", []string{"#1001"}, "phone", false},
		{"1234567", []string{"#1001"}, "phone", false},
		{"234567", []string{"#1001"}, "phone", false},
		{"0151 5554443", []string{"#1003"}, "phone", true},
		{"5554443", []string{"#1003"}, "phone", false},
		{"+49 151 5554443", []string{"#1003"}, "phone", false}, // stored with a trunk zero
		{"030/987 65 43", []string{"#1002"}, "phone", true},
		{"10115", []string{"#1001"}, "postcode", true},
		{"sw1a 1aa", []string{"#1003"}, "postcode", true},
		{"SW1A1AA", []string{"#1003"}, "postcode", true},
		{"20095", []string{"#1004", "#1006"}, "postcode", true},
		{"mul", []string{"#1005", "#1001", "#1002"}, "name", false},
		{"MÜL", []string{"#1005", "#1001", "#1002"}, "name", false},
		{"Müller", []string{"#1001", "#1002"}, "name", false},
		{"muller", []string{"#1001", "#1002"}, "name", false},
		{"strasse", []string{"#1004", "#1006"}, "name", false},
		{"straße", []string{"#1004", "#1006"}, "name", false},
		{"STRASSE", []string{"#1004", "#1006"}, "name", false},
		{"anna mü", []string{"#1001"}, "name", false},
		{"mü anna", []string{"#1001"}, "name", false},
		{"anna  schmidt", []string{"#1003"}, "name", false},
		{"anna", []string{"#1001", "#1003"}, "name", false},
		{"ann", []string{"#1001", "#1003", "#1005"}, "name", false},
		{"anna müx", nil, "", false},
		{"zzz", nil, "", false},
	}
	for _, c := range cases {
		got, hits := findOrders(t, s, c.query, 10)
		if !slices.Equal(got, c.want) {
			t.Errorf("Search(%q) = %v, want %v", c.query, got, c.want)
			continue
		}
		if len(hits) > 0 && (hits[0].Field != c.field || hits[0].Exact != c.exact) {
			t.Errorf("Search(%q) first hit by %s (exact %v), want %s (exact %v)",
				c.query, hits[0].Field, hits[0].Exact, c.field, c.exact)
		}
	}
}

func TestSearchHitShowsTheStoredValue(t *testing.T) {
	s := searchFixture(t)
	for query, want := range map[string]string{
		"anna.mueller@example.de": "Anna.Mueller@Example.de",
		"0170 1234567":            "+49 170 1234567",
		"sw1a1aa":                 "SW1A 1AA",
		"jvgl0612345679":          "JVGL0612345679",
		"1001":                    "#1001",
		"strasse":                 "Lena Straße",
	} {
		_, hits := findOrders(t, s, query, 1)
		if len(hits) != 1 || hits[0].Value != want {
			t.Errorf("Search(%q) = %+v, want value %q", query, hits, want)
		}
	}
}

// Phone numbers match on six or more digits only: fewer would match half
// the customers, and a short stored number is not indexed at all.
func TestSearchPhoneNeedsSixDigits(t *testing.T) {
	s := searchFixture(t)
	for _, q := range []string{"34567", "4567", "4443", "+49", "0 0 0 0 0 0 0"} {
		_, hits := findOrders(t, s, q, 10)
		for _, h := range hits {
			if h.Field == "phone" {
				t.Errorf("Search(%q) matched phone %q of order %s", q, h.Value, h.Number)
			}
		}
	}
}

// One query can hit every tier; the hits come best tier first: exact order
// and tracking numbers, exact email, phone and postcode (every whole key of
// the query's shape), then number prefixes, email and phone prefixes, then
// names.
func TestSearchRanksAcrossTiers(t *testing.T) {
	s := openTemp(t)
	for _, o := range []struct {
		order    Order
		tracking []string
	}{
		{Order{Number: "A-1", Customer: Customer{Name: "Studio 10115"}}, nil},
		{Order{Number: "A-2", ShipTo: Address{PostalCode: "10115"}}, nil},
		{Order{Number: "1011500"}, nil},
		{Order{Number: "A-3"}, []string{"10115-77"}},
		{Order{Number: "A-4"}, []string{"10115"}},
		{Order{Number: "10115"}, nil},
		{Order{Number: "B-1", Customer: Customer{Phone: "+49 170 1234567"}}, nil},
		{Order{Number: "12345678"}, nil},
		{Order{Number: "B-2", Customer: Customer{Phone: "123 4567"}}, nil},
		{Order{Number: "1234567"}, nil},
		{Order{Number: "C-1", Customer: Customer{Name: "Kim Kim", Email: "kim@example.com.au"}}, nil},
		{Order{Number: "C-2", Customer: Customer{Email: "Kim@Example.com"}}, nil},
	} {
		storeOrder(t, s, "dhl", o.order, o.tracking...)
	}
	cases := []struct {
		query string
		want  []string
	}{
		// exact order, exact tracking, postcode, order prefix, tracking
		// prefix, name
		{"10115", []string{"10115", "A-4", "A-2", "1011500", "A-3", "A-1"}},
		// exact order, exact phone, order prefix, phone suffix
		{"1234567", []string{"1234567", "B-2", "12345678", "B-1"}},
		// exact email, email prefix
		{"kim@example.com", []string{"C-2", "C-1"}},
	}
	for _, c := range cases {
		for limit := 1; limit <= len(c.want)+1; limit++ {
			got, _ := findOrders(t, s, c.query, limit)
			if want := c.want[:min(limit, len(c.want))]; !slices.Equal(got, want) {
				t.Errorf("Search(%q, %d) = %v, want %v", c.query, limit, got, want)
			}
		}
	}
}

// An order that matches a query by several keys is listed once, by its
// best one.
func TestSearchListsEachOrderOnce(t *testing.T) {
	s := openTemp(t)
	storeOrder(t, s, "dhl", Order{Number: "10115", Customer: Customer{Name: "10115 Berlin", Phone: "10115"},
		ShipTo: Address{PostalCode: "10115"}}, "10115", "1011599")
	storeOrder(t, s, "ups", Order{Number: "X"}, "10115")
	got, hits := findOrders(t, s, "10115", 10)
	if !slices.Equal(got, []string{"10115", "X"}) || hits[0].Field != "order number" {
		t.Errorf("Search = %+v", hits)
	}
}

// The limit counts orders, not index entries: an order with several
// parcels or name words that share the query's start takes one place, and
// a two-word name is found however many customers share the first word.
func TestSearchLimitCountsOrders(t *testing.T) {
	s := openTemp(t)
	storeOrder(t, s, "dhl", Order{Number: "1", Customer: Customer{Name: "Anna Annabell"}}, "JD0001", "JD0002", "JD0003")
	storeOrder(t, s, "dhl", Order{Number: "2", Customer: Customer{Name: "Annette Annika Anders"}}, "JD0004")
	storeOrder(t, s, "dhl", Order{Number: "3", Customer: Customer{Name: "Anneliese Ann"}}, "JD0005")
	for i := range 30 {
		storeOrder(t, s, "dhl", Order{Number: fmt.Sprintf("A%02d", i), Customer: Customer{Name: fmt.Sprintf("Annabell Schmidt%d", i)}})
	}
	storeOrder(t, s, "dhl", Order{Number: "Z", Customer: Customer{Name: "Annabell Müller"}})
	for _, c := range []struct {
		query string
		limit int
		want  []string
	}{
		{"jd000", 3, []string{"1", "2", "3"}},
		{"ann", 3, []string{"3", "1", "A00"}},
		{"annabell mü", 5, []string{"Z"}},
		{"mü annabell", 5, []string{"Z"}},
		{"annabell schmidt2", 3, []string{"A02", "A20", "A21"}},
	} {
		if got, _ := findOrders(t, s, c.query, c.limit); !slices.Equal(got, c.want) {
			t.Errorf("Search(%q, %d) = %v, want %v", c.query, c.limit, got, c.want)
		}
	}
}

// pasteFixture stores 60 orders of one parcel each, PT0000 to PT0059, and
// an order with two parcels.
func pasteFixture(t *testing.T) *Store {
	s := openTemp(t)
	for i := range 60 {
		storeOrder(t, s, "dhl", Order{Number: fmt.Sprintf("#%d", 5000+i)}, fmt.Sprintf("PT%04d", i))
	}
	storeOrder(t, s, "ups", Order{Number: "#6000"}, "1Z 111", "1Z 222")
	return s
}

func TestSearchPasteFindsEveryOrder(t *testing.T) {
	s := pasteFixture(t)
	seps := []string{"\n", ",", " ", "\t", ", ", "\r\n", ";", " ,\t"}
	var b strings.Builder
	var want []string
	for i := range 45 {
		fmt.Fprintf(&b, "PT%04d%s", i, seps[i%len(seps)])
		want = append(want, fmt.Sprintf("#%d", 5000+i))
	}
	got, hits := findOrders(t, s, b.String(), 5)
	if !slices.Equal(got, want) {
		t.Errorf("paste of 45 found %d orders: %v", len(got), got)
	}
	for _, h := range hits {
		if h.Field != "tracking number" || !h.Exact {
			t.Errorf("paste hit %s by %s (exact %v)", h.Number, h.Field, h.Exact)
		}
	}

	for paste, want := range map[string][]string{
		"1Z111\n1Z222":                       {"#6000"},
		"1z111, pt0003":                      {"#6000", "#5003"},
		"PT0001,PT0002":                      {"#5001", "#5002"},
		"#5007\tPT0008":                      {"#5007", "#5008"},
		"PT0009\nnot-a-number\nPT0010\n\n\n": {"#5009", "#5010"},
		"PT00 01":                            {"#5001"},
	} {
		if got, _ := findOrders(t, s, paste, 1); !slices.Equal(got, want) {
			t.Errorf("Search(%q) = %v, want %v", paste, got, want)
		}
	}
}

// A paste is read up to its fiftieth number.
func TestSearchPasteStopsAtFifty(t *testing.T) {
	s := pasteFixture(t)
	var tokens, want []string
	for i := range 60 {
		tokens = append(tokens, fmt.Sprintf("PT%04d", i))
		if i < 50 {
			want = append(want, fmt.Sprintf("#%d", 5000+i))
		}
	}
	if got, _ := findOrders(t, s, strings.Join(tokens, "\n"), 20); !slices.Equal(got, want) {
		t.Errorf("paste of 60 found %d orders: %v", len(got), got)
	}
}

// A tracking number written in groups is one number, not a paste, even
// when some groups are whole order or tracking numbers themselves.
func TestSearchGroupedTrackingIsOneNumber(t *testing.T) {
	s := openTemp(t)
	storeOrder(t, s, "dhl", Order{Number: "#1"}, "JD0146000062")
	storeOrder(t, s, "dhl", Order{Number: "#2"}, "JD01")
	storeOrder(t, s, "dhl", Order{Number: "0062"})
	for query, want := range map[string][]string{
		"JD01 4600 0062":  {"#1"},
		"jd01-4600 0062 ": {"#1"},
		"JD01 0062":       {"#2", "0062"},
	} {
		if got, _ := findOrders(t, s, query, 10); !slices.Equal(got, want) {
			t.Errorf("Search(%q) = %v, want %v", query, got, want)
		}
	}
}

// Whatever an agent pastes, search answers without an error and finds
// nothing it should not.
func TestSearchBadInput(t *testing.T) {
	s := searchFixture(t)
	var paste strings.Builder
	for paste.Len() < 10<<10 {
		paste.WriteString("JD014600006281234567\n")
	}
	cases := []struct {
		query string
		want  []string
	}{
		{"", nil},
		{"   \t\n\r  ", nil},
		{"\x00", nil},
		{"\x00\x00\x00\x00", nil},
		{"\x01\x02\x1b[2J\x7f", nil},
		{"\xff\xfe\xfd", nil},
		{"\xc3", nil},
		{"\u00a0\u2028\ufeff", nil},
		{strings.Repeat("a", 10_000), nil},
		{strings.Repeat("\x00", 10_000), nil},
		{strings.Repeat("ü", 5_000), nil},
		{strings.Repeat("@", 5_000), nil},
		{strings.Repeat("9", 10_000), nil},
		{strings.Repeat("x ", 5_000), nil},
		{"#1001\x00", []string{"#1001"}},
		{"\x00#10\x0001\x1b", []string{"#1001"}},
		{"JD01\xff4600\xfe0062\x008123\x014567", []string{"#1001"}},
		{paste.String(), []string{"#1001"}},
		{"\xef\xbf\xbd", nil},
	}
	for _, c := range cases {
		got, _ := findOrders(t, s, c.query, 5)
		if !slices.Equal(got, c.want) {
			t.Errorf("Search(%.40q) = %v, want %v", c.query, got, c.want)
		}
	}
	for _, limit := range []int{0, -1} {
		if got, _ := findOrders(t, s, "anna", limit); got != nil {
			t.Errorf("limit %d found %v", limit, got)
		}
	}
}

// A customer field holding a zero byte is indexed without it, so it
// neither breaks a search nor hides the order.
func TestSearchZeroByteInCustomerKeys(t *testing.T) {
	s := openTemp(t)
	storeOrder(t, s, "dhl", Order{Number: "#1", Customer: Customer{Name: "Ev\x00a", Email: "ev@x\x00.de", Phone: "0170\x00 1234567"},
		ShipTo: Address{PostalCode: "10\x00115"}})
	storeOrder(t, s, "dhl", Order{Number: "#2", Customer: Customer{Email: "ev@x.de"}})
	for query, want := range map[string][]string{
		"ev@x":         {"#1", "#2"},
		"ev@x.de":      {"#1", "#2"},
		"0170 1234567": {"#1"},
		"10115":        {"#1"},
		"ev":           {"#1"},
	} {
		if got, _ := findOrders(t, s, query, 5); !slices.Equal(got, want) {
			t.Errorf("Search(%q) = %v, want %v", query, got, want)
		}
	}
}

func FuzzSearch(f *testing.F) {
	for _, seed := range []string{
		"", "#1001", "anna mü", "MÜL", "strasse", "+49 170 1234567", "0170-1234567", "234567",
		"anna.mueller@example.de", "sw1a 1aa", "JD01 4600 0062 8123 4567", "1Z999AA10123456784\n00340434161234567890",
		"JVGL0612345678, JVGL0612345679", "JD014600006281234567,1Z999AA10123456784", "\x00", "\xff\xfe", "a\x00b", "@@@", "\t\n", strings.Repeat("a", 5000),
	} {
		f.Add(seed, 1)
		f.Add(seed, 20)
	}
	s := searchFixture(f)
	f.Fuzz(func(t *testing.T, query string, limit int) {
		limit = 1 + int(uint(limit)%60)
		got, hits := findOrders(t, s, query, limit)
		if len(got) > limit {
			if len(pasteTokens(cleanQuery(query))) < 2 || len(got) > maxQueryTokens {
				t.Fatalf("Search(%q, %d) found %d orders", query, limit, len(got))
			}
			for _, h := range hits {
				if !h.Exact || (h.Field != "tracking number" && h.Field != "order number") {
					t.Fatalf("Search(%q, %d) over the limit with hit %+v", query, limit, h)
				}
			}
		}
		for _, h := range hits {
			if h.Number == "" || !strings.HasPrefix(h.Number, "#") {
				t.Fatalf("Search(%q) hit without a stored order: %+v", query, h)
			}
		}
	})
}

// Changing a customer's keys moves the order's index entries: the old
// values find it no more, the new ones do, and nothing is left behind.
func TestPutOrderMovesSearchKeys(t *testing.T) {
	s := searchFixture(t)
	detail, err := s.Order("#1001")
	if err != nil {
		t.Fatal(err)
	}
	o := detail.Order
	o.Customer = Customer{Name: "Anna Weber", Email: "a.weber@example.org", Phone: "+43 660 7654321"}
	o.ShipTo.PostalCode = "A-1010"
	mustUpdate(t, s, func(tx *Tx) error { return tx.PutOrder(o) })
	for _, q := range []string{"anna.mueller@example.de", "anna.mueller@", "+49 170 1234567", "1234567", "10115", "anna mü"} {
		if got, _ := findOrders(t, s, q, 10); slices.Contains(got, "#1001") {
			t.Errorf("old value %q still finds the order: %v", q, got)
		}
	}
	if got, _ := findOrders(t, s, "mül", 10); !slices.Equal(got, []string{"#1005", "#1002"}) {
		t.Errorf("Search(mül) after the rename = %v", got)
	}
	for _, q := range []string{"A.Weber@example.org", "0660 7654321", "7654321", "a1010", "anna web", "weber", "anna"} {
		if got, _ := findOrders(t, s, q, 10); !slices.Contains(got, "#1001") {
			t.Errorf("new value %q does not find the order: %v", q, got)
		}
	}
	want := searchKeys(o)
	slices.SortFunc(want, bytes.Compare)
	if got := customerEntries(t, s, o.Number); !slices.EqualFunc(got, want, bytes.Equal) {
		t.Errorf("index entries %q, want %q", got, want)
	}

	o.Customer = Customer{Name: "Anna Weber"}
	o.ShipTo.PostalCode = ""
	mustUpdate(t, s, func(tx *Tx) error { return tx.PutOrder(o) })
	if got := customerEntries(t, s, o.Number); len(got) != 2 {
		t.Errorf("after clearing email, phone and postcode: entries %q", got)
	}
}

// customerEntries lists an order's entries in idx_search, in key order.
func customerEntries(t *testing.T, s *Store, number string) [][]byte {
	t.Helper()
	var keys [][]byte
	err := s.View(func(tx *Tx) error {
		return tx.bucket(bucketIdxSearch).ForEach(func(k, _ []byte) error {
			if bytes.HasSuffix(k, append([]byte{0}, number...)) {
				keys = append(keys, clone(k))
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

func TestPutOrderRefusesZeroByteNumber(t *testing.T) {
	s := openTemp(t)
	for _, n := range []string{"#10\x0001", "\x00", "1001\x00"} {
		err := s.Update(func(tx *Tx) error {
			return tx.PutOrder(Order{Number: n, PlacedAt: t0, Customer: Customer{Name: "Eve"}})
		})
		if err == nil {
			t.Errorf("order number %q accepted", n)
		}
	}
	if got, _ := findOrders(t, s, "eve", 5); got != nil {
		t.Errorf("refused orders found: %v", got)
	}
	if rows, _ := s.OrdersBefore(nil, 5); len(rows) != 0 {
		t.Errorf("refused orders listed: %d", len(rows))
	}
	if err := s.Update(func(tx *Tx) error { return tx.PutOrder(Order{}) }); err == nil {
		t.Error("order without a number accepted")
	}
}
