// Package backend owns the format-free core of legacygate: the canonical
// [RegisterCommand] every legacy request is normalised into, the [User] it
// produces, the [Registrar] interface the routes call, and the sentinel
// errors the routes map to each host's own error envelope.
//
// It must not import net/http, echo, codecs or routes: a backend knows
// nothing about wire formats or hosts. Implementations live below it
// (redisstore); password hashing lives in passhash.
package backend
