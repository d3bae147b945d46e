package store

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// archiveChildEnv names the store a child process of
// TestArchiveMoveSurvivesKills archives, a couple of orders a move, until
// none is left or it is killed.
const archiveChildEnv = "WISMO_TEST_ARCHIVE_CHILD"

func init() {
	if path := os.Getenv(archiveChildEnv); path != "" {
		os.Exit(archiveChild(path))
	}
}

func archiveChild(path string) int {
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println("ready")
	for {
		n, _, err := s.Archive(cutoff, 2, november)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		if n == 0 {
			s.Close()
			return 0
		}
	}
}

// A move killed at any point loses nothing and doubles nothing: a child
// process archives orders a couple at a time and is killed (SIGKILL) at
// random moments, again and again; after each kill every order is in
// exactly one place, the hot file or one archive, once the store opens.
func TestArchiveMoveSurvivesKills(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a child process many times")
	}
	path := filepath.Join(t.TempDir(), "wismo.db")
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	const orders = 240
	for i := range orders {
		putJourneys(t, s, fmt.Sprintf("#K%03d", i), longAgo.Add(time.Duration(i)*time.Minute),
			journey{fmt.Sprintf("JK%03d", i), StatusDelivered, before, StateResolved})
	}
	s.Close()

	rng := rand.New(rand.NewPCG(7, 7))
	kills, halfDone := 0, 0
	for archived := 0; archived < orders; kills++ {
		if kills == 200 {
			t.Fatalf("after %d kills only %d of %d orders are archived", kills, archived, orders)
		}
		killDuring(t, path, time.Duration(rng.IntN(8000))*time.Microsecond)
		if moveUnderWay(t, path) {
			halfDone++
		}
		archived = checkEachOrderOnce(t, path, orders)
	}
	t.Logf("%d kills, %d of them in the middle of a move", kills, halfDone)
	if halfDone == 0 {
		t.Error("no kill landed in the middle of a move: the test proved nothing")
	}
}

// killDuring starts a child archiving the store at path and kills it after
// it has worked for d.
func killDuring(t *testing.T, path string, d time.Duration) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), archiveChildEnv+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if line, _ := bufio.NewReader(out).ReadString('\n'); line == "ready\n" {
		time.Sleep(d)
	}
	cmd.Process.Kill()
	cmd.Wait()
}

// moveUnderWay reports whether the killed child left a move noted and not
// finished.
func moveUnderWay(t *testing.T, path string) bool {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	under := false
	db.View(func(tx *bolt.Tx) error {
		under = tx.Bucket(bucketMeta).Get(keyArchiveMove) != nil
		return nil
	})
	return under
}

// checkEachOrderOnce opens the store and fails the test unless each of the
// fixture's orders is in exactly one place and found by its number and
// tracking number; it returns how many are archived.
func checkEachOrderOnce(t *testing.T, path string, orders int) int {
	t.Helper()
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	archived := 0
	for i := range orders {
		number := fmt.Sprintf("#K%03d", i)
		places := 0
		s.View(func(tx *Tx) error {
			if tx.bucket(bucketOrders).Get([]byte(number)) != nil {
				places++
			}
			return nil
		})
		hot := places == 1
		s.arch.each(func(f *archiveFile) (bool, error) {
			f.view(func(tx *bolt.Tx) error {
				if tx.Bucket(bucketArcOrders).Get([]byte(number)) != nil {
					places++
				}
				return nil
			})
			return false, nil
		})
		if places != 1 {
			t.Fatalf("order %s is in %d places", number, places)
		}
		if !hot {
			archived++
		}
		for _, q := range []string{number, fmt.Sprintf("JK%03d", i)} {
			if hits, err := s.Search(q, 5); err != nil || len(hits) != 1 || hits[0].Number != number || hits[0].Archived == hot {
				t.Fatalf("Search(%q) = %+v, %v", q, hits, err)
			}
		}
	}
	return archived
}
