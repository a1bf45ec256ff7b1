// Package jsoncodec reads and writes JSON as the legacy .NET hosts did,
// using the neutral ordered value tree [codecs.Value].
//
// # Decoding
//
// [Decode] is a hand-written, allocation-lean parser. It keeps what a binder
// needs to reproduce the host's behaviour and that encoding/json throws away:
//
//   - Object members stay in wire order and duplicates are kept as they came
//     (Json.NET binds the last one; see [codecs.Value.Get]).
//   - Numbers keep their literal text (Kind Number); the grammar is RFC 8259's
//     in both modes, so "01", "1." and "+1" are rejected.
//   - Strings are fully unescaped: \uXXXX surrogate pairs are combined, lone
//     surrogates become U+FFFD, and so does every ill-formed UTF-8 sequence
//     (one U+FFFD per maximal ill-formed subsequence: the Unicode
//     recommendation, which .NET Core 3.0+ follows; .NET Framework may
//     count replacements of truncated sequences differently). A leading
//     UTF-8 byte-order mark is skipped.
//   - Date-like strings stay strings: turning them into times is the binder's
//     job, because it depends on the target type.
//
// Strings that need no unescaping share the memory of one copy of the input
// made per call, so the whole input stays reachable while any of them is.
//
// With [DecodeOptions.DotNet] the reader also accepts what Json.NET's
// JsonTextReader accepts on top of RFC 8259 and a binder can observe:
// // and /* */ comments (wherever Json.NET allows them, which excludes
// between a property name and its colon), single-quoted strings, the \'
// escape, raw control characters inside strings, unquoted property names
// (Unicode letters and digits, '_' and '$'), a trailing comma before ']' or
// '}', .NET whitespace (\v, \f, U+00A0 and other Unicode spaces) and the
// NaN, Infinity and -Infinity literals, which decode as Kind Number with
// that literal text. Json.NET's rarer extensions (hexadecimal and octal
// numbers, undefined, new Date(...) constructors, empty array elements) are
// not accepted.
//
// Errors are [*SyntaxError] values carrying the byte offset, a 1-based line
// and column (the column counts characters), a message in encoding/json's
// style and the Json.NET reader path at the failure (the Path of Json.NET's
// JsonReaderException, which Web API turns into the ModelState key). Empty
// input, or input holding only whitespace (and, with DotNet, comments), is
// reported as [ErrEmpty] so that callers can treat it as "no body".
//
// # Encoding
//
// [Append] and [Encode] write compact JSON in the member order of the value
// (the caller orders members). What differs between hosts is decided by the
// [Dialect]: how null members are handled, how times are formatted and which
// characters are escaped. [NewtonsoftDialect] is Json.NET as ASP.NET Web API 2
// configures it:
//
//   - null members are written as null (NullValueHandling.Include);
//   - numbers are written from their literal text, which must be a JSON
//     number, except that, when the schema says so, a double is written as
//     Double.ToString("R") and a double or decimal always has a decimal
//     place ("0.0", "1.0E+300": JsonConvert.ToString); the non-finite literals NaN, Infinity and -Infinity are written
//     as the strings "NaN", "Infinity" and "-Infinity"
//     (FloatFormatHandling.String, Json.NET's default since 5.0);
//   - strings escape only '"', '\\' and control characters below U+0020
//     (\b \t \n \f \r, otherwise \u00xx with lower-case hex digits) plus
//     U+0085, U+2028 and U+2029; '<', '>', '&', the apostrophe, U+007F and other
//     non-ASCII characters are written raw (StringEscapeHandling.Default);
//     ill-formed UTF-8 in a Go string is written as U+FFFD;
//   - times use [codecs.AppendISOTime] (IsoDateFormat, RoundtripKind).
//
// The package knows nothing about hosts, HTTP routing or Echo.
package jsoncodec
