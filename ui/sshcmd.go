package ui

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"charm.land/ssh"
	"charm.land/wish/v2"

	"github.com/wismo/wismo/store"
)

// The exit statuses of a command over the door: a command line the desk
// cannot read is told apart from an answer that failed.
const (
	exitFailed = 1
	exitUsage  = 2
)

// commandSearchLimit caps a search's hits over the door: more than the
// search box shows, for scripts, and the answer says when there were more.
const commandSearchLimit = 50

// deskCommand is one question a session may ask instead of opening the
// desk. Every one only reads, so every role may ask it.
type deskCommand struct {
	name  string
	args  string // what it takes, for its usage line
	about string
	many  bool // takes several words (a query), not exactly one
	run   func(src Source, args []string) (answer, error)
}

// answer is what a command found: one JSON document with --json, else
// text in aligned columns.
type answer interface {
	doc() any
	text(w io.Writer)
}

// deskCommands are the questions the door answers, besides help.
var deskCommands = []deskCommand{
	{name: "search", args: "QUERY...", many: true, run: runSearch,
		about: fmt.Sprintf("orders by order or tracking number, email, phone or name (at most %d)", commandSearchLimit)},
	{name: "order", args: "NUMBER", run: runOrder,
		about: "one order: its parcels with their events, returns and refunds, notifications"},
}

// usageError is a command line the desk cannot read.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// commandAnswers answers a session that carries a command (ssh desk
// search 1001) and ends it with an exit status; any other session goes on
// to the desk. It needs no terminal, so it runs before the terminal check.
func commandAnswers(cfg SSHConfig) wish.Middleware {
	return func(next ssh.Handler) ssh.Handler {
		return func(sess ssh.Session) {
			if strings.TrimSpace(sess.RawCommand()) == "" {
				next(sess)
				return
			}
			if _, ok := seat(cfg, sess); !ok {
				return
			}
			if cfg.Store == nil {
				wish.Fatalln(sess, "This desk answers no commands: ssh in without one for the desk.")
				return
			}
			stdout, stderr := io.Writer(sess), io.Writer(sess.Stderr())
			if _, _, tty := sess.Pty(); tty { // ssh -t: a terminal in raw mode wants \r\n
				stdout, stderr = ssh.NewPtyWriter(stdout), ssh.NewPtyWriter(stderr)
			}
			var out bytes.Buffer
			if err := runCommand(cfg.Store, sess.Command(), &out); err != nil {
				fmt.Fprintln(stderr, err)
				sess.Exit(exitStatus(err))
				return
			}
			stdout.Write(out.Bytes())
			sess.Exit(0)
		}
	}
}

// exitStatus is the status a failed command exits with.
func exitStatus(err error) int {
	if errors.As(err, new(usageError)) {
		return exitUsage
	}
	return exitFailed
}

// runCommand answers one command line into out; nothing is written when
// it fails.
func runCommand(src Source, words []string, out io.Writer) error {
	if len(words) == 0 {
		return usageError{"usage: ssh desk COMMAND; help lists them"}
	}
	name, words := words[0], words[1:]
	if name == "help" {
		if len(words) > 0 {
			return usageError{"usage: help"}
		}
		writeHelp(out)
		return nil
	}
	for _, c := range deskCommands {
		if c.name == name {
			return c.answer(src, words, out)
		}
	}
	return usageError{fmt.Sprintf("unknown command %q: the desk answers %s; help lists them", name, commandNames())}
}

// answer runs c on its words and writes its answer in the form asked for.
func (c deskCommand) answer(src Source, words []string, out io.Writer) error {
	args, asJSON, err := c.parse(words)
	if err != nil {
		return err
	}
	a, err := c.run(src, args)
	if err != nil {
		return err
	}
	if !asJSON {
		a.text(out)
		return nil
	}
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(a.doc())
}

// parse splits words into c's arguments and --json, anywhere among them;
// "--" ends the flags, any other is refused.
func (c deskCommand) parse(words []string) (args []string, asJSON bool, err error) {
	for i, w := range words {
		switch {
		case w == "--":
			args = append(args, words[i+1:]...)
			return args, asJSON, c.check(args)
		case w == "--json" || w == "-json":
			asJSON = true
		case len(w) > 1 && w[0] == '-':
			return nil, false, usageError{fmt.Sprintf("unknown flag %s; usage: %s", w, c.usage())}
		default:
			args = append(args, w)
		}
	}
	return args, asJSON, c.check(args)
}

// check refuses too few or too many arguments; blank ones are none.
func (c deskCommand) check(args []string) error {
	if strings.TrimSpace(strings.Join(args, "")) == "" || !c.many && len(args) > 1 {
		return usageError{"usage: " + c.usage()}
	}
	return nil
}

func (c deskCommand) usage() string { return c.name + " " + c.args + " [--json]" }

// commandNames lists the commands for an error message.
func commandNames() string {
	var names []string
	for _, c := range deskCommands {
		names = append(names, c.name)
	}
	return strings.Join(append(names, "help"), ", ")
}

// writeHelp lists the commands.
func writeHelp(w io.Writer) {
	fmt.Fprintln(w, "ssh desk COMMAND answers and exits; without a command, ssh opens the desk.")
	fmt.Fprintln(w)
	rows := [][]string{}
	for _, c := range deskCommands {
		rows = append(rows, []string{c.usage(), c.about})
	}
	rows = append(rows, []string{"help", "this list"})
	writeTable(w, nil, rows)
	fmt.Fprintln(w)
	fmt.Fprintln(w, "--json prints one JSON document (times in RFC 3339, UTC). Exit status: 1 if the")
	fmt.Fprintln(w, "answer failed (no such order), 2 if the command line does not read.")
}

// writeTable writes rows under header (none if nil) in aligned columns,
// each cell on one line with no escape sequences.
func writeTable(w io.Writer, header []string, rows [][]string) {
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
	if header != nil {
		rows = append([][]string{header}, rows...)
	}
	for _, r := range rows {
		cells := make([]string, len(r))
		for i, c := range r {
			cells[i] = oneLine(c)
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	tw.Flush()
	for line := range strings.Lines(buf.String()) {
		fmt.Fprintln(w, strings.TrimRight(line, " \n"))
	}
}

// searchAnswer is what a search found.
type searchAnswer struct {
	query     string
	hits      []store.SearchHit
	truncated bool
	// unsearched says which archives could not be searched, "" if none.
	unsearched string
}

// runSearch is the search box's search, with room for more hits.
func runSearch(src Source, args []string) (answer, error) {
	q := strings.Join(args, " ")
	hits, err := src.Search(q, commandSearchLimit+1)
	a := searchAnswer{query: q, hits: hits, truncated: len(hits) > commandSearchLimit}
	switch {
	case errors.Is(err, store.ErrArchiveUnavailable):
		a.unsearched = err.Error()
	case err != nil:
		return nil, fmt.Errorf("search %q: %w", q, err)
	}
	if a.truncated {
		a.hits = hits[:commandSearchLimit]
	}
	return a, nil
}

// hitDoc is one hit in search --json.
type hitDoc struct {
	Order    string    `json:"order"`
	Customer string    `json:"customer"`
	PlacedAt time.Time `json:"placed_at"`
	Matched  string    `json:"matched"`
	Value    string    `json:"value"`
	Exact    bool      `json:"exact"`
	Archived bool      `json:"archived,omitempty"`
}

func (a searchAnswer) doc() any {
	hits := make([]hitDoc, len(a.hits))
	for i, h := range a.hits {
		hits[i] = hitDoc{Order: h.Number, Customer: h.Customer, PlacedAt: h.PlacedAt.UTC(),
			Matched: h.Field, Value: h.Value, Exact: h.Exact, Archived: h.Archived}
	}
	return struct {
		Query      string   `json:"query"`
		Hits       []hitDoc `json:"hits"`
		Truncated  bool     `json:"truncated"`
		Unsearched string   `json:"unsearched,omitempty"`
	}{a.query, hits, a.truncated, a.unsearched}
}

func (a searchAnswer) text(w io.Writer) {
	if a.unsearched != "" {
		defer fmt.Fprintf(w, "Not searched: %s.\n", a.unsearched)
	}
	if len(a.hits) == 0 {
		fmt.Fprintf(w, "No order matches %q.\n", a.query)
		return
	}
	rows := make([][]string, len(a.hits))
	for i, h := range a.hits {
		rows[i] = hitCells(h)
	}
	writeTable(w, columnTitles(searchColumns), rows)
	if a.truncated {
		fmt.Fprintf(w, "More orders match: these are the first %d. A longer query narrows it.\n", commandSearchLimit)
	}
}

// columnTitles are a pane's column titles, for a table printed as text.
func columnTitles(cols []column) []string {
	titles := make([]string, len(cols))
	for i, c := range cols {
		titles[i] = strings.ToUpper(c.title)
	}
	return titles
}
