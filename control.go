package main

import (
	"archive/tar"
	"context"
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
// file and every archive file, as a tar stream of a data directory.

const (
	controlSocketName = "wismo.sock"
	backupRoute       = "/backup"
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

// fetchBackup hands each file of the snapshot the desk on sock serves to
// save, or returns errNoDesk if nothing listens there.
func fetchBackup(sock string, save func(name string, write func(io.Writer) error) error) error {
	client := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{Timeout: 2 * time.Second}).DialContext(ctx, "unix", sock)
		},
		ResponseHeaderTimeout: 10 * time.Second,
	}}
	resp, err := client.Get("http://desk" + backupRoute)
	if err != nil {
		var op *net.OpError
		if errors.As(err, &op) && op.Op == "dial" {
			return errNoDesk
		}
		return fmt.Errorf("desk on %s: %w", sock, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<10))
		return fmt.Errorf("desk on %s: %s: %s", sock, resp.Status, strings.TrimSpace(string(msg)))
	}
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
