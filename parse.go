package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/carriers/aftership"
	"github.com/wismo/wismo/carriers/dhl"
	"github.com/wismo/wismo/carriers/easypost"
	"github.com/wismo/wismo/carriers/fedex"
	"github.com/wismo/wismo/carriers/ups"
	"github.com/wismo/wismo/carriers/usps"
)

// parsers read one saved carrier response or webhook body, by carrier.
var parsers = map[string]func([]byte) ([]carriers.Shipment, error){
	"dhl":       dhl.Parse,
	"ups":       ups.Parse,
	"fedex":     fedex.Parse,
	"usps":      usps.Parse,
	"easypost":  parseEasyPost,
	"aftership": aftership.Parse,
}

// parseEasyPost reads a Tracker, as the API answers, or an Event, as the
// webhook posts.
func parseEasyPost(body []byte) ([]carriers.Shipment, error) {
	var head struct {
		Object string `json:"object"`
	}
	if json.Unmarshal(body, &head) == nil && head.Object == "Event" {
		d, err := easypost.Webhook{}.Parse(body)
		return d.Shipments, err
	}
	return easypost.Parse(body)
}

// runParse is `wismo parse --carrier NAME FILE`: it prints the normalized
// shipments a saved carrier body gives, as JSON, so a care team can see
// why the desk said what it said. FILE "-" reads standard input.
func runParse(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("parse", flag.ContinueOnError)
	flags.SetOutput(stderr)
	carrier := flags.String("carrier", "", "the `NAME` of the carrier whose format FILE is in: "+strings.Join(sortedKeys(parsers), ", "))
	flags.Usage = func() {
		fmt.Fprintln(stderr, "Usage: wismo parse --carrier NAME FILE")
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		return err
	}
	parse, ok := parsers[*carrier]
	switch {
	case *carrier == "":
		return errors.New("parse needs --carrier NAME")
	case !ok:
		return fmt.Errorf("unknown carrier %q: wismo reads %s", *carrier, strings.Join(sortedKeys(parsers), ", "))
	case flags.NArg() != 1:
		return errors.New("parse needs one FILE (or - for standard input)")
	}
	body, err := readBody(flags.Arg(0), stdin)
	if err != nil {
		return err
	}
	shipments, err := parse(body)
	if err != nil {
		return fmt.Errorf("%s: %w", flags.Arg(0), err)
	}
	if shipments == nil {
		shipments = []carriers.Shipment{}
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(shipments)
}

// readBody reads a saved body, refusing one larger than any carrier sends.
func readBody(path string, stdin io.Reader) ([]byte, error) {
	r := stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	body, err := io.ReadAll(io.LimitReader(r, carriers.MaxBody+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(body) > carriers.MaxBody {
		return nil, fmt.Errorf("%s: %w", path, carriers.ErrTooLarge)
	}
	return body, nil
}
