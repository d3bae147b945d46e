package ui

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	"charm.land/wish/v2/activeterm"
	"charm.land/wish/v2/bubbletea"
	"charm.land/wish/v2/ratelimiter"
	"charm.land/wish/v2/recover"
	"golang.org/x/time/rate"
)

// SSHConfig is how the desk is served over SSH.
type SSHConfig struct {
	// Addr is where the server listens ("0.0.0.0:23234").
	Addr string
	// HostKeyPath is the server's private key; a missing one is made (an
	// ed25519 key) and kept there.
	HostKeyPath string
	// Keys says whose keys may come in, and as whom.
	Keys *AgentKeys
	// Desk builds the desk an agent's session shows: every session has its
	// own, over the one store and tracker. ctx ends with the session.
	Desk func(ctx context.Context, a Agent) Model
	// Store answers the commands a session may carry instead of opening
	// the desk (ssh desk search 1001 --json); it is only read. Without
	// one, a command is refused with why.
	Store Source
	// IdleTimeout ends a desk nobody typed, clicked or pasted in for this
	// long, telling the agent why; zero keeps desks open. (SSH's own idle
	// timeout would not: every redraw counts as activity.)
	IdleTimeout time.Duration
	// Context is the server's life: when it ends, every session's desk
	// quits, so a shutdown does not wait on agents to leave.
	Context context.Context
	// MaxSessions caps the sessions at once; one more is told the desk is
	// full. Zero is no cap.
	MaxSessions int
	// PerIP limits how often one address may open a session (per second,
	// with PerIPBurst at once); zero is no limit.
	PerIP      rate.Limit
	PerIPBurst int
}

// NewSSHServer is the desk's SSH door. Keys are the only way in: an
// unknown key, a password or keyboard-interactive login is refused at the
// handshake, and a key removed from the agents file is refused from the
// next connection on. Each session runs its own Bubble Tea program in the
// client's terminal (its size, its resizes, its colours); a session that
// carries a command gets its answer instead, with no terminal needed. A
// panic ends that session only.
func NewSSHServer(cfg SSHConfig) (*SSHServer, error) {
	srv := &SSHServer{max: int64(cfg.MaxSessions)}
	// Middlewares run last first: count, then the cap, the rate limit, a
	// command's answer, and the desk in a terminal.
	mws := []wish.Middleware{recover.Middleware(
		farewell(cfg.Context),
		bubbletea.MiddlewareWithProgramHandler(sessionDesk(cfg)),
		activeterm.Middleware(),
		commandAnswers(cfg),
	)}
	if cfg.PerIP > 0 {
		mws = append(mws, ratelimiter.Middleware(ratelimiter.NewRateLimiter(cfg.PerIP, max(cfg.PerIPBurst, 1), maxAddresses)))
	}
	mws = append(mws, srv.admit)
	opts := []ssh.Option{
		wish.WithAddress(cfg.Addr),
		wish.WithHostKeyPath(cfg.HostKeyPath),
		wish.WithPublicKeyAuth(func(_ ssh.Context, key ssh.PublicKey) bool {
			_, ok := cfg.Keys.Lookup(key)
			return ok
		}),
		wish.WithMiddleware(mws...),
	}
	var err error
	if srv.Server, err = wish.NewServer(opts...); err != nil {
		return nil, fmt.Errorf("ssh server: %w", err)
	}
	return srv, nil
}

// maxAddresses is how many client addresses the rate limit remembers.
const maxAddresses = 4096

// SSHServer is the desk's SSH server, counting its sessions so a shutdown
// can wait for them to end and a full desk can say so.
type SSHServer struct {
	*ssh.Server
	max      int64
	active   atomic.Int64
	sessions sync.WaitGroup
}

// admit is the outermost middleware: it counts each session while it
// runs, and turns one away, with why, when the desk is full.
func (s *SSHServer) admit(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		defer s.active.Add(-1)
		if n := s.active.Add(1); s.max > 0 && n > s.max {
			wish.Fatalln(sess, fmt.Sprintf("The desk is full: %d agents are on it. Try again in a minute.", s.max))
			return
		}
		s.sessions.Add(1)
		defer s.sessions.Done()
		next(sess)
	}
}

// Shutdown stops taking connections, waits for the sessions to end (their
// desks quit when SSHConfig.Context ends, and each is told why) or for
// ctx, then closes every connection still open.
func (s *SSHServer) Shutdown(ctx context.Context) error {
	// The server's own Shutdown closes the listeners at once, then waits
	// for connections, which clients may hold open after their session:
	// it is stopped as soon as the sessions are over.
	stopped, stop := context.WithCancel(ctx)
	defer stop()
	done := make(chan struct{})
	go func() {
		s.Server.Shutdown(stopped)
		close(done)
	}()
	ended := make(chan struct{})
	go func() {
		s.sessions.Wait()
		close(ended)
	}()
	select {
	case <-ended:
	case <-ctx.Done():
	}
	stop()
	<-done
	return s.Close()
}

// farewell runs after a session's desk ends: when the server is shutting
// down or the agent was away too long, it tells the agent why the desk
// went away.
func farewell(server context.Context) wish.Middleware {
	return func(next ssh.Handler) ssh.Handler {
		return func(sess ssh.Session) {
			switch idle, _ := sess.Context().Value(idledKey{}).(time.Duration); {
			case server.Err() != nil:
				wish.Println(sess, "The desk is shutting down; come back in a minute.")
			case idle > 0:
				wish.Println(sess, fmt.Sprintf("Nobody typed at this desk for %s, so it was closed. ssh in again to go on.", idle))
			}
			next(sess)
		}
	}
}

// idledKey marks, in a session's context, that its desk ended idle, with
// the idle timeout.
type idledKey struct{}

// sessionDesk builds a session's program: the desk for the agent its key
// names. When the session or the server ends, the desk is asked to quit,
// and killed should it still run quitGrace later: a desk that ends as
// asked leaves nothing in the log, and a stuck one ends all the same.
func sessionDesk(cfg SSHConfig) bubbletea.ProgramHandler {
	return func(sess ssh.Session) *tea.Program {
		a, ok := seat(cfg, sess)
		if !ok {
			return nil
		}
		ctx, cancel := context.WithCancel(sess.Context())
		stop := context.AfterFunc(cfg.Context, cancel)
		context.AfterFunc(sess.Context(), func() { stop() })
		// The server's signals are the server's to handle, not each desk's.
		opts := append(bubbletea.MakeOptions(sess), tea.WithoutSignalHandler())
		desk := cfg.Desk(ctx, a)
		if cfg.IdleTimeout > 0 {
			desk = desk.WithIdleTimeout(cfg.IdleTimeout, func() { sess.Context().SetValue(idledKey{}, cfg.IdleTimeout) })
		}
		p := tea.NewProgram(desk, opts...)
		context.AfterFunc(ctx, func() {
			kill := time.AfterFunc(quitGrace, p.Kill)
			go func() {
				p.Quit() // it waits for the desk to read it: a stuck one never does, until killed
				p.Wait()
				kill.Stop() // the desk ended: the timer holds it no longer
			}()
		})
		return p
	}
}

// quitGrace is how long a session's desk has to quit when asked.
const quitGrace = 2 * time.Second

// seat is the agent a session's key names now. A key revoked between the
// handshake and the session is told so, and the session ends.
func seat(cfg SSHConfig, sess ssh.Session) (Agent, bool) {
	a, ok := cfg.Keys.Lookup(sess.PublicKey())
	if !ok {
		wish.Fatalln(sess, "This key is no longer allowed at the desk.")
	}
	return a, ok
}
