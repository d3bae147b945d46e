package intake

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"
)

// The limits of a CSV import. A file past one is refused whole, with the
// line it was reached on: split it, or fix the runaway quote.
const (
	// MaxRows is the most data rows one file may hold.
	MaxRows = 100_000
	// MaxField is the longest a field may be, in bytes.
	MaxField = 1 << 20
	// MaxRecord is the longest a row may be, in bytes, counted while it
	// is read so an unclosed quote cannot pull a whole file into memory.
	MaxRecord = 4 << 20
)

// columns are a CSV format's header names: those it must have and those
// it may have. Any other is an error.
type columns struct {
	required, optional []string
}

// row is one CSV record after the header.
type row struct {
	line   int
	fields []string
	cols   map[string]int
	// err is what is wrong with the record as a whole (its field count,
	// its encoding); its fields are then not read.
	err error
}

// get returns a column's value with surrounding space trimmed, "" when
// the file has no such column.
func (r row) get(col string) string {
	i, ok := r.cols[col]
	if !ok || i >= len(r.fields) {
		return ""
	}
	return strings.TrimSpace(r.fields[i])
}

var errRecordTooLong = fmt.Errorf("a row is longer than %d MiB", MaxRecord>>20)

// readTable reads a whole CSV file in the format cs: a header line, then
// records. A UTF-8 byte order mark is skipped; CRLF line ends and quoted
// fields holding commas, quotes and line breaks are read as RFC 4180 says.
// The error is for the file as a whole: a bad header, a syntax error, a
// limit passed, or a failed read.
func readTable(r io.Reader, cs columns) ([]row, error) {
	br := bufio.NewReader(r)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	lim := &recordLimit{r: br}
	cr := csv.NewReader(lim)
	header, err := cr.Read()
	if err == io.EOF {
		return nil, errors.New("the file is empty: it needs a header line")
	}
	if err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	cols, err := checkHeader(header, cs)
	if err != nil {
		return nil, err
	}
	return readRows(cr, lim, cols)
}

func readRows(cr *csv.Reader, lim *recordLimit, cols map[string]int) ([]row, error) {
	var rows []row
	for {
		lim.start = cr.InputOffset()
		rec, err := cr.Read()
		if err == io.EOF {
			return rows, nil
		}
		if errors.Is(err, errRecordTooLong) {
			return nil, fmt.Errorf("the row after line %d: %w", lastLine(rows), err)
		}
		if err != nil && !errors.Is(err, csv.ErrFieldCount) {
			return nil, err
		}
		if len(rows) == MaxRows {
			return nil, fmt.Errorf("the file has more than %d rows: split it", MaxRows)
		}
		line, _ := cr.FieldPos(0)
		r := row{line: line, fields: rec, cols: cols}
		if err != nil {
			r.err = fmt.Errorf("the row has %d fields where the header has %d", len(rec), len(cols))
		}
		if err := checkFields(rec, cols); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if r.err == nil && !validText(rec) {
			r.err = errors.New("the row holds a NUL byte or text that is not UTF-8")
		}
		rows = append(rows, r)
	}
}

func lastLine(rows []row) int {
	if len(rows) == 0 {
		return 1
	}
	return rows[len(rows)-1].line
}

// checkFields refuses a field longer than MaxField.
func checkFields(rec []string, cols map[string]int) error {
	for i, f := range rec {
		if len(f) > MaxField {
			return fmt.Errorf("field %d (%s) is longer than %d MiB", i+1, nameOf(cols, i), MaxField>>20)
		}
	}
	return nil
}

func nameOf(cols map[string]int, i int) string {
	for name, j := range cols {
		if i == j {
			return name
		}
	}
	return "past the header"
}

func validText(rec []string) bool {
	for _, f := range rec {
		if !utf8.ValidString(f) || strings.IndexByte(f, 0) >= 0 {
			return false
		}
	}
	return true
}

// checkHeader maps each column name to its index. Names are matched
// without regard to case or surrounding space, in any order; a name twice,
// a name cs does not know, or a required name missing is an error that
// lists every such name.
func checkHeader(header []string, cs columns) (map[string]int, error) {
	cols := make(map[string]int, len(header))
	var dup, unknown, missing []string
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		switch _, seen := cols[name]; {
		case seen:
			dup = append(dup, name)
		case !slices.Contains(cs.required, name) && !slices.Contains(cs.optional, name):
			unknown = append(unknown, fmt.Sprintf("%q", h))
		}
		cols[name] = i
	}
	for _, name := range cs.required {
		if _, ok := cols[name]; !ok {
			missing = append(missing, name)
		}
	}
	var errs []error
	if len(missing) > 0 {
		errs = append(errs, fmt.Errorf("header: missing column %s", strings.Join(missing, ", ")))
	}
	if len(unknown) > 0 {
		errs = append(errs, fmt.Errorf("header: unknown column %s (the columns are %s)",
			strings.Join(unknown, ", "), strings.Join(append(slices.Clone(cs.required), cs.optional...), ", ")))
	}
	if len(dup) > 0 {
		errs = append(errs, fmt.Errorf("header: column %s given twice", strings.Join(dup, ", ")))
	}
	return cols, errors.Join(errs...)
}

// recordLimit stops reading once the row being read, which starts at
// offset start, passes MaxRecord.
type recordLimit struct {
	r           io.Reader
	read, start int64
}

func (l *recordLimit) Read(p []byte) (int, error) {
	if l.read-l.start > MaxRecord {
		return 0, errRecordTooLong
	}
	n, err := l.r.Read(p)
	l.read += int64(n)
	return n, err
}
