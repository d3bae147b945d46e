package intake

import (
	"bytes"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wismo/wismo/store"
)

// openFixture opens a file in testdata for the rest of the test.
func openFixture(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func readOrders(t *testing.T, name string) ImportResult[Order] {
	t.Helper()
	res, err := ReadOrdersCSV(openFixture(t, name))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestReadOrdersCSV(t *testing.T) {
	res := readOrders(t, "orders.csv")
	if len(res.Bad) != 0 || res.Rows != 4 {
		t.Fatalf("rows %d, bad %v", res.Rows, res.Bad)
	}
	want := []Order{{
		Number:   "1001",
		PlacedAt: at("2026-03-01T14:05:00+01:00"),
		Customer: store.Customer{Name: "Ada Brandt", Email: "ada@example.org", Phone: "+43 660 1234567", Locale: "de-AT"},
		ShipTo:   store.Address{Name: "Ada Brandt", Line1: "Lindengasse 12", City: "Wien", PostalCode: "1070", Country: "AT"},
		Lines: []store.Line{
			{SKU: "TEE-BLK-M", Title: "Merino Tee - Black / M", Qty: 2},
			{SKU: "SOCK-01", Title: "Trail Socks", Qty: 1},
		},
		Fulfillments: []Fulfillment{
			{Order: "1001", Carrier: "dhl", TrackingNumbers: []string{"JD014600006281230704"}, Service: "Express"},
			{Order: "1001", Carrier: "ups", TrackingNumbers: []string{"1Z999AA10123456784"}},
		},
	}, {
		Number:   "1002",
		PlacedAt: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC),
		Customer: store.Customer{Name: "Bo Li", Email: "bo@example.com"},
		ShipTo:   store.Address{Name: "Bo Li", Line1: "1 Main St, Apt 4", City: "Austin", Region: "TX", PostalCode: "78701", Country: "US"},
		Lines:    []store.Line{{SKU: "MUG-1", Title: `Mug "Big"`, Qty: 1}},
	}}
	if !reflect.DeepEqual(res.Good, want) {
		t.Errorf("orders\n got %+v\nwant %+v", res.Good, want)
	}
}

// badRow is what a test checks of a RowError: the reason's wording is the
// message's business, so only a fragment of it is compared.
type badRow struct {
	line    int
	key     string
	column  string
	because int
	says    string
}

func checkBad(t *testing.T, got []RowError, want []badRow) {
	t.Helper()
	for i := range max(len(got), len(want)) {
		switch {
		case i >= len(got):
			t.Errorf("missing %+v", want[i])
		case i >= len(want):
			t.Errorf("unexpected %v", got[i])
		default:
			g, w := got[i], want[i]
			if g.Line != w.line || g.Key != w.key || g.Column != w.column || g.Because != w.because || !strings.Contains(g.Reason, w.says) {
				t.Errorf("bad row %d:\n got %+v\nwant %+v", i, g, w)
			}
		}
	}
}

func TestReadOrdersCSVBadRows(t *testing.T) {
	res := readOrders(t, "orders_bad.csv")
	checkBad(t, res.Bad, []badRow{
		{2, "2001", "", 3, "skipped: order 2001 has a bad row on line 3"},
		{3, "2001", "qty", 0, `quantity "0"`},
		{4, "2002", "placed_at", 0, `"03/02/2026" is neither`},
		{5, "2003", "email", 0, "not an email address"},
		{6, "2004", "country", 0, `"Deutschland" is not a 2-letter`},
		{7, "2005", "tracking_number", 0, "carrier is given without a tracking number"},
		{8, "2006", "carrier", 0, "tracking number is given without a carrier"},
		{9, "2007", "qty", 0, `quantity "two"`},
		{10, "", "order_number", 0, "empty"},
		{11, "2008", "", 0, "neither a line item"},
		{12, "2009", "", 13, "skipped"},
		{13, "2009", "customer_name", 0, `"Joe" differs from "Jo" on line 12`},
		{14, "2010", "phone", 0, `"call me" is not a phone number`},
		{15, "2011", "locale", 0, `"x!" is not a locale`},
		{16, "2012", "placed_at", 0, "no row gives it"},
		{16, "2012", "customer_name", 0, "no row gives it"},
		{18, "2014", "", 0, "the row has 5 fields where the header has 12"},
		{19, "2015", "sku", 0, "needs a sku or a title"},
	})
	if len(res.Good) != 1 || res.Good[0].Number != "2013" || res.Rows != 18 {
		t.Errorf("rows %d, good %+v; want 18 rows and order 2013 alone", res.Rows, res.Good)
	}
	if got := res.Bad[1].Error(); got != `line 3, qty: quantity "0" is not a whole number from 1 to 1000000` {
		t.Errorf("Error() = %q", got)
	}
}

func TestReadOrdersCSVBOMAndCRLFAndMultiLineField(t *testing.T) {
	in := "\ufeffOrder_Number , placed_at,customer_name,email,sku,title,qty,address1,city\r\n" +
		"3001,2026-03-01,Ann,ann@example.org,A,Apple,1,\"Hof 3\r\nStiege 2, Tür 4\",Graz\r\n" +
		"3001,,,,B,Pear,3,,\r\n" +
		"3002,2026-03-01,Bob,,C,\"Cherry, dark\",1,,\r\n" +
		"3002,,,,D,Date,-1,,\r\n"
	res, err := ReadOrdersCSV(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Good) != 1 {
		t.Fatalf("good = %+v", res.Good)
	}
	o := res.Good[0]
	if o.ShipTo.Line1 != "Hof 3\nStiege 2, Tür 4" || o.ShipTo.City != "Graz" || len(o.Lines) != 2 || o.Lines[1].Qty != 3 {
		t.Errorf("order = %+v", o)
	}
	checkBad(t, res.Bad, []badRow{
		{5, "3002", "", 6, "skipped"},
		{6, "3002", "qty", 0, `quantity "-1"`},
	})
}

func TestReadOrdersCSVHeader(t *testing.T) {
	tests := []fileCase{
		{"empty file", "", "the file is empty"},
		{"missing columns", "order_number,placed_at,customer_name,sku,title\n", "missing column email, qty"},
		{"unknown column", "order_number,placed_at,customer_name,email,sku,title,qty,colour,Gift Note\n1\n",
			`unknown column "colour", "Gift Note"`},
		{"twice", "order_number,placed_at,customer_name,email,sku,title,qty,Email\n", "column email given twice"},
		{"syntax", "order_number,placed_at,customer_name,email,sku,title,qty\n1,2026-03-01,A\"n,a@b.co,A,B,1\n",
			"parse error on line 2"},
	}
	refuseFiles(t, tests)
}

func TestReadOrdersCSVHeaderOnly(t *testing.T) {
	res, err := ReadOrdersCSV(strings.NewReader("order_number,placed_at,customer_name,email,sku,title,qty\r\n"))
	if err != nil || res.Rows != 0 || len(res.Good)+len(res.Bad) != 0 {
		t.Fatalf("ReadOrdersCSV = %+v, %v", res, err)
	}
}

const minimalHeader = "order_number,placed_at,customer_name,email,sku,title,qty\n"

func TestReadOrdersCSVLimits(t *testing.T) {
	var many bytes.Buffer
	many.WriteString(minimalHeader)
	for range MaxRows + 1 {
		many.WriteString("1,2026-03-01,A,,S,T,1\n")
	}
	long := minimalHeader + "1,2026-03-01,A,,S," + strings.Repeat("x", MaxField+1) + ",1\n"
	runaway := minimalHeader + "1,2026-03-01,A,,S,\"" + strings.Repeat("x\n", MaxRecord) + "\n"
	tests := []fileCase{
		{"rows", many.String(), "more than 100000 rows"},
		{"field", long, "line 2: field 6 (title) is longer than 1 MiB"},
		{"record", runaway, "the row after line 1: a row is longer than 4 MiB"},
	}
	refuseFiles(t, tests)
}

func TestReadOrdersCSVRowNotText(t *testing.T) {
	in := minimalHeader + "1,2026-03-01,A,,S,T\x00,1\n2,2026-03-01,B,,S,\xff,1\n3,2026-03-01,C,,S,T,1\n"
	res, err := ReadOrdersCSV(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	checkBad(t, res.Bad, []badRow{{2, "1", "", 0, "NUL byte"}, {3, "2", "", 0, "not UTF-8"}})
	if len(res.Good) != 1 || res.Good[0].Number != "3" {
		t.Errorf("good = %+v", res.Good)
	}
}

// fileCase is a file ReadOrdersCSV refuses whole, with an error saying want.
type fileCase struct{ name, in, want string }

func refuseFiles(t *testing.T, tests []fileCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadOrdersCSV(strings.NewReader(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one saying %q", err, tt.want)
			}
		})
	}
}
