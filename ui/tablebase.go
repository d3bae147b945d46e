package ui

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/table"
)

// tableBase is what every pane built on a table shares: its keys, and so
// its help, and fitting the table to the pane. Panes embed it.
type tableBase struct {
	styles        *Styles
	keys          ListKeys
	table         table.Model
	width, height int
}

func newTableBase(styles *Styles, keys ListKeys) tableBase {
	return tableBase{styles: styles, keys: keys, table: table.New(table.WithFocused(true), table.WithKeyMap(keys.Table()))}
}

func (b *tableBase) ShortHelp() []key.Binding { return b.keys.Short() }

func (b *tableBase) FullHelp() [][]key.Binding { return [][]key.Binding{b.keys.Full()} }

// fit sizes the table's columns to the pane's width; the pane sets the
// table's height, which depends on what it shows above it.
func (b *tableBase) fit(cols []column, w, h int) {
	b.width, b.height = w, h
	b.table.SetStyles(b.styles.Table) // the theme may have changed with the background
	b.table.SetColumns(layoutColumns(cols, w))
	b.table.SetWidth(w)
}
