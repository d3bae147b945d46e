// Command wismo is a terminal desk for customer-care agents answering
// "where is my order?": live carrier exceptions, order search, and each
// parcel's timeline.
//
//	wismo demo [--data DIR] [--orders N] [--speed X] [--seed N] [--faults=false] [--serve [--listen ADDR]]
//	wismo desk --config FILE
//	wismo serve --config FILE
//	wismo parse --carrier NAME FILE
//	wismo import orders|returns [--data DIR] FILE.csv
//	wismo check [--data DIR]
//	wismo compact [--data DIR]
//	wismo backup [--data DIR] BACKUP
//	wismo bench [--orders N] [--rounds N] [--queries N] [--dir DIR] [--seed N] [--weeks N --retain D]
package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	charmlog "charm.land/log/v2"

	"github.com/wismo/wismo/bench"
	"github.com/wismo/wismo/store"
)

const usage = `wismo — the "where is my order?" desk

Usage:
  wismo demo [flags]              run the desk on simulated carriers and seeded orders
  wismo desk --config FILE        run the desk on the carriers FILE configures
  wismo serve --config FILE       run the desk as a server: agents come in over SSH
  wismo parse --carrier NAME FILE print the events the desk reads from a saved carrier body
  wismo import orders|returns [--data DIR] FILE.csv
                                  store a shop's orders or returns from a CSV file
  wismo bench [flags]             measure the store at scale against raw bbolt
  wismo check [--data DIR]        check the store and its archive files for damaged pages
  wismo compact [--data DIR]      rewrite the store and its archives without free pages
  wismo backup [--data DIR] BACKUP
                                  copy the store and its archives to the new directory BACKUP, while the desk runs too

--data defaults to the current directory for check, compact and backup.

Run "wismo demo -h" for the demo's flags.
`

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "wismo:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	switch args[0] {
	case "demo":
		return damageHint(runDemo(args[1:], stdout, stderr))
	case "desk":
		return damageHint(runDesk(args[1:], stderr))
	case "serve":
		return damageHint(runServe(args[1:], stderr))
	case "parse":
		return runParse(args[1:], os.Stdin, stdout, stderr)
	case "import":
		return runImport(args[1:], stdout, stderr)
	case "bench":
		return bench.Run(args[1:], stdout, stderr)
	case "check":
		return runCheck(args[1:], stdout, stderr)
	case "compact":
		return runCompact(args[1:], stdout, stderr)
	case "backup":
		return runBackup(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// damageHint tells an operator whose desk stopped on a damaged store what
// to do about it.
func damageHint(err error) error {
	if errors.Is(err, store.ErrDamaged) {
		return fmt.Errorf("%w — wismo check --data DIR lists every problem; restore a backup", err)
	}
	return err
}

// openDesk opens the store in dir for the desk. It reads no page it does
// not serve: the tracker checks the file in the background after an
// unclean stop, and on a schedule.
func openDesk(dir string, throwaway bool) (*store.Store, error) {
	return store.Open(filepath.Join(dir, storeFile), store.Options{NoSync: throwaway})
}

// openLog opens the log file in dir: logs never go to the terminal the desk
// draws on. What the SSH door's libraries log (through charm's default
// logger) goes there too.
func openLog(dir string) (*slog.Logger, func(), error) {
	f, err := os.OpenFile(filepath.Join(dir, "wismo.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("data directory %s is not writable: %w", dir, err)
	}
	charmlog.SetDefault(charmlog.NewWithOptions(f, charmlog.Options{ReportTimestamp: true, Formatter: charmlog.LogfmtFormatter}))
	return slog.New(slog.NewTextHandler(f, nil)), func() { f.Close() }, nil
}
