package bench

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/wismo/wismo/store"
	"golang.org/x/sync/errgroup"
)

// The lifecycle run is the desk's life at a shipper's volume, week after
// week: each week's orders come in and travel, the finished ones past
// retention move to the archive, and the run prints what an operator
// would watch: the hot file's size, which must level off once retention
// holds it to the live window, the archive's, bytes per event in the hot
// file, how fast the desk starts warm and cold, search by hot and by
// archived orders, and ingest.

// week is the lifecycle's unit of time.
const week = 7 * 24 * time.Hour

// archiveBatch is how many orders one of the lifecycle's moves takes. A
// desk moves up to 64 a second (tracker.Retire), a trickle beside what a
// shipper of this size finishes in a day; the bench fits a week into a
// minute or two, so it moves more at a time, still between the polls'
// commits.
const archiveBatch = 256

// lifecycleLevel is how far the hot file's size may move from the week
// retention first holds it (week retain+1) to any later week: ±10%.
const lifecycleLevel = 0.10

// weekFigures are one week's measurements.
type weekFigures struct {
	week                      int
	inv                       store.Inventory
	start                     startTimes
	searchHot, searchArchived latency // the worst kind's, at p99
	events                    int
	ingest                    time.Duration
	archived                  int // orders moved this week
	archiveTook               time.Duration
}

// lifecycle runs cfg.Weeks weeks of cfg.Orders orders each, retaining
// finished orders for cfg.Retain, in dir.
func lifecycle(cfg Config, dir string, out io.Writer) error {
	if err := removeStore(dir); err != nil {
		return err
	}
	d := newDataset(cfg.Seed, cfg.Weeks*cfg.Orders, benchStart)
	d.every, d.settle = week/time.Duration(cfg.Orders), true
	path := filepath.Join(dir, "wismo.db")
	var weeks []weekFigures
	fmt.Fprintf(out, "\n%-5s %10s %9s %12s %9s %10s %10s %13s %13s %12s %9s\n", "week", "hot file", "free", "archive", "B/event",
		"start", "cold", "search hot", "archived", "ingest/s", "archived")
	for w := range cfg.Weeks {
		f, err := lifecycleWeek(cfg, d, dir, path, w)
		if err != nil {
			return fmt.Errorf("week %d: %w", w+1, err)
		}
		weeks = append(weeks, f)
		fmt.Fprintf(out, "%-5d %10s %9s %12s %9.0f %10s %10s %13s %13s %12.0f %9d\n", w+1, mib(uint64(f.inv.HotBytes)),
			mib(uint64(f.inv.FreeBytes)), mib(uint64(f.inv.ArchiveBytes)), perEvent(f.inv), round(f.start.warm), round(f.start.cold),
			micros(f.searchHot.p99), archivedP99(f), rate(f.events, f.ingest), f.archived)
	}
	printLifecycleVerdict(out, cfg, weeks)
	return nil
}

// lifecycleWeek runs week w: the week's orders in and polled, retention,
// then the figures.
func lifecycleWeek(cfg Config, d *dataset, dir, path string, w int) (weekFigures, error) {
	f := weekFigures{week: w + 1}
	st, err := store.Open(path, store.Options{})
	if err != nil {
		return f, err
	}
	defer func() {
		if st != nil {
			st.Close()
		}
	}()
	s := span{w * cfg.Orders, (w + 1) * cfg.Orders}
	// The week day by day, as a desk lives it: agents work their queue,
	// and while the day's orders come in and travel, the desk archives what
	// finished a retention ago, a few dozen orders a move, between the
	// polls' commits.
	for day := range 7 {
		now := d.start.Add(time.Duration(w)*week + time.Duration(day+1)*24*time.Hour)
		if err := closeFinished(st, now); err != nil {
			return f, err
		}
		today := span{s.lo + day*cfg.Orders/7, s.lo + (day+1)*cfg.Orders/7}
		var g errgroup.Group
		var archived int
		g.Go(func() (err error) {
			archived, err = archiveAll(st, now.Add(-cfg.Retain), now)
			return err
		})
		t0 := time.Now()
		g.Go(func() error {
			if err := intake(st, d, today, now); err != nil {
				return err
			}
			return ingest(st, d, cfg.Rounds, now, io.Discard)
		})
		if err := g.Wait(); err != nil {
			return f, err
		}
		f.archived, f.ingest, f.events = f.archived+archived, f.ingest+time.Since(t0), f.events+d.events(today)
	}
	if f.inv, err = st.Inventory(); err != nil {
		return f, err
	}
	if f.searchHot, err = worstSearch(st, d, span{max(0, s.hi-cfg.Orders), s.hi}, cfg.Queries); err != nil {
		return f, err
	}
	if old := archivedSpan(cfg, w); old.hi > old.lo {
		if f.searchArchived, err = worstSearch(st, d, old, cfg.Queries); err != nil {
			return f, err
		}
	}
	if err := st.Close(); err != nil {
		return f, err
	}
	st = nil
	f.start, err = measureStart(dir)
	return f, err
}

// archiveAll archives every order finished before cutoff, at now,
// archiveBatch a move, and returns how many it moved.
func archiveAll(st *store.Store, cutoff, now time.Time) (int, error) {
	moved := 0
	for more := true; more; {
		n, m, err := st.Archive(cutoff, archiveBatch, now)
		if err != nil {
			return moved, err
		}
		moved, more = moved+n, m
	}
	return moved, nil
}

// archivedSpan is the orders of week w's run sure to be archived: those of
// the weeks that ended a retention and a week before its end.
func archivedSpan(cfg Config, w int) span {
	weeks := w - int(cfg.Retain/week) - 1
	return span{0, max(0, weeks) * cfg.Orders}
}

// worstSearch times every kind of search for orders of s and returns the
// kind with the worst p99.
func worstSearch(st *store.Store, d *dataset, s span, n int) (latency, error) {
	all, err := searchLatency(st, d, s, n)
	if err != nil {
		return latency{}, err
	}
	return slices.MaxFunc(all, func(a, b latency) int { return int(a.p99 - b.p99) }), nil
}

func perEvent(inv store.Inventory) float64 {
	return float64(inv.HotBytes) / float64(max(inv.Events, 1))
}

func archivedP99(f weekFigures) string {
	if f.searchArchived.name == "" {
		return "—"
	}
	return micros(f.searchArchived.p99)
}

// printLifecycleVerdict holds the run to its targets: the hot file level
// from the week after retention first holds it, bytes per event, start,
// search.
func printLifecycleVerdict(out io.Writer, cfg Config, weeks []weekFigures) {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	defer tw.Flush()
	fmt.Fprintln(tw)
	base := int(cfg.Retain/week) + 1 // the week retention first holds the hot file to its window
	if base < len(weeks) {
		ref := float64(weeks[base-1].inv.HotBytes)
		worst := 0.0
		for _, f := range weeks[base:] {
			worst = max(worst, abs(float64(f.inv.HotBytes)/ref-1))
		}
		fmt.Fprintf(tw, "hot file from week %d on, against week %d\tat most %.1f%% apart\t%s\n", base+1, base, 100*worst,
			verdict(worst <= lifecycleLevel, "within ±10%"))
	} else {
		fmt.Fprintf(tw, "hot file\tthe run ends before retention holds it: run more weeks than %d\t\n", base)
	}
	last := weeks[len(weeks)-1]
	fmt.Fprintf(tw, "bytes per event in the hot file, last week\t%.0f\t%s\n", perEvent(last.inv), verdict(perEvent(last.inv) <= targetBytesPerEvent, "≤ 250"))
	var slowStart, slowSearch time.Duration
	for _, f := range weeks {
		slowStart = max(slowStart, f.start.warm, f.start.cold)
		slowSearch = max(slowSearch, f.searchHot.p99, f.searchArchived.p99)
	}
	fmt.Fprintf(tw, "slowest start, warm or cold\t%s\t%s\n", round(slowStart), verdict(slowStart <= targetOpenFirst, "≤ 1 s"))
	fmt.Fprintf(tw, "worst search p99, hot or archived\t%s\t%s\n", micros(slowSearch), verdict(slowSearch <= targetSearchP99, "≤ 5 ms"))
	fmt.Fprintf(tw, "orders archived in all\t%d in %d archive files, %s\t\n", last.inv.Archived, last.inv.Archives, mib(uint64(last.inv.ArchiveBytes)))
	fmt.Fprintf(tw, "cold start\t%s\t\n", last.start.how)
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// parseRetain reads a retention as days ("21d"), weeks ("3w") or a Go
// duration ("504h").
func parseRetain(s string) (time.Duration, error) {
	for unit, d := range map[string]time.Duration{"d": 24 * time.Hour, "w": week} {
		if n, ok := strings.CutSuffix(s, unit); ok {
			v, err := strconv.Atoi(n)
			if err != nil || v < 0 {
				return 0, fmt.Errorf("--retain %q: want days (21d), weeks (3w) or a duration", s)
			}
			return time.Duration(v) * d, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("--retain %q: want days (21d), weeks (3w) or a duration", s)
	}
	return d, nil
}

// closeFinished does what agents do with the exceptions of parcels whose
// journey is over (a parcel returned to the shop, a damaged one delivered
// after all): they resolve them, so the order can finish and be archived.
func closeFinished(st *store.Store, now time.Time) error {
	var from store.Cursor
	for {
		rows, err := st.ExceptionsAfter(store.ExceptionFilter{}, from, 1000)
		if err != nil {
			return err
		}
		if len(rows) > 0 && bytes.Equal(rows[0].Cursor, from) {
			rows = rows[1:] // the page starts at from itself, if it is still open
		}
		if len(rows) == 0 {
			return nil
		}
		err = st.Write(func(tx *store.Tx) error {
			for _, r := range rows {
				if !r.Parcel.Status.Terminal() {
					continue
				}
				_, err := tx.ResolveExceptionBy(r.Exception.ID, "bench", now, "journey over: settled with the customer")
				if err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		from = rows[len(rows)-1].Cursor
	}
}
