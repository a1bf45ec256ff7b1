// Package contract describes a legacy host as data: its style, formats,
// operations (routes, action, request and response types, the mapping to the
// canonical command) and types (members, kinds, validation rules, XML
// namespaces). [Load] reads a YAML contract with strict validation and
// positioned errors; the compiled [Host] hands codecs their schema
// ([codecs.Type]) and the pipeline's steps (routes/pipeline/bind, validate,
// mapping) the annotations they need: rules, display names, secrets,
// response expressions. Nothing here runs per request; dependencies point
// one way: steps → contract → codecs.
//
// A contract knows nothing about HTTP frameworks or Redis: this package must
// not import echo, net/http or backend/redisstore. Per-host behaviour is a
// named flag or a value here, never an `if host ==` branch elsewhere.
package contract
