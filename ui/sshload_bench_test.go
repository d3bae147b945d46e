package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"go.uber.org/goleak"
	gossh "golang.org/x/crypto/ssh"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/store"
	"github.com/wismo/wismo/tracker"
)

// The load: agents each typing a key every loadPace on a store of
// loadOrders orders (openBenchStore's, an exception in exceptionEvery),
// while carrier pushes arrive every loadIngestEvery.
const (
	loadOrders      = 3000
	loadPace        = 200 * time.Millisecond // 5 keys/s
	loadIngestEvery = 25 * time.Millisecond  // 40 events/s
	// loadKeyTimeout is how long a key may go without a byte back before
	// it counts as lost.
	loadKeyTimeout = 5 * time.Second
)

// loadKey is one key an agent types, as the terminal sends it, and what
// kind of key it is for the breakdown.
type loadKey struct{ kind, bytes string }

// loadCycle is what an agent types, over and over: scroll the exceptions
// list down and back (every key moves the selection, so every key changes
// the screen), search an order number, scroll again, search a name. Each
// search ends with a bare esc, which the desk's input reader holds a moment
// to tell it from the start of a sequence, as it does for a real terminal.
var loadCycle = []loadKey{
	{"scroll", "j"}, {"scroll", "\x1b[B"}, {"scroll", "\x1b[6~"}, {"scroll", "k"}, {"scroll", "\x1b[A"}, {"scroll", "\x1b[5~"},
	{"search", "/"}, {"type", "1"}, {"type", "0"}, {"type", "0"}, {"type", "2"}, {"esc", "\x1b"},
	{"scroll", "j"}, {"scroll", "j"}, {"scroll", "\x1b[6~"}, {"scroll", "k"}, {"scroll", "k"}, {"scroll", "\x1b[5~"},
	{"search", "/"}, {"type", "W"}, {"type", "e"}, {"type", "b"}, {"esc", "\x1b"},
}

// loadStarts are where in loadCycle an agent may start: each a run of
// scrolling, so agents are spread over scrolling and searching.
var loadStarts = []int{0, 12}

// BenchmarkSSHSessions is the load harness: N real SSH clients on the real
// server over loopback, each in a 100×30 PTY, scrolling the exceptions list
// and searching at 5 keys/s while carrier pushes open and mend exceptions
// at 40 a second (every one a store change that refreshes every session).
// One op is a round in which every client types one key, spread over the
// round, so ns/op is about the 200 ms pace.
//
// It reports, per size: p50-ms and p99-ms, keypress to the first byte
// back; heap-MB/session; and timeouts (a key with no byte back within 5 s
// fails the benchmark, as does any connection error). Targets on 2 cores:
// 50 sessions p99 ≤ 50 ms, 100 sessions p99 ≤ 200 ms, ≤ 5 MB a session.
// They are reported, not asserted. With -benchtime 1x a client types one
// key; the figures want a sample:
//
//	go test -run '^$' -bench SSHSessions -benchtime 50x ./ui
func BenchmarkSSHSessions(b *testing.B) {
	before := goleak.IgnoreCurrent()
	st := openBenchStore(b, b.TempDir(), loadOrders)
	tr := tracker.New(st, nil, time.Now, tracker.Config{}, nil)
	ing := &loadIngest{hook: tr.Receiver(nil, tracker.Hook{Webhook: loadPush{}})}
	for _, n := range []int{10, 50, 100} {
		b.Run(fmt.Sprintf("sessions=%d", n), func(b *testing.B) { benchSessions(b, st, tr, ing, n) })
	}
	st.Close()
	awaitNoLeaks(b, before)
}

// benchSessions runs one size: serve, connect and settle, weigh the heap,
// then type b.N rounds under ingest, and shut everything down.
func benchSessions(b *testing.B, st *store.Store, tr *tracker.Tracker, ing *loadIngest, n int) {
	before := goleak.IgnoreCurrent()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	keys := make([]gossh.Signer, n)
	lines := make([]string, n)
	for i := range keys {
		keys[i] = newKey(b)
		lines[i] = agentLine(keys[i], fmt.Sprintf("agent%03d", i), RoleAgent)
	}
	srv, addr := serveSSH(b, loadServer(b, ctx, st, tr, agentsFile(b, lines...)))
	heap := liveHeap()
	clients := make([]*loadClient, n)
	for i, key := range keys {
		clients[i] = connect(b, addr, key)
	}
	for _, c := range clients {
		c.awaitReady(b)
	}
	time.Sleep(500 * time.Millisecond) // the first frame's loads settle
	perSession := float64(liveHeap()-heap) / float64(n) / (1 << 20)

	stopIngest := ing.run(loadIngestEvery)
	lat, lost := typeRounds(b, clients)
	b.ReportMetric(perSession, "heap-MB/session") // after the timer's reset, which drops metrics
	if err := stopIngest(); err != nil {
		b.Errorf("ingest: %v", err)
	}
	for _, c := range clients {
		c.client.Close()
	}
	shutdown, done := context.WithTimeout(context.Background(), 10*time.Second)
	defer done()
	if err := srv.Shutdown(shutdown); err != nil {
		b.Errorf("shutdown: %v", err)
	}
	cancel()
	awaitNoLeaks(b, before) // so the next size's heap baseline holds nothing of this one's
	report(b, lat, lost, n)
}

// loadServer is the desk served as `wismo serve` builds it: each session
// its own model on the one store and tracker, with its change signal,
// feeds and actions, no URL opener, and the agent and role its key names.
func loadServer(b *testing.B, ctx context.Context, st *store.Store, tr *tracker.Tracker, agents string) SSHConfig {
	keys, err := LoadAgentKeys(agents)
	if err != nil {
		b.Fatal(err)
	}
	return SSHConfig{
		HostKeyPath: filepath.Join(b.TempDir(), "host_ed25519"),
		Context:     ctx,
		Keys:        keys,
		Store:       st,
		Desk: func(ctx context.Context, a Agent) Model {
			changes, unsubscribe := st.Subscribe()
			context.AfterFunc(ctx, unsubscribe)
			return New(st, time.Now, changes).WithFeeds(tr.Health).WithActions(tr).
				WithAgent(a.Name).WithRole(a.Role).WithOpener(nil)
		},
	}
}

// liveHeap is the live heap after a collection. The clients live in
// this process too, so their SSH buffers count with the sessions': the
// figure per session errs high.
func liveHeap() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// typeRounds has every client type b.N keys, one a round, each client at
// its own offset in the round so keys do not all land at once, and returns
// every key's latency by kind and how many were lost.
func typeRounds(b *testing.B, clients []*loadClient) (map[string][]time.Duration, int) {
	var wg sync.WaitGroup
	errs := make([]error, len(clients))
	b.ResetTimer()
	start := time.Now()
	for i, c := range clients {
		offset := time.Duration(i) * loadPace / time.Duration(len(clients))
		next := loadStarts[i%len(loadStarts)]
		wg.Go(func() { errs[i] = c.typeKeys(start.Add(offset), b.N, next) })
	}
	wg.Wait()
	b.StopTimer()
	lat := map[string][]time.Duration{}
	lost := 0
	for i, c := range clients {
		for kind, ds := range c.lat {
			lat[kind] = append(lat[kind], ds...)
		}
		if errs[i] != nil {
			lost++
			b.Errorf("client %d: %v", i, errs[i])
		}
	}
	return lat, lost
}

// report reports the latencies, all keys together, and logs them by kind;
// lost of the n clients lost a key.
func report(b *testing.B, lat map[string][]time.Duration, lost, n int) {
	var all []time.Duration
	var kinds []string
	for kind, ds := range lat {
		all = append(all, ds...)
		p50, p99 := percentiles(ds)
		kinds = append(kinds, fmt.Sprintf("%s %d keys p50 %.1f p99 %.1f", kind, len(ds), p50, p99))
	}
	slices.Sort(kinds)
	b.Logf("keypress to first byte, ms, by kind: %s", strings.Join(kinds, "; "))
	p50, p99 := percentiles(all)
	b.ReportMetric(p50, "p50-ms")
	b.ReportMetric(p99, "p99-ms")
	b.ReportMetric(float64(lost), "timeouts")
	if lost > 0 {
		b.Fatalf("%d of %d clients lost a key or their connection", lost, n)
	}
}

// percentiles are ds's 50th and 99th (nearest rank), in milliseconds.
func percentiles(ds []time.Duration) (p50, p99 float64) {
	if len(ds) == 0 {
		return 0, 0
	}
	slices.Sort(ds)
	at := func(p int) float64 {
		return float64(ds[(len(ds)*p+99)/100-1]) / float64(time.Millisecond)
	}
	return at(50), at(99)
}

// loadClient is one agent's SSH client: it types keys and times each to
// the first byte its session writes after it.
//
// The desk also writes unprompted: a refresh after carrier pushes (up to
// four a second, coalesced), a clock tick when the minute turns. A key is
// timed to the first byte that arrives after it was written, whatever
// frame that byte is part of, so a refresh that lands before the key's own
// frame shortens the figure: it is a lower bound of the key's latency,
// tightest when ingest is quiet. The bias is small while a frame is quick
// (the refresh must fall inside that frame's time) and grows with it.
// A client also waits for a key's first byte before typing the next, so
// a desk that falls behind slows its agents down (ns/op above the 200 ms
// pace says so) instead of piling keys up: under overload the latencies
// understate what an agent typing on regardless would see.
type loadClient struct {
	client *gossh.Client
	in     io.WriteCloser
	ready  chan struct{} // closed when the exceptions list first shows
	lat    map[string][]time.Duration

	mu      sync.Mutex
	waiting bool   // for the exceptions list
	seen    []byte // the output while waiting
	armed   bool   // a key waits for its first byte
	first   chan time.Time
}

// connect dials the desk with key and opens it in a PTY.
func connect(b *testing.B, addr string, key gossh.Signer) *loadClient {
	client, err := dial(addr, gossh.PublicKeys(key))
	if err != nil {
		b.Fatalf("connecting: %v", err)
	}
	b.Cleanup(func() { client.Close() })
	c := &loadClient{client: client, ready: make(chan struct{}), lat: map[string][]time.Duration{},
		waiting: true, first: make(chan time.Time, 1)}
	c.in = shell(b, client, c)
	return c
}

// Write takes the session's output as it arrives.
func (c *loadClient) Write(p []byte) (int, error) {
	at := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.armed {
		c.armed = false
		c.first <- at
	}
	if c.waiting {
		c.seen = append(c.seen, p...)
		// A row of the list: every parcel's number starts so.
		if strings.Contains(ansi.Strip(string(c.seen)), "003404") {
			c.waiting, c.seen = false, nil
			close(c.ready)
		}
	}
	return len(p), nil
}

// awaitReady waits for the session's exceptions list.
func (c *loadClient) awaitReady(b *testing.B) {
	select {
	case <-c.ready:
	case <-time.After(30 * time.Second):
		c.mu.Lock()
		defer c.mu.Unlock()
		b.Fatalf("a session never showed its exceptions list; it showed:\n%s", ansi.Strip(string(c.seen)))
	}
}

// typeKeys types n keys of loadCycle from position next, the first at
// start and one every loadPace after.
func (c *loadClient) typeKeys(start time.Time, n, next int) error {
	for i := range n {
		time.Sleep(time.Until(start.Add(time.Duration(i) * loadPace)))
		k := loadCycle[(next+i)%len(loadCycle)]
		d, err := c.press(k.bytes)
		if err != nil {
			return fmt.Errorf("key %d (%q): %w", i, k.bytes, err)
		}
		c.lat[k.kind] = append(c.lat[k.kind], d)
	}
	return nil
}

// press writes key and waits for the first byte after it.
func (c *loadClient) press(key string) (time.Duration, error) {
	c.mu.Lock()
	c.armed = true
	sent := time.Now()
	c.mu.Unlock()
	if _, err := io.WriteString(c.in, key); err != nil {
		return 0, err
	}
	select {
	case at := <-c.first:
		return at.Sub(sent), nil
	case <-time.After(loadKeyTimeout):
		c.mu.Lock()
		defer c.mu.Unlock()
		c.armed = false
		select { // a byte that came as the wait ended is not the next key's
		case <-c.first:
		default:
		}
		return 0, fmt.Errorf("no byte back within %s", loadKeyTimeout)
	}
}

// loadIngest pushes carrier events through the tracker's webhook
// receiver, the path a carrier's push takes: verify, parse, apply in one
// write (exception rules included), answer. Pushes alternate: a parcel
// reports trouble, which opens an exception, then a good scan, which mends
// it. Sequence numbers run on across sizes, so every push is news.
type loadIngest struct {
	hook http.Handler
	seq  int
}

// run pushes one event every every until the returned stop, which reports
// the first push that failed.
func (g *loadIngest) run(every time.Duration) (stop func() error) {
	done := make(chan struct{})
	failed := make(chan error, 1)
	go func() {
		defer close(failed)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			if err := g.push(); err != nil {
				failed <- err
				return
			}
		}
	}()
	return func() error {
		close(done)
		return <-failed
	}
}

// loadReasons are the troubles pushes report, in turn.
var loadReasons = []carriers.Reason{carriers.ReasonLost, carriers.ReasonDamaged, carriers.ReasonAddressIssue,
	carriers.ReasonCustomsHold, carriers.ReasonDelayed, carriers.ReasonWeather}

// push sends the next event: the k-th pair's parcel is one of an order
// with no seeded exception.
func (g *loadIngest) push() error {
	k := g.seq
	g.seq++
	i := 1 + (k/2)%(loadOrders-1)
	for i%exceptionEvery == 0 {
		i++
	}
	ev := carriers.Event{Time: now.Add(time.Duration(k) * time.Second), RawCode: "transit",
		RawText: "The shipment has been processed in the parcel center", Status: carriers.StatusInTransit}
	if k%2 == 0 {
		ev.RawCode, ev.RawText = "trouble", "The shipment could not be delivered"
		ev.Status, ev.Reason = carriers.StatusException, loadReasons[k/2%len(loadReasons)]
	}
	d := carriers.Delivery{ID: fmt.Sprintf("load-%d", k), Shipments: []carriers.Shipment{{
		Carrier: benchCarriers[i%len(benchCarriers)], TrackingNumber: fmt.Sprintf("00340434%012d", i),
		Events: []carriers.Event{ev}}}}
	body, err := json.Marshal(d)
	if err != nil {
		return err
	}
	rec := httptest.NewRecorder()
	g.hook.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/webhooks/loadpush", bytes.NewReader(body)))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"applied"`) {
		return fmt.Errorf("push %d: %d %s", k, rec.Code, rec.Body)
	}
	return nil
}

// loadPush is the load's carrier push: a carriers.Delivery as JSON,
// unsigned (the receiver's signature check is not what is measured).
type loadPush struct{}

func (loadPush) Provider() string                           { return "loadpush" }
func (loadPush) Verify(http.Header, []byte, []string) error { return nil }
func (loadPush) Parse(body []byte) (carriers.Delivery, error) {
	var d carriers.Delivery
	return d, json.Unmarshal(body, &d)
}
