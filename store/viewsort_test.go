package store

import (
	"cmp"
	"slices"
	"strings"
	"testing"
	"time"
)

// sortCase is one exception of sortFixture with what the desk sorts on.
type sortCase struct {
	order, customer, carrier, tracking, detail, assignee string
	kind                                                 ExceptionKind
	opened, lastScan, promised, estimate                 time.Duration // from t0; a zero lastScan, promised or estimate is unknown
}

// sortCases have order and tracking numbers that sort differently as text
// and as numbers, customers with accents and mixed case, a parcel never
// scanned, parcels early, on time and late against their promise, and
// ties on every column but the order number.
var sortCases = []sortCase{
	{"#999", "Zoë Adams", "dhl", "JJD10", "Lost in the hub", "ana", KindLost, 0, -time.Hour, 24 * time.Hour, 72 * time.Hour},
	{"#1000", "anna Berg", "ups", "1Z9", "Weather delay", "", KindDelayed, 2 * time.Hour, -30 * time.Hour, 0, 24 * time.Hour},
	{"#12", "Émile Roux", "fedex", "JJD9", "Box crushed", "ben", KindDamaged, time.Hour, 0, 24 * time.Hour, 48 * time.Hour},
	{"#1001", "bob Stone", "dhl", "jjd-100", "Duties unpaid", "ana", KindCustomsHold, 3 * time.Hour, -5 * time.Hour, 24 * time.Hour, 12 * time.Hour},
	{"#998", "Carl Öz", "ups", "1Z10", "Refused at the door", "", KindRefused, time.Hour, -2 * time.Hour, 24 * time.Hour, 48 * time.Hour},
}

// sortFixture stores one order, parcel and open exception per sort case
// and returns the exception ids in the cases' order.
func sortFixture(t *testing.T) (*Store, []ExceptionID) {
	t.Helper()
	s := openTemp(t)
	ids := make([]ExceptionID, len(sortCases))
	for i, c := range sortCases {
		parcel := storeOrder(t, s, c.carrier, Order{Number: c.order, Customer: Customer{Name: c.customer}}, c.tracking)[0]
		mustUpdate(t, s, func(tx *Tx) error {
			p, err := tx.Parcel(parcel)
			if err != nil {
				return err
			}
			p.LastEventAt, p.PromisedBy, p.EstimatedDelivery = at(c.lastScan), at(c.promised), at(c.estimate)
			if err := tx.PutParcel(p); err != nil {
				return err
			}
			e := Exception{Parcel: parcel, Kind: c.kind, OpenedAt: t0.Add(c.opened), Detail: c.detail}
			if err := tx.OpenException(&e); err != nil {
				return err
			}
			ids[i] = e.ID
			return tx.AssignException(e.ID, c.assignee)
		})
	}
	return s, ids
}

// at is t0 moved by d, or the zero time for a zero d.
func at(d time.Duration) time.Time {
	if d == 0 {
		return time.Time{}
	}
	return t0.Add(d)
}

func TestExceptionOrderSortsByEveryColumn(t *testing.T) {
	s, ids := sortFixture(t)
	byIndex, _ := s.ExceptionsAfter(ExceptionFilter{}, nil, 100)
	want := map[SortKey][]int{ // sortCases positions, ascending
		SortSeverity: {0, 2, 4, 3, 1}, // lost, damaged, refused, customs (high, later), delayed
		SortAge:      {3, 1, 2, 4, 0}, // the youngest first; #12 and #998 opened together
		SortOrder:    {2, 4, 0, 1, 3},
		SortCustomer: {1, 3, 4, 2, 0},
		SortCarrier:  {0, 3, 2, 4, 1},
		SortTracking: {1, 4, 2, 0, 3},
		SortSilent:   {0, 4, 3, 1, 2}, // never scanned: silent longest
		SortAssignee: {4, 1, 0, 3, 2}, // unassigned first, in the index's order
		SortETASlip:  {3, 1, 2, 4, 0}, // early, unknown promise, a day late twice, two days late
	}
	for _, by := range SortKeys {
		got, total, err := s.ExceptionOrder(ExceptionFilter{}, by, false, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		if w := pick(ids, want[by]); !slices.Equal(got, w) || total != len(ids) {
			t.Errorf("by %s: %v of %d, want %v", by, got, total, w)
		}
		desc, _, err := s.ExceptionOrder(ExceptionFilter{}, by, true, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		if w := descending(byIndex, by); !slices.Equal(desc, w) {
			t.Errorf("by %s descending: %v, want %v", by, desc, w)
		}
	}
}

func pick(ids []ExceptionID, at []int) []ExceptionID {
	out := make([]ExceptionID, len(at))
	for i, j := range at {
		out[i] = ids[j]
	}
	return out
}

// descending is rows (in the index's order) sorted by a column's value as
// an agent reads it, largest first, with ties left in the index's order.
func descending(rows []ExceptionRow, by SortKey) []ExceptionID {
	value := func(r ExceptionRow) (string, int64) {
		e, p := r.Exception, r.Parcel
		switch by {
		case SortAge:
			return "", -e.OpenedAt.UnixNano()
		case SortSilent:
			return "", -unixNano(p.LastEventAt)
		case SortETASlip:
			return "", int64(ETASlip(p))
		case SortCustomer:
			return foldText(e.Customer), 0
		case SortAssignee:
			return e.Assignee, 0
		case SortCarrier:
			return e.Carrier, 0
		case SortOrder:
			return e.Order, 0
		case SortTracking:
			return string(foldTracking(p.TrackingNumber)), 0
		}
		return "", 0
	}
	sorted := slices.Clone(rows)
	if by == SortSeverity {
		slices.Reverse(sorted)
		return idsOf(sorted)
	}
	slices.SortStableFunc(sorted, func(a, b ExceptionRow) int {
		ta, na := value(a)
		tb, nb := value(b)
		if by == SortOrder || by == SortTracking {
			return -compareNatural(ta, tb)
		}
		return -cmp.Or(cmp.Compare(na, nb), strings.Compare(ta, tb))
	})
	return idsOf(sorted)
}

func TestExceptionOrderMatchesWithinAView(t *testing.T) {
	s, ids := sortFixture(t)
	for _, c := range []struct {
		match string
		f     ExceptionFilter
		want  []int
	}{
		{"jjd1", ExceptionFilter{}, []int{0, 3}},                                // tracking numbers, folded as typed
		{"EMILE", ExceptionFilter{}, []int{2}},                                  // a customer, accents and case folded
		{"ana", ExceptionFilter{}, []int{0, 3}},                                 // an assignee ("anna" has no "ana")
		{"crushed", ExceptionFilter{}, []int{2}},                                // the detail
		{"#99", ExceptionFilter{}, []int{4, 0}},                                 // order numbers
		{"\x00 ups\n", ExceptionFilter{}, []int{4, 1}},                          // control characters dropped, as search drops them
		{"ups", ExceptionFilter{Kinds: []ExceptionKind{KindRefused}}, []int{4}}, // only within the view
		{"nobody has this", ExceptionFilter{}, nil},
		{"", ExceptionFilter{Carrier: "dhl"}, []int{0, 3}},
	} {
		got, total, err := s.ExceptionOrder(c.f, SortOrder, false, c.match, 0)
		if err != nil {
			t.Fatal(err)
		}
		if w := pick(ids, c.want); !slices.Equal(got, w) || total != len(w) {
			t.Errorf("match %q in %+v: %v of %d, want %v", c.match, c.f, got, total, w)
		}
	}
}

func TestExceptionOrderCapsAndRefuses(t *testing.T) {
	s, ids := sortFixture(t)
	got, total, err := s.ExceptionOrder(ExceptionFilter{}, SortOrder, false, "", 2)
	if err != nil || !slices.Equal(got, pick(ids, []int{2, 4})) || total != 5 {
		t.Errorf("limit 2: %v of %d, %v; want the first two of 5", got, total, err)
	}
	for _, by := range []SortKey{"", "SEVERITY", "price"} {
		if _, _, err := s.ExceptionOrder(ExceptionFilter{}, by, false, "", 10); err == nil {
			t.Errorf("sort key %q accepted", by)
		}
	}
}

func TestExceptionRowsReadAWindowInTheOrderGiven(t *testing.T) {
	s, ids := sortFixture(t)
	byIndex, _ := s.ExceptionsAfter(ExceptionFilter{}, nil, 100)
	cursors := map[ExceptionID]string{}
	for _, r := range byIndex {
		cursors[r.Exception.ID] = string(r.Cursor)
	}
	mustUpdate(t, s, func(tx *Tx) error { return tx.ResolveException(ids[1], t0, "delivered") })
	window := []ExceptionID{ids[3], 999, ids[1], ids[0]}
	rows, err := s.ExceptionRows(window)
	if err != nil {
		t.Fatal(err)
	}
	if got := idsOf(rows); !slices.Equal(got, []ExceptionID{ids[3], ids[0]}) {
		t.Fatalf("rows %v for %v: want the unknown and the resolved id left out", got, window)
	}
	for _, r := range rows {
		if string(r.Cursor) != cursors[r.Exception.ID] || r.Parcel.ID != r.Exception.Parcel {
			t.Errorf("row %d: cursor or parcel differs from the page's", r.Exception.ID)
		}
		if r.Cursor.ExceptionID() != r.Exception.ID {
			t.Errorf("row %d: its cursor stands for exception %d", r.Exception.ID, r.Cursor.ExceptionID())
		}
	}
}

func TestViewsAreTheDesksTabs(t *testing.T) {
	names := func(vs []View) []string {
		var out []string
		for _, v := range vs {
			out = append(out, v.Name)
		}
		return out
	}
	want := []string{"all", "delayed", "stalled", "attempts", "customs", "address", "lost", "returning", "mine", "snoozed"}
	if got := names(Views("ana")); !slices.Equal(got, want) {
		t.Errorf("views %v, want %v", got, want)
	}
	if got := names(Views("")); slices.Contains(got, "mine") {
		t.Errorf("views without an agent %v: Mine would show everyone's", got)
	}

	s, _ := excFixture(t)
	all := unresolved(t, s)
	vs := Views("ana")
	fs := make([]ExceptionFilter, len(vs))
	for i, v := range vs {
		fs[i] = v.Filter
	}
	counts, err := s.CountExceptions(fs)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range vs {
		rows, err := s.ExceptionsAfter(v.Filter, nil, 100)
		if err != nil {
			t.Fatal(err)
		}
		want := filtered(all, v.Filter)
		if got := idsOf(rows); !slices.Equal(got, want) || counts[i] != len(want) {
			t.Errorf("view %s: %v counted %d, want %v", v.Name, got, counts[i], want)
		}
		for _, r := range rows {
			if snoozed := r.Exception.State == StateSnoozed; snoozed != (v.Name == "snoozed") {
				t.Errorf("view %s shows exception %d, %s", v.Name, r.Exception.ID, r.Exception.State)
			}
		}
	}
}

func TestTextFolderFoldsAsSearchDoes(t *testing.T) {
	fold := newTextFolder()
	for _, s := range []string{"", "Anna", "MÜLLER", "Straße", "Zoë Ådams", "Ǆemal", "日本", "\xff bad", "ﬁne"} {
		if got, want := fold.fold(s), foldText(s); got != want {
			t.Errorf("fold(%q) = %q, search folds it to %q", s, got, want)
		}
	}
}

func TestETASlipReadsAgainstThePromiseElseTheFirstEstimate(t *testing.T) {
	day := 24 * time.Hour
	for _, c := range []struct {
		p    Parcel
		want time.Duration
	}{
		{Parcel{PromisedBy: t0, OriginalEstimate: t0.Add(day), EstimatedDelivery: t0.Add(2 * day)}, 2 * day},
		{Parcel{OriginalEstimate: t0.Add(day), EstimatedDelivery: t0.Add(3 * day)}, 2 * day},
		{Parcel{PromisedBy: t0, EstimatedDelivery: t0.Add(-day)}, -day},
		{Parcel{EstimatedDelivery: t0.Add(day)}, 0},
		{Parcel{PromisedBy: t0}, 0},
	} {
		if got := ETASlip(c.p); got != c.want {
			t.Errorf("ETASlip(promised %v, first %v, now %v) = %v, want %v",
				c.p.PromisedBy, c.p.OriginalEstimate, c.p.EstimatedDelivery, got, c.want)
		}
	}
}
