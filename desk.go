package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/store"
	"github.com/wismo/wismo/tracker"
	"github.com/wismo/wismo/tracker/notify"
	"github.com/wismo/wismo/ui"
)

// runDesk runs the desk on the carriers a configuration file names: the
// store in its data directory, the tracker polling the carriers' APIs, the
// webhook receiver, and the UI in this terminal.
func runDesk(args []string, stderr io.Writer) error {
	var who seat
	cfg, path, err := configCommand("desk", args, stderr, func(flags *flag.FlagSet) { seatFlags(flags, &who) })
	if err != nil {
		return err
	}
	if who, err = who.resolve(cfg.Desk.Agent); err != nil {
		return err
	}
	d, err := startDesk(cfg, path)
	if err != nil {
		return err
	}
	defer d.close()
	m := who.seated(d.model(d.ctx))
	_, err = tea.NewProgram(m, tea.WithContext(d.ctx)).Run()
	if errors.Is(err, tea.ErrProgramKilled) && d.ctx.Err() != nil {
		return nil
	}
	return err
}

// configCommand parses the flags of the command name, which takes
// --config FILE and whatever more adds, and loads the file. It returns the
// configuration and its path.
func configCommand(name string, args []string, stderr io.Writer, more func(*flag.FlagSet)) (Config, string, error) {
	flags := flag.NewFlagSet(name, flag.ContinueOnError)
	flags.SetOutput(stderr)
	path := flags.String("config", "", "the configuration `FILE` (TOML; see README.md)")
	if more != nil {
		more(flags)
	}
	if err := flags.Parse(args); err != nil {
		return Config{}, "", err
	}
	if *path == "" || flags.NArg() > 0 {
		return Config{}, "", fmt.Errorf("usage: wismo %s --config FILE", name)
	}
	cfg, err := loadConfig(*path)
	return cfg, *path, err
}

// runningDesk is a desk's shared parts, running: the store, the tracker
// with its feeds, receiver and outbox, and the log, until a signal ends
// ctx. Each terminal, local or over SSH, gets its own model of it.
type runningDesk struct {
	st    *store.Store
	tr    *tracker.Tracker
	log   *slog.Logger
	ctx   context.Context
	close func() // stops and closes everything, in reverse order
	// now is the desk's clock, simulated in the demo; inbox is the demo's
	// mailbox, nil elsewhere.
	now   func() time.Time
	inbox ui.Inbox
}

// startDesk opens the configuration's store and starts its tracker. On an
// error nothing is left open.
func startDesk(cfg Config, path string) (*runningDesk, error) {
	p, err := cfg.parts(lookupEnv)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	hooksAt, err := listenWebhooks(cfg.Webhooks.Listen, p.receives())
	if err != nil {
		return nil, err
	}
	var undo []func()
	closeAll := func() {
		for i := len(undo) - 1; i >= 0; i-- {
			undo[i]()
		}
	}
	if err := os.MkdirAll(cfg.Data, 0o700); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	log, closeLog, err := openLog(cfg.Data)
	if err != nil {
		return nil, err
	}
	undo = append(undo, closeLog)
	st, err := openDesk(cfg.Data, false)
	if err != nil {
		closeAll()
		return nil, err
	}
	undo = append(undo, func() { st.Close() }, serveControl(cfg.Data, st, log))
	ctx, stop := signalled()
	tr, stopTracker := startTracker(ctx, st, time.Now, cfg.trackerConfig(), p, hooksAt, log)
	undo = append(undo, stop, stopTracker)
	return &runningDesk{st: st, tr: tr, log: log, ctx: ctx, close: closeAll, now: time.Now}, nil
}

// signalled is a context the first SIGINT or SIGTERM ends, to shut down in
// order. A second one ends the process at once, with the shell's status
// for a signal (128 + its number), should the shutdown hang. The process
// exits itself rather than fall back on the signal's default action, which
// a parent may have set to ignore. stop lets go of the signals.
func signalled() (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	stopped := make(chan struct{})
	go func() {
		for first := true; ; first = false {
			select {
			case s := <-sigs:
				if !first {
					os.Exit(128 + int(s.(syscall.Signal)))
				}
				cancel()
			case <-stopped:
				return
			}
		}
	}()
	var once sync.Once
	return ctx, func() {
		once.Do(func() {
			signal.Stop(sigs)
			close(stopped)
			cancel()
		})
	}
}

// model is a new desk on the running parts, for one terminal, whose change
// signal lasts until ctx ends (the terminal's session, or the desk); the
// caller seats its agent.
func (d *runningDesk) model(ctx context.Context) ui.Model {
	changes, unsubscribe := d.st.Subscribe()
	context.AfterFunc(ctx, unsubscribe)
	m := ui.New(d.st, d.now, changes).WithFeeds(d.tr.Health).WithActions(d.tr)
	if d.inbox != nil {
		m = m.WithInbox(d.inbox)
	}
	return m
}

// listenWebhooks opens the receiver's address. A desk with a pushing
// carrier and nowhere to receive its pushes is misconfigured.
func listenWebhooks(addr string, needed bool) (net.Listener, error) {
	if addr == "" {
		if needed {
			return nil, errors.New("webhooks.listen: a carrier pushes webhooks, so the receiver needs an address")
		}
		return nil, nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("webhook receiver: %w", err)
	}
	return ln, nil
}

// parts is what a desk runs besides its store: carrier feeds, the webhooks
// it receives, and the notifications it sends.
type parts struct {
	polls       []carriers.Tracker
	hooks       []tracker.Hook
	shopSecrets []string
	notifier    *tracker.Notifier
	senders     map[notify.Channel]notify.Sender
	outbox      tracker.OutboxConfig
}

// parts builds everything the configuration names, reading credentials
// with getenv.
func (c Config) parts(getenv func(string) (string, bool)) (parts, error) {
	var p parts
	var err error
	if p.polls, p.hooks, err = c.feeds(getenv, nil); err != nil {
		return p, err
	}
	if len(c.Shop.WebhookSecretEnvs) > 0 {
		env := envReader{section: "shop", getenv: getenv}
		if p.shopSecrets = env.secrets(c.Shop.WebhookSecretEnvs); len(env.errs) > 0 {
			return p, env.errs[0]
		}
	}
	p.notifier, p.senders, p.outbox, err = c.outbox(getenv)
	return p, err
}

// receives reports whether anything posts to the desk's webhook receiver.
func (p parts) receives() bool { return len(p.hooks) > 0 || len(p.shopSecrets) > 0 }

// startTracker runs the tracker over st, the outbox worker when
// notifications are configured and, when hooksAt is open, the webhook
// receiver on it. The returned stop shuts the receiver down (calls in
// progress finish), then the tracker and the outbox, and waits for them.
func startTracker(ctx context.Context, st *store.Store, now func() time.Time, cfg tracker.Config,
	p parts, hooksAt net.Listener, log *slog.Logger) (*tracker.Tracker, func()) {
	ctx, cancel := context.WithCancel(ctx)
	tr := tracker.New(st, p.polls, now, cfg, log)
	var wg sync.WaitGroup
	if p.notifier != nil {
		tr.Notify(*p.notifier)
		outbox := tracker.NewOutbox(st, p.senders, now, p.outbox, log.With("component", "outbox"))
		wg.Go(func() { outbox.Run(ctx) })
	}
	var srv *http.Server
	if hooksAt != nil {
		srv = &http.Server{
			Handler:           tr.Receiver(p.shopSecrets, p.hooks...),
			ReadHeaderTimeout: 5 * time.Second,
			ReadTimeout:       30 * time.Second,
			WriteTimeout:      30 * time.Second,
			MaxHeaderBytes:    64 << 10,
			ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		}
		wg.Go(func() {
			if err := srv.Serve(hooksAt); !errors.Is(err, http.ErrServerClosed) {
				log.Error("webhook receiver stopped", "err", err)
			}
		})
	}
	wg.Go(func() { tr.Run(ctx) })
	return tr, func() {
		if srv != nil {
			shutdown, done := context.WithTimeout(context.Background(), 10*time.Second)
			srv.Shutdown(shutdown)
			done()
		}
		cancel()
		wg.Wait()
	}
}
