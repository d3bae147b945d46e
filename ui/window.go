package ui

import "github.com/wismo/wismo/store"

// windowReq says which window of open exceptions to read and which row of
// it to select. The pane holds only this window; every read is a few key
// seeks into the store's ordered index, whatever the length of the list.
type windowReq struct {
	filter  store.ExceptionFilter // which exceptions the list holds
	order   listOrder             // how they are sorted and narrowed
	list    *listPages            // a sorted list already read; nil reads it
	top     store.Cursor          // the window's first row; nil is the top of the list
	shift   int                   // rows to move the window by, either way
	fromEnd bool                  // read the last page instead
	n       int                   // rows in a window
	// keepID (with its cursor) is the exception to keep selected; when it
	// is still open but outside the window, the window moves to it.
	keepID  store.ExceptionID
	keepCur store.Cursor
	index   int // the row to select when there is nothing to keep
}

// windowRes is a read window: its rows, the selected row, and whether it
// starts at the top of the list (then refreshes keep it there, so new
// exceptions that sort first come into view).
type windowRes struct {
	rows    []store.ExceptionRow
	sel     int
	atStart bool
}

// readWindow carries out req on the list pg pager through.
func readWindow(pg pager, req windowReq) (windowRes, error) {
	rows, err := window(pg, req.top, req.shift, req.fromEnd, req.n)
	if err != nil {
		return windowRes{}, err
	}
	sel := req.index
	if req.keepID != 0 {
		if i := indexOf(rows, req.keepID); i >= 0 {
			sel = i
		} else if moved, i, err := around(pg, req.keepCur, req.keepID, req.index, req.n); err != nil {
			return windowRes{}, err
		} else if moved != nil {
			rows, sel = moved, i
		}
	}
	res := windowRes{rows: rows, sel: min(max(sel, 0), max(len(rows)-1, 0)), atStart: true}
	if len(rows) > 0 {
		above, err := pg.before(rows[0].Cursor, 1)
		if err != nil {
			return windowRes{}, err
		}
		res.atStart = len(above) == 0
	}
	return res, nil
}

func indexOf(rows []store.ExceptionRow, id store.ExceptionID) int {
	for i, r := range rows {
		if r.Exception.ID == id {
			return i
		}
	}
	return -1
}

// window reads n rows: from top moved by shift rows, or the last n. When
// the list ends inside the window, rows above fill it, so the screen stays
// full as exceptions resolve.
func window(pg pager, top store.Cursor, shift int, fromEnd bool, n int) ([]store.ExceptionRow, error) {
	if fromEnd {
		return pg.before(nil, n)
	}
	top, err := shiftCursor(pg, top, shift)
	if err != nil {
		return nil, err
	}
	rows, err := pg.after(top, n)
	if err != nil || len(rows) == n || top == nil {
		return rows, err
	}
	return fillAbove(pg, rows, top, n)
}

// fillAbove tops rows up to n with the rows just above them (above from,
// when rows is empty).
func fillAbove(pg pager, rows []store.ExceptionRow, from store.Cursor, n int) ([]store.ExceptionRow, error) {
	if len(rows) > 0 {
		from = rows[0].Cursor
	}
	above, err := pg.before(from, n-len(rows))
	return append(above, rows...), err
}

// shiftCursor moves a window's top by shift rows, stopping at either end.
func shiftCursor(pg pager, top store.Cursor, shift int) (store.Cursor, error) {
	var rows []store.ExceptionRow
	var err error
	switch {
	case shift < 0 && top != nil:
		rows, err = pg.before(top, -shift)
		if len(rows) > 0 {
			return rows[0].Cursor, err
		}
	case shift > 0:
		rows, err = pg.after(top, shift+1)
		if len(rows) > 0 {
			return rows[len(rows)-1].Cursor, err
		}
	}
	return top, err
}

// around reads a window holding exception id, whose index key is cur, on
// row want, if it is still open. An open exception's key never changes, so
// a seek to cur finds it or proves it resolved.
func around(pg pager, cur store.Cursor, id store.ExceptionID, want, n int) ([]store.ExceptionRow, int, error) {
	if cur == nil {
		return nil, 0, nil
	}
	below, err := pg.after(cur, n)
	if err != nil || len(below) == 0 || below[0].Exception.ID != id {
		return nil, 0, err
	}
	above, err := pg.before(cur, min(max(want, 0), n-1))
	if err != nil {
		return nil, 0, err
	}
	rows := append(above, below...)
	rows = rows[:min(len(rows), n)]
	sel := len(above)
	if len(rows) < n {
		more := len(rows)
		if rows, err = fillAbove(pg, rows, nil, n); err != nil {
			return nil, 0, err
		}
		sel += len(rows) - more
	}
	return rows, sel, nil
}

// pager reads a list of exceptions a page at a time, either way from a
// row's cursor (after: from it, inclusive; before: up to it, exclusive; a
// nil cursor is the list's start or end).
type pager interface {
	after(from store.Cursor, n int) ([]store.ExceptionRow, error)
	before(from store.Cursor, n int) ([]store.ExceptionRow, error)
}

// storePages reads the open exceptions one filter lets through, in the
// store's index order.
type storePages struct {
	src    Source
	filter store.ExceptionFilter
}

func (p storePages) after(from store.Cursor, n int) ([]store.ExceptionRow, error) {
	return p.src.ExceptionsAfter(p.filter, from, n)
}

func (p storePages) before(from store.Cursor, n int) ([]store.ExceptionRow, error) {
	return p.src.ExceptionsBefore(p.filter, from, n)
}
