//go:build !unix

package sqlite

import "errors"

// InUse reports whether another process has the database in dir open; on
// this system it cannot tell, and says so.
func InUse(dir string) (bool, error) {
	return false, errors.New("sqlite: cannot tell on this system whether a server has the database open: stop aftercare serve first")
}
