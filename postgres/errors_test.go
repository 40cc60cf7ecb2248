package postgres

import (
	"errors"
	"fmt"
	"testing"

	"aftercare"

	"github.com/jackc/pgx/v5/pgconn"
)

func TestDBErr(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"a server shutting down is unavailable", &pgconn.PgError{Severity: "FATAL", Code: "57P01"}, aftercare.EUNAVAILABLE},
		{"a shutdown seen through River's insert is unavailable", fmt.Errorf("queue flag notice: %w", &pgconn.PgError{Severity: "FATAL", Code: "57P01"}), aftercare.EUNAVAILABLE},
		{"too many connections is unavailable", fmt.Errorf("queue reminders: %w", &pgconn.PgError{Code: "53300"}), aftercare.EUNAVAILABLE},
		{"a NUL byte is invalid", &pgconn.PgError{Code: "22021"}, aftercare.EINVALID},
		{"a missing reference is not found", &pgconn.PgError{Code: "23503"}, aftercare.ENOTFOUND},
		{"any other failure is internal", fmt.Errorf("queue flag notice: %w", errors.New("boom")), aftercare.EINTERNAL},
	}
	t.Run("an error wrapped here already is not wrapped twice", func(t *testing.T) {
		err := dbErr(fmt.Errorf("postgres: screening 7 health: %w", errors.New("bad json")))
		if got := err.Error(); got != "postgres: screening 7 health: bad json" {
			t.Errorf("dbErr gave %q", got)
		}
	})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := aftercare.ErrorCode(dbErr(tt.err)); got != tt.want {
				t.Errorf("dbErr(%v) has code %q, want %q", tt.err, got, tt.want)
			}
		})
	}
}
