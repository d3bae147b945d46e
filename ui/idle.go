package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

// WithIdleTimeout ends the desk once nobody has typed, clicked or pasted
// in it for d, by the wall clock, calling ended first so whoever serves it
// can say why. A desk that only redraws (its clock, new exceptions) is
// idle. Zero keeps the desk open.
func (m Model) WithIdleTimeout(d time.Duration, ended func()) Model {
	m.idleAfter, m.idled, m.lastInput = d, ended, m.wallClock()()
	return m
}

// noteInput records that the agent did something.
func (m *Model) noteInput(msg tea.Msg) {
	if m.idleAfter <= 0 {
		return
	}
	switch msg.(type) {
	case tea.KeyPressMsg, tea.PasteMsg, tea.MouseMsg:
		m.lastInput = m.wallClock()()
	}
}

// idleEnd ends the desk if it has been idle too long.
func (m *Model) idleEnd() tea.Cmd {
	if m.idleAfter <= 0 || m.wallClock()().Sub(m.lastInput) < m.idleAfter {
		return nil
	}
	if m.idled != nil {
		m.idled()
	}
	return tea.Quit
}
