package ui

// The root's drawing: the frame around the top pane, and the help.

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/wismo/wismo/store"
)

// View draws the header, the top pane and the footer.
func (m Model) View() tea.View {
	var v tea.View
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "wismo — " + m.top().Title()
	switch {
	case m.width == 0:
		v.SetContent("")
	case m.width < minWidth || m.height < minHeight:
		v.SetContent(fmt.Sprintf("Terminal too small: wismo needs %d×%d, this one is %d×%d.\nEnlarge the window, or press q to quit.",
			minWidth, minHeight, m.width, m.height))
	default:
		v.SetContent(m.frame())
	}
	return v
}

// frame lays the header, the top pane and the footer out in the app's
// padding. The pane fills its height, so the footer stays at the bottom
// whatever the pane draws. Lines are joined and indented by hand: this
// runs on every key, and padding a whole screen through a style costs
// more than the rest of the frame.
func (m Model) frame() string {
	header, footer := m.header(), m.footer()
	h := max(m.height-m.styles.App.GetVerticalFrameSize()-lipgloss.Height(header)-lipgloss.Height(footer), 1)
	body := clampLines(m.top().View(), h)
	body += strings.Repeat("\n", h-lipgloss.Height(body))
	indent := strings.Repeat(" ", m.styles.App.GetPaddingLeft())
	var b strings.Builder
	for i, part := range []string{header, body, footer} {
		for j, line := range strings.Split(part, "\n") {
			if i+j > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(indent)
			b.WriteString(line)
		}
	}
	return b.String()
}

// header shows where the agent is and the live exception counts.
func (m Model) header() string {
	titles := make([]string, len(m.stack))
	for i, p := range m.stack {
		titles[i] = p.Title()
	}
	key := headerKey{styles: m.styles.drawn, width: m.width, crumbs: strings.Join(titles, "\x00"),
		minute: m.clock.Unix() / 60, noClock: m.clock.IsZero(), counts: m.countsSeen, feeds: m.feedsSeen, damage: m.damageSeen}
	return m.memos.header.get(key, func() string { return m.drawHeader(titles) })
}

// drawHeader draws the header over the panes titled titles.
func (m Model) drawHeader(titles []string) string {
	w := m.width - m.styles.App.GetHorizontalFrameSize()
	crumbs := make([]string, len(titles))
	for i, t := range titles {
		crumbs[i] = m.styles.Crumb.Render(t)
	}
	left := m.styles.Title.Render("wismo") + "  " + strings.Join(crumbs, m.styles.CrumbSep.Render(" › "))
	right := m.styles.Subtle.Render(m.clock.UTC().Format("Mon 02 Jan 15:04 UTC"))
	if m.clock.IsZero() {
		right = ""
	}
	if marks := m.feedMarks(w - lipgloss.Width(left+right) - 4); marks != "" {
		right = marks + "   " + right
	}
	gap := max(w-lipgloss.Width(left)-lipgloss.Width(right), 1)
	line := ansi.Truncate(left+strings.Repeat(" ", gap)+right, w, "…")
	lines := []string{line, m.countLine(w)}
	if m.check.Damaged {
		lines = append(lines, m.styles.ErrorMsg.Render(ansi.Truncate(damageBanner, w, "…")))
	}
	return m.styles.Header.Width(w).Render(lipgloss.JoinVertical(lipgloss.Left, lines...))
}

// countLine lists the open exceptions by kind, worst kinds first.
func (m Model) countLine(w int) string {
	total := 0
	var parts []string
	for _, k := range store.Kinds {
		n := m.counts[k]
		if n == 0 {
			continue
		}
		total += n
		parts = append(parts, m.styles.Severity[k.Severity()].Render(fmt.Sprintf("%s %d", kindLabel(k), n)))
	}
	line := m.styles.Count.Render(fmt.Sprintf("%d open", total))
	if len(parts) > 0 {
		line += m.styles.Count.Render(" · ") + strings.Join(parts, m.styles.Count.Render(" · "))
	}
	return ansi.Truncate(line, w, "…")
}

// footer is the help for what works now, or the last error, cut to one
// line so the layout above it never moves.
func (m Model) footer() string {
	if m.command.open {
		return m.drawFooter() // it changes with every key typed
	}
	keys := keyMap{global: m.keys, pane: m.top(), depth: len(m.stack)}
	key := footerKey{styles: m.styles.drawn, width: m.width, info: m.info, showAllKeys: m.help.ShowAll}
	if m.err != nil {
		key.err = m.err.Error()
	}
	if m.help.ShowAll {
		key.keys = bindingsKey(keys.FullHelp()...)
	} else {
		key.keys = bindingsKey(keys.ShortHelp())
	}
	return m.memos.footer.get(key, m.drawFooter)
}

// drawFooter draws the footer.
func (m Model) drawFooter() string {
	w := m.width - m.styles.App.GetHorizontalFrameSize()
	body := m.help.View(keyMap{global: m.keys, pane: m.top(), depth: len(m.stack)})
	if !m.help.ShowAll {
		// help adds the last item whole when its ellipsis would not fit.
		body = ansi.Truncate(body, w, "…")
	}
	if m.err != nil {
		first, _, _ := strings.Cut(m.err.Error(), "\n")
		body = m.styles.ErrorMsg.Render(ansi.Truncate("Error: "+first, w, "…"))
	}
	if line, ok := m.statusLine(w); ok {
		body = line
	}
	return m.styles.Footer.Width(w).Render(body)
}

// keyMap joins the pane's keys and the desk's for the help view.
type keyMap struct {
	global GlobalKeys
	pane   Pane
	depth  int
}

func (k keyMap) ShortHelp() []key.Binding {
	return append(k.pane.ShortHelp(), k.globalBindings()...)
}

func (k keyMap) FullHelp() [][]key.Binding {
	return append(k.pane.FullHelp(), append(k.globalBindings(), k.global.Outbox), k.deskBindings())
}

func (k keyMap) globalBindings() []key.Binding {
	if t, ok := k.pane.(typist); ok && t.Typing() {
		return nil
	}
	back := k.global.Back
	back.SetEnabled(k.depth > 1)
	return []key.Binding{k.global.Search, back, k.global.Help, k.global.Quit}
}
