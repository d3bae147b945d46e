package ui

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/wismo/wismo/store"
)

// paneModel runs one pane as a program would, so settle can drive it.
type paneModel struct{ Pane }

func (m paneModel) Init() tea.Cmd { return nil }

func (m paneModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	p, cmd := m.Pane.Update(msg)
	return paneModel{p}, cmd
}

func (m paneModel) View() tea.View { return tea.NewView(m.Pane.View()) }

// supervisorOn is the supervisor's pane over src at w×h, loaded.
func supervisorOn(t *testing.T, src Source, clk func() time.Time, w, h int) *supervisorPane {
	t.Helper()
	p := newSupervisorPane(src, clk, NewStyles(true))
	p.SetSize(w, h)
	settle(t, paneModel{p}, p.Reload())
	return p
}

// yesterday is a time on the day before the test clock's.
var yesterday = now.AddDate(0, 0, -1)

// smallPicture stores, yesterday: eight dhl parcels shipped, of which three
// were delivered on time, one late and one with no promise, and two
// exceptions; two ups parcels shipped, one exception; four text messages,
// one failed.
func smallPicture(t *testing.T, st *store.Store) {
	t.Helper()
	seedEach(t, st, 10, smallParcel)
	seedEach(t, st, 4, func(tx *store.Tx, i int) error { return settledMessage(tx, i, "sms", yesterday, i == 0) })
}

// seedEach stores what fn writes for 0 to n-1, in one transaction.
func seedEach(t testing.TB, st *store.Store, n int, fn func(*store.Tx, int) error) {
	t.Helper()
	err := st.Update(func(tx *store.Tx) error {
		for i := range n {
			if err := fn(tx, i); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func smallParcel(tx *store.Tx, i int) error {
	p := store.Parcel{Carrier: "dhl", TrackingNumber: fmt.Sprint("S", i), Order: fmt.Sprint(3000 + i),
		ShippedAt: yesterday.Add(-time.Hour), PromisedBy: yesterday}
	switch {
	case i < 3:
		p.DeliveredAt = yesterday
	case i == 3:
		p.DeliveredAt = now // the day after the promise
	case i == 4:
		p.DeliveredAt, p.PromisedBy = yesterday, time.Time{}
	case i >= 8:
		p.Carrier = "ups"
	}
	if err := tx.CreateParcel(&p); err != nil {
		return err
	}
	if i != 5 && i != 6 && i != 8 {
		return nil
	}
	kind := map[int]store.ExceptionKind{5: store.KindLost, 6: store.KindDelayed, 8: store.KindDelayed}[i]
	return tx.OpenException(&store.Exception{Parcel: p.ID, Kind: kind, OpenedAt: yesterday})
}

// settledMessage queues message i on channel and settles it at at: sent,
// or failed.
func settledMessage(tx *store.Tx, i int, channel string, at time.Time, failed bool) error {
	n := store.Notification{Order: fmt.Sprint(3000 + i), Channel: channel, To: "c@example.com", Text: "news", QueuedAt: at}
	if err := tx.Enqueue(&n); err != nil {
		return err
	}
	n.State, n.SentAt = store.NotifySent, at
	if failed {
		n.State, n.SentAt, n.NextAt = store.NotifyFailed, time.Time{}, at
	}
	return tx.PutNotification(n)
}

// The picture adds up what the store counted: totals per kind and
// carrier, the on-time share of judged deliveries, exceptions per parcel
// shipped, and failed messages of all.
func TestSupervisorShowsThePicture(t *testing.T) {
	st := openDeskWith(t, 0, 0)
	smallPicture(t, st)
	view := ansi.Strip(supervisorOn(t, st, clock, 98, 25).View())
	mustContain(t, view, "Opened by kind", "20 Feb", "05 Mar", "total", "Failed messages")
	for _, want := range [][]string{
		{"lost", "▁▁▁███▁▁▁", "1"}, // three cells a day, yesterday's the spike
		{"delayed", "2"},
		{"dhl", "8", "5", "75%", "25%"},
		{"ups", "2", "0", "—", "50%"},
		{"sms", "1 of 4 · 25%"},
		{"On time judges deliveries by the promise, else the first ETA; 1 had neither."},
	} {
		if !anyLine(view, want...) {
			t.Errorf("no line holds %q:\n%s", want, view)
		}
	}
}

// anyLine reports whether one line of s holds every one of wants, in
// order.
func anyLine(s string, wants ...string) bool {
	for _, l := range splitLines(s) {
		rest, ok := l, true
		for _, w := range wants {
			i := strings.Index(rest, w)
			if i < 0 {
				ok = false
				break
			}
			rest = rest[i+len(w):]
		}
		if ok {
			return true
		}
	}
	return false
}

// A fresh store says what it has not seen rather than drawing empty
// charts.
func TestSupervisorEmpty(t *testing.T) {
	view := ansi.Strip(supervisorOn(t, openDeskWith(t, 0, 0), clock, 98, 25).View())
	mustContain(t, view, "Nothing opened in these 14 days.", "No parcel shipped or delivered in these 14 days.",
		"No message sent or failed in these 14 days.")
}

// Changes during the cool-down after a load are loaded once, when it
// ends; with none, the next change loads at once.
func TestSupervisorCoalescesReloads(t *testing.T) {
	st := openDeskWith(t, 0, 0)
	smallPicture(t, st)
	p := supervisorOn(t, st, clock, 98, 25)
	first := tag{pane: p.id, gen: p.gen}
	if err := st.Update(func(tx *store.Tx) error { return settledMessage(tx, 9, "sms", yesterday, true) }); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, cmd := p.Update(changedMsg{}); cmd != nil {
			t.Fatal("a change during the cool-down loaded at once")
		}
	}
	if _, cmd := p.Update(coolMsg{tag{pane: p.id, gen: first.gen - 1}}); cmd != nil || !p.cooling {
		t.Fatal("a stale cool-down ended the current one")
	}
	_, cmd := p.Update(coolMsg{first})
	if cmd == nil {
		t.Fatal("the end of the cool-down did not load the changes")
	}
	settle(t, paneModel{p}, cmd)
	mustContain(t, ansi.Strip(p.View()), "2 of 5 · 40%")
	if _, cmd := p.Update(coolMsg{tag{pane: p.id, gen: p.gen}}); cmd != nil || p.cooling {
		t.Fatal("a cool-down without changes loaded again")
	}
	if _, cmd := p.Update(changedMsg{}); cmd == nil {
		t.Fatal("a change after the cool-down waited")
	}
}

// The days shown end on the pane's clock's day, and move on when its
// clock passes midnight, whether or not the store changed.
func TestSupervisorTurnsTheDay(t *testing.T) {
	st := openDeskWith(t, 0, 0)
	smallPicture(t, st)
	today := now
	p := supervisorOn(t, st, func() time.Time { return today }, 98, 25)
	p.Update(coolMsg{tag{pane: p.id, gen: p.gen}})
	if _, cmd := p.Update(tickMsg{now: now.Add(11 * time.Hour)}); cmd != nil {
		t.Fatal("a tick on the same day loaded")
	}
	today = now.Add(12 * time.Hour)
	_, cmd := p.Update(tickMsg{now: today})
	if cmd == nil {
		t.Fatal("midnight did not load the new day")
	}
	settle(t, paneModel{p}, cmd)
	mustContain(t, ansi.Strip(p.View()), "21 Feb", "06 Mar")
}

// A short pane cuts rows from its longest lists and says how many.
func TestSupervisorShort(t *testing.T) {
	st := openDeskWith(t, 0, 0)
	seedPicture(t, st)
	for _, h := range []int{14, 9, 3} {
		view := ansi.Strip(supervisorOn(t, st, clock, 98, h).View())
		if n := len(splitLines(view)); n > h {
			t.Errorf("height %d: %d lines:\n%s", h, n, view)
		}
		if h == 14 {
			mustContain(t, view, "more kinds", "Carriers", "Failed messages")
		}
	}
}

// A store that cannot be read is said so, in the pane.
func TestSupervisorLoadError(t *testing.T) {
	src := failingDaily{Source: openDeskWith(t, 0, 0)}
	view := ansi.Strip(supervisorOn(t, src, clock, 98, 25).View())
	mustContain(t, view, "Could not read the daily counts: disk on fire")
}

type failingDaily struct{ Source }

func (failingDaily) Daily(time.Time, time.Time) (store.DailyStats, error) {
	return store.DailyStats{}, errors.New("disk on fire")
}

// The supervisor's picture as a supervisor sees it on the desk: one
// column at 100×30, two at 160×50.
func TestSupervisorGolden(t *testing.T) {
	for _, size := range [][2]int{{100, 30}, {160, 50}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			st := openDeskWith(t, 0, 0)
			seedPicture(t, st)
			desk := start(t, st, size[0], size[1]).(Model)
			cmd := desk.push(newSupervisorPane(st, clock, desk.styles))
			view := screen(settle(t, desk, cmd))
			for i, l := range splitLines(view) {
				if w := ansi.StringWidth(l); w > size[0] {
					t.Errorf("line %d is %d wide: %q", i, w, l)
				}
			}
			golden.RequireEqual(t, []byte(view))
		})
	}
}

// pictureCarriers ship the larger picture's parcels, dhl the most.
var pictureCarriers = []string{"dhl", "dhl", "dhl", "ups", "ups", "dpd", "gls"}

// seedPicture stores two weeks of a busy desk: parcels shipped every day,
// most delivered within their promise, every fourth two days late, every
// fifth with no promise; an exception on every sixth and on some others;
// messages on three channels, some failing.
func seedPicture(t testing.TB, st *store.Store) {
	t.Helper()
	seedEach(t, st, 120, seedJourney)
	seedEach(t, st, 90, func(tx *store.Tx, i int) error {
		channel := []string{"email", "email", "sms", "whatsapp"}[i%4]
		return settledMessage(tx, i, channel, now.AddDate(0, 0, -(i%14)), i%7 == 2 || i%11 == 3)
	})
}

func seedJourney(tx *store.Tx, i int) error {
	shipped := now.AddDate(0, 0, -(i % 14)).Add(-time.Duration(i%5) * time.Hour)
	p := store.Parcel{Carrier: pictureCarriers[i%len(pictureCarriers)], TrackingNumber: fmt.Sprintf("PIC%05d", i),
		Order: fmt.Sprint(7000 + i), ShippedAt: shipped}
	if i%5 != 0 {
		p.PromisedBy = shipped.AddDate(0, 0, 2)
	}
	if at := shipped.AddDate(0, 0, 1+3*(i%4/3)); i%6 != 0 && !at.After(now) {
		p.DeliveredAt = at
	}
	if err := tx.CreateParcel(&p); err != nil {
		return err
	}
	if i%6 != 0 && i%9 != 4 {
		return nil
	}
	opened := shipped.Add(20 * time.Hour)
	if opened.After(now) {
		opened = now
	}
	return tx.OpenException(&store.Exception{Parcel: p.ID, Kind: store.Kinds[i%len(store.Kinds)], OpenedAt: opened})
}

// BenchmarkSupervisorView draws the two-column picture of a busy
// fortnight, as after every message while the pane is on top.
func BenchmarkSupervisorView(b *testing.B) {
	st, err := store.Open(b.TempDir()+"/wismo.db", store.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	seedPicture(b, st)
	p := newSupervisorPane(st, clock, NewStyles(true))
	p.SetSize(158, 45)
	stats, err := st.Daily(now.AddDate(0, 0, 1-statDays), now)
	if err != nil {
		b.Fatal(err)
	}
	p.Update(dailyMsg{tag: p.next(), stats: stats})
	b.ReportAllocs()
	for b.Loop() {
		_ = p.View()
	}
}
