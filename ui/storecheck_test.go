package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/wismo/wismo/store"
	"github.com/wismo/wismo/tracker"
)

// checkedSource is a store whose checks stand where status says.
type checkedSource struct {
	*store.Store
	status *store.CheckStatus
}

func (c checkedSource) CheckStatus() store.CheckStatus { return *c.status }

// While a check runs the feed view says how far it is; once it finds the
// store damaged, every screen says so, from the next tick on, and the feed
// view names the first problem.
func TestStoreChecksAreToldWhereOperatorsLook(t *testing.T) {
	st := openDesk(t, 10)
	status := store.CheckStatus{UncleanStop: true, Running: true, Why: "after an unclean stop",
		Started: now, Checked: 370, Pages: 1000}
	health := fabricatedHealth()
	m := startOver(t, checkedSource{st, &status}, st, 120, 30, withHealth(&health))
	if strings.Contains(screen(m), "store is damaged") {
		t.Fatalf("a store being checked is called damaged:\n%s", screen(m))
	}
	m = press(t, m, "F")
	mustContain(t, screen(m), "Store: checking after an unclean stop, 37% of 1000 pages")

	status = store.CheckStatus{Damaged: true, Finished: now, Took: time.Second,
		Last: store.Report{Problems: []string{"page 994: says it is page 7", "page 11: neither in use nor free"}}}
	m = tick(t, m)
	mustContain(t, screen(m), "The store is damaged: nothing can be saved", "Store DAMAGED: 2 problems (first: page 994")
	m = press(t, m, "esc")
	mustContain(t, screen(m), "The store is damaged: nothing can be saved")
	lines := splitLines(screen(m))
	if !strings.Contains(lines[2], "The store is damaged") {
		t.Errorf("the warning is not the header's third line:\n%s", screen(m))
	}
}

// A check that found the store consistent says when, and how big.
func TestAConsistentCheckIsDated(t *testing.T) {
	st := openDesk(t, 10)
	status := store.CheckStatus{Why: "scheduled", Finished: now, Took: 1500 * time.Millisecond,
		Last: store.Report{Size: 64 << 20}}
	health := []tracker.FeedHealth{}
	m := press(t, startOver(t, checkedSource{st, &status}, st, 120, 30, withHealth(&health)), "F")
	mustContain(t, screen(m), "Store: consistent, checked scheduled at Thu 12:00 (64 MiB, 1.5s)")
}
