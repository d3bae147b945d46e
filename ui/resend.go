package ui

import (
	"errors"
	"slices"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/wismo/wismo/store"
	"github.com/wismo/wismo/tracker"
	"github.com/wismo/wismo/tracker/notify"
)

// resendField is a field of the resend dialog.
type resendField int

const (
	fieldTrigger resendField = iota
	fieldChannel
	fieldTo
	fieldCount
)

// resendPane is the resend dialog: which message, by which channel, to
// whom. Enter sends it through Actions; the order pane below shows it
// arrive in the log when the dialog closes.
type resendPane struct {
	loads
	src     Source
	actions Actions
	agent   string
	styles  *Styles
	keys    ResendKeys
	req     resendReq

	detail  store.OrderDetail
	field   resendField
	trigger int // into triggers
	channel int // into channels
	to      textinput.Model
	edited  bool   // the agent changed the recipient: a new channel keeps it
	sending bool   // a resend is on its way: enter waits
	confirm bool   // the same message went out lately: enter sends anyway
	status  string // why the last enter sent nothing
	err     error
	ready   bool

	width, height int
}

// resendOrderMsg carries the order the dialog takes its defaults from.
type resendOrderMsg struct {
	tag
	detail store.OrderDetail
	err    error
}

// resentMsg carries the outcome of a resend.
type resentMsg struct {
	tag
	n   store.Notification
	err error
}

func newResendPane(src Source, actions Actions, agent string, styles *Styles, req resendReq) *resendPane {
	to := newTextBox("", 254)
	p := &resendPane{loads: newLoads(), src: src, actions: actions, agent: agent, styles: styles,
		keys: DefaultResendKeys(), req: req, to: to}
	p.trigger = max(slices.Index(triggers, req.trigger), 0)
	p.channel = max(slices.Index(channels, req.channel), 0)
	return p
}

func (p *resendPane) Title() string { return "Resend" }

// Typing: the dialog is modal, and letters belong to the recipient box.
func (p *resendPane) Typing() bool { return true }

func (p *resendPane) ShortHelp() []key.Binding {
	send := p.keys.Send
	if p.confirm {
		send.SetHelp("enter", "send anyway")
	}
	return []key.Binding{p.keys.Next, p.keys.Left, send, p.keys.Cancel}
}

func (p *resendPane) FullHelp() [][]key.Binding {
	return [][]key.Binding{{p.keys.Next, p.keys.Prev, p.keys.Left, p.keys.Send, p.keys.Cancel}}
}

// Reload reads the order once: later reloads (a resize) keep the form.
func (p *resendPane) Reload() tea.Cmd {
	if p.ready {
		return nil
	}
	t, src, number := p.loads.next(), p.src, p.req.order
	return func() tea.Msg {
		d, err := src.Order(number)
		return resendOrderMsg{tag: t, detail: d, err: err}
	}
}

func (p *resendPane) Update(msg tea.Msg) (Pane, tea.Cmd) {
	switch msg := msg.(type) {
	case resendOrderMsg:
		if p.loads.current(msg.tag) {
			p.ready, p.err, p.detail = true, msg.err, msg.detail
			p.defaultRecipient()
			return p, p.focusField(fieldTrigger)
		}
		return p, nil
	case resentMsg:
		if p.loads.current(msg.tag) {
			return p, p.resent(msg)
		}
		return p, nil
	case tea.KeyPressMsg:
		return p, p.key(msg)
	}
	var cmd tea.Cmd
	p.to, cmd = p.to.Update(msg) // the cursor's blink
	return p, cmd
}

func (p *resendPane) key(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, p.keys.Cancel):
		return emit(closeMsg{from: p.id})
	case p.sending || !p.ready || p.err != nil:
		return nil
	case key.Matches(msg, p.keys.Send):
		return p.send()
	case key.Matches(msg, p.keys.Next):
		return p.focusField((p.field + 1) % fieldCount)
	case key.Matches(msg, p.keys.Prev):
		return p.focusField((p.field + fieldCount - 1) % fieldCount)
	case p.field != fieldTo && key.Matches(msg, p.keys.Left, p.keys.Right):
		step := 1
		if key.Matches(msg, p.keys.Left) {
			step = -1
		}
		p.choose(step)
		return nil
	case p.field != fieldTo:
		return nil
	}
	before := p.to.Value()
	var cmd tea.Cmd
	p.to, cmd = p.to.Update(msg)
	if p.to.Value() != before {
		p.edited = true
		p.changed()
	}
	return cmd
}

// focusField gives f the keyboard; only the recipient box takes letters.
func (p *resendPane) focusField(f resendField) tea.Cmd {
	p.field = f
	if f == fieldTo {
		return p.to.Focus()
	}
	p.to.Blur()
	return nil
}

// choose steps the focused choice: the message or the channel. A new
// channel brings the order's address for it unless the agent typed one.
func (p *resendPane) choose(step int) {
	if p.field == fieldTrigger {
		p.trigger = (p.trigger + step + len(triggers)) % len(triggers)
	} else {
		p.channel = (p.channel + step + len(channels)) % len(channels)
		if !p.edited {
			p.defaultRecipient()
		}
	}
	p.changed()
}

// changed forgets the last refusal: it was about something else.
func (p *resendPane) changed() { p.confirm, p.status = false, "" }

// defaultRecipient puts the order's address for the channel in the box.
func (p *resendPane) defaultRecipient() {
	to, _ := tracker.Recipient(p.detail.Order.Customer, channels[p.channel])
	p.to.SetValue(to)
	p.to.CursorEnd()
}

// send asks Actions for the resend, or says why it cannot go.
func (p *resendPane) send() tea.Cmd {
	if problem := recipientProblem(channels[p.channel], p.to.Value()); problem != "" {
		p.status = "Not sent: " + problem
		return nil
	}
	r := p.resend()
	t, actions := p.loads.next(), p.actions
	p.sending, p.status = true, ""
	return func() tea.Msg {
		n, err := actions.Resend(r)
		return resentMsg{tag: t, n: n, err: err}
	}
}

// resend is the request as the form stands. News of a return names the
// return: the one picked, else the order's latest.
func (p *resendPane) resend() tracker.Resend {
	r := tracker.Resend{Order: p.req.order, Parcel: p.req.parcel, Trigger: triggers[p.trigger],
		Channel: channels[p.channel], To: p.to.Value(), Of: p.req.of, Agent: p.agent, Confirmed: p.confirm}
	if returnTrigger(r.Trigger) {
		r.Return = p.req.ret
		if rmas := p.detail.Order.Returns; r.Return == "" && len(rmas) > 0 {
			r.Return = rmas[len(rmas)-1]
		}
	}
	return r
}

// resent closes the dialog on success; a message sent lately asks for a
// second enter, anything else is shown.
func (p *resendPane) resent(msg resentMsg) tea.Cmd {
	p.sending = false
	switch {
	case msg.err == nil:
		return emit(closeMsg{from: p.id})
	case errors.Is(msg.err, tracker.ErrRecentlySent):
		p.confirm = true
	default:
		p.status = "Not sent: " + msg.err.Error()
	}
	return nil
}

// recipientProblem says what is wrong with to for the channel, or "".
func recipientProblem(ch notify.Channel, to string) string {
	switch {
	case to == "":
		return "the order has no address for " + channelLabel(ch) + ": type one."
	case ch == notify.Email && !notify.ValidEmail(to):
		return "not an email address; write it as name@example.com."
	case ch != notify.Email && !notify.ValidPhone(to):
		return "not a phone number in international form; write it as +491701234567."
	}
	return ""
}

// channelLabel names a channel as agents say it.
func channelLabel(ch notify.Channel) string {
	switch ch {
	case notify.SMS:
		return "SMS"
	case notify.WhatsApp:
		return "WhatsApp"
	}
	return "email"
}
