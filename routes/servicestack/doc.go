// Package servicestack is the pipeline style of ServiceStack hosts:
// ServiceStack's content negotiation (?format=, the path format of
// predefined routes and .ext suffixes, Accept, the default), request
// binding (the body by its Content-Type, then the path, query and form
// key/value overlay, read by formcodec.ReadServiceStack), codecs looked up
// in codecs/registry by dialect, FluentValidation-worded
// ResponseStatus errors and ServiceStack.Text's JSON and JSV writers.
//
// The behaviour and its public sources are described in
// docs/legacy/servicestack.md and docs/legacy/jsv.md.
package servicestack
