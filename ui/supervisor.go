package ui

import (
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/wismo/wismo/store"
)

// statDays is how many days the supervisor's picture covers, today
// included.
const statDays = 14

// coolDown is the least time between two loads the store's changes ask
// for. The picture moves by the day: on a busy desk a reload per commit
// would redraw the same charts many times a second.
const coolDown = 2 * time.Second

// wideWidth is the least width laid out in two columns: two chart columns
// of 64 cells and the gutter between them.
const wideWidth = 132

// supervisorPane is the supervisor's picture of the last two weeks:
// exceptions opened by kind and by carrier, each carrier's deliveries on
// time and exception rate, and notifications that failed. It reads the
// store's daily counts, so it costs the same on a store of any size.
type supervisorPane struct {
	loads
	src    Source
	now    func() time.Time
	styles *Styles

	stats store.DailyStats
	err   error
	ready bool
	// cooling is true until coolDown has passed since the last load; a
	// change meanwhile marks the picture stale, and it is loaded again when
	// the cool-down ends.
	cooling, stale bool
	width, height  int
}

// dailyMsg carries the daily counts of the days shown.
type dailyMsg struct {
	tag
	stats store.DailyStats
	err   error
}

// coolMsg ends the cool-down that began with the load of its tag.
type coolMsg struct{ tag }

// newSupervisorPane shows the supervisor's picture from src, its days
// ending on the day now says it is (the simulated clock in the demo).
func newSupervisorPane(src Source, now func() time.Time, styles *Styles) *supervisorPane {
	return &supervisorPane{loads: newLoads(), src: src, now: now, styles: styles}
}

func (p *supervisorPane) Title() string { return "Supervisor" }

// ShortHelp is empty: the picture has nothing to select, and it follows
// the store by itself.
func (p *supervisorPane) ShortHelp() []key.Binding { return nil }

func (p *supervisorPane) FullHelp() [][]key.Binding { return nil }

func (p *supervisorPane) SetSize(w, h int) { p.width, p.height = w, h }

// Reload loads the picture now and starts a cool-down: changes until it
// ends are loaded once, when it ends.
func (p *supervisorPane) Reload() tea.Cmd {
	t, src, now := p.loads.next(), p.src, p.now
	p.cooling, p.stale = true, false
	load := func() tea.Msg {
		to := now()
		stats, err := src.Daily(to.AddDate(0, 0, 1-statDays), to)
		return dailyMsg{tag: t, stats: stats, err: err}
	}
	return tea.Batch(load, tea.Tick(coolDown, func(time.Time) tea.Msg { return coolMsg{t} }))
}

func (p *supervisorPane) Update(msg tea.Msg) (Pane, tea.Cmd) {
	switch msg := msg.(type) {
	case dailyMsg:
		if p.current(msg.tag) {
			p.ready, p.stats, p.err = true, msg.stats, msg.err
		}
	case coolMsg:
		if p.current(msg.tag) {
			p.cooling = false
			if p.stale {
				return p, p.Reload()
			}
		}
	case changedMsg:
		return p, p.refresh()
	case tickMsg:
		// A new day starts a new column even when nothing was written.
		if p.ready && p.err == nil && !msg.now.Before(p.stats.From.AddDate(0, 0, p.stats.Days)) {
			return p, p.refresh()
		}
	}
	return p, nil
}

// refresh loads the picture again, at once or, during a cool-down, when
// it ends.
func (p *supervisorPane) refresh() tea.Cmd {
	if p.cooling {
		p.stale = true
		return nil
	}
	return p.Reload()
}

func (p *supervisorPane) View() string {
	switch {
	case p.err != nil:
		return p.styles.ErrorMsg.Render("Could not read the daily counts: " + p.err.Error())
	case !p.ready:
		return p.styles.Empty.Render("Loading the supervisor's picture…")
	}
	if p.width < wideWidth {
		return fitSections(p.styles, p.sections(p.width), p.height)
	}
	gutter := p.styles.Gutter.GetHorizontalFrameSize()
	colWidth := (p.width - gutter) / 2
	all := p.sections(colWidth)
	return besides(fitSections(p.styles, all[:2], p.height), fitSections(p.styles, all[2:], p.height), colWidth+gutter)
}
