package bench

import (
	"bytes"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wismo/wismo/store"
)

// A tiny run goes through every phase on real files and reports every
// figure; the store it leaves holds exactly the dataset's events. Timings
// are not checked here: `wismo bench` is where they are read.
func TestTinyRunReportsEveryFigure(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	if err := Run([]string{"--orders", "60", "--queries", "20", "--dir", dir}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"(1) raw bbolt baseline", "(2) wismo ingest", "ratio to baseline",
		"search by order number", "search by tracking number", "search by email",
		"search by phone", "search by name prefix", "search by postcode",
		"exceptions page, all open", "parcel with its timeline",
		"(5) open → first page, warm", "open → first page, cold", "background check, alone", "ingest meanwhile", "(6) Go heap", "bytes per event", "search right after opening a cold file",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}

	d := newDataset(1, 60, benchStart)
	want := d.events(d.all())
	st, err := store.Open(filepath.Join(dir, "wismo.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got := 0
	_, parcels := d.all().parcels(d)
	for id := range parcels {
		detail, err := st.Parcel(store.ParcelID(id + 1))
		if err != nil {
			t.Fatal(err)
		}
		got += len(detail.Events)
		if len(detail.Events) > 0 && detail.Parcel.Status == "pending" {
			t.Errorf("parcel %d has %d events but is still pending", id+1, len(detail.Events))
		}
	}
	if got != want {
		t.Errorf("store holds %d events, the dataset has %d", got, want)
	}
}

// The dataset is the same for the same seed and index, whatever else was
// generated before: nothing of it needs to be kept in memory.
func TestDatasetIsDeterministic(t *testing.T) {
	a, b := newDataset(3, 100, benchStart), newDataset(3, 100, benchStart)
	for _, i := range []int{99, 0, 42} {
		if a.order(i).Customer != b.order(i).Customer {
			t.Errorf("order %d differs between two generations", i)
		}
		j := int(a.firsts[i])
		if a.orderOf(j) != i {
			t.Errorf("parcel %d belongs to order %d, orderOf says %d", j, i, a.orderOf(j))
		}
		if got, _ := parcelIndex(a.parcel(i, j).TrackingNumber, trackingDigits); got != j {
			t.Errorf("parcel %d's tracking number reads back as %d", j, got)
		}
		ja, jb := a.journey(i, j), b.journey(i, j)
		if n, _, _ := a.plan(j); len(ja) != n || len(jb) != n {
			t.Errorf("journey %d: %d and %d events, plan says %d", j, len(ja), len(jb), n)
		}
	}
}

// Flags out of range are refused before any work starts.
func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--orders", "5"}, {"--orders", "-1"}, {"--rounds", "0"}, {"--queries", "1"},
		{"--orders", "many"}, {"extra"}, {"--unknown"}, {"--weeks", "-1"}, {"--weeks", "2", "--retain", "soon"},
	} {
		if err := Run(args, io.Discard, io.Discard); err == nil {
			t.Errorf("bench %v was accepted", args)
		}
	}
}

// benchOrders is the dataset the Go benchmarks ingest: small enough to run
// once in CI, large enough that a round fills several commits.
const benchOrders = 2000

// BenchmarkIngest measures the desk's ingest path (due index, tracker,
// store writer, fsync on) over a fresh store each iteration, in events/s.
func BenchmarkIngest(b *testing.B) {
	d := newDataset(1, benchOrders, benchStart)
	events := d.events(d.all())
	now := d.placedAt(d.orders).Add(time.Hour)
	var took time.Duration
	for b.Loop() {
		b.StopTimer()
		st, err := store.Open(filepath.Join(b.TempDir(), "wismo.db"), store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := intake(st, d, d.all(), now); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		t0 := time.Now()
		if err := ingest(st, d, DefaultConfig().Rounds, now, io.Discard); err != nil {
			b.Fatal(err)
		}
		took += time.Since(t0)
		b.StopTimer()
		st.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(events*b.N)/took.Seconds(), "events/s")
}

// BenchmarkRawPuts is the baseline BenchmarkIngest is read against: the
// same event keys and bytes put straight into bbolt.
func BenchmarkRawPuts(b *testing.B) {
	d := newDataset(1, benchOrders, benchStart)
	var took time.Duration
	for b.Loop() {
		elapsed, _, err := rawPuts(filepath.Join(b.TempDir(), "raw.db"), d, d.all(), DefaultConfig().Rounds, 1000)
		if err != nil {
			b.Fatal(err)
		}
		took += elapsed
	}
	b.ReportMetric(float64(d.events(d.all())*b.N)/took.Seconds(), "events/s")
}

// A tiny lifecycle run goes week by week through intake, polls, agents and
// retention on real files: orders move to monthly archives, the figures
// are printed each week, and every order stays findable.
func TestTinyLifecycleRun(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	if err := Run([]string{"--weeks", "5", "--retain", "2w", "--orders", "150", "--queries", "20", "--dir", dir}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"week", "hot file", "archive", "B/event", "\n5 ", "hot file from week 4 on, against week 3",
		"bytes per event in the hot file", "worst search p99, hot or archived", "orders archived in all"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
	st, err := store.Open(filepath.Join(dir, "wismo.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	inv, err := st.Inventory()
	if err != nil {
		t.Fatal(err)
	}
	if inv.Archived == 0 || inv.Archives == 0 || inv.Orders+inv.Archived != 5*150 {
		t.Errorf("after five weeks: %d hot and %d archived in %d files, want all 750 orders, some archived", inv.Orders, inv.Archived, inv.Archives)
	}
}
