package tracker

import (
	"context"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/wismo/wismo/carriers"
)

func TestRunStopsWhenCancelled(t *testing.T) {
	st := openStore(t)
	f, _, tr, _ := polling(t, st, t0.Add(2*time.Hour))
	tr.cfg.Tick, tr.cfg.SweepEvery = time.Millisecond, time.Millisecond
	addParcel(t, st, "JJD1", t0)
	f.set("JJD1", http.StatusOK, dhlBody(t, "JJD1", scan(time.Hour, "transit", "Picked up")))
	changed, stop := st.Subscribe()
	defer stop()

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		tr.Run(ctx)
	}()
	select { // it works before it is stopped: the due parcel gets polled
	case <-changed:
	case <-time.After(10 * time.Second):
		t.Fatal("Run polled nothing in 10 s")
	}
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Run still running 10 s after cancel")
	}
}

// A Config with fields left zero gets the defaults for them: zero workers
// would block every poll round and a zero tick would panic in Run.
func TestZeroConfigFieldsTakeDefaults(t *testing.T) {
	st := openStore(t)
	f := newDHLFeed(t)
	clk := newClock(t0.Add(2 * time.Hour))
	tr := New(st, []carriers.Tracker{f.client()}, clk.Now, Config{StallAfter: time.Hour}, nil)
	want := DefaultConfig()
	want.StallAfter = time.Hour
	if !reflect.DeepEqual(tr.cfg, want) {
		t.Errorf("cfg = %+v, want %+v", tr.cfg, want)
	}
	addParcel(t, st, "JJD1", t0)
	f.set("JJD1", http.StatusInternalServerError, "") // a failure is logged
	done := make(chan int)
	go func() {
		n, _ := tr.PollDue(context.Background())
		done <- n
	}()
	select {
	case n := <-done:
		if n != 1 {
			t.Errorf("polled %d, want 1", n)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("PollDue with a zero-worker config did not return in 10 s")
	}
}
