package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"aftercare/keyring"
)

// keyFileName is the keyring's file in the SQLite data directory when
// --secret-keys is not given.
const keyFileName = "secret.keys"

// keyringPath is where the keyring is read from: --secret-keys, or with
// SQLite and no flag the file secret.keys in the data directory.
func (s *storeFlags) keyringPath() string {
	if s.secretKeys != "" || s.database != "" {
		return s.secretKeys
	}
	return filepath.Join(s.data, keyFileName)
}

// keyring loads the keyring that seals secrets at rest. When it is missing,
// it returns nil, or with create makes one with a new key (with SQLite and no
// --secret-keys only: on PostgreSQL the keyring is the operator's to place).
func (s *storeFlags) keyring(create bool) (*keyring.Keyring, error) {
	path := s.keyringPath()
	if path == "" {
		if create {
			return nil, errors.New("secrets are sealed at rest: give --secret-keys FILE (make one with `aftercare admin new-secret-key > FILE`)")
		}
		return nil, nil
	}
	text, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && create && s.secretKeys == "" {
		line, err := keyring.NewKey("k" + time.Now().UTC().Format("20060102"))
		if err != nil {
			return nil, err
		}
		text = []byte("# Keys that seal secrets at rest; the first seals. Keep a copy apart from the database's backups.\n" + line + "\n")
		if err := os.WriteFile(path, text, 0o600); err != nil {
			return nil, fmt.Errorf("making the keyring %s: %w", path, err)
		}
	} else if errors.Is(err, fs.ErrNotExist) && !create {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("reading the keyring: %w", err)
	}
	k, err := keyring.Parse(string(text))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}
