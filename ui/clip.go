package ui

import (
	"errors"
	"fmt"
	"io"
	"sync"

	tea "charm.land/bubbletea/v2"
	"github.com/cli/browser"

	"github.com/wismo/wismo/tracker"
)

// tracked is a pane that has a parcel selected: y copies its tracking
// number and o opens its carrier's tracking page. ok is false while
// nothing is selected.
type tracked interface {
	TrackedParcel() (carrier, tracking string, ok bool)
}

// infoMsg is news for the status line that is no error: it shows, subtle,
// until the next key.
type infoMsg struct{ text string }

// errNoParcel answers y and o where no parcel is selected.
var errNoParcel = errors.New("no parcel selected here: y and o work on a selected parcel or exception")

// WithOpener has o open tracking pages with open instead of the system's
// browser (the desk over SSH has none near the agent). A nil open makes o
// only show the page's address, which it always does.
func (m Model) WithOpener(open func(url string) error) Model {
	if open == nil {
		open = func(string) error { return nil }
	}
	m.opener = open
	return m
}

// selectedParcel is the pane's selected parcel, if it has one.
func selectedParcel(p Pane) (carrier, number string, ok bool) {
	t, isTracked := p.(tracked)
	if !isTracked {
		return "", "", false
	}
	return t.TrackedParcel()
}

// copyTracking puts the selected parcel's tracking number on the
// clipboard. OSC 52 asks the agent's own terminal to do it, so it works
// over SSH too.
func (m *Model) copyTracking() tea.Cmd {
	_, number, ok := selectedParcel(m.top())
	if !ok {
		m.err = errNoParcel
		return nil
	}
	m.info = "Copied " + number + " to the clipboard"
	return tea.SetClipboard(number)
}

// openTracking opens the carrier's public tracking page and shows its
// address: over SSH the browser, if any, is on the desk's machine, and the
// agent needs the address to open it at their own.
func (m *Model) openTracking() tea.Cmd {
	carrier, number, ok := selectedParcel(m.top())
	if !ok {
		m.err = errNoParcel
		return nil
	}
	url := tracker.TrackingURL(carrier, number)
	if url == "" {
		m.err = fmt.Errorf("wismo knows no public tracking page for %s parcels", carrier)
		return nil
	}
	m.info = "Tracking page: " + url
	open := m.opener
	if open == nil {
		open = openInBrowser
	}
	return func() tea.Msg {
		if err := open(url); err != nil {
			return errMsg{fmt.Errorf("could not open %s in a browser: %w", url, err)}
		}
		return nil
	}
}

// quietBrowser silences the browser launchers once: xdg-open and its kin
// must not write over the desk's screen.
var quietBrowser sync.Once

// openInBrowser opens url in the system's browser.
func openInBrowser(url string) error {
	quietBrowser.Do(func() { browser.Stdout, browser.Stderr = io.Discard, io.Discard })
	return browser.OpenURL(url)
}
