// Package openapi describes the mounted legacy hosts as one OpenAPI 3.1
// document: every operation route (and ServiceStack's predefined routes),
// request and response schemas with their DataContract XML names and
// namespaces, every media type each host reads and writes, each style's
// error shapes and the ServiceStack hosts' authentication schemes.
package openapi

import (
	"encoding/json"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"legacygate/codecs"
	"legacygate/routes/contract"
)

// Mount is one host and where it is mounted.
type Mount struct {
	Host   *contract.Host
	Prefix string
}

type obj = map[string]any

// Build returns the OpenAPI document of the mounts, as JSON.
func Build(title string, mounts []Mount) ([]byte, error) {
	b := &builder{schemas: obj{}, security: obj{}}
	paths := obj{}
	var tags []any
	for _, m := range mounts {
		tags = append(tags, obj{"name": m.Host.Name, "description": m.Host.Title + " (" + string(m.Host.Style) + ")"})
		b.host(paths, m)
	}
	b.errorSchemas()
	doc := obj{
		"openapi": "3.1.0",
		"info": obj{
			"title":       title,
			"version":     "1",
			"description": "The legacy hosts this gateway serves, generated from their contracts. Dates, numbers and names are written as each host's serializer wrote them (Json.NET, DataContractSerializer, ServiceStack.Text); JSV bodies use the JSON schema's structure.",
		},
		"tags":  tags,
		"paths": paths,
		"components": obj{
			"schemas":         b.schemas,
			"securitySchemes": b.security,
		},
	}
	return json.MarshalIndent(doc, "", "  ")
}

type builder struct {
	schemas  obj
	security obj
	opIDs    map[string]int
}

var verbs = []string{"get", "post", "put", "delete", "patch"}

// jsvMedia are the media types JSV is read and written under.
func mediaTypes(h *contract.Host, write bool) []string {
	var out []string
	for _, f := range h.Formats {
		if write && !f.Write || !write && !f.Read {
			continue
		}
		out = append(out, f.MediaTypes...)
	}
	return out
}

func (b *builder) host(paths obj, m Mount) {
	h := m.Host
	prefix := strings.TrimRight(m.Prefix, "/")
	for _, t := range h.Types {
		b.typeSchema(h, t)
	}
	if h.Style == contract.ServiceStack {
		b.securitySchemes(h)
	}
	for _, op := range h.Operations {
		routes := append([]contract.Route{}, op.Routes...)
		if h.Style == contract.ServiceStack {
			for _, f := range []string{"json", "xml", "jsv"} {
				for _, hf := range h.Formats {
					if hf.Name == f && hf.Write {
						routes = append(routes, contract.Route{Method: "POST", Path: "/" + f + "/reply/" + op.Name})
					}
				}
			}
			routes = append(routes, contract.Route{Method: "POST", Path: "/api/" + op.Name})
		}
		for _, rt := range routes {
			path := prefix + rt.Path
			item, _ := paths[path].(obj)
			if item == nil {
				item = obj{}
				paths[path] = item
			}
			methods := []string{strings.ToLower(rt.Method)}
			if rt.Method == "*" {
				methods = verbs
			}
			for _, meth := range methods {
				if _, dup := item[meth]; dup {
					continue
				}
				item[meth] = b.operation(h, op, path, meth)
			}
		}
	}
}

func (b *builder) operation(h *contract.Host, op *contract.Operation, path, method string) obj {
	if b.opIDs == nil {
		b.opIDs = map[string]int{}
	}
	id := h.Name + "." + op.Name
	b.opIDs[id]++
	if n := b.opIDs[id]; n > 1 {
		id += "." + itoa(n)
	}
	o := obj{"operationId": id, "tags": []any{h.Name}, "summary": op.Name}
	if op.Summary != "" {
		o["description"] = op.Summary
	}
	var params []any
	for _, seg := range strings.Split(path, "/") {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			name := seg[1 : len(seg)-1]
			schema := obj{"type": "string"}
			if op.Request != nil {
				if mem := memberFold(op.Request, name); mem != nil {
					schema = b.refSchema(h, mem.Type, false)
				}
			}
			params = append(params, obj{"name": name, "in": "path", "required": true, "schema": schema})
		}
	}
	req := op.Request
	if op.Bind == contract.FromQuery && req != nil {
		for _, mem := range req.AllMembers() {
			p := obj{"name": mem.Name, "in": "query", "schema": b.refSchema(h, mem.Type, false)}
			for _, k := range op.RequireQuery {
				if strings.EqualFold(k, mem.Name) {
					p["required"] = true
				}
			}
			if mem.Doc != "" {
				p["description"] = mem.Doc
			}
			params = append(params, p)
		}
		req = nil
	}
	if params != nil {
		o["parameters"] = params
	}
	if req != nil && method != "get" && method != "delete" {
		content := obj{}
		for _, mt := range mediaTypes(h, false) {
			if req.Ref != nil { // a list, dictionary or scalar body
				content[mt] = obj{"schema": b.refSchema(h, *req.Ref, false)}
				continue
			}
			content[mt] = obj{"schema": obj{"$ref": ref(h, req)}}
		}
		o["requestBody"] = obj{"content": content}
	}
	responses := obj{}
	ok := obj{"description": "OK"}
	if s := b.responseSchema(h, op); s != nil {
		content := obj{}
		for _, mt := range mediaTypes(h, true) {
			content[mt] = obj{"schema": s}
		}
		ok["content"] = content
	}
	if op.Action == contract.ActionActivate && op.Redirect != nil {
		responses["302"] = obj{"description": "Activated; redirects to the registration's callback URL"}
	}
	responses["200"] = ok
	errs := b.errorResponses(h)
	for _, code := range []string{"400", "404", "413", "415", "500", "503"} {
		responses[code] = errs[code]
	}
	if op.Authenticate {
		responses["401"] = obj{"description": "No valid credentials (empty body, WWW-Authenticate)"}
		responses["403"] = obj{"description": "Invalid Role (empty body)"}
		var sec []any
		for _, p := range h.Auth.Providers {
			sec = append(sec, obj{schemeName(h, p): []any{}})
		}
		o["security"] = sec
	}
	o["responses"] = responses
	return o
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func memberFold(t *contract.Type, name string) *contract.Member {
	for _, m := range t.AllMembers() {
		if strings.EqualFold(m.Name, name) {
			return m
		}
	}
	return nil
}

// responseSchema is the 200 body's schema; nil for an empty body.
func (b *builder) responseSchema(h *contract.Host, op *contract.Operation) obj {
	switch {
	case op.Action == contract.ActionLookup:
		return obj{"type": "array", "items": obj{"type": "object", "properties": obj{
			"Code": obj{"type": "string"}, "Name": obj{"type": "string"}}}}
	case op.Response == nil || op.Response.Void:
		return nil
	case op.Response.Ref != nil:
		return b.refSchema(h, *op.Response.Ref, false)
	case op.Response.Primitive:
		return scalarSchema(op.Response.Schema())
	}
	return obj{"$ref": ref(h, op.Response)}
}

func ref(h *contract.Host, t *contract.Type) string {
	return "#/components/schemas/" + schemaName(h, t)
}

func schemaName(h *contract.Host, t *contract.Type) string { return h.Name + "." + t.Name }

// jsonName is a member's name in the host's JSON and JSV.
func jsonName(h *contract.Host, name string) string {
	if h.Naming != contract.CamelCase || name == "" {
		return name
	}
	r, n := utf8.DecodeRuneInString(name)
	return string(unicode.ToLower(r)) + name[n:]
}

func (b *builder) typeSchema(h *contract.Host, t *contract.Type) {
	name := schemaName(h, t)
	if t.Enum != nil {
		b.schemas[name] = obj{"type": "string", "enum": toAny(t.Enum), "xml": obj{"name": t.Name, "namespace": t.Schema().Namespace}}
		return
	}
	props := obj{}
	var required []string
	for _, m := range t.AllMembers() {
		jn := jsonName(h, m.Name)
		if _, dup := props[jn]; dup {
			continue
		}
		s := b.refSchema(h, m.Type, true)
		xml := obj{}
		if jn != m.Name {
			xml["name"] = m.Name
		}
		if owner := declaring(t, m); owner != nil && owner.Schema().Namespace != t.Schema().Namespace {
			xml["namespace"] = owner.Schema().Namespace
		}
		if m.Type.List() || m.Type.Map() {
			xml["wrapped"] = true
		}
		if len(xml) > 0 {
			if _, isRef := s["$ref"]; isRef {
				s = obj{"allOf": []any{s}}
			}
			s["xml"] = xml
		}
		if m.Doc != "" {
			s["description"] = m.Doc
		}
		if m.Secret {
			s["writeOnly"] = true
			if m.Type.Scalar == codecs.StringT {
				s["format"] = "password"
			}
		}
		for _, r := range m.Rules {
			switch r.Kind {
			case contract.RuleRequired:
				required = append(required, jn)
			case contract.RuleLength:
				s["minLength"], s["maxLength"] = r.Min, r.Max
			case contract.RuleMaxLength:
				s["maxLength"] = r.Max
			case contract.RuleMinLength:
				s["minLength"] = r.Min
			case contract.RuleRegex:
				s["pattern"] = r.Pattern
			case contract.RuleEmail:
				s["format"] = "email"
			case contract.RuleIn:
				var codes []any
				for _, it := range h.Lookups[r.Lookup] {
					codes = append(codes, it.Code)
				}
				s["examples"] = codes
			}
		}
		props[jn] = s
	}
	s := obj{"type": "object", "properties": props, "xml": obj{"name": t.Name, "namespace": t.Schema().Namespace}}
	if required != nil {
		sort.Strings(required)
		s["required"] = toAny(required)
	}
	b.schemas[name] = s
}

// declaring is the type in t's base chain that declares m.
func declaring(t *contract.Type, m *contract.Member) *contract.Type {
	for c := t; c != nil; c = c.Parent() {
		for _, x := range c.Members {
			if x == m {
				return c
			}
		}
	}
	return nil
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, x := range s {
		out[i] = x
	}
	return out
}

// refSchema is the schema of a member type.
func (b *builder) refSchema(h *contract.Host, r contract.TypeRef, member bool) obj {
	switch {
	case r.Map():
		return obj{"type": []any{"object", "null"}, "additionalProperties": b.refSchema(h, *r.Elem, false)}
	case r.List():
		item := b.refSchema(h, *r.Elem, false)
		if _, isRef := item["$ref"]; !isRef {
			item["xml"] = obj{"name": r.Elem.Schema().Name, "namespace": r.Schema().Namespace}
		}
		return obj{"type": []any{"array", "null"}, "items": item}
	case r.Object != nil:
		return obj{"$ref": ref(h, r.Object)}
	case r.Scalar == codecs.EnumT && r.Enum != nil:
		if r.Nullable {
			return obj{"oneOf": []any{obj{"$ref": ref(h, r.Enum)}, obj{"type": "null"}}}
		}
		return obj{"$ref": ref(h, r.Enum)}
	}
	return scalarSchema(r.Schema())
}

func scalarSchema(t *codecs.Type) obj {
	s := obj{}
	typ := "string"
	switch t.Scalar {
	case codecs.BoolT:
		typ = "boolean"
	case codecs.Int32T:
		typ, s["format"] = "integer", "int32"
	case codecs.Int64T:
		typ, s["format"] = "integer", "int64"
	case codecs.DecimalT:
		typ, s["format"] = "number", "decimal"
	case codecs.DoubleT:
		typ, s["format"] = "number", "double"
	case codecs.GuidT:
		s["format"] = "uuid"
	case codecs.DateTimeT, codecs.DateTimeOffsetT:
		s["format"] = "date-time"
	case codecs.ByteT, codecs.SByteT, codecs.Int16T, codecs.UInt16T, codecs.UInt32T, codecs.UInt64T:
		lo, hi := intBounds(t.Scalar)
		typ, s["format"], s["minimum"], s["maximum"] = "integer", t.Scalar.CSharpName(), lo, hi
	case codecs.TimeSpanT:
		s["format"] = "duration" // Json.NET's "c" text or an XSD duration, by host style
	case codecs.BytesT:
		s["format"] = "byte" // OpenAPI: Base64
	}
	if t.Nullable {
		s["type"] = []any{typ, "null"}
	} else {
		s["type"] = typ
	}
	return s
}

// intBounds are the range of a small or unsigned integer family (as JSON
// numbers; ulong's maximum is written exactly).
func intBounds(sc codecs.Scalar) (lo, hi any) {
	switch sc {
	case codecs.ByteT:
		return 0, 255
	case codecs.SByteT:
		return -128, 127
	case codecs.Int16T:
		return -32768, 32767
	case codecs.UInt16T:
		return 0, 65535
	case codecs.UInt32T:
		return 0, uint64(4294967295)
	}
	return 0, uint64(18446744073709551615)
}

func schemeName(h *contract.Host, provider string) string { return h.Name + "." + provider }

// securitySchemes are a ServiceStack host's auth providers: Basic, API
// keys sent as a Bearer token, and the ss-id session cookie that
// /auth/credentials opens.
func (b *builder) securitySchemes(h *contract.Host) {
	for _, p := range h.Auth.Providers {
		switch p {
		case "basic":
			b.security[schemeName(h, p)] = obj{"type": "http", "scheme": "basic", "description": h.Title + ": HTTP Basic against the user store"}
		case "apikey":
			b.security[schemeName(h, p)] = obj{"type": "http", "scheme": "bearer", "description": h.Title + ": an API key as a Bearer token"}
		case "credentials":
			b.security[schemeName(h, p)] = obj{"type": "apiKey", "in": "cookie", "name": "ss-id", "description": h.Title + ": the session /auth/credentials opened (ss-pid when remembered)"}
		}
	}
}

// errorSchemas are the two styles' error bodies.
func (b *builder) errorSchemas() {
	b.schemas["webapi.HttpError"] = obj{
		"type":        "object",
		"description": "ASP.NET Web API's HttpError: Message, and ModelState for validation failures (keys are parameter.Member)",
		"properties": obj{
			"Message":    obj{"type": "string"},
			"ModelState": obj{"type": "object", "additionalProperties": obj{"type": "array", "items": obj{"type": "string"}}},
		},
		"required": []any{"Message"},
		"xml":      obj{"name": "Error"},
	}
	rs := obj{"type": "object", "properties": obj{
		"ErrorCode": obj{"type": "string"},
		"Message":   obj{"type": "string"},
		"Errors": obj{"type": "array", "items": obj{"type": "object", "properties": obj{
			"ErrorCode": obj{"type": "string"}, "FieldName": obj{"type": "string"}, "Message": obj{"type": "string"},
			"Meta": obj{"type": "object", "additionalProperties": obj{"type": "string"}},
		}}},
	}}
	b.schemas["servicestack.ErrorResponse"] = obj{
		"type":        "object",
		"description": "ServiceStack's error body: ResponseStatus (camelCase on hosts that write camelCase JSON)",
		"properties":  obj{"ResponseStatus": rs},
		"xml":         obj{"name": "ErrorResponse", "namespace": "http://schemas.servicestack.net/types"},
	}
}

func (b *builder) errorResponses(h *contract.Host) map[string]obj {
	name := "webapi.HttpError"
	if h.Style == contract.ServiceStack {
		name = "servicestack.ErrorResponse"
	}
	content := obj{}
	for _, mt := range mediaTypes(h, true) {
		content[mt] = obj{"schema": obj{"$ref": "#/components/schemas/" + name}}
	}
	out := map[string]obj{}
	for code, desc := range map[string]string{
		"400": "Invalid request: binding and validation failures, a taken user name or email",
		"404": "No such route",
		"413": "Request body too large",
		"415": "Unsupported request media type",
		"500": "Unexpected error (no detail is sent)",
		"503": "Backend unavailable or overloaded; Retry-After says when to try again",
	} {
		out[code] = obj{"description": desc, "content": content}
	}
	return out
}
