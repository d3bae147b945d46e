// Package ui is the agent's desk: a Bubble Tea v2 program whose root model
// routes keys and messages to a stack of panes (exceptions, an order, a
// parcel's timeline) with a search box over them.
//
// The UI never opens the store file. It reads through Source, one page at a
// time, from tea.Cmds that capture what they need before they run; results
// come back as messages tagged with the pane and load generation that asked,
// and stale ones are dropped. Live updates arrive through a re-armed command
// that waits on the store's change signal.
package ui
