package codecs

import (
	"strconv"
	"time"
)

// Text is a scalar's plain text, independent of any wire format: strings
// and numbers as they are, booleans "true"/"false", times in RFC 3339 (UTC);
// null, objects and lists have none ("").
func Text(v Value) string {
	switch v.Kind {
	case String, Number:
		return v.Str
	case Bool:
		return strconv.FormatBool(v.Bool)
	case Time:
		return v.Time.UTC().Format(time.RFC3339Nano)
	}
	return ""
}
