package ui

import (
	"image/color"
	"sync/atomic"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/table"
	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"

	"github.com/wismo/wismo/store"
)

// Theme is the palette by role. Panes never name a colour, only a role.
type Theme struct {
	Text, Subtle, Accent, OK, Warn, Error, Critical, Border color.Color
}

// NewTheme picks each role's colour for a light or dark background.
func NewTheme(isDark bool) Theme {
	ld := lipgloss.LightDark(isDark)
	return Theme{
		Text:     ld(lipgloss.Color("#1F1F1F"), lipgloss.Color("#E4E4E4")),
		Subtle:   ld(lipgloss.Color("#7A7A7A"), lipgloss.Color("#8A8A8A")),
		Accent:   ld(lipgloss.Color("#5A3FD6"), lipgloss.Color("#9E8CFF")),
		OK:       ld(lipgloss.Color("#1A7F37"), lipgloss.Color("#56D364")),
		Warn:     ld(lipgloss.Color("#9A6700"), lipgloss.Color("#E8B931")),
		Error:    ld(lipgloss.Color("#C4432B"), lipgloss.Color("#FF8A65")),
		Critical: ld(lipgloss.Color("#B00020"), lipgloss.Color("#FF4D6A")),
		Border:   ld(lipgloss.Color("#C8C8C8"), lipgloss.Color("#444444")),
	}
}

// Styles are every style the UI draws with, built once per theme.
type Styles struct {
	Theme    Theme
	App      lipgloss.Style
	Title    lipgloss.Style
	Crumb    lipgloss.Style
	CrumbSep lipgloss.Style
	Header   lipgloss.Style
	Count    lipgloss.Style
	Footer   lipgloss.Style
	ErrorMsg lipgloss.Style
	Label    lipgloss.Style
	Value    lipgloss.Style
	Subtle   lipgloss.Style
	Gutter   lipgloss.Style
	Empty    lipgloss.Style
	Severity map[store.Severity]lipgloss.Style
	// State colours a notification by where it is on its way out.
	State map[store.NotificationState]lipgloss.Style
	// Section heads a list under a detail block.
	Section lipgloss.Style
	// Focused marks the dialog field that has the keyboard.
	Focused lipgloss.Style
	// Chart draws sparklines and bars; Good marks a rate that needs no
	// attention.
	Chart lipgloss.Style
	Good  lipgloss.Style
	// Dialog frames the resend dialog.
	Dialog lipgloss.Style
	// Tab is a view's tab over the exceptions; ActiveTab the one shown.
	Tab, ActiveTab lipgloss.Style
	Table          table.Styles
	// TableBlurred is a table that does not have the keyboard: its
	// selected row is only marked, not highlighted.
	TableBlurred table.Styles
	Help         help.Styles
	Input        textinput.Styles
	// drawn tells one set of styles from another, so a part of the screen
	// drawn with the old theme's is drawn again with the new one's.
	drawn uint64
}

// themes counts the styles built, to tell them apart.
var themes atomic.Uint64

// NewStyles builds the styles for a light or dark terminal.
func NewStyles(isDark bool) *Styles {
	t := NewTheme(isDark)
	base := lipgloss.NewStyle().Foreground(t.Text)
	tableHeader := lipgloss.NewStyle().Bold(true).Foreground(t.Subtle).Padding(0, 1).
		BorderStyle(lipgloss.NormalBorder()).BorderBottom(true).BorderForeground(t.Border)
	s := &Styles{
		drawn:    themes.Add(1),
		Theme:    t,
		App:      lipgloss.NewStyle().Padding(0, 1),
		Title:    lipgloss.NewStyle().Bold(true).Foreground(t.Accent),
		Crumb:    base.Bold(true),
		CrumbSep: lipgloss.NewStyle().Foreground(t.Subtle),
		Header:   lipgloss.NewStyle().BorderStyle(lipgloss.NormalBorder()).BorderBottom(true).BorderForeground(t.Border),
		Count:    lipgloss.NewStyle().Foreground(t.Subtle),
		Footer:   lipgloss.NewStyle().BorderStyle(lipgloss.NormalBorder()).BorderTop(true).BorderForeground(t.Border),
		ErrorMsg: lipgloss.NewStyle().Foreground(t.Error).Bold(true),
		Label:    lipgloss.NewStyle().Foreground(t.Subtle),
		Value:    base,
		Subtle:   lipgloss.NewStyle().Foreground(t.Subtle),
		Gutter:   lipgloss.NewStyle().PaddingRight(4),
		Empty:    lipgloss.NewStyle().Foreground(t.Subtle).Italic(true).Padding(1, 2),
		Severity: map[store.Severity]lipgloss.Style{
			store.SeverityCritical: lipgloss.NewStyle().Foreground(t.Critical).Bold(true),
			store.SeverityHigh:     lipgloss.NewStyle().Foreground(t.Error),
			store.SeverityMedium:   lipgloss.NewStyle().Foreground(t.Warn),
			store.SeverityLow:      lipgloss.NewStyle().Foreground(t.Subtle),
		},
		State: map[store.NotificationState]lipgloss.Style{
			store.NotifyQueued:  lipgloss.NewStyle().Foreground(t.Warn),
			store.NotifySending: lipgloss.NewStyle().Foreground(t.Accent),
			store.NotifySent:    lipgloss.NewStyle().Foreground(t.OK),
			store.NotifyFailed:  lipgloss.NewStyle().Foreground(t.Error).Bold(true),
		},
		Section: lipgloss.NewStyle().Bold(true).Foreground(t.Subtle),
		Focused: lipgloss.NewStyle().Bold(true).Foreground(t.Accent),
		Chart:   lipgloss.NewStyle().Foreground(t.Accent),
		Good:    lipgloss.NewStyle().Foreground(t.OK),
		Dialog: lipgloss.NewStyle().BorderStyle(lipgloss.RoundedBorder()).BorderForeground(t.Accent).
			Padding(0, 1),
		Tab:       lipgloss.NewStyle().Foreground(t.Subtle),
		ActiveTab: lipgloss.NewStyle().Bold(true).Foreground(t.Accent).Underline(true),
		Table: table.Styles{
			Header:   tableHeader,
			Cell:     lipgloss.NewStyle().Padding(0, 1),
			Selected: lipgloss.NewStyle().Bold(true).Foreground(t.Text).Reverse(true),
		},
		TableBlurred: table.Styles{
			Header:   tableHeader,
			Cell:     lipgloss.NewStyle().Padding(0, 1),
			Selected: lipgloss.NewStyle().Bold(true),
		},
		Help:  help.DefaultStyles(isDark),
		Input: textinput.DefaultStyles(isDark),
	}
	return s
}
