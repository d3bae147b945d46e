package ui

import (
	"fmt"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// damageBanner is the header's third line on every screen while the store
// is damaged: an agent must know that what the desk shows may be
// incomplete and that nothing they do is saved.
const damageBanner = "⚠ The store is damaged: nothing can be saved, and what you see may be incomplete. " +
	"Tell your operator (wismo check lists the damage; restore a backup)."

// statusLines is how many lines the feed view's store status takes.
const statusLines = 1

// storeStatus is the feed view's first line: where the store's background
// checks stand.
func (p *feedsPane) storeStatus() string {
	c := p.check
	w := p.width
	var line string
	style := p.styles.Subtle
	switch {
	case c.Damaged:
		first := ""
		if len(c.Last.Problems) > 0 {
			first = " (first: " + c.Last.Problems[0] + ")"
		}
		line = fmt.Sprintf("Store DAMAGED: %d problems%s. Writes are stopped, reads go on; restore a backup.",
			len(c.Last.Problems)+c.Last.More, first)
		style = p.styles.ErrorMsg
	case c.Running:
		pct := 0
		if c.Pages > 0 {
			pct = 100 * c.Checked / c.Pages
		}
		line = fmt.Sprintf("Store: checking %s, %d%% of %d pages (since %s)", c.Why, pct, c.Pages, c.Started.Format("15:04:05"))
	case !c.Finished.IsZero():
		line = fmt.Sprintf("Store: consistent, checked %s at %s (%s, %s)", c.Why, c.Finished.Format("Mon 15:04"),
			mebibytes(c.Last.Size), c.Took.Round(100*time.Millisecond))
	case c.UncleanStop:
		line = "Store: the last desk did not close it; a check is on its way"
	default:
		line = "Store: closed cleanly last time; checked in the background on a schedule"
	}
	return style.Render(ansi.Truncate(line, max(w, 1), "…"))
}

// mebibytes is a size in bytes as an operator reads it.
func mebibytes(n int64) string { return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20)) }
