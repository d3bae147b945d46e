package ui

import (
	"math/rand/v2"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/wismo/wismo/tracker"
)

// What the storm's paths wait for: order 1004's first parcel on its
// order, and a row on the exceptions list (every parcel's number starts
// so).
const parcel1004, listed = "00340430000000001004", "003404"

// stormKeys is how many inputs the storm sends, shared among its rounds.
const stormKeys = 2000

// stormRounds start a fresh desk on each pane before its share of the
// storm. A path is keys to press; "@Title" waits until that pane is on
// top.
var stormRounds = []struct {
	name string
	path []string
}{
	{"exceptions", []string{"@Exceptions"}},
	{"filter", []string{"@Exceptions", "f"}},
	{"command", []string{"@Exceptions", ":"}},
	{"search", []string{"/", "@Search"}},
	{"order", []string{"/", "1004", "enter", "@Order 1004"}},
	{"parcel", []string{"/", "1004", "enter", "@Order 1004", "=" + parcel1004, "enter", "@Parcel"}},
	{"resend", []string{"/", "1004", "enter", "@Order 1004", "=" + parcel1004, "n", "@Resend"}},
	{"outbox", []string{"O", "@Outbox"}},
	{"feeds", []string{"F", "@Feeds"}},
	{"supervisor", []string{"P", "@Supervisor"}},
	{"assign", []string{"=" + listed, "A", "@Assign"}},
	{"snooze", []string{"=" + listed, "z", "@Snooze"}},
	{"resolve", []string{"=" + listed, "r", "@Resolve"}},
	{"comment", []string{"=" + listed, "c", "@Comment"}},
}

// A storm of random input on every pane of a desk that can act: keys,
// ctrl and alt chords, pastes of anything, clicks and wheel turns
// anywhere, resizes down to nothing. The program must never panic (it
// catches one anywhere and ends with ErrProgramPanic), and afterwards the
// desk still draws and quits. Quits the storm presses are held.
func TestProgramKeyStorm(t *testing.T) {
	st := openDeskWith(t, 200, 100)
	tr := tracker.New(st, nil, clock, tracker.Config{}, nil)
	rng := rand.New(rand.NewPCG(6, 2026))
	for _, round := range stormRounds {
		t.Run(round.name, func(t *testing.T) {
			changes, cancel := st.Subscribe()
			defer cancel()
			desk := New(st, clock, changes).WithActions(tr).WithAgent("ana").WithOpener(nil)
			d := runDesk(t, desk, 100, 30)
			d.follow(t, round.path)
			d.holdQuit.Store(true)
			for range stormKeys / len(stormRounds) {
				d.p.Send(stormInput(rng))
			}
			d.holdQuit.Store(false)
			d.p.Send(tea.WindowSizeMsg{Width: 100, Height: 30})
			d.await(t, []string{"wismo"})
			d.p.Quit()
			d.finish(t)
		})
	}
}

// follow presses a round's path, waiting where it says.
func (d *liveDesk) follow(t *testing.T, path []string) {
	t.Helper()
	for _, step := range path {
		if title, ok := strings.CutPrefix(step, "@"); ok {
			d.awaitTop(t, title)
		} else if text, ok := strings.CutPrefix(step, "="); ok {
			d.await(t, []string{text})
		} else {
			d.keys(step)
		}
	}
}

// stormInput is one random input, as a terminal could send it.
func stormInput(rng *rand.Rand) tea.Msg {
	switch n := rng.IntN(100); {
	case n < 40:
		r := stormRunes[rng.IntN(len(stormRunes))]
		return tea.KeyPressMsg{Code: r, Text: string(r)}
	case n < 70:
		return stormNamed[rng.IntN(len(stormNamed))]
	case n < 75:
		return stormChord(rng)
	case n < 87:
		return stormMouse(rng)
	case n < 95:
		return tea.PasteMsg{Content: stormPaste(rng)}
	default:
		return tea.WindowSizeMsg{Width: rng.IntN(200), Height: rng.IntN(60)}
	}
}

// stormRunes are the letters the storm types: every single-letter key
// the desk binds, digits for views and numbers, and text beyond ASCII.
var stormRunes = []rune("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/?:#@.,-+_ üßé€中😀")

// stormNamed are the named keys the storm presses.
var stormNamed = []tea.KeyPressMsg{
	{Code: tea.KeyEnter}, {Code: tea.KeyEscape}, {Code: tea.KeyTab}, {Code: tea.KeyTab, Mod: tea.ModShift},
	{Code: tea.KeyUp}, {Code: tea.KeyDown}, {Code: tea.KeyLeft}, {Code: tea.KeyRight},
	{Code: tea.KeyPgUp}, {Code: tea.KeyPgDown}, {Code: tea.KeyHome}, {Code: tea.KeyEnd},
	{Code: tea.KeyBackspace}, {Code: tea.KeyDelete}, {Code: tea.KeySpace, Text: " "}, {Code: tea.KeyF1},
}

// stormChord is a ctrl or alt chord on a letter.
func stormChord(rng *rand.Rand) tea.KeyPressMsg {
	mod := []tea.KeyMod{tea.ModCtrl, tea.ModAlt, tea.ModCtrl | tea.ModShift}[rng.IntN(3)]
	return tea.KeyPressMsg{Code: 'a' + rune(rng.IntN(26)), Mod: mod}
}

// stormMouse is a click, release, wheel turn or motion anywhere on a
// screen up to 200×60, the largest the storm resizes to.
func stormMouse(rng *rand.Rand) tea.Msg {
	m := tea.Mouse{X: rng.IntN(200), Y: rng.IntN(60)}
	switch rng.IntN(4) {
	case 0:
		m.Button = []tea.MouseButton{tea.MouseLeft, tea.MouseRight, tea.MouseMiddle}[rng.IntN(3)]
		return tea.MouseClickMsg(m)
	case 1:
		return tea.MouseReleaseMsg(m)
	case 2:
		m.Button = []tea.MouseButton{tea.MouseWheelUp, tea.MouseWheelDown, tea.MouseWheelLeft, tea.MouseWheelRight}[rng.IntN(4)]
		return tea.MouseWheelMsg(m)
	}
	return tea.MouseMotionMsg(m)
}

// stormPastes are pastes an agent could make, and some no one should.
var stormPastes = []string{
	"1001", "#1004\n", "00340430000000001001\n00340430000000001002, 00340431000000001002",
	"  ", "\n\n\n", "c3@example.com", "+49 170 1234567", "Müller", "\x1b[31mred\x1b[0m",
	"\x00\x01\x02\t\r\n", "\xff\xfe not utf-8", strings.Repeat("1Z999AA10123456784 ", 300),
}

// stormPaste is one of stormPastes or up to 3,000 random runes.
func stormPaste(rng *rand.Rand) string {
	if rng.IntN(2) == 0 {
		return stormPastes[rng.IntN(len(stormPastes))]
	}
	var b strings.Builder
	for range rng.IntN(3000) {
		b.WriteRune(rune(rng.IntN(0x3000)))
	}
	return b.String()
}
