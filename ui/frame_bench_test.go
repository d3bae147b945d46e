package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/wismo/wismo/store"
)

// The benchmark desk's terminal: the smaller golden size, so the
// 1k store's fifty exceptions still fill more than two pages.
const benchWidth, benchHeight = 100, 30

// benchSizes are the stores a frame is measured on. A pane holds only the
// rows on screen, so a keypress must cost the same on both.
var benchSizes = []struct {
	name string
	n    int
}{{"orders=1k", 1_000}, {"orders=1M", 1_000_000}}

// keyCases are the keys timed. Each starts from the state its setup keys
// (not timed) bring the desk to; g puts the exceptions list at its top.
var keyCases = []struct {
	name  string
	setup []string
	key   string
}{
	{"down", []string{"g"}, "down"},                     // within the window: no read
	{"down-past-edge", []string{"g", "pgdown"}, "down"}, // the window moves a row: a read
	{"pgdown", []string{"g", "pgdown"}, "pgdown"},       // the window moves a page
	// From the last view (Snoozed) round to All open, a full window on
	// both stores, with every tab's count. The table first redraws the
	// rows the last view left, one on the 1k store and a window's worth
	// on the 1M one: the ratio shows that difference, which a window
	// bounds.
	{"tab", []string{"0"}, "tab"},
	{"enter", []string{"esc", "g"}, "enter"}, // the order opens
	{"esc", []string{"g", "enter"}, "esc"},   // back to the list, read again
}

// BenchmarkDesk measures a keypress from the key to the frame that shows
// its outcome: Update, the store reads it issues as commands (run, and
// their messages handled, as the runtime does) and View; and a new
// exception from its commit to the frame that shows it. Each runs on a
// 1k- and a 1M-order store and the 1M case reports its ratio to the 1k
// one (ratio-1M/1k). The stores are written once, on first use, in this
// benchmark's directory; -short leaves the 1M one out.
func BenchmarkDesk(b *testing.B) {
	stores := benchStores{dir: b.TempDir(), by: map[int]*store.Store{}}
	defer stores.close()
	for _, c := range keyCases {
		b.Run(c.name, func(b *testing.B) { stores.compare(b, benchKey(c.setup, c.key)) })
	}
	b.Run("new-exception", func(b *testing.B) { stores.compare(b, benchNewException) })
}

// benchStores are the stores of every size, built when first asked for.
type benchStores struct {
	dir string
	by  map[int]*store.Store
}

func (s benchStores) get(b *testing.B, n int) *store.Store {
	if st, ok := s.by[n]; ok {
		return st
	}
	start := time.Now()
	st := openBenchStore(b, s.dir, n)
	b.Logf("wrote a store of %d orders in %s", n, time.Since(start).Round(time.Millisecond))
	s.by[n] = st
	return st
}

func (s benchStores) close() {
	for _, st := range s.by {
		st.Close()
	}
}

// compare runs bench on every size, the smallest first, and reports each
// larger size's time per operation as a ratio to the smallest's.
func (s benchStores) compare(b *testing.B, bench func(*testing.B, *store.Store)) {
	var smallest time.Duration
	for i, size := range benchSizes {
		b.Run(size.name, func(b *testing.B) {
			if size.n > 100_000 && testing.Short() {
				b.Skip("the 1M-order store takes a minute or two to write: left out in -short mode")
			}
			bench(b, s.get(b, size.n))
			perOp := b.Elapsed() / time.Duration(max(b.N, 1))
			if i == 0 {
				smallest = perOp
			} else if smallest > 0 {
				b.ReportMetric(float64(perOp)/float64(smallest), "ratio-1M/1k")
			}
		})
	}
}

// benchKey times key, pressed after setup.
func benchKey(setup []string, key string) func(*testing.B, *store.Store) {
	return func(b *testing.B, st *store.Store) {
		l := newDeskLoop(b, New(st, clock, nil).WithAgent("ana"))
		for b.Loop() {
			b.StopTimer()
			for _, k := range setup {
				l.frame(keyPress(k))
			}
			b.StartTimer()
			l.frame(keyPress(key))
		}
	}
}

// benchNewException times a new exception on an idle desk, from its
// commit to the frame that shows it: the store's change signal, the
// desk's coalesced refresh as shipped (refreshEvery, most of the figure)
// and the reads. Between rounds the exception is resolved again, untimed.
func benchNewException(b *testing.B, st *store.Store) {
	changes, cancel := st.Subscribe()
	defer cancel()
	l := newDeskLoop(b, New(st, clock, changes).WithAgent("ana"))
	l.spawn(l.m.(Model).waitForChange())
	l.waiting++
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		// Orders whose number is not a multiple of exceptionEvery have none.
		number := benchNumber(1 + i%(exceptionEvery-1))
		d, err := st.Order(number)
		if err != nil {
			b.Fatal(err)
		}
		// Lost and older than any: the list's first row.
		e := store.Exception{Parcel: d.Parcels[0].ID, Kind: store.KindLost, OpenedAt: now.Add(-30 * 24 * time.Hour)}
		tracking := d.Parcels[0].TrackingNumber // the list shows it whole
		b.StartTimer()
		mustUpdate(b, st, func(tx *store.Tx) error { return tx.OpenException(&e) })
		l.await(func(s string) bool { return strings.Contains(s, tracking) })
		b.StopTimer()
		mustUpdate(b, st, func(tx *store.Tx) error { return tx.ResolveException(e.ID, now, "bench") })
		l.await(func(s string) bool { return !strings.Contains(s, tracking) })
		l.settle()
		b.StartTimer()
	}
}

func mustUpdate(tb testing.TB, st *store.Store, fn func(*store.Tx) error) {
	tb.Helper()
	if err := st.Update(fn); err != nil {
		tb.Fatal(err)
	}
}

// deskLoop runs a desk as Bubble Tea's runtime does, without a terminal:
// every command in a goroutine of its own, every message through Update.
type deskLoop struct {
	tb      testing.TB
	m       tea.Model
	msgs    chan tea.Msg
	running int // commands whose message has not come yet
	waiting int // of those, the waits for a store change, which outlive frames
	stuck   *time.Timer
}

// newDeskLoop starts desk at the benchmark's size. It leaves out Init's
// clock tick, which would keep a command running at all times, and the
// background colour query, which needs a terminal.
func newDeskLoop(tb testing.TB, desk Model) *deskLoop {
	l := &deskLoop{tb: tb, m: desk, msgs: make(chan tea.Msg, 64), stuck: time.NewTimer(time.Hour)}
	l.stuck.Stop()
	l.spawn(desk.loadCounts())
	l.frame(tea.WindowSizeMsg{Width: benchWidth, Height: benchHeight})
	return l
}

func (l *deskLoop) spawn(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	l.running++
	go func() { l.msgs <- cmd() }()
}

// receive handles the next message a command sends.
func (l *deskLoop) receive() {
	l.stuck.Reset(time.Minute)
	defer l.stuck.Stop()
	select {
	case msg := <-l.msgs:
		l.running--
		l.update(msg)
	case <-l.stuck.C:
		l.tb.Fatalf("no message for a minute with %d commands running", l.running)
	}
}

func (l *deskLoop) update(msg tea.Msg) {
	switch msg := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			l.spawn(c)
		}
	default:
		var cmd tea.Cmd
		l.m, cmd = l.m.Update(msg)
		l.spawn(cmd)
	}
}

// frame handles msg and everything it leads to, then draws the frame.
func (l *deskLoop) frame(msg tea.Msg) tea.View {
	l.update(msg)
	l.settle()
	return l.m.View()
}

// settle handles messages until only the waits for a store change run.
func (l *deskLoop) settle() {
	for l.running > l.waiting {
		l.receive()
	}
}

// await handles messages, drawing a frame after each, until a frame
// satisfies ok.
func (l *deskLoop) await(ok func(screen string) bool) {
	for !ok(ansi.Strip(l.m.View().Content)) {
		l.receive()
	}
}
