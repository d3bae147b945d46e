package ui

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/wismo/wismo/store"
)

// resendWidth is the widest the dialog gets: a form, not a page.
const resendWidth = 72

// resendLabel is the width of a field's marker and label.
const resendLabel = 11

func (p *resendPane) SetSize(w, h int) {
	p.width, p.height = w, h
	p.to.SetStyles(p.styles.Input)
	p.to.SetWidth(max(p.inner()-resendLabel-1, 1)) // the cursor's cell
}

// inner is the width inside the dialog's frame.
func (p *resendPane) inner() int {
	return max(min(p.width, resendWidth)-p.styles.Dialog.GetHorizontalFrameSize(), 1)
}

func (p *resendPane) View() string {
	switch {
	case p.err != nil:
		return p.styles.ErrorMsg.Render(fmt.Sprintf("Could not read order %s: %v", p.req.order, p.err))
	case !p.ready:
		return p.styles.Empty.Render("Loading order " + p.req.order + "…")
	}
	w := p.inner()
	lines := []string{
		p.styles.Title.Render(ansi.Truncate("Resend to "+p.detail.Order.Customer.Name, w, "…")),
		p.styles.Subtle.Render(ansi.Truncate(p.about(), w, "…")),
		"",
		p.fieldLine(fieldTrigger, "Message", p.choice(humanize(string(triggers[p.trigger])))),
		p.fieldLine(fieldChannel, "Channel", p.choice(channelLabel(channels[p.channel]))),
		p.fieldLine(fieldTo, "To", p.to.View()),
		strings.Repeat(" ", resendLabel) + ansi.Truncate(p.check(), w-resendLabel, "…"),
		"",
		p.statusLine(w),
	}
	box := p.styles.Dialog.Width(min(p.width, resendWidth)).Render(strings.Join(lines, "\n"))
	return clampLines(lipgloss.Place(p.width, p.height, lipgloss.Center, lipgloss.Center, box), p.height)
}

// about says what the message is about: the order, and the parcel or the
// notification resent.
func (p *resendPane) about() string {
	s := "Order " + p.req.order
	for _, pc := range p.detail.Parcels {
		if pc.ID == p.req.parcel {
			s += " · parcel " + pc.TrackingNumber
		}
	}
	if p.req.of != 0 {
		s += fmt.Sprintf(" · again, as notification %d", p.req.of)
	}
	return s
}

// fieldLine is one field: a marker where the keyboard is, the label, the
// value.
func (p *resendPane) fieldLine(f resendField, label, value string) string {
	marker, style := "  ", p.styles.Label
	if p.field == f {
		marker, style = "▸ ", p.styles.Focused
	}
	return style.Width(resendLabel).Render(marker+label) + value
}

// choice shows a value chosen with the arrows.
func (p *resendPane) choice(v string) string {
	return p.styles.Subtle.Render("‹ ") + p.styles.Value.Render(v) + p.styles.Subtle.Render(" ›")
}

// check is the recipient's live validation.
func (p *resendPane) check() string {
	if problem := recipientProblem(channels[p.channel], p.to.Value()); problem != "" {
		return p.styles.ErrorMsg.Render("✗ " + problem)
	}
	return p.styles.State[store.NotifySent].Render("✓ " + channelLabel(channels[p.channel]) + " address")
}

// statusLine says what enter will do, or why it did nothing.
func (p *resendPane) statusLine(w int) string {
	var s string
	switch {
	case p.sending:
		s = p.styles.Subtle.Render("Sending…")
	case p.confirm:
		s = p.styles.Severity[store.SeverityMedium].Width(w).Render("The same message went to " + p.to.Value() +
			" less than a minute ago. Press enter again to send it anyway, or esc to cancel.")
	case p.status != "":
		s = p.styles.ErrorMsg.Width(w).Render(p.status)
	default:
		s = p.styles.Subtle.Render(ansi.Truncate("enter sends it now, as "+p.agentName()+"; esc cancels.", w, "…"))
	}
	return s
}

// agentName is who the audit log will name.
func (p *resendPane) agentName() string {
	if p.agent == "" {
		return "an unnamed agent"
	}
	return p.agent
}
