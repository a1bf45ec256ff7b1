// Package servicestack is the pipeline style of ServiceStack hosts:
// ServiceStack's content negotiation (?format=, the path format of
// predefined routes and .ext suffixes, Accept, the default), request
// binding (the body by its Content-Type, then the path, query and form
// key/value overlay with JSV-syntax values), FluentValidation-worded
// ResponseStatus errors and ServiceStack.Text's JSON and JSV writers.
//
// Sources are cited in shared/spec/servicestack.md and shared/spec/jsv.md.
package servicestack
