// Package mapping is the pipeline's mapping step: from a bound, validated
// request to the canonical backend command (fields, attributes, requested
// roles checked against the contract's role policy), and from a backend
// user back to the operation's response type through the contract's
// response expressions. It imports the contract and backend, nothing of
// HTTP.
package mapping
