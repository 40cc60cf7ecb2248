package aftercare_test

import (
	"errors"
	"io"
	"testing"

	"aftercare"
)

func TestAWrappedErrorTellsTheCallerTheAppErrorAndKeepsTheCause(t *testing.T) {
	err := aftercare.WrapError(aftercare.Errorf(aftercare.EUNAVAILABLE, "", "the database is unavailable"), io.ErrUnexpectedEOF)
	if aftercare.ErrorCode(err) != aftercare.EUNAVAILABLE || aftercare.ErrorMessage(err) != "the database is unavailable" {
		t.Errorf("code %q message %q", aftercare.ErrorCode(err), aftercare.ErrorMessage(err))
	}
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Error("the cause is lost")
	}
}
