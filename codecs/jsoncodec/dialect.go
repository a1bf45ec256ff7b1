package jsoncodec

import (
	"strconv"
	"strings"
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
	// ServiceStackDialect is ServiceStack.Text's JsonSerializer with its
	// default JsConfig (DateHandler.TimestampOffset, IncludeNullValues and
	// IncludeNullValuesInDictionaries false, ExcludeDefaultValues false,
	// EscapeHtmlChars and EscapeUnicode false), as a ServiceStack host writes
	// its JSON responses. It differs from Json.NET in:
	//
	//   - null members are omitted, in objects and dictionaries alike
	//     (Json/JsonTypeSerializer.cs IncludeNullValues,
	//     IncludeNullValuesInDictionaries; Common/WriteDictionary.cs); null
	//     array items are still written as null;
	//   - times are WCF-style "\/Date(ms[±hhmm])\/" strings (see
	//     appendWCFDate; Common/DateTimeSerializer.cs WriteWcfJsonDate and
	//     WriteWcfJsonDateTimeOffset);
	//   - strings escape '"', '\\', \b \f \n \r \t and every other
	//     char.IsControl character (U+0000..U+001F, U+007F..U+009F) as \uXXXX
	//     with upper-case hex digits; '<', '>', '&', '=', the apostrophe,
	//     U+2028, U+2029 and all other non-ASCII characters are written raw
	//     (Json/JsonUtils.cs WriteString);
	//   - a string whose schema is a Guid is written in the 32-digit
	//     lower-case "N" format (Json/JsonTypeSerializer.cs WriteGuid);
	//   - non-finite numbers are written bare: NaN, Infinity, -Infinity
	//     (Json/JsonTypeSerializer.cs WriteDouble writes ToString(Invariant)
	//     unquoted).
	//
	// Booleans are true/false (JsonTypeSerializer.WriteBool) and numbers
	// their literal text, as in Json.NET. Member names are the caller's
	// (camelCase or not is decided when the value is built) and are escaped
	// like strings; POCO property names, being identifiers, never need it.
	//
	// Sources: ServiceStack/ServiceStack.Text @ 6426a6f0e078, files under
	// src/ServiceStack.Text/.
	ServiceStackDialect
	// NewtonsoftStringEnumsDialect is NewtonsoftDialect with a
	// StringEnumConverter registered: enums are written as their member
	// names, not numbers.
	NewtonsoftStringEnumsDialect
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
	// escapeAllControls escapes every char.IsControl character without a
	// short escape (U+0000..U+001F and U+007F..U+009F) as \uXXXX with
	// upper-case hex digits (ServiceStack.Text); when false only
	// U+0000..U+001F are escaped, with lower-case digits (Json.NET).
	escapeAllControls bool
	// guidN writes a string whose schema is a Guid in the "N" format (32
	// lower-case hex digits); the encoder then follows the schema through
	// the value.
	guidN bool
	// netFloats writes a number whose schema is a double as .NET's "R"
	// text and a double or decimal with at least one decimal place ("0.0",
	// "1.0E+300"), as Json.NET's JsonConvert.ToString(double|decimal)
	// does (EnsureDecimalPlace), and an enum member name as its number;
	// the encoder then follows the schema.
	netFloats bool
	// stringEnums keeps an enum's member name (StringEnumConverter) where
	// netFloats would write its number.
	stringEnums bool
	// appendSpan writes a TimeSpan (ticks), without quotes: Json.NET's
	// TimeSpan.ToString() ("1.02:03:04.5000000"), ServiceStack.Text's XSD
	// duration ("P1DT2H3M4.5S", JsonTypeSerializer.WriteTimeSpan).
	appendSpan func(dst []byte, ticks int64) []byte
}

var dialects = [...]dialectRules{
	NewtonsoftDialect: {
		name:                  "Newtonsoft",
		omitNullMembers:       false,
		appendTime:            codecs.AppendISOTime,
		escapeLineTerminators: true,
		quoteNonFinite:        true,
		netFloats:             true,
		appendSpan:            codecs.AppendTimeSpan,
	},
	ServiceStackDialect: {
		name:                  "ServiceStack",
		omitNullMembers:       true,
		appendTime:            appendWCFDate,
		escapeLineTerminators: false, // U+0085 is a control; U+2028/9 are raw
		quoteNonFinite:        false,
		escapeAllControls:     true,
		guidN:                 true,
		appendSpan:            codecs.AppendDuration,
	},
	NewtonsoftStringEnumsDialect: {
		name:                  "Newtonsoft+StringEnumConverter",
		omitNullMembers:       false,
		appendTime:            codecs.AppendISOTime,
		escapeLineTerminators: true,
		quoteNonFinite:        true,
		netFloats:             true,
		stringEnums:           true,
		appendSpan:            codecs.AppendTimeSpan,
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

// appendWCFDate writes a time as ServiceStack.Text's JSON serializer does by
// default (DateHandler.TimestampOffset), without the quotes:
//
//	\/Date(<ms>)\/          UTC DateTime, and a DateTimeOffset at offset zero
//	\/Date(<ms>-0000)\/     Unspecified DateTime
//	\/Date(<ms>±hhmm)\/     Local DateTime (the server's offset, "+0000" on
//	                        a UTC server), and a DateTimeOffset otherwise
//
// (src/ServiceStack.Text/Common/DateTimeSerializer.cs WriteWcfJsonDate,
// WriteWcfJsonDateTimeOffset and the constants EscapedWcfJsonPrefix,
// UnspecifiedOffset; DateTimeExtensions.cs ToUnixTimeMs, ToTimeOffsetString.)
// The backslashes are part of the string's bytes: "\/" is JSON's optional
// escape of '/'.
//
// <ms> is milliseconds since 1970-01-01T00:00:00Z in 100 ns ticks, divided
// with truncation toward zero (the (long) cast of TotalMilliseconds). For a
// DateTime it counts from the instant: UTC and Local times are converted,
// and an Unspecified time is read as server-local time, which here is the
// time's own Location (as for [codecs.AppendISOTime]). For a DateTimeOffset
// it counts from the wall clock, not the instant (DateTimeSerializer uses
// DateTimeOffset.Ticks), and the offset follows unless it is zero. The
// offset is the Location's, in whole minutes.
func appendWCFDate(dst []byte, t time.Time, k codecs.TimeKind) []byte {
	_, off := t.Zone()
	ticks := t.Unix()*1e7 + int64(t.Nanosecond()/100)
	if k == codecs.Offset {
		ticks += int64(off) * 1e7
	}
	dst = append(dst, `\/Date(`...)
	dst = strconv.AppendInt(dst, ticks/1e4, 10)
	switch k {
	case codecs.UTC:
	case codecs.Local:
		dst = appendHHMM(dst, off)
	case codecs.Offset:
		if off/60 != 0 {
			dst = appendHHMM(dst, off)
		}
	default: // Unspecified, and unknown kinds as AppendISOTime treats them
		dst = append(dst, "-0000"...)
	}
	return append(dst, `)\/`...)
}

// appendHHMM writes an offset in seconds as ±hhmm, seconds dropped
// (DateTimeExtensions.ToTimeOffsetString with no separator).
func appendHHMM(dst []byte, off int) []byte {
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	h, m := off/3600, off%3600/60
	return append(dst, sign, byte('0'+h/10), byte('0'+h%10), byte('0'+m/10), byte('0'+m%10))
}

// appendGuidN appends s in .NET's Guid "N" format (32 lower-case hex
// digits) if s parses as Guid.Parse accepts it in its common forms: "N",
// "D" (8-4-4-4-12), and "D" wrapped in braces ("B") or parentheses ("P"),
// surrounded by optional white space, in any case. ok is false (and dst
// unchanged) otherwise.
func appendGuidN(dst []byte, s string) (_ []byte, ok bool) {
	s = strings.TrimSpace(s)
	if len(s) == 38 && (s[0] == '{' && s[37] == '}' || s[0] == '(' && s[37] == ')') {
		s = s[1:37]
	}
	switch len(s) {
	case 32:
	case 36:
		if s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
			return dst, false
		}
	default:
		return dst, false
	}
	n := len(dst)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case len(s) == 36 && (i == 8 || i == 13 || i == 18 || i == 23):
			continue
		case '0' <= c && c <= '9', 'a' <= c && c <= 'f':
		case 'A' <= c && c <= 'F':
			c += 'a' - 'A'
		default:
			return dst[:n], false
		}
		dst = append(dst, c)
	}
	return dst, true
}
