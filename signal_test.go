package main

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// The first SIGINT starts an orderly shutdown; should that hang, a second
// one ends the process at once. The test runs itself as the process that
// is signalled, its shutdown hanging for good.
func TestSecondSignalEndsAHangingShutdown(t *testing.T) {
	if os.Getenv("WISMO_SIGNALLED") == "1" {
		ctx, stop := signalled()
		defer stop()
		syscall.Kill(os.Getpid(), syscall.SIGINT)
		<-ctx.Done()
		// The shutdown hangs; the operator presses ctrl+c again, and again.
		for range 50 {
			syscall.Kill(os.Getpid(), syscall.SIGINT)
			time.Sleep(100 * time.Millisecond)
		}
		os.Exit(3) // still alive: the second signal did nothing
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestSecondSignalEndsAHangingShutdown$")
	cmd.Env = append(os.Environ(), "WISMO_SIGNALLED=1")
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		t.Fatalf("the signalled process ended with %v; want it ended by the second SIGINT", err)
	}
	if exit.ExitCode() != 128+int(syscall.SIGINT) {
		t.Errorf("the signalled process ended with %v; want exit status 130, the second SIGINT's", exit)
	}
}
