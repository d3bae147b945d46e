package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"io"
	"os"
)

// The desk checks its own file while it serves. bbolt's Tx.Check is not
// safe on a read transaction while writers commit (its documentation says
// so): it reads the writer's live free-page list, and pages freed after
// the transaction began read as both free and in use. So the desk checks a
// snapshot itself: it holds a read transaction, which keeps every page of
// that snapshot from being reused, and reads the snapshot's pages from the
// file with the snapshot's own meta page and free-page list. It checks
// what bbolt's check does: every page of every bucket's tree is a branch
// or leaf page where its parent says, within the file, reached once and
// not free; keys ascend within each page and between pages; the free list
// names no page twice; and every page is either in use or free.
//
// bbolt's file format (version 2, unchanged since 2014), little-endian:
//
//	page:    id u64 | flags u16 | count u16 | overflow u32 | data
//	branch:  count × (pos u32 | ksize u32 | pgid u64), pos from the element
//	leaf:    count × (flags u32 | pos u32 | ksize u32 | vsize u32)
//	meta:    magic u32 | version u32 | page size u32 | flags u32 |
//	         root bucket (root u64 | sequence u64) | freelist u64 |
//	         high water mark u64 | txid u64 | checksum u64 (FNV-64a)
//	freelist: count × pgid, or 0xffff in the header and the count first
//	bucket:  root u64 | sequence u64, then the root page inline if root is 0
const (
	pageHeaderSize = 16
	elementSize    = 16
	branchFlag     = 0x01
	leafFlag       = 0x02
	freelistFlag   = 0x10
	bucketEntry    = 0x01
	boltMagic      = 0xED0CDAED
	boltVersion    = 2
	noFreelist     = ^uint64(0)
)

// boltMeta is what a meta page says of its snapshot.
type boltMeta struct {
	root, freelist, hwm, txid uint64
}

// readMeta reads and validates the meta page in page buf.
func readMeta(buf []byte) (boltMeta, error) {
	if len(buf) < pageHeaderSize+64 {
		return boltMeta{}, fmt.Errorf("meta page too short")
	}
	m := buf[pageHeaderSize:]
	le := binary.LittleEndian
	if le.Uint32(m) != boltMagic || le.Uint32(m[4:]) != boltVersion {
		return boltMeta{}, fmt.Errorf("meta page: not a bbolt file of version %d", boltVersion)
	}
	h := fnv.New64a()
	h.Write(m[:56])
	if h.Sum64() != le.Uint64(m[56:]) {
		return boltMeta{}, fmt.Errorf("meta page: checksum mismatch")
	}
	return boltMeta{root: le.Uint64(m[16:]), freelist: le.Uint64(m[32:]), hwm: le.Uint64(m[40:]), txid: le.Uint64(m[48:])}, nil
}

// pageSet is a set of page ids below the high water mark.
type pageSet []uint64

func (s pageSet) has(id uint64) bool { return s[id/64]&(1<<(id%64)) != 0 }
func (s pageSet) add(id uint64)      { s[id/64] |= 1 << (id % 64) }

// pageFrame is a page still to check: where it is, and the keys every key
// in it must lie within (lo inclusive, hi exclusive; nil for no bound).
type pageFrame struct {
	id     uint64
	lo, hi []byte
}

// pageChecker walks one snapshot's pages a step at a time.
type pageChecker struct {
	f         io.ReaderAt
	pageSize  int
	meta      boltMeta
	used      pageSet
	free      pageSet
	todo      []pageFrame
	report    *Report
	visited   int
	accounted bool
}

func newPageChecker(f io.ReaderAt, pageSize int, meta boltMeta, r *Report) *pageChecker {
	words := meta.hwm/64 + 1
	c := &pageChecker{f: f, pageSize: pageSize, meta: meta, used: make(pageSet, words), free: make(pageSet, words), report: r}
	c.used.add(0)
	c.used.add(1)
	c.readFreelist()
	c.todo = append(c.todo, pageFrame{id: meta.root})
	return c
}

func (c *pageChecker) problem(format string, args ...any) {
	if len(c.report.Problems) < maxProblems {
		c.report.Problems = append(c.report.Problems, fmt.Sprintf(format, args...))
	} else {
		c.report.More++
	}
}

// page reads page id whole, overflow pages and all, and checks its header.
func (c *pageChecker) page(id uint64) ([]byte, bool) {
	if id < 2 || id >= c.meta.hwm {
		c.problem("page %d: out of bounds (high water mark %d)", id, c.meta.hwm)
		return nil, false
	}
	buf := make([]byte, c.pageSize)
	if _, err := c.f.ReadAt(buf, int64(id)*int64(c.pageSize)); err != nil {
		c.problem("page %d: %v", id, err)
		return nil, false
	}
	if got := binary.LittleEndian.Uint64(buf); got != id {
		c.problem("page %d: says it is page %d", id, got)
		return nil, false
	}
	if over := uint64(binary.LittleEndian.Uint32(buf[12:])); over > 0 {
		if id+over >= c.meta.hwm {
			c.problem("page %d: %d overflow pages run past the high water mark %d", id, over, c.meta.hwm)
			return nil, false
		}
		buf = append(buf, make([]byte, int(over)*c.pageSize)...)
		if _, err := c.f.ReadAt(buf[c.pageSize:], int64(id+1)*int64(c.pageSize)); err != nil {
			c.problem("page %d: %v", id, err)
			return nil, false
		}
	}
	return buf, true
}

// readFreelist reads the snapshot's free-page list.
func (c *pageChecker) readFreelist() {
	if c.meta.freelist == noFreelist {
		return
	}
	buf, ok := c.page(c.meta.freelist)
	if !ok {
		return
	}
	c.claim(c.meta.freelist, buf)
	if flags := binary.LittleEndian.Uint16(buf[8:]); flags != freelistFlag {
		c.problem("page %d: the free-page list is a page of type %#x", c.meta.freelist, flags)
		return
	}
	data := buf[pageHeaderSize:]
	n := int(binary.LittleEndian.Uint16(buf[10:]))
	if n == 0xffff {
		n, data = int(binary.LittleEndian.Uint64(data)), data[8:]
	}
	if n < 0 || n*8 > len(data) {
		c.problem("page %d: the free-page list claims %d pages, more than it holds", c.meta.freelist, n)
		return
	}
	for i := range n {
		id := binary.LittleEndian.Uint64(data[i*8:])
		switch {
		case id >= c.meta.hwm:
			c.problem("page %d: free, past the high water mark %d", id, c.meta.hwm)
		case c.free.has(id):
			c.problem("page %d: already freed", id)
		default:
			c.free.add(id)
		}
	}
}

// claim marks a page and its overflow pages as in use, reporting a page
// reached twice or also free.
func (c *pageChecker) claim(id uint64, buf []byte) {
	for i := range uint64(len(buf) / c.pageSize) {
		p := id + i
		switch {
		case c.used.has(p):
			c.problem("page %d: reached more than once", p)
		case c.free.has(p):
			c.problem("page %d: in use and free", p)
		}
		c.used.add(p)
	}
	c.visited += len(buf) / c.pageSize
}

// step checks up to n pages and reports whether the whole snapshot is
// checked.
func (c *pageChecker) step(n int) bool {
	for ; n > 0 && len(c.todo) > 0; n-- {
		f := c.todo[len(c.todo)-1]
		c.todo = c.todo[:len(c.todo)-1]
		if f.id < c.meta.hwm && c.used.has(f.id) {
			c.problem("page %d: reached more than once", f.id) // and not walked again: a loop would never end
			continue
		}
		if buf, ok := c.page(f.id); ok {
			c.claim(f.id, buf)
			c.elements(f, buf)
		}
	}
	if len(c.todo) > 0 {
		return false
	}
	if !c.accounted {
		c.accounted = true
		for id := range c.meta.hwm {
			if !c.used.has(id) && !c.free.has(id) {
				c.problem("page %d: neither in use nor free", id)
			}
		}
	}
	return true
}

// elements checks a branch or leaf page's elements and queues what they
// point to: a branch's children, a leaf's buckets.
func (c *pageChecker) elements(f pageFrame, buf []byte) {
	flags := binary.LittleEndian.Uint16(buf[8:])
	count := int(binary.LittleEndian.Uint16(buf[10:]))
	if flags != branchFlag && flags != leafFlag {
		c.problem("page %d: of type %#x where a branch or leaf page belongs", f.id, flags)
		return
	}
	if pageHeaderSize+count*elementSize > len(buf) {
		c.problem("page %d: %d elements do not fit in it", f.id, count)
		return
	}
	prev := f.lo
	var children []pageFrame
	for i := range count {
		at := pageHeaderSize + i*elementSize
		el := buf[at : at+elementSize]
		pos, ksize := int(binary.LittleEndian.Uint32(el[4:])), int(binary.LittleEndian.Uint32(el[8:]))
		vsize := int(binary.LittleEndian.Uint32(el[12:]))
		if flags == branchFlag {
			pos, ksize, vsize = int(binary.LittleEndian.Uint32(el)), int(binary.LittleEndian.Uint32(el[4:])), 0
		}
		start := at + pos
		if pos < 0 || ksize < 0 || vsize < 0 || start+ksize+vsize > len(buf) {
			c.problem("page %d: element %d lies outside the page", f.id, i)
			return
		}
		key := buf[start : start+ksize]
		c.keyOrder(f, i, key, prev)
		prev = key
		if flags == branchFlag {
			children = append(children, pageFrame{id: binary.LittleEndian.Uint64(el[8:]), lo: key})
			continue
		}
		if binary.LittleEndian.Uint32(el)&bucketEntry != 0 {
			c.bucket(f.id, key, buf[start+ksize:start+ksize+vsize])
		}
	}
	for i := range children {
		children[i].hi = f.hi
		if i+1 < len(children) {
			children[i].hi = children[i+1].lo
		}
	}
	// Last child first off the stack's top: pages are checked in key order.
	for i := len(children) - 1; i >= 0; i-- {
		c.todo = append(c.todo, children[i])
	}
}

// keyOrder checks the i-th key of a page: above the one before it (at or
// above the page's lower bound for the first) and below its upper bound.
func (c *pageChecker) keyOrder(f pageFrame, i int, key, prev []byte) {
	switch {
	case i == 0 && prev != nil && bytes.Compare(key, prev) < 0:
		c.problem("page %d: key %x comes before its parent's %x", f.id, key, prev)
	case i > 0 && bytes.Compare(key, prev) <= 0:
		c.problem("page %d: key %x is not above the key before it, %x", f.id, key, prev)
	case f.hi != nil && bytes.Compare(key, f.hi) >= 0:
		c.problem("page %d: key %x is not below its parent's next key %x", f.id, key, f.hi)
	}
}

// bucket checks a nested bucket: its root page, or its inline page.
func (c *pageChecker) bucket(page uint64, name, v []byte) {
	if len(v) < 16 {
		c.problem("page %d: bucket %q has a header of %d bytes", page, name, len(v))
		return
	}
	root := binary.LittleEndian.Uint64(v)
	if root != 0 {
		c.todo = append(c.todo, pageFrame{id: root})
		return
	}
	inline := v[16:]
	if len(inline) < pageHeaderSize {
		c.problem("page %d: bucket %q's inline page is %d bytes", page, name, len(inline))
		return
	}
	c.elements(pageFrame{id: page}, inline)
}

// snapshotMeta pins a snapshot: it begins a read transaction while it holds
// the writer's lock (so no commit runs between the two) and reads the
// meta page that transaction sees. The read transaction keeps every page
// of the snapshot, its free-page list among them, from being reused until
// it ends.
func (s *Store) snapshotMeta(f *os.File, pageSize int) (boltMeta, func(), error) {
	wtx, err := s.db.Begin(true)
	if err != nil {
		return boltMeta{}, nil, err
	}
	defer wtx.Rollback()
	rtx, err := s.db.Begin(false)
	if err != nil {
		return boltMeta{}, nil, err
	}
	release := func() { rtx.Rollback() }
	for id := range int64(2) {
		buf := make([]byte, pageSize)
		if _, err := f.ReadAt(buf, id*int64(pageSize)); err != nil {
			release()
			return boltMeta{}, nil, err
		}
		if m, err := readMeta(buf); err == nil && m.txid == uint64(rtx.ID()) {
			return m, release, nil
		}
	}
	release()
	return boltMeta{}, nil, fmt.Errorf("%w: no valid meta page for transaction %d", ErrDamaged, rtx.ID())
}
