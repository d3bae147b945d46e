package ui

import (
	"errors"
	"fmt"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// parcelPaneStub is a pane with a parcel selected, as the exceptions,
// order and parcel panes have.
type parcelPaneStub struct {
	recorder
	carrier, number string
}

func (p *parcelPaneStub) TrackedParcel() (string, string, bool) {
	return p.carrier, p.number, p.number != ""
}

// withParcel stacks a pane whose selected parcel is carrier's number.
func withParcel(m tea.Model, carrier, number string) tea.Model {
	desk := m.(Model)
	desk.stack = append(desk.stack, &parcelPaneStub{recorder: recorder{loads: newLoads()}, carrier: carrier, number: number})
	return desk
}

// y hands the terminal the tracking number through OSC 52 and says so
// until the next key.
func TestCopyTrackingNumber(t *testing.T) {
	m := withParcel(start(t, openDesk(t, 3), 100, 30), "ups", "1Z999AA10123456784")
	m, cmd := m.Update(keyPress("y"))
	if cmd == nil {
		t.Fatal("y gave no command")
	}
	msg := cmd()
	if got := fmt.Sprintf("%T", msg); got != "tea.setClipboardMsg" {
		t.Errorf("y's command gives %s, want tea's clipboard message", got)
	}
	if got := fmt.Sprint(msg); got != "1Z999AA10123456784" {
		t.Errorf("y copies %q", got)
	}
	mustContain(t, screen(m), "Copied 1Z999AA10123456784 to the clipboard")
	m = press(t, m, "down")
	if s := screen(m); containsAll(s, "Copied") {
		t.Errorf("the confirmation outlived the next key:\n%s", s)
	}
}

// o opens the carrier's page with the opener the desk was given and shows
// the address; an opener that fails says so, address and all.
func TestOpenTrackingPage(t *testing.T) {
	const page = "https://www.ups.com/track?tracknum=1Z999AA10123456784"
	var opened []string
	open := func(url string) error {
		opened = append(opened, url)
		return nil
	}
	m := withParcel(start(t, openDesk(t, 3), 100, 30, func(m Model) Model { return m.WithOpener(open) }),
		"ups", "1Z999AA10123456784")
	m, cmd := m.Update(keyPress("o"))
	mustContain(t, screen(m), "Tracking page: "+page)
	if len(opened) != 0 {
		t.Fatal("o opened the page in Update, not in its command")
	}
	if msg := cmd(); msg != nil || len(opened) != 1 || opened[0] != page {
		t.Errorf("o's command gave %v and opened %q", msg, opened)
	}

	broken := func(string) error { return errors.New("exec: \"xdg-open\": executable file not found in $PATH") }
	m = withParcel(start(t, openDesk(t, 3), 100, 30, func(m Model) Model { return m.WithOpener(broken) }),
		"ups", "1Z999AA10123456784")
	m = press(t, m, "o")
	mustContain(t, screen(m), "Error: could not open "+page+" in a browser")

	// Over SSH there is no browser near the agent: the address is all.
	m = withParcel(start(t, openDesk(t, 3), 100, 30, func(m Model) Model { return m.WithOpener(nil) }),
		"dhl", "00340434161094015902")
	m = press(t, m, "o")
	mustContain(t, screen(m), "Tracking page: https://www.dhl.com/")
}

// Where no parcel is selected, or the carrier has no public page, y and o
// say why and do nothing.
func TestCopyAndOpenWithoutParcel(t *testing.T) {
	for name, m := range map[string]tea.Model{
		"feed view":     press(t, start(t, openDesk(t, 3), 100, 30), "F"),
		"empty pane":    withParcel(start(t, openDesk(t, 3), 100, 30), "ups", ""),
		"no page known": withParcel(start(t, openDesk(t, 3), 100, 30), "acme", "A1"),
	} {
		for _, k := range []string{"y", "o"} {
			got, cmd := m.Update(keyPress(k))
			if k == "y" && name == "no page known" {
				continue // copying needs no page
			}
			if cmd != nil {
				t.Errorf("%s: %s gave a command", name, k)
			}
			if got.(Model).err == nil {
				t.Errorf("%s: %s gave no reason", name, k)
			}
		}
	}
	m := press(t, withParcel(start(t, openDesk(t, 3), 100, 30), "acme", "A1"), "o")
	mustContain(t, screen(m), "Error: wismo knows no public tracking page for acme parcels")
}

// The full help lists y and o only where they work.
func TestHelpListsCopyWhereItWorks(t *testing.T) {
	m := press(t, start(t, openDesk(t, 3), 100, 30), "F", "?")
	if containsAll(screen(m), "copy tracking number") {
		t.Error("help lists y on the feed view, which has no parcels")
	}
	m = withParcel(m, "ups", "1Z999AA10123456784")
	m = settle(t, m, func() tea.Msg { return tea.WindowSizeMsg{Width: 100, Height: 30} })
	mustContain(t, screen(m), "y copy tracking number", "o open tracking page")
}

// On the exceptions list, y copies the selected exception's parcel.
func TestCopyFromExceptions(t *testing.T) {
	m := start(t, openDesk(t, 30), 100, 30)
	_, cmd := m.Update(keyPress("y"))
	if cmd == nil {
		t.Fatal("y on the exceptions list gave no command")
	}
	if got := fmt.Sprint(cmd()); got != "00340430000000001001" {
		t.Errorf("y copies %q, want the lost parcel of 1001", got)
	}
}

// On an order, y copies the selected parcel's number; on a timeline, the
// parcel's.
func TestCopyFromOrderAndParcel(t *testing.T) {
	m := press(t, openOrder(t, start(t, openDesk(t, 30), 100, 30), "1002"), "down")
	_, cmd := m.Update(keyPress("y"))
	if cmd == nil || fmt.Sprint(cmd()) != "00340431000000001002" {
		t.Fatalf("y on order 1002's second parcel copies %v", cmd)
	}
	m = press(t, m, "enter")
	_, cmd = m.Update(keyPress("y"))
	if cmd == nil || fmt.Sprint(cmd()) != "00340431000000001002" {
		t.Fatal("y on the parcel's timeline does not copy its number")
	}
}
