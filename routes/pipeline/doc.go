// Package pipeline is the one generic request handler every legacy operation
// is served by: negotiate, read, decode, bind, validate, map to the canonical
// command, call the backend, map the result, encode. Each step is a small
// function; host-specific behaviour comes from the operation's contract and
// the host style ([Style]), never from branches on a host's name.
package pipeline
