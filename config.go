package main

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/carriers/aftership"
	"github.com/wismo/wismo/carriers/dhl"
	"github.com/wismo/wismo/carriers/easypost"
	"github.com/wismo/wismo/carriers/fedex"
	"github.com/wismo/wismo/carriers/ups"
	"github.com/wismo/wismo/carriers/usps"
	"github.com/wismo/wismo/store"
	"github.com/wismo/wismo/tracker"
)

// Config is the desk's configuration file, in TOML; README.md documents it
// with a complete example, which config_test.go loads. Credentials are never in
// the file: it names the environment variables that hold them.
type Config struct {
	// Data is the directory holding the store and the log.
	Data     string          `toml:"data"`
	Desk     deskSection     `toml:"desk"`
	Serve    serveSection    `toml:"serve"`
	Webhooks webhookSection  `toml:"webhooks"`
	Tracker  trackerSection  `toml:"tracker"`
	Carriers map[string]feed `toml:"carriers"`
	Shop     shopSection     `toml:"shop"`
	Notify   notifySection   `toml:"notify"`
}

type deskSection struct {
	// Agent is who acts at this desk's terminal; empty is the OS user.
	Agent string `toml:"agent"`
}

type webhookSection struct {
	// Listen is the receiver's address ("127.0.0.1:8480"); empty runs no
	// receiver.
	Listen string `toml:"listen"`
}

type trackerSection struct {
	Batch      int           `toml:"batch"`
	StallAfter time.Duration `toml:"stall_after"`
	// StallAfterByCarrier sets StallAfter for the carriers it names.
	StallAfterByCarrier map[string]time.Duration `toml:"stall_after_by_carrier"`
	NeverScannedAfter   time.Duration            `toml:"never_scanned_after"`
	LateGrace           time.Duration            `toml:"late_grace"`
	ETASlip             time.Duration            `toml:"eta_slip"`
	RetainFor           time.Duration            `toml:"retain_for"`
	Defer               time.Duration            `toml:"defer"`
	Cadence             map[string]time.Duration `toml:"cadence"`
	// CheckEvery is how often the store's file is checked in the
	// background.
	CheckEvery time.Duration `toml:"check_every"`
}

// feed is one carrier's section: where its API is, which environment
// variables hold its credentials and webhook secrets, and its limits.
type feed struct {
	BaseURL         string `toml:"base_url"`
	TokenURL        string `toml:"token_url"`
	APIKeyEnv       string `toml:"api_key_env"`
	ClientIDEnv     string `toml:"client_id_env"`
	ClientSecretEnv string `toml:"client_secret_env"`
	// WebhookSecretEnvs name the signing secrets webhooks are checked
	// against; list the new one beside the old while rotating.
	WebhookSecretEnvs []string      `toml:"webhook_secret_envs"`
	Rate              float64       `toml:"rate"`
	Burst             int           `toml:"burst"`
	Workers           int           `toml:"workers"`
	Timeout           time.Duration `toml:"timeout"`
	Tries             int           `toml:"tries"`
	BreakAfter        int           `toml:"break_after"`
	BreakFor          time.Duration `toml:"break_for"`
}

// feedKinds says for each carrier wismo speaks whether it is polled and
// whether it pushes webhooks.
var feedKinds = map[string]struct{ poll, push bool }{
	"dhl": {poll: true}, "ups": {poll: true}, "fedex": {poll: true}, "usps": {poll: true},
	"easypost": {poll: true, push: true}, "aftership": {push: true},
}

// loadConfig reads and checks a configuration file. Unknown keys and
// carriers are errors, not silently ignored: a misspelt key would
// otherwise leave a default in force that nobody chose.
func loadConfig(path string) (Config, error) {
	var c Config
	md, err := toml.DecodeFile(path, &c)
	if err != nil {
		return Config{}, fmt.Errorf("config %s: %w", path, err)
	}
	if extra := md.Undecoded(); len(extra) > 0 {
		keys := make([]string, len(extra))
		for i, k := range extra {
			keys[i] = k.String()
		}
		return Config{}, fmt.Errorf("config %s: unknown keys %s", path, strings.Join(keys, ", "))
	}
	if err := c.check(); err != nil {
		return Config{}, fmt.Errorf("config %s: %w", path, err)
	}
	return c, nil
}

// check finds what decoding cannot: unknown carriers and statuses, and
// limits that make no sense.
func (c Config) check() error {
	var errs []error
	if c.Data == "" {
		errs = append(errs, errors.New("data: the store's directory is required"))
	}
	for s := range c.Tracker.Cadence {
		if _, ok := tracker.DefaultConfig().Cadence[store.Status(s)]; !ok {
			errs = append(errs, fmt.Errorf("tracker.cadence.%s: not a status that is polled", s))
		}
	}
	errs = append(errs, c.Tracker.check()...)
	if c.Serve.IdleTimeout < 0 || c.Serve.MaxSessions < 0 || c.Serve.PerIPPerMinute < 0 {
		errs = append(errs, errors.New("serve: idle_timeout, max_sessions and per_ip_per_minute cannot be negative"))
	}
	for key, d := range c.durations() {
		if d > 0 && d < time.Millisecond {
			errs = append(errs, fmt.Errorf("%s: %d is %s; write a duration as a string such as \"15s\"", key, int64(d), d))
		}
	}
	for _, name := range sortedKeys(c.Carriers) {
		if _, ok := feedKinds[name]; !ok {
			errs = append(errs, fmt.Errorf("carriers.%s: unknown carrier (wismo speaks %s)", name, strings.Join(sortedKeys(feedKinds), ", ")))
		}
		f := c.Carriers[name]
		if f.Rate < 0 || f.Burst < 0 || f.Workers < 0 || f.Tries < 0 || f.BreakAfter < 0 || f.Timeout < 0 || f.BreakFor < 0 {
			errs = append(errs, fmt.Errorf("carriers.%s: rate, burst, workers, tries and durations cannot be negative", name))
		}
	}
	return errors.Join(errs...)
}

// check finds the tracker section's carriers wismo does not know and its
// negative durations, which would otherwise quietly fall back to defaults.
func (t trackerSection) check() []error {
	var errs []error
	known := tracker.KnownCarriers()
	for _, name := range sortedKeys(t.StallAfterByCarrier) {
		if !slices.Contains(known, name) {
			errs = append(errs, fmt.Errorf("tracker.stall_after_by_carrier.%s: unknown carrier (wismo knows %s)", name, strings.Join(known, ", ")))
		}
	}
	durations := t.durations()
	for _, key := range sortedKeys(durations) {
		if d := durations[key]; d < 0 {
			errs = append(errs, fmt.Errorf("%s: %s is negative", key, d))
		}
	}
	return errs
}

// durations are the tracker section's durations by key.
func (t trackerSection) durations() map[string]time.Duration {
	d := map[string]time.Duration{
		"tracker.stall_after": t.StallAfter, "tracker.never_scanned_after": t.NeverScannedAfter,
		"tracker.late_grace": t.LateGrace, "tracker.eta_slip": t.ETASlip,
		"tracker.retain_for": t.RetainFor, "tracker.defer": t.Defer,
		"tracker.check_every": t.CheckEvery,
	}
	for s, every := range t.Cadence {
		d["tracker.cadence."+s] = every
	}
	for name, after := range t.StallAfterByCarrier {
		d["tracker.stall_after_by_carrier."+name] = after
	}
	return d
}

// durations are the file's durations by key, for check: TOML reads a bare
// integer as nanoseconds, which is never what someone writing 15 meant.
func (c Config) durations() map[string]time.Duration {
	d := c.Tracker.durations()
	d["serve.idle_timeout"] = c.Serve.IdleTimeout
	for name, f := range c.Carriers {
		d["carriers."+name+".timeout"], d["carriers."+name+".break_for"] = f.Timeout, f.BreakFor
	}
	return d
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// trackerConfig is the tracker's configuration from the file.
func (c Config) trackerConfig() tracker.Config {
	tc := tracker.DefaultConfig()
	tc.Batch, tc.StallAfter, tc.RetainFor, tc.Defer = c.Tracker.Batch, c.Tracker.StallAfter, c.Tracker.RetainFor, c.Tracker.Defer
	tc.StallAfterByCarrier = c.Tracker.StallAfterByCarrier
	tc.NeverScannedAfter, tc.LateGrace, tc.ETASlip = c.Tracker.NeverScannedAfter, c.Tracker.LateGrace, c.Tracker.ETASlip
	tc.CheckEvery = c.Tracker.CheckEvery
	for s, every := range c.Tracker.Cadence {
		tc.Cadence[store.Status(s)] = every
	}
	tc.Feeds = map[string]tracker.FeedConfig{}
	for name, f := range c.Carriers {
		tc.Feeds[name] = tracker.FeedConfig{Rate: f.Rate, Burst: f.Burst, Workers: f.Workers, Timeout: f.Timeout,
			Tries: f.Tries, BreakAfter: f.BreakAfter, BreakFor: f.BreakFor}
	}
	return tc
}

// feeds builds the carrier clients and webhook hooks the configuration
// names, reading credentials with getenv. A missing credential is an error
// that names the variable, never its value. A nil hc gets a client without
// a timeout of its own: the tracker bounds each request by its feed's
// configured timeout.
func (c Config) feeds(getenv func(string) (string, bool), hc *http.Client) ([]carriers.Tracker, []tracker.Hook, error) {
	if hc == nil {
		hc = &http.Client{}
	}
	var polls []carriers.Tracker
	var hooks []tracker.Hook
	var errs []error
	for _, name := range sortedKeys(c.Carriers) {
		f := c.Carriers[name]
		env := envReader{section: "carriers." + name, getenv: getenv}
		if feedKinds[name].poll && (name != "easypost" || f.APIKeyEnv != "") {
			polls = append(polls, f.client(name, &env, hc))
		}
		if feedKinds[name].push && (name != "easypost" || len(f.WebhookSecretEnvs) > 0) {
			hooks = append(hooks, tracker.Hook{Webhook: webhookOf(name), Secrets: env.secrets(f.WebhookSecretEnvs)})
		}
		errs = append(errs, env.errs...)
	}
	return polls, hooks, errors.Join(errs...)
}

// client makes a polled carrier's client.
func (f feed) client(name string, env *envReader, hc *http.Client) carriers.Tracker {
	switch name {
	case "dhl":
		return dhl.New(or(f.BaseURL, "https://api-eu.dhl.com"), env.need("api_key_env", f.APIKeyEnv), hc)
	case "ups":
		return ups.New(ups.Config{BaseURL: or(f.BaseURL, "https://onlinetools.ups.com"), TokenURL: f.TokenURL,
			ClientID: env.need("client_id_env", f.ClientIDEnv), ClientSecret: env.need("client_secret_env", f.ClientSecretEnv)}, hc)
	case "fedex":
		return fedex.New(fedex.Config{BaseURL: or(f.BaseURL, "https://apis.fedex.com"), TokenURL: f.TokenURL,
			ClientID: env.need("client_id_env", f.ClientIDEnv), ClientSecret: env.need("client_secret_env", f.ClientSecretEnv)}, hc)
	case "usps":
		return usps.New(usps.Config{BaseURL: or(f.BaseURL, "https://apis.usps.com"), TokenURL: f.TokenURL,
			ClientID: env.need("client_id_env", f.ClientIDEnv), ClientSecret: env.need("client_secret_env", f.ClientSecretEnv)}, hc)
	}
	return easypost.New(easypost.Config{BaseURL: f.BaseURL, APIKey: env.need("api_key_env", f.APIKeyEnv)}, hc)
}

// webhookOf is the webhook reader of a pushing carrier.
func webhookOf(name string) carriers.Webhook {
	if name == "aftership" {
		return aftership.Webhook{}
	}
	return easypost.Webhook{}
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// envReader reads one section's credentials from the environment and
// collects what is missing.
type envReader struct {
	section string // "carriers.ups", "notify.email"
	getenv  func(string) (string, bool)
	errs    []error
}

// need is the value of the variable a key names; a key naming none, or a
// variable that is unset or empty, is an error.
func (e *envReader) need(key, variable string) string {
	if variable == "" {
		e.errs = append(e.errs, fmt.Errorf("%s.%s: name the environment variable holding it", e.section, key))
		return ""
	}
	v, ok := e.getenv(variable)
	v = strings.TrimSpace(v) // a pasted secret's trailing newline is no part of it
	if !ok || v == "" {
		e.errs = append(e.errs, fmt.Errorf("%s.%s: environment variable %s is not set", e.section, key, variable))
	}
	return v
}

// first is the first missing credential, nil when none is.
func (e *envReader) first() error {
	if len(e.errs) == 0 {
		return nil
	}
	return e.errs[0]
}

// secrets are the values of the webhook secret variables; at least one is
// required.
func (e *envReader) secrets(variables []string) []string {
	if len(variables) == 0 {
		e.errs = append(e.errs, fmt.Errorf("%s.webhook_secret_envs: name at least one environment variable", e.section))
	}
	var out []string
	for _, v := range variables {
		out = append(out, e.need("webhook_secret_envs", v))
	}
	return out
}

// lookupEnv is the process environment, as feeds wants it.
var lookupEnv = os.LookupEnv
