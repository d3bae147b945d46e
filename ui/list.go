package ui

import (
	"slices"

	"github.com/wismo/wismo/store"
)

// listOrder is how the list is sorted and what text it is narrowed to.
// The zero value is the store's own order, worst then oldest first, which
// the pane pages through by index cursors; any other order is read as the
// view's ids once per change (see listPages).
type listOrder struct {
	by    store.SortKey
	desc  bool
	match string
}

// sorted reports whether the list is sorted otherwise than worst first, as
// the columns and the status line say.
func (o listOrder) sorted() bool {
	return (o.by != "" && o.by != store.SortSeverity) || o.desc
}

// byIndex reports whether the order is the store's index order.
func (o listOrder) byIndex() bool { return !o.sorted() && o.match == "" }

// nextSort is the sort key after by, in the order of the columns.
func nextSort(by store.SortKey) store.SortKey {
	var keys []store.SortKey
	for _, c := range exceptionColumns {
		if c.sort != "" {
			keys = append(keys, c.sort)
		}
	}
	i := slices.Index(keys, by)
	return keys[(i+1)%len(keys)]
}

// maxFilter is the longest filter text kept: a paste longer than this is
// cut, not refused.
const maxFilter = 64

// cleanFilter keeps what a filter can match on: oneLine's text cut to
// maxFilter runes.
func cleanFilter(s string) string {
	s = oneLine(s)
	if r := []rune(s); len(r) > maxFilter {
		s = string(r[:maxFilter])
	}
	return s
}

// maxListed caps a sorted or filtered list: past this many rows the list
// says it shows the first of them.
const maxListed = 100_000

// readList reads the window req asks for. In the index order total is -1
// (the tab's count says how many); otherwise it is the length of the
// sorted, filtered list, read whole once per change (req.list nil) and
// paged through from then on (the list the last load returned).
func readList(src Source, req windowReq) (windowRes, *listPages, int, error) {
	if req.order.byIndex() {
		res, err := readWindow(storePages{src: src, filter: req.filter}, req)
		return res, nil, -1, err
	}
	lp := req.list
	if lp == nil {
		ids, total, err := src.ExceptionOrder(req.filter, req.order.by, req.order.desc, req.order.match, maxListed)
		if err != nil {
			return windowRes{}, nil, 0, err
		}
		lp = newListPages(src, ids, total)
	}
	req.top = lp.relocate(req.top)
	res, err := readWindow(lp, req)
	return res, lp, lp.total, err
}

// listPages pages through a list of exception ids read whole. Rows keep
// the store's cursors, which name their exception (Cursor.ExceptionID), so
// a window and a selection carry over between this list and the index
// order, and survive the list being read again in a new order. It is not
// changed once made: loads share it.
type listPages struct {
	src   Source
	ids   []store.ExceptionID
	pos   map[store.ExceptionID]int
	total int // the view's rows, more than len(ids) when capped
}

func newListPages(src Source, ids []store.ExceptionID, total int) *listPages {
	pos := make(map[store.ExceptionID]int, len(ids))
	for i, id := range ids {
		pos[id] = i
	}
	return &listPages{src: src, ids: ids, pos: pos, total: total}
}

// index is where cur's exception is in the list: -1 if it has left it.
func (lp *listPages) index(cur store.Cursor) int {
	if i, ok := lp.pos[cur.ExceptionID()]; ok {
		return i
	}
	return -1
}

// relocate keeps a window's top if its exception is still listed, else
// starts from the top of the list.
func (lp *listPages) relocate(top store.Cursor) store.Cursor {
	if lp.index(top) < 0 {
		return nil
	}
	return top
}

func (lp *listPages) after(from store.Cursor, n int) ([]store.ExceptionRow, error) {
	i := 0
	if from != nil {
		if i = lp.index(from); i < 0 {
			return nil, nil
		}
	}
	return lp.src.ExceptionRows(lp.ids[i:min(i+n, len(lp.ids))])
}

func (lp *listPages) before(from store.Cursor, n int) ([]store.ExceptionRow, error) {
	j := len(lp.ids)
	if from != nil {
		if j = lp.index(from); j < 0 {
			return nil, nil
		}
	}
	return lp.src.ExceptionRows(lp.ids[max(j-n, 0):j])
}
