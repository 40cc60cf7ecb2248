package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"net/http"

	"aftercare"
	"aftercare/usecase"
)

// Header names of idempotent check-ins: a client that got no answer (a
// timeout, a dropped connection) sends the same request again under the same
// Idempotency-Key, and gets the check-in stored the first time, marked
// Idempotent-Replayed, instead of a second one.
const (
	idempotencyKeyHeader = "Idempotency-Key"
	replayedHeader       = "Idempotent-Replayed"
)

// idempotencyKey reads the Idempotency-Key header: "" when there is none, or
// 1 to aftercare.MaxIdempotencyKeyBytes printable ASCII characters.
func idempotencyKey(r *http.Request) (string, error) {
	values := r.Header.Values(idempotencyKeyHeader)
	if len(values) == 0 {
		return "", nil
	}
	key := values[0]
	if len(values) > 1 || key == "" || len(key) > aftercare.MaxIdempotencyKeyBytes || !printableASCII(key) {
		return "", aftercare.Errorf(aftercare.EINVALID, idempotencyKeyHeader,
			"the %s header must be one value of 1 to %d printable ASCII characters, such as a UUID",
			idempotencyKeyHeader, aftercare.MaxIdempotencyKeyBytes)
	}
	return key, nil
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// idempotentDoor returns door, made to store check-ins under the request's
// Idempotency-Key when it carries one; req is the check-in's request as its
// caller sent it.
func idempotentDoor(r *http.Request, door usecase.CheckInDoor, req *aftercare.Request) (usecase.CheckInDoor, error) {
	key, err := idempotencyKey(r)
	if err != nil || key == "" {
		return door, err
	}
	hash, err := requestHash(req)
	if err != nil {
		return nil, err
	}
	return keyedDoor{door: door, key: key, hash: hash}, nil
}

// requestHash is the SHA-256 of req encoded as JSON: equal for a retry
// however its caller spaced or ordered the JSON, and different for a request
// that differs in anything it says.
func requestHash(req *aftercare.Request) ([]byte, error) {
	b, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(b)
	return sum[:], nil
}

// keyedDoor stores each check-in under one idempotency key.
type keyedDoor struct {
	door usecase.CheckInDoor
	key  string
	hash []byte // of the request sent under the key
}

// CreateCheckIn stores c under the door's key; a check-in already stored
// under it comes back instead, with c.Replayed set. A different request
// under a used key is refused (conflict) and stores nothing: answering it
// with the first check-in's grade would hide whatever it newly reports, a red
// flag among it. Check-ins stored without a hash replay as before.
func (k keyedDoor) CreateCheckIn(ctx context.Context, c *aftercare.CheckIn) (*aftercare.Flag, error) {
	c.IdempotencyKey, c.RequestHash = k.key, k.hash
	flag, err := k.door.CreateCheckIn(ctx, c)
	if err == nil && c.Replayed && len(c.RequestHash) > 0 && !bytes.Equal(c.RequestHash, k.hash) {
		return nil, aftercare.Errorf(aftercare.ECONFLICT, idempotencyKeyHeader,
			"this %s was used for a different check-in of this session; send a new key with a new check-in",
			idempotencyKeyHeader)
	}
	return flag, err
}

// markReplayed tells the client that c is the check-in its key stored before.
func markReplayed(w http.ResponseWriter, c *aftercare.CheckIn) {
	if c.Replayed {
		w.Header().Set(replayedHeader, "true")
	}
}
