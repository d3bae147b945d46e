package ui

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/wismo/wismo/store"
)

// The desk as a real program: the runtime runs the commands, including the
// blocking wait on the store's change signal, while a store write and an
// agent's keys arrive.
func TestProgramFlowWithLiveChange(t *testing.T) {
	st := openDesk(t, 30)
	ch, cancel := st.Subscribe()
	defer cancel()
	seen := make(chan tea.Msg, 256)
	watch := func(_ tea.Model, msg tea.Msg) tea.Msg {
		switch msg := msg.(type) {
		case reloadMsg: // a reload's window, with its tab counts
			seen <- msg.rows
		case changedMsg: // a change, with the header's counts
			if msg.counts != nil {
				seen <- *msg.counts
			}
		case exceptionsMsg, countsMsg, searchMsg, orderMsg, parcelMsg:
			seen <- msg
		}
		return msg
	}
	tm := teatest.NewTestModel(t, New(st, clock, ch),
		teatest.WithInitialTermSize(100, 30), teatest.WithProgramOptions(tea.WithFilter(watch)))

	await(t, seen, func(m tea.Msg) bool { e, ok := m.(exceptionsMsg); return ok && len(e.rows) == 7 })
	err := st.Update(func(tx *store.Tx) error {
		e := store.Exception{Parcel: 20, Order: "1015", Kind: store.KindLost, OpenedAt: now.Add(-90 * time.Hour)}
		return tx.OpenException(&e)
	})
	if err != nil {
		t.Fatal(err)
	}
	// The header's counts load beside the list: either may come first.
	var rows, counts bool
	await(t, seen, func(m tea.Msg) bool {
		switch m := m.(type) {
		case exceptionsMsg:
			rows = rows || len(m.rows) == 8
		case countsMsg:
			counts = counts || m.counts[store.KindLost] == 2
		}
		return rows && counts
	})

	tm.Type("/1004")
	await(t, seen, func(m tea.Msg) bool { s, ok := m.(searchMsg); return ok && s.query == "1004" && len(s.hits) == 1 })
	tm.Send(keyPress("enter"))
	await(t, seen, func(m tea.Msg) bool { _, ok := m.(orderMsg); return ok })
	tm.Send(keyPress("enter"))
	await(t, seen, func(m tea.Msg) bool { _, ok := m.(parcelMsg); return ok })
	tm.Send(keyPress("esc"))
	await(t, seen, func(m tea.Msg) bool { _, ok := m.(orderMsg); return ok })
	tm.Send(keyPress("q"))

	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	if got := final.top().Title(); got != "Order 1004" {
		t.Errorf("ended on %q, want the order", got)
	}
	mustContain(t, screen(final), "8 open", "lost 2", "Karl Schröder")
}

// await reads seen until a message satisfies ok.
func await(t *testing.T, seen <-chan tea.Msg, ok func(tea.Msg) bool) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case m := <-seen:
			if ok(m) {
				return
			}
		case <-deadline:
			t.Fatal("the awaited message never came")
		}
	}
}
