package main

import (
	"archive/tar"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/wismo/wismo/store"
)

// bbolt lets one process own the store file, so work on the file while the
// desk runs goes through the desk: it listens on a unix socket in its data
// directory, readable and writable by its own user only, and serves HTTP
// there. GET /backup streams a consistent snapshot of the store, the hot
// file and every archive file, as a tar stream of a data directory. POST
// /check has the desk check its file in the background, and GET /check
// says where its checks stand.

const (
	controlSocketName = "wismo.sock"
	backupRoute       = "/backup"
	checkRoute        = "/check"
)

// errNoDesk means no desk answered on the control socket.
var errNoDesk = errors.New("no desk answers")

func controlSocket(dir string) string { return filepath.Join(dir, controlSocketName) }

// serveControl starts the desk's control server for st in dir and returns
// what stops it and removes the socket. A socket already there is the
// remains of a desk that died: this process holds the store, so no other
// desk can be serving it. A desk whose socket cannot be made (a data
// directory path too long for one, say) runs on without hot backups, and
// says so in its log.
func serveControl(dir string, st *store.Store, log *slog.Logger) func() {
	ln, err := listenControl(controlSocket(dir))
	if err != nil {
		log.Warn("no hot backups: control socket", "err", err)
		return func() {}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+backupRoute, func(w http.ResponseWriter, _ *http.Request) { serveBackup(w, st, log) })
	mux.HandleFunc("GET "+checkRoute, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(checkDocOf(st.CheckStatus()))
	})
	mux.HandleFunc("POST "+checkRoute, func(w http.ResponseWriter, _ *http.Request) {
		go func() {
			r, err := st.Verify(context.Background(), "asked for by wismo check")
			if err != nil && !errors.Is(err, store.ErrCheckRunning) {
				log.Error("store check", "err", err)
			} else if err == nil {
				log.Info("store check", "problems", len(r.Problems)+r.More, "bytes", r.Size)
			}
		}()
		w.WriteHeader(http.StatusAccepted)
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	return func() {
		srv.Close() // ends a backup under way: its client keeps no half file
		os.Remove(ln.Addr().String())
	}
}

// listenControl listens on the socket at sock, readable and writable by
// this user only.
func listenControl(sock string) (net.Listener, error) {
	if err := os.Remove(sock); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	ln, err := net.Listen("unix", sock)
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(sock, 0o600); err != nil {
		ln.Close()
		return nil, err
	}
	return ln, nil
}

// serveBackup streams a snapshot of the store as tar: each file of the
// data directory, the hot file first. Content-Length goes first, so a
// client cut off midway knows its copy is short. An archive that cannot be
// read is refused: a backup without it would not restore the desk.
func serveBackup(w http.ResponseWriter, st *store.Store, log *slog.Logger) {
	sn, err := st.Snapshot()
	if sn != nil {
		defer sn.Close()
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/x-tar")
	w.Header().Set("Content-Length", strconv.FormatInt(tarSize(sn.Files()), 10))
	tw := tar.NewWriter(w)
	for _, f := range sn.Files() {
		err = tw.WriteHeader(&tar.Header{Name: f.Name, Mode: 0o600, Size: f.Size(), Format: tar.FormatUSTAR})
		if err == nil {
			_, err = f.WriteTo(tw)
		}
		if err != nil {
			log.Error("backup cut off", "file", f.Name, "err", err)
			return
		}
	}
	if err := tw.Close(); err != nil {
		log.Error("backup cut off", "err", err)
		return
	}
	log.Info("backup served", "files", len(sn.Files()), "bytes", tarSize(sn.Files()))
}

// tarSize is how long the tar stream of files is: a header block and the
// contents padded to whole blocks for each, and two zero blocks to end.
func tarSize(files []store.SnapshotFile) int64 {
	const block = 512
	n := int64(2 * block)
	for _, f := range files {
		n += block + (f.Size()+block-1)/block*block
	}
	return n
}

// checkDoc is where a desk's checks stand, as GET /check answers.
type checkDoc struct {
	Running     bool      `json:"running"`
	Why         string    `json:"why,omitempty"`
	Checked     int       `json:"checked_pages"`
	Pages       int       `json:"pages"`
	Started     time.Time `json:"started,omitzero"`
	Finished    time.Time `json:"finished,omitzero"`
	Took        string    `json:"took,omitempty"`
	Damaged     bool      `json:"damaged"`
	UncleanStop bool      `json:"unclean_stop"`
	Problems    []string  `json:"problems,omitempty"`
	More        int       `json:"more,omitempty"`
	Size        int64     `json:"size"`
}

func checkDocOf(c store.CheckStatus) checkDoc {
	d := checkDoc{Running: c.Running, Why: c.Why, Checked: c.Checked, Pages: c.Pages, Started: c.Started,
		Finished: c.Finished, Damaged: c.Damaged, UncleanStop: c.UncleanStop, Problems: c.Last.Problems,
		More: c.Last.More, Size: c.Last.Size}
	if !c.Finished.IsZero() {
		d.Took = c.Took.Round(time.Millisecond).String()
	}
	return d
}

// deskClient is an HTTP client of the desk's control socket sock.
func deskClient(sock string) *http.Client {
	return &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{Timeout: 2 * time.Second}).DialContext(ctx, "unix", sock)
		},
		ResponseHeaderTimeout: 10 * time.Second,
	}}
}

// askDesk sends a request to the desk on sock, and returns errNoDesk if
// nothing listens there.
func askDesk(sock, method, route string) (*http.Response, error) {
	req, err := http.NewRequest(method, "http://desk"+route, nil)
	if err != nil {
		return nil, err
	}
	resp, err := deskClient(sock).Do(req)
	if err != nil {
		var op *net.OpError
		if errors.As(err, &op) && op.Op == "dial" {
			return nil, errNoDesk
		}
		return nil, fmt.Errorf("desk on %s: %w", sock, err)
	}
	if resp.StatusCode/100 != 2 {
		defer resp.Body.Close()
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<10))
		return nil, fmt.Errorf("desk on %s: %s: %s", sock, resp.Status, strings.TrimSpace(string(msg)))
	}
	return resp, nil
}

// deskCheck has the desk on sock check its file and waits for the
// result, telling progress as it goes.
func deskCheck(sock string, progress io.Writer) (checkDoc, error) {
	asked := time.Now()
	resp, err := askDesk(sock, http.MethodPost, checkRoute)
	if err != nil {
		return checkDoc{}, err
	}
	resp.Body.Close()
	said := -1
	for {
		time.Sleep(200 * time.Millisecond)
		resp, err := askDesk(sock, http.MethodGet, checkRoute)
		if err != nil {
			return checkDoc{}, err
		}
		var d checkDoc
		err = json.NewDecoder(resp.Body).Decode(&d)
		resp.Body.Close()
		if err != nil {
			return d, fmt.Errorf("desk on %s: %w", sock, err)
		}
		if !d.Running && !d.Finished.Before(asked) {
			return d, nil
		}
		if pct := 100 * d.Checked / max(d.Pages, 1); d.Running && pct/10 != said {
			said = pct / 10
			fmt.Fprintf(progress, "checking: %d%% of %d pages\n", pct, d.Pages)
		}
	}
}

// fetchBackup hands each file of the snapshot the desk on sock serves to
// save, or returns errNoDesk if nothing listens there.
func fetchBackup(sock string, save func(name string, write func(io.Writer) error) error) error {
	resp, err := askDesk(sock, http.MethodGet, backupRoute)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	tr := tar.NewReader(resp.Body)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err == nil {
			err = save(h.Name, func(w io.Writer) error {
				_, err := io.Copy(w, tr)
				return err
			})
		}
		if err != nil {
			return fmt.Errorf("copy from the desk on %s: %w", sock, err)
		}
	}
}
