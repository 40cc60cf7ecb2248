package sqlstore

import (
	"encoding/json"
	"fmt"
	"time"
)

// Time scans a time column, whether the database keeps it as text
// (TimeLayout) or as a timestamp, into *dst in UTC.
func Time(dst *time.Time) *TimeColumn { return &TimeColumn{dst: dst} }

// NullTime is Time of a column that may be NULL, which leaves *dst nil.
func NullTime(dst **time.Time) *NullTimeColumn { return &NullTimeColumn{dst: dst} }

// TimeColumn is the sql.Scanner of Time.
type TimeColumn struct{ dst *time.Time }

// Scan reads src, a time or its text.
func (c *TimeColumn) Scan(src any) error {
	t, err := parseTime(src)
	if err != nil {
		return err
	}
	if t == nil {
		return fmt.Errorf("a time is NULL")
	}
	*c.dst = *t
	return nil
}

// NullTimeColumn is the sql.Scanner of NullTime.
type NullTimeColumn struct{ dst **time.Time }

// Scan reads src, a time, its text or NULL.
func (c *NullTimeColumn) Scan(src any) (err error) {
	*c.dst, err = parseTime(src)
	return err
}

func parseTime(src any) (*time.Time, error) {
	var text string
	switch v := src.(type) {
	case nil:
		return nil, nil
	case time.Time:
		t := v.UTC()
		return &t, nil
	case string:
		text = v
	case []byte:
		text = string(v)
	default:
		return nil, fmt.Errorf("cannot read a time from %T", src)
	}
	t, err := time.Parse(TimeLayout, text)
	if err != nil {
		return nil, fmt.Errorf("bad stored time %q: %w", text, err)
	}
	return &t, nil
}

// JSON scans a JSON column (text, or json/jsonb) into dst with json.Unmarshal.
func JSON(dst any) *JSONColumn { return &JSONColumn{dst: dst} }

// JSONColumn is the scanner of JSON.
type JSONColumn struct{ dst any }

// Scan decodes src, JSON text or bytes.
func (c *JSONColumn) Scan(src any) error {
	switch v := src.(type) {
	case string:
		return json.Unmarshal([]byte(v), c.dst)
	case []byte:
		return json.Unmarshal(v, c.dst)
	}
	return fmt.Errorf("cannot read JSON from %T", src)
}

// ScanBytes decodes src straight from pgx's buffer (pgtype.BytesScanner),
// sparing the copy that scanning into a []byte makes: a check-in's request
// and answer are some 4.7 kB. src is only valid during the call.
func (c *JSONColumn) ScanBytes(src []byte) error { return json.Unmarshal(src, c.dst) }
