package jsoncodec

import (
	"strconv"
	"time"

	"legacygate/codecs"
)

// Dialect selects whose JSON writer the encoder reproduces. The zero value
// is [NewtonsoftDialect].
type Dialect uint8

const (
	// NewtonsoftDialect is Json.NET as ASP.NET Web API 2 configures it
	// (BaseJsonMediaTypeFormatter's settings; everything else Json.NET's
	// defaults): nulls included, ISO dates with the round-trip kind, default
	// string escaping, non-finite floats as strings, compact output.
	NewtonsoftDialect Dialect = iota
	// A ServiceStack.Text dialect will follow; it differs in exactly the
	// points dialectRules captures.
)

// dialectRules are the decisions a dialect makes; the encoder consults only
// these, so a new dialect is a new table entry.
type dialectRules struct {
	name string
	// omitNullMembers drops object members whose value is null
	// (ServiceStack's default); Json.NET writes them as null.
	omitNullMembers bool
	// appendTime writes a time's text, without quotes.
	appendTime func(dst []byte, t time.Time, k codecs.TimeKind) []byte
	// escapeLineTerminators escapes U+0085, U+2028 and U+2029 as \uXXXX.
	escapeLineTerminators bool
	// quoteNonFinite writes NaN, Infinity and -Infinity as strings
	// (FloatFormatHandling.String) rather than bare symbols.
	quoteNonFinite bool
}

var dialects = [...]dialectRules{
	NewtonsoftDialect: {
		name:                  "Newtonsoft",
		omitNullMembers:       false,
		appendTime:            codecs.AppendISOTime,
		escapeLineTerminators: true,
		quoteNonFinite:        true,
	},
}

func (d Dialect) rules() *dialectRules {
	if int(d) < len(dialects) {
		return &dialects[d]
	}
	return nil
}

func (d Dialect) String() string {
	if r := d.rules(); r != nil {
		return r.name
	}
	return "Dialect(" + strconv.Itoa(int(d)) + ")"
}
