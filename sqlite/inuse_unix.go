//go:build unix

package sqlite

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// shmDMSByte is the byte of the -shm file on which every connection to a WAL
// database holds a shared lock for as long as it is open (SQLite's
// UNIX_SHM_DMS: 120 + SQLITE_SHM_NLOCK).
const shmDMSByte = 128

// InUse reports whether another process has the database in dir open, such
// as a running aftercare serve: every SQLite connection to a WAL database
// holds a shared lock on one byte of its -shm file while it is open.
func InUse(dir string) (bool, error) {
	f, err := os.OpenFile(dataFile(dir)+"-shm", os.O_RDONLY, 0)
	if errors.Is(err, os.ErrNotExist) {
		// The last connection to close removes the file.
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("sqlite: %w", err)
	}
	defer f.Close()
	lk := syscall.Flock_t{Type: syscall.F_WRLCK, Whence: 0, Start: shmDMSByte, Len: 1}
	if err := syscall.FcntlFlock(f.Fd(), syscall.F_GETLK, &lk); err != nil {
		return false, fmt.Errorf("sqlite: test the lock of %s-shm: %w", dataFile(dir), err)
	}
	return lk.Type != syscall.F_UNLCK, nil
}
