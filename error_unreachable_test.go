package aftercare

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"testing"
)

func TestUnreachableErrorsAreUnavailable(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		code string
	}{
		{"a connection cut mid-answer is unavailable", fmt.Errorf("postgres: %w", io.ErrUnexpectedEOF), EUNAVAILABLE},
		{"a refused connection is unavailable", &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}, EUNAVAILABLE},
		{"a reset connection is unavailable", fmt.Errorf("read: %w", syscall.ECONNRESET), EUNAVAILABLE},
		{"a closed connection is unavailable", fmt.Errorf("x: %w", net.ErrClosed), EUNAVAILABLE},
		{"an application error keeps its code", WrapError(Errorf(ENOTFOUND, "", "no"), io.ErrUnexpectedEOF), ENOTFOUND},
		{"any other error is internal", errors.New("boom"), EINTERNAL},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ErrorCode(tc.err); got != tc.code {
				t.Errorf("ErrorCode = %q, want %q", got, tc.code)
			}
			if msg := ErrorMessage(tc.err); tc.code == EINTERNAL && msg != "internal error" || tc.code == EUNAVAILABLE && msg == "internal error" {
				t.Errorf("ErrorMessage = %q", msg)
			}
		})
	}
}
