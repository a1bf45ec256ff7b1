// Package codecs owns the wire formats the legacy hosts spoke: the neutral
// value tree every decoder produces and every encoder consumes ([Value]), the
// schema that guides typed encoding and decoding ([Type]), media-type and
// Accept-header parsing, and the content-negotiation algorithms of the two host
// styles (ASP.NET Web API and ServiceStack), driven by data handed in by the
// caller.
//
// The format packages live below it (jsoncodec, and later xmlcodec, formcodec,
// jsvcodec). Nothing here knows about hosts, HTTP routing, Echo or Redis: this
// package and its children must not import routes, backend or echo.
package codecs
