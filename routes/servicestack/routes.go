package servicestack

import (
	"net/http"

	"legacygate/routes/contract"
	"legacygate/routes/pipeline"
)

// predefinedFormats are the formats ServiceStack's predefined routes
// /{format}/reply|oneway/{Operation} and route suffixes may name.
var predefinedFormats = []string{"json", "xml", "jsv"}

// Routes are what a ServiceStack AppHost serves for a host: each
// operation's custom routes (which take a ".json"/".xml"/".jsv" suffix,
// AllowRouteContentTypeExtensions), the predefined routes
// /{format}/reply|oneway/{Operation} on every verb for each format the
// host writes, /api/{Operation} (JSON unless suffixed; the default of
// current clients), and the metadata pages.
func (Style) Routes(h *contract.Host, prefix string, handler func(*contract.Operation) http.Handler) []pipeline.Route {
	var formats []string
	for _, f := range predefinedFormats {
		if writes(h, f) {
			formats = append(formats, f)
		}
	}
	var out []pipeline.Route
	for _, op := range h.Operations {
		hd := handler(op)
		for _, rt := range op.Routes {
			out = append(out, pipeline.Route{Method: rt.Method, Path: prefix + rt.Path, Handler: hd, Suffixes: formats})
		}
		for _, f := range formats {
			for _, kind := range []string{"reply", "oneway"} {
				out = append(out, pipeline.Route{Method: "*", Path: prefix + "/" + f + "/" + kind + "/" + op.Name, Handler: hd, Predefined: true, Format: f})
			}
		}
		out = append(out, pipeline.Route{Method: "*", Path: prefix + "/api/" + op.Name, Handler: hd, Predefined: true, Format: "json"})
		if op.Action == contract.ActionAuthenticate {
			out = append(out, authRoutes(prefix, hd, formats)...)
		}
	}
	md := &Metadata{Host: h, Prefix: prefix}
	page := func(f string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { md.ServeHTTP(w, r, f) })
	}
	out = append(out, pipeline.Route{Method: http.MethodGet, Path: prefix + "/metadata", Handler: page("")})
	for _, f := range formats {
		out = append(out, pipeline.Route{Method: http.MethodGet, Path: prefix + "/" + f + "/metadata", Handler: page(f)})
	}
	// "Add ServiceStack Reference": the DTOs as metadata, C# and TypeScript.
	nt := &NativeTypes{Host: h, Prefix: prefix}
	for _, lang := range []string{"metadata", "csharp", "typescript"} {
		lang := lang
		out = append(out, pipeline.Route{Method: http.MethodGet, Path: prefix + "/types/" + lang,
			Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { nt.ServeHTTP(w, r, lang) })})
	}
	return out
}

// Authenticator is the AuthFeature's providers over the backend.
func (Style) Authenticator(d pipeline.AuthDeps) pipeline.Authenticator {
	return &Authenticator{Registrar: d.Registrar, Sessions: d.Sessions, APIKeys: d.APIKeys}
}

// bodyFormats are the formats a request body may come in, by media type.
var bodyFormats = map[string]string{"application/json": "json", "application/jsv": "jsv", "application/xml": "xml"}

// reads reports whether host h reads format.
func reads(h *contract.Host, format string) bool {
	for _, f := range h.Formats {
		if f.Name == format && f.Read {
			return true
		}
	}
	return false
}

// writes reports whether host h writes format.
func writes(h *contract.Host, format string) bool {
	for _, f := range h.Formats {
		if f.Name == format && f.Write {
			return true
		}
	}
	return false
}

// UnmatchedVerbIsNotFound: RestPath.IsMatch refuses a method its route's
// verbs leave out before looking at the path, so ServiceStack finds no
// handler (404 NotFound "Handler for Request not found"), never a 405
// (ServiceStack/ServiceStack, ServiceStack/src/ServiceStack/Host/RestPath.cs).
// Its 405 NotImplementedException ("Could not find method named GET or
// Any") comes from a matched route whose service lacks the verb's method,
// which a contract cannot declare (a route's verbs are the operation's).
func (Style) UnmatchedVerbIsNotFound() bool { return true }
