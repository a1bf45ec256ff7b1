// Package diff compares two HTTP responses the way their formats mean them,
// for contract replay (`legacygate replay`) and shadow mode.
//
// It has no HTTP client or server inside: callers hand it a [Message]
// (status, headers, body) for the expected and the actual response and get
// back a list of [Difference]s, each naming where it is (a path), what kind
// it is, and the expected and actual text.
//
// Bodies are compared by the expected response's media type:
//
//   - JSON (application/json, text/json, *+json) by structure: objects by
//     member name, arrays by position. A member that is present on both
//     sides but in another order is a difference of its own kind
//     ([Order]), which a rule or [Options.IgnoreOrder] can ignore, because
//     JSON clients do not see it.
//   - XML (application/xml, text/xml, *+xml) by infoset, as
//     DataContractSerializer reads it: elements by namespace URI and local
//     name, attributes as a set, the order of child elements significant
//     ([Sequence]: a DataContract reader skips a member met out of order),
//     whitespace between elements ignored. Prefixes and namespace
//     declarations are compared only with [Options.Prefixes].
//   - JSV (text/jsv, application/jsv) by structure, read with
//     codecs/jsvcodec, with JSON's rules.
//   - Forms (application/x-www-form-urlencoded) as ordered key/value pairs.
//   - Anything else byte for byte (a body that both sides write as JSON
//     under another media type is compared as JSON).
//
// Only the headers the expected response lists are compared; Content-Type
// by media type and parameters, Location by path and query when both are
// absolute, Set-Cookie by cookie name and attributes (not values), Vary as
// a set of names, WWW-Authenticate and every other header as text.
//
// In expected text, {{int}}, {{uuid}}, {{datetime}} and {{any}} stand for
// generated values, as in the golden corpus. [Rule]s drop volatile
// differences by path, kind or value pattern.
package diff
