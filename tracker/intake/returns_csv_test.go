package intake

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wismo/wismo/store"
)

func TestReadReturnsCSV(t *testing.T) {
	res, err := ReadReturnsCSV(openFixture(t, "returns.csv"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Return{{
		RMA: "RMA-1", Order: "1001", State: store.ReturnRefunded, Reason: "too small",
		Lines: []store.Line{
			{SKU: "TEE-BLK-M", Title: "Merino Tee - Black / M", Qty: 1},
			{SKU: "SOCK-01", Title: "Trail Socks", Qty: 1},
		},
		Carrier: "dhl", TrackingNumber: "JJD0099887766", Refund: 2990, Currency: "EUR",
		RefundedAt: at("2026-03-12T10:00:00Z"), UpdatedAt: at("2026-03-12T10:00:00Z"),
	}, {
		RMA: "RMA-2", Order: "1002", State: store.ReturnLabelIssued, Reason: "arrived broken",
		Lines:   []store.Line{{SKU: "MUG-1", Title: "Mug", Qty: 1}},
		Carrier: "usps", TrackingNumber: "9400111899223100000000",
	}, {
		RMA: "RMA-7", Order: "1007", State: store.ReturnRefunded, Lines: []store.Line{{SKU: "A", Qty: 1}},
		Refund: 1500, Currency: "JPY", RefundedAt: time.Date(2026, 3, 12, 0, 0, 0, 0, time.UTC),
	}}
	if !reflect.DeepEqual(res.Good, want) {
		t.Errorf("returns\n got %+v\nwant %+v", res.Good, want)
	}
	checkBad(t, res.Bad, []badRow{
		{5, "RMA-3", "state", 0, `unknown return state "lost"`},
		{6, "RMA-4", "currency", 0, "needs its currency"},
		{7, "RMA-5", "tracking_number", 0, "without a tracking number"},
		{8, "RMA-6", "", 0, "no returned item"},
		{9, "RMA-6", "", 8, "skipped: return RMA-6 has a bad row on line 8"},
	})
}

func TestReadReturnsCSVHeader(t *testing.T) {
	_, err := ReadReturnsCSV(strings.NewReader("rma,order_number,sku,qty,refund\n"))
	if err == nil || !strings.Contains(err.Error(), "missing column state") || !strings.Contains(err.Error(), `unknown column "refund"`) {
		t.Fatalf("err = %v", err)
	}
}
