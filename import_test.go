package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/wismo/wismo/store"
)

const intakeData = "tracker/intake/testdata/"

func TestImportOrdersThenReturnsTwice(t *testing.T) {
	dir := t.TempDir()
	for range 2 {
		out, err := runCmd("import", "orders", "--data", dir, intakeData+"orders.csv")
		if err != nil || !strings.Contains(out, "0 rows refused, 0 not stored") {
			t.Fatalf("import orders: %v\n%s", err, out)
		}
	}
	// The returns file has bad rows and a return of an unknown order: those
	// are listed, the rest stored.
	out, err := runCmd("import", "returns", "--data", dir, intakeData+"returns.csv")
	if err == nil || !strings.Contains(out, "2 stored, 5 rows refused, 1 not stored") || !strings.Contains(out, "return RMA-7 not stored") {
		t.Fatalf("import returns: %v\n%s", err, out)
	}
	st, err := store.Open(filepath.Join(dir, storeFile), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	d, err := st.Order("1001")
	if err != nil || len(d.Parcels) != 3 || d.Order.Customer.Name != "Ada Brandt" {
		t.Errorf("order 1001 = %+v with %d parcels, %v; want its two outbound parcels and the return's", d.Order, len(d.Parcels), err)
	}
	rs, err := st.OrderReturns("1001")
	if err != nil || len(rs) != 1 || rs[0].State != store.ReturnRefunded || rs[0].RefundAmount != 2990 {
		t.Errorf("returns of 1001 = %+v, %v", rs, err)
	}
}

// Bad rows are listed by line, their orders left out whole, the rest stored.
func TestImportListsBadRowsAndStoresTheRest(t *testing.T) {
	dir := t.TempDir()
	out, err := runCmd("import", "orders", "--data", dir, intakeData+"orders_bad.csv")
	if err == nil || !strings.Contains(err.Error(), "rows refused") || !strings.Contains(out, "orders_bad.csv: line 3, qty") {
		t.Fatalf("import of a bad file: %v\n%s", err, out)
	}
	for _, args := range [][]string{{"import"}, {"import", "parcels", "x.csv"}, {"import", "orders", "--data", dir}} {
		if _, err := runCmd(args...); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}
