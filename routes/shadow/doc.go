// Package shadow runs shadow mode: besides answering a client, the gateway
// sends a sample of live requests to the legacy host, compares the legacy
// answer with its own using routes/exchange/diff, logs each difference and
// counts matches and differences. It is an http.Handler middleware with no
// knowledge of Echo or of the pipeline: the caller tells it, after the
// request was served, which host and operation served it and which member
// names are secret.
//
// Nothing it does is on the request path beyond copying bounded prefixes
// of the request and response bodies as they stream: comparisons are
// queued (bounded; a full queue drops the sample and counts it) and run by
// a fixed number of workers, so shadow mode never slows or fails a
// client's request.
//
// A request that is not GET, HEAD or OPTIONS is only shadowed for
// operations whose configuration sets side_effects: true, because the
// legacy host will act on it (register a second account there, send a
// second email).
package shadow
