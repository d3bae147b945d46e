package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
)

// memo keeps a part of the screen as last drawn, with what it was drawn
// from. Bubble Tea draws the whole view after every message, and most
// messages (a key that moves the selection, a second of the clock) leave
// the header, the footer and the tabs as they were: drawing them costs more
// than the rest of the frame, once per session.
type memo[K comparable] struct {
	key   K
	drawn string
	ok    bool
}

// get is what draw draws for key: drawn again only when key changed.
func (c *memo[K]) get(key K, draw func() string) string {
	if !c.ok || c.key != key {
		c.key, c.drawn, c.ok = key, draw(), true
	}
	return c.drawn
}

// frameMemos are the root's parts of the frame, kept between views.
type frameMemos struct {
	header memo[headerKey]
	footer memo[footerKey]
}

// headerKey is everything the header is drawn from: the counts, the feeds
// and the store's damage by the message that brought them, the clock to
// the minute.
type headerKey struct {
	styles                uint64
	width                 int
	crumbs                string
	minute                int64
	noClock               bool
	counts, feeds, damage uint64
}

// footerKey is everything the footer is drawn from while no command line
// is open: the keys the help lists, or the news that replaces them.
type footerKey struct {
	styles      uint64
	width       int
	keys        string
	err, info   string
	showAllKeys bool
}

// bindingsKey names the enabled bindings and their help, as the help view
// shows them.
func bindingsKey(groups ...[]key.Binding) string {
	var b strings.Builder
	for _, g := range groups {
		for _, k := range g {
			if k.Enabled() {
				b.WriteString(k.Help().Key)
				b.WriteByte(1)
				b.WriteString(k.Help().Desc)
				b.WriteByte(0)
			}
		}
		b.WriteByte(2)
	}
	return b.String()
}
