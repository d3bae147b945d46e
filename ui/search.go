package ui

import (
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/table"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/charmbracelet/x/ansi"
	"github.com/wismo/wismo/store"
)

// searchLimit caps the hits shown: an agent mid-call wants the one order,
// and more than a screenful means the query needs another character.
const searchLimit = 20

// searchCharLimit bounds the box: room for a paste of a few dozen tracking
// numbers, no more (the store reads no further either).
const searchCharLimit = 4096

var searchColumns = []column{
	{title: "Order", width: 6},
	{title: "Customer", width: 20},
	{title: "Matched", width: 17, drop: 2},
	{title: "Value", width: 22, drop: 1},
	{title: "Placed", width: 10, flex: true, drop: 3},
}

// searchPane is the "/" box: it searches as the agent types and opens the
// chosen order.
type searchPane struct {
	loads
	src    Source
	styles *Styles
	keys   SearchKeys
	input  textinput.Model
	table  windowTable
	hits   []store.SearchHit
	query  string // the query hits answers
	err    error
	width  int
	// openPending: Enter came before the hits for what is typed; open the
	// first of them when they arrive, never a hit for an older prefix.
	openPending bool
}

// searchMsg carries the hits for query.
type searchMsg struct {
	tag
	query string
	hits  []store.SearchHit
	err   error
}

func newSearchPane(src Source, styles *Styles) *searchPane {
	in := newTextBox("/ ", searchCharLimit)
	in.Placeholder = "order, tracking number, email, phone, name or postcode"
	in.Focus()
	return &searchPane{loads: newLoads(), src: src, styles: styles, keys: DefaultSearchKeys(), input: in,
		table: windowTable{styles: styles}}
}

func (p *searchPane) Title() string { return "Search" }

// Typing: every letter belongs to the query.
func (p *searchPane) Typing() bool { return true }

func (p *searchPane) ShortHelp() []key.Binding {
	return []key.Binding{p.keys.Up, p.keys.Down, p.keys.Open, p.keys.Close}
}

func (p *searchPane) FullHelp() [][]key.Binding { return [][]key.Binding{p.ShortHelp()} }

func (p *searchPane) SetSize(w, h int) {
	p.width = w
	p.input.SetStyles(p.styles.Input)                            // the theme may have changed with the background
	p.input.SetWidth(max(w-lipgloss.Width(p.input.Prompt)-1, 1)) // the cursor's cell
	p.table.SetColumns(layoutColumns(searchColumns, w))
	p.table.SetHeight(h - lipgloss.Height(p.input.View()) - lipgloss.Height(searchGap))
}

// searchGap is the blank line between the box and the results.
const searchGap = ""

// Reload repeats the current search.
func (p *searchPane) Reload() tea.Cmd { return p.search(p.input.Value()) }

func (p *searchPane) search(q string) tea.Cmd {
	t, src := p.loads.next(), p.src
	return func() tea.Msg {
		if strings.TrimSpace(q) == "" {
			return searchMsg{tag: t, query: q}
		}
		hits, err := src.Search(q, searchLimit)
		return searchMsg{tag: t, query: q, hits: hits, err: err}
	}
}

func (p *searchPane) Update(msg tea.Msg) (Pane, tea.Cmd) {
	switch msg := msg.(type) {
	case searchMsg:
		if p.loads.current(msg.tag) {
			p.query, p.hits, p.err = msg.query, msg.hits, msg.err
			p.sync()
			if p.openPending {
				p.openPending = false
				return p, p.open()
			}
		}
		return p, nil
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, p.keys.Close):
			return p, emit(closeMsg{from: p.id})
		case key.Matches(msg, p.keys.Up):
			p.table.SetCursor(max(p.table.Cursor()-1, 0))
			return p, nil
		case key.Matches(msg, p.keys.Down):
			p.table.SetCursor(min(p.table.Cursor()+1, max(len(p.hits)-1, 0)))
			return p, nil
		case key.Matches(msg, p.keys.Open) && p.query != p.input.Value():
			p.openPending = true
			return p, nil
		case key.Matches(msg, p.keys.Open):
			return p, p.open()
		}
	}
	before := p.input.Value()
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	if p.input.Value() != before {
		return p, tea.Batch(cmd, p.search(p.input.Value()))
	}
	return p, cmd
}

// open asks for the selected hit's order in place of the search box.
func (p *searchPane) open() tea.Cmd {
	i := p.table.Cursor()
	if i < 0 || i >= len(p.hits) {
		return nil
	}
	return emit(openOrderMsg{from: p.id, number: p.hits[i].Number, replace: true})
}

func (p *searchPane) sync() {
	rows := make([]table.Row, len(p.hits))
	for i, h := range p.hits {
		rows[i] = hitCells(h)
	}
	p.table.SetRows(rows, 0)
}

// hitCells is a hit's row under searchColumns: the order, its customer,
// what matched ("=" when all of it) and the day it was placed.
func hitCells(h store.SearchHit) []string {
	match := h.Field
	if h.Exact {
		match += " ="
	}
	placed := day(h.PlacedAt)
	if h.Archived {
		placed += " · archived"
	}
	return []string{h.Number, h.Customer, match, h.Value, placed}
}

func (p *searchPane) View() string {
	var body string
	switch {
	case p.err != nil && !errors.Is(p.err, store.ErrArchiveUnavailable):
		body = p.styles.ErrorMsg.Render("Search failed: " + p.err.Error())
	case strings.TrimSpace(p.query) == "":
		body = p.styles.Empty.Render("Type an order number or a tracking number (spaces and case do not matter).")
	case len(p.hits) == 0:
		body = p.styles.Empty.Render(fmt.Sprintf("No order matches %q.", p.query))
	default:
		body = p.table.View()
	}
	gap := searchGap
	if p.err != nil && errors.Is(p.err, store.ErrArchiveUnavailable) {
		// The hits of every file that could be read, and which could not.
		first, _, _ := strings.Cut(p.err.Error(), "\n")
		gap = p.styles.ErrorMsg.Render(ansi.Truncate("Not searched: "+first, max(p.width, 1), "…"))
	}
	return p.input.View() + "\n" + gap + "\n" + body
}
