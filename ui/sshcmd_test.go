package ui

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
	gossh "golang.org/x/crypto/ssh"

	"github.com/wismo/wismo/store"
)

// cmdDesk serves the desk to ana (an agent) and tia (a trainee,
// read-only), answering commands from openDesk's 30 orders, order 1001
// with seedNotes' notifications and return. It returns the address, the
// store and the agents file.
func cmdDesk(t *testing.T, ana, tia gossh.Signer) (string, *store.Store, string) {
	t.Helper()
	agents := agentsFile(t, agentLine(ana, "ana", RoleAgent), agentLine(tia, "tia", RoleReadOnly))
	st := openDesk(t, 30)
	seedNotes(t, st)
	return sshDesk(t, agents, func(c *SSHConfig) { c.Store = st }), st, agents
}

// ran is how a command over the door ended.
type ran struct {
	stdout, stderr string
	status         int // the exit status
}

// sshRunOn runs cmd on client in a session with no terminal, as a
// script's `ssh desk cmd` does.
func sshRunOn(t *testing.T, client *gossh.Client, cmd string) ran {
	t.Helper()
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	var out, errs bytes.Buffer
	sess.Stdout, sess.Stderr = &out, &errs
	r := ran{}
	var exit *gossh.ExitError
	switch err := sess.Run(cmd); {
	case errors.As(err, &exit):
		r.status = exit.ExitStatus()
	case err != nil:
		t.Fatalf("%s: %v", cmd, err)
	}
	r.stdout, r.stderr = out.String(), errs.String()
	return r
}

// sshRun dials the desk with key and runs cmd.
func sshRun(t *testing.T, addr string, key gossh.Signer, cmd string) ran {
	t.Helper()
	client, err := dial(addr, gossh.PublicKeys(key))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	return sshRunOn(t, client, cmd)
}

// okRun is the stdout of a command that must succeed.
func okRun(t *testing.T, r ran) string {
	t.Helper()
	if r.status != 0 || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.status, r.stderr)
	}
	return r.stdout
}

// The order --json document: the fields a script reads, by their names.
type orderJSON struct {
	Number   string `json:"number"`
	PlacedAt string `json:"placed_at"`
	Archived bool   `json:"archived"`
	Customer struct {
		Name  string `json:"name"`
		Email string `json:"email"`
	} `json:"customer"`
	Lines []struct {
		SKU string `json:"sku"`
		Qty int    `json:"qty"`
	} `json:"lines"`
	Parcels []struct {
		Carrier        string      `json:"carrier"`
		TrackingNumber string      `json:"tracking_number"`
		Status         string      `json:"status"`
		StatusAt       string      `json:"status_at"`
		ETA            *string     `json:"estimated_delivery"`
		LastEvent      *eventJSON  `json:"last_event"`
		Events         []eventJSON `json:"events"`
		Exception      *struct {
			Kind     string `json:"kind"`
			State    string `json:"state"`
			OpenedAt string `json:"opened_at"`
		} `json:"exception"`
	} `json:"parcels"`
	Returns []struct {
		RMA         string `json:"rma"`
		State       string `json:"state"`
		RefundMinor int64  `json:"refund_minor"`
		Currency    string `json:"currency"`
		RefundedAt  string `json:"refunded_at"`
		History     []struct {
			State string `json:"state"`
			At    string `json:"at"`
		} `json:"history"`
	} `json:"returns"`
	Notifications []struct {
		Trigger   string `json:"trigger"`
		Channel   string `json:"channel"`
		State     string `json:"state"`
		LastError string `json:"last_error"`
		SentAt    string `json:"sent_at"`
	} `json:"notifications"`
}

type eventJSON struct {
	Time     string `json:"time"`
	Status   string `json:"status"`
	RawCode  string `json:"raw_code"`
	Location struct {
		City string `json:"city"`
	} `json:"location"`
	Source string `json:"source"`
}

// decodeOrder reads order --json strictly: one document, nothing after.
func decodeOrder(t *testing.T, out string) orderJSON {
	t.Helper()
	var o orderJSON
	dec := json.NewDecoder(strings.NewReader(out))
	if err := dec.Decode(&o); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	if dec.More() {
		t.Fatalf("more than one document:\n%s", out)
	}
	return o
}

// A trainee, with no terminal, gets an order as one JSON document: its
// parcels with status, ETA, exception and events, its return and refund,
// its notifications, every time in RFC 3339 UTC.
func TestSSHCmdOrderJSON(t *testing.T) {
	ana, tia := newKey(t), newKey(t)
	addr, _, _ := cmdDesk(t, ana, tia)

	o := decodeOrder(t, okRun(t, sshRun(t, addr, tia, "order 1001 --json")))
	if o.Number != "1001" || o.Customer.Name != "Anna Müller" || o.PlacedAt != "2026-03-02T12:00:00Z" ||
		o.Archived || len(o.Lines) != 1 || o.Lines[0].SKU != "MUG" {
		t.Errorf("order: %+v", o)
	}
	if len(o.Parcels) != 1 {
		t.Fatalf("parcels: %+v", o.Parcels)
	}
	p := o.Parcels[0]
	if p.Carrier != "dhl" || p.TrackingNumber != "00340430000000001001" || p.Status != "in_transit" ||
		p.StatusAt != "2026-03-05T02:00:00Z" || p.ETA != nil {
		t.Errorf("parcel: %+v", p)
	}
	if p.Exception == nil || p.Exception.Kind != "lost" || p.Exception.State != "open" ||
		p.Exception.OpenedAt != "2026-03-03T10:00:00Z" {
		t.Errorf("exception: %+v", p.Exception)
	}
	if len(p.Events) != 1 || p.Events[0].RawCode != "transit" || p.Events[0].Location.City != "Bochum" ||
		p.Events[0].Source != "poll" || p.LastEvent == nil || *p.LastEvent != p.Events[0] {
		t.Errorf("events: %+v, last %+v", p.Events, p.LastEvent)
	}
	if len(o.Returns) != 1 || o.Returns[0].RMA != "RMA-7" || o.Returns[0].State != "refunded" ||
		o.Returns[0].RefundMinor != 1250 || o.Returns[0].Currency != "EUR" ||
		o.Returns[0].RefundedAt != "2026-03-05T10:00:00Z" || len(o.Returns[0].History) != 4 {
		t.Errorf("returns: %+v", o.Returns)
	}
	n := o.Notifications
	if len(n) != 3 || n[0].Trigger != "delivered" || n[0].State != "queued" || n[0].SentAt != "" ||
		n[1].State != "failed" && n[2].State != "failed" {
		t.Errorf("notifications: %+v", n)
	}

	two := decodeOrder(t, okRun(t, sshRun(t, addr, ana, "order --json 1002")))
	if len(two.Parcels) != 2 || two.Parcels[1].TrackingNumber != "00340431000000001002" ||
		two.Parcels[1].Exception != nil || len(two.Returns) != 0 || len(two.Notifications) != 0 {
		t.Errorf("order 1002: %+v", two)
	}
}

// search --json lists the hits, best first, capped and saying so; the
// text forms are aligned columns with no escape sequences.
func TestSSHCmdSearch(t *testing.T) {
	ana, tia := newKey(t), newKey(t)
	addr, st, _ := cmdDesk(t, ana, tia)

	var found struct {
		Query string `json:"query"`
		Hits  []struct {
			Order    string `json:"order"`
			Customer string `json:"customer"`
			PlacedAt string `json:"placed_at"`
			Matched  string `json:"matched"`
			Exact    bool   `json:"exact"`
		} `json:"hits"`
		Truncated bool `json:"truncated"`
	}
	out := okRun(t, sshRun(t, addr, tia, "search 1001 --json"))
	if err := json.Unmarshal([]byte(out), &found); err != nil {
		t.Fatal(err)
	}
	if found.Query != "1001" || len(found.Hits) == 0 || found.Truncated {
		t.Fatalf("search 1001: %s", out)
	}
	if h := found.Hits[0]; h.Order != "1001" || h.Matched != "order number" || !h.Exact ||
		h.Customer != "Anna Müller" || h.PlacedAt != "2026-03-02T12:00:00Z" {
		t.Errorf("first hit: %+v", h)
	}

	// Every order ships to 10115: 60 of them are more than a search gives.
	err := st.Update(func(tx *store.Tx) error {
		for i := 30; i < 60; i++ {
			if err := seedOrder(tx, i, false); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	out = okRun(t, sshRun(t, addr, ana, "search 10115 --json"))
	if err := json.Unmarshal([]byte(out), &found); err != nil {
		t.Fatal(err)
	}
	if len(found.Hits) != commandSearchLimit || !found.Truncated {
		t.Errorf("search 10115: %d hits, truncated %v", len(found.Hits), found.Truncated)
	}
	text := okRun(t, sshRun(t, addr, ana, "search 10115"))
	if !strings.HasSuffix(text, "More orders match: these are the first 50. A longer query narrows it.\n") {
		t.Errorf("search 10115 does not say there are more:\n%s", text)
	}
	if got := okRun(t, sshRun(t, addr, ana, "search nobody-at-all")); got != "No order matches \"nobody-at-all\".\n" {
		t.Errorf("no hits: %q", got)
	}
}

// The text forms, whole: the order as its pane shows it, and a search
// by name (the query's words need no quotes).
func TestSSHCmdText(t *testing.T) {
	ana, tia := newKey(t), newKey(t)
	addr, _, _ := cmdDesk(t, ana, tia)
	for name, cmd := range map[string]string{"order": "order 1001", "search": "search Anna Müller", "help": "help"} {
		t.Run(name, func(t *testing.T) {
			out := okRun(t, sshRun(t, addr, tia, cmd))
			if strings.ContainsRune(out, '\x1b') {
				t.Errorf("escape sequences in %q:\n%q", cmd, out)
			}
			golden.RequireEqual(t, []byte(out))
		})
	}
}

// A command line the desk cannot read, or an order it does not have, is
// told on stderr with a non-zero status, and nothing is printed.
func TestSSHCmdErrors(t *testing.T) {
	ana, tia := newKey(t), newKey(t)
	addr, _, _ := cmdDesk(t, ana, tia)
	client, err := dial(addr, gossh.PublicKeys(ana))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	for _, c := range []struct {
		cmd    string
		status int
		says   string
	}{
		{"order 9999", 1, "no order 9999\n"},
		{"order 9999 --json", 1, "no order 9999\n"},
		{"frobnicate 1001", 2, `unknown command "frobnicate": the desk answers search, order, help; help lists them` + "\n"},
		{"order", 2, "usage: order NUMBER [--json]\n"},
		{"order 1001 1002", 2, "usage: order NUMBER [--json]\n"},
		{`order ""`, 2, "usage: order NUMBER [--json]\n"},
		{"search --json", 2, "usage: search QUERY... [--json]\n"},
		{"search 1001 --xml", 2, "unknown flag --xml; usage: search QUERY... [--json]\n"},
		{"help me", 2, "usage: help\n"},
		{`""`, 2, "usage: ssh desk COMMAND; help lists them\n"},
	} {
		r := sshRunOn(t, client, c.cmd)
		if r.status != c.status || r.stderr != c.says || r.stdout != "" {
			t.Errorf("%s: exit %d, stderr %q, stdout %q; want exit %d, %q", c.cmd, r.status, r.stderr, r.stdout, c.status, c.says)
		}
	}
	// With a terminal (ssh -t), lines end as a terminal in raw mode wants.
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	if err := sess.RequestPty("xterm-256color", 30, 100, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	var out, errs bytes.Buffer
	sess.Stdout, sess.Stderr = &out, &errs
	if err := sess.Run("order 9999"); err == nil || errs.String() != "no order 9999\r\n" {
		t.Errorf("order 9999 in a terminal: %v, stderr %q", err, errs.String())
	}
	// "--" ends the flags: what follows is the query, dashes and all.
	if out := okRun(t, sshRunOn(t, client, "search -- --json")); out != "No order matches \"--json\".\n" {
		t.Errorf("search -- --json: %q", out)
	}
}

// A command needs no terminal, where the desk does; an unknown key gets
// neither, and a key taken out of the agents file after the handshake is
// refused its command. A door with no store says it answers none.
func TestSSHCmdKeys(t *testing.T) {
	ana, tia, stranger := newKey(t), newKey(t), newKey(t)
	addr, _, agents := cmdDesk(t, ana, tia)
	client, err := dial(addr, gossh.PublicKeys(tia))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	var out bytes.Buffer
	sess.Stdout = &out
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	if err := sess.Wait(); err == nil || !strings.Contains(out.String(), "Requires an active PTY") {
		t.Errorf("the desk with no terminal: %v %q", err, out.String())
	}

	if c, err := dial(addr, gossh.PublicKeys(stranger)); err == nil {
		c.Close()
		t.Error("an unknown key got in")
	}

	if err := os.WriteFile(agents, []byte(agentLine(ana, "ana", RoleAgent)), 0o600); err != nil {
		t.Fatal(err)
	}
	r := sshRunOn(t, client, "order 1001")
	if r.status != 1 || !strings.Contains(r.stderr, "This key is no longer allowed at the desk.") || r.stdout != "" {
		t.Errorf("tia, revoked: %+v", r)
	}

	r = sshRun(t, sshDesk(t, agents), ana, "order 1001")
	if r.status != 1 || !strings.Contains(r.stderr, "This desk answers no commands") || r.stdout != "" {
		t.Errorf("no store: %+v", r)
	}
}

// A command is a session like any other: a full desk turns it away.
func TestSSHCmdFullDesk(t *testing.T) {
	ana, tia := newKey(t), newKey(t)
	_, st, agents := cmdDesk(t, ana, tia)
	addr := sshDesk(t, agents, func(c *SSHConfig) { c.Store, c.MaxSessions = st, 1 })
	session(t, addr, ana).await(t, "7 open")
	r := sshRun(t, addr, tia, "order 1001")
	if r.status != 1 || !strings.Contains(r.stderr, "The desk is full: 1 agents are on it") || r.stdout != "" {
		t.Errorf("a command at a full desk: %+v", r)
	}
}
