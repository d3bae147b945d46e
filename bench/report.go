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
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	defer tw.Flush()
	ingestRate, rawRate := rate(r.events, r.ingest), rate(r.events, r.raw)
	ratio := ingestRate / rawRate

	fmt.Fprintf(tw, "\ndataset\t%d orders, %d parcels, %d events, %d open exceptions\t\n", r.orders, r.parcels, r.events, r.exceptions)
	fmt.Fprintf(tw, "intake\t%s (%.0f orders/s with every search key)\t\n", round(r.intake), rate(r.orders, r.intake))
	fmt.Fprintf(tw, "\n(1) raw bbolt baseline\t%.0f events/s (%d commits, %s)\t\n", rawRate, r.rawCommits, round(r.raw))
	fmt.Fprintf(tw, "(2) wismo ingest\t%.0f events/s (%d commits, %.0f events each, %s)\t%s\n",
		ingestRate, r.commits, float64(r.events)/float64(max(r.commits, 1)), round(r.ingest),
		verdict(ingestRate >= targetEventsPerSec, "≥ 20000 events/s"))
	fmt.Fprintf(tw, "    ratio to baseline\t%.0f%%\t%s\n", 100*ratio, verdict(ratio >= targetIngestRatio, "≥ 50%"))
	fmt.Fprintf(tw, "\n(3) search\tp50\tp99\n")
	for _, l := range r.search {
		fmt.Fprintf(tw, "    %s\t%s\t%s %s\n", l.name, micros(l.p50), micros(l.p99), verdict(l.p99 <= targetSearchP99, "p99 ≤ 5 ms"))
	}
	fmt.Fprintf(tw, "\n(4) exceptions page (%d rows)\tp50\tp99\n", pageSize)
	for _, l := range r.pages {
		fmt.Fprintf(tw, "    %s\t%s\t%s %s\n", l.name, micros(l.p50), micros(l.p99), verdict(l.p99 <= targetPageP99, "p99 ≤ 2 ms"))
	}
	fmt.Fprintf(tw, "    %s\t%s\t%s\n", r.parcelView.name, micros(r.parcelView.p50), micros(r.parcelView.p99))
	fmt.Fprintf(tw, "    search right after opening a cold file (%s)\t\t\n", r.cold)
	for _, l := range r.coldSearch {
		fmt.Fprintf(tw, "    %s, cold\t%s\t%s %s\n", l.name, micros(l.p50), micros(l.p99), verdict(l.p99 <= targetSearchP99, "p99 ≤ 5 ms"))
	}
	fmt.Fprintf(tw, "\n(5) open → first page, warm\t%s\t%s\n", round(r.start.warm), verdict(r.start.warm <= targetOpenFirst, "≤ 1 s"))
	fmt.Fprintf(tw, "    open → first page, cold\t%s\t%s\n", round(r.start.cold), verdict(r.start.cold <= targetOpenFirst, "≤ 1 s"))
	fmt.Fprintf(tw, "    (cold: %s)\t\t\n", r.start.how)
	c := r.check
	fmt.Fprintf(tw, "    background consistency check, alone\t%s for %s, %d problems\t\n", round(c.alone), mib(uint64(c.report.Size)), len(c.report.Problems)+c.report.More)
	fmt.Fprintf(tw, "    the check beside ingest\t%s; ingest meanwhile %.0f events/s (%d events)\t\n",
		round(c.beside), rate(c.events, c.ingest), c.events)
	fmt.Fprintf(tw, "(6) Go heap, live\tpeak %s during ingest, %s after queries\t%s\n",
		mib(r.peakLive), mib(r.liveHeap), verdict(max(r.peakLive, r.liveHeap) <= targetHeap, "≤ 256 MB"))
	fmt.Fprintf(tw, "    with garbage not yet collected\tpeak %s during ingest\t\n", mib(r.peakHeap))
	fmt.Fprintf(tw, "    file\t%s, %.0f bytes per event\t\n", mib(uint64(r.fileSize)), float64(r.fileSize)/float64(max(r.events, 1)))
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
