package bench

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

// The targets the desk is held to at the brief's scale (1M orders, 3M
// parcels, 30M events).
const (
	targetIngestRatio   = 0.5
	targetEventsPerSec  = 20_000
	targetSearchP99     = 5 * time.Millisecond
	targetPageP99       = 2 * time.Millisecond
	targetOpenFirst     = time.Second
	targetBytesPerEvent = 250
	targetHeap          = 256 << 20
)

func (r *report) print(w io.Writer) {
	ingestRate, rawRate := rate(r.events, r.ingest), rate(r.events, r.raw)
	ratio := ingestRate / rawRate
	section(w, func(tw io.Writer) {
		fmt.Fprintf(tw, "dataset\t%d orders, %d parcels, %d events, %d open exceptions\t\n", r.orders, r.parcels, r.events, r.exceptions)
		fmt.Fprintf(tw, "intake\t%s (%.0f orders/s with every search key)\t\n", round(r.intake), rate(r.orders, r.intake))
	})
	section(w, func(tw io.Writer) {
		fmt.Fprintf(tw, "(1) raw bbolt baseline\t%.0f events/s (%d commits, %s)\t\n", rawRate, r.rawCommits, round(r.raw))
		fmt.Fprintf(tw, "(2) wismo ingest\t%.0f events/s (%d commits, %.0f events each, %s)\t%s\n",
			ingestRate, r.commits, float64(r.events)/float64(max(r.commits, 1)), round(r.ingest),
			verdict(ingestRate >= targetEventsPerSec, "≥ 20000 events/s"))
		fmt.Fprintf(tw, "    ratio to baseline\t%.0f%%\t%s\n", 100*ratio, verdict(ratio >= targetIngestRatio, "≥ 50%"))
	})
	latencies(w, "(3) search, warm", r.search, targetSearchP99, "p99 ≤ 5 ms")
	latencies(w, "    search right after opening a cold file", r.coldSearch, targetSearchP99, "p99 ≤ 5 ms")
	latencies(w, fmt.Sprintf("(4) exceptions page (%d rows)", pageSize), r.pages, targetPageP99, "p99 ≤ 2 ms")
	latencies(w, "    a parcel", []latency{r.parcelView}, 0, "")
	c := r.check
	section(w, func(tw io.Writer) {
		fmt.Fprintf(tw, "(5) open → first page, warm\t%s\t%s\n", round(r.start.warm), verdict(r.start.warm <= targetOpenFirst, "≤ 1 s"))
		fmt.Fprintf(tw, "    open → first page, cold\t%s\t%s\n", round(r.start.cold), verdict(r.start.cold <= targetOpenFirst, "≤ 1 s"))
		fmt.Fprintf(tw, "    background check, alone\t%s for %s, %d problems\t\n", round(c.alone), mib(uint64(c.report.Size)), len(c.report.Problems)+c.report.More)
		fmt.Fprintf(tw, "    background check beside ingest\t%s\t\n", round(c.beside))
		fmt.Fprintf(tw, "    ingest meanwhile\t%.0f events/s (%.0f with no check running)\t\n",
			rate(c.ingestBeside.events, c.ingestBeside.took), rate(c.ingestAlone.events, c.ingestAlone.took))
		fmt.Fprintf(tw, "(6) Go heap, live\tpeak %s during ingest, %s after queries\t%s\n",
			mib(r.peakLive), mib(r.liveHeap), verdict(max(r.peakLive, r.liveHeap) <= targetHeap, "≤ 256 MB"))
		fmt.Fprintf(tw, "    with garbage not yet collected\tpeak %s during ingest\t\n", mib(r.peakHeap))
		perEvent := float64(r.fileSize) / float64(max(r.events, 1))
		fmt.Fprintf(tw, "    the hot file\t%s, %.0f bytes per event\t%s\n", mib(uint64(r.fileSize)), perEvent,
			verdict(perEvent <= targetBytesPerEvent, "≤ 250"))
	})
	fmt.Fprintf(w, "\ncold: %s\n", r.cold)
}

// section prints lines through a tabwriter of their own, after a blank
// line.
func section(w io.Writer, lines func(tw io.Writer)) {
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	lines(tw)
	tw.Flush()
}

// latencies prints a table of latencies under a title, each held to
// target (none if target is 0).
func latencies(w io.Writer, title string, ls []latency, target time.Duration, targetText string) {
	section(w, func(tw io.Writer) {
		fmt.Fprintf(tw, "%s\tp50\tp99\t\n", title)
		for _, l := range ls {
			v := ""
			if target > 0 {
				v = verdict(l.p99 <= target, targetText)
			}
			fmt.Fprintf(tw, "    %s\t%s\t%s\t%s\n", l.name, micros(l.p50), micros(l.p99), v)
		}
	})
}

// rate is n things in d, a second.
func rate(n int, d time.Duration) float64 { return float64(n) / d.Seconds() }

func verdict(ok bool, target string) string {
	if ok {
		return "ok (" + target + ")"
	}
	return "MISSED (" + target + ")"
}

func round(d time.Duration) time.Duration { return d.Round(time.Millisecond) }

func micros(d time.Duration) string { return fmt.Sprintf("%.3f ms", float64(d.Microseconds())/1000) }

func mib(b uint64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }
