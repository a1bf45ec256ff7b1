// Package helppage serves ASP.NET Web API help pages (the HelpPage NuGet
// template's /Help and /Help/Api/{id}) generated from host contracts: the
// operation index grouped by controller, and per operation its URI and
// body parameter tables, resource description and one sample per media
// type, produced by the host's own writers.
//
// The layout follows the template's Razor views (aspnetwebstack,
// src/WebApiHelpPage/Areas/HelpPage/Views/Help: Index.cshtml,
// DisplayTemplates/ApiGroup.cshtml, HelpPageApiModel.cshtml,
// Parameters.cshtml, Samples.cshtml); type names and annotation texts
// follow ModelDescriptions/ModelDescriptionGenerator.cs; operation ids
// follow ApiDescriptionExtensions.GetFriendlyId.
package helppage

import (
	"bytes"
	"encoding/json"
	"html"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"legacygate/codecs"
	"legacygate/codecs/xmlcodec"
	"legacygate/routes/contract"
	"legacygate/routes/pipeline"
)

// Mount is one Web API host and where it is mounted.
type Mount struct {
	Host   *contract.Host
	Prefix string
	// Encoder returns the host's writer for a format (the style's).
	Encoder func(h *contract.Host, format string) pipeline.Encoder
}

// Pages serves the help pages of every Web API mount of one listener.
type Pages struct {
	Mounts []Mount
	// Now is DateTime.Now for date samples; time.Now when nil.
	Now func() time.Time
	// NewGUID makes Guid samples (Guid.NewGuid); random when nil.
	NewGUID func() string
}

// API is one ApiDescription: an operation reached by one method and path.
type API struct {
	Mount  *Mount
	Op     *contract.Operation
	Method string
	// Path is the relative path as the help page prints it
	// ("api/v1/Account/Register", "Account/IsUserAvailable?username={username}").
	Path string
	ID   string
}

// APIs lists every mounted Web API operation route, in mount and contract
// order.
func (p *Pages) APIs() []API {
	var out []API
	for i := range p.Mounts {
		m := &p.Mounts[i]
		for _, op := range m.Host.Operations {
			for _, rt := range op.Routes {
				methods := []string{rt.Method}
				if rt.Method == "*" {
					methods = []string{"GET", "POST", "PUT", "DELETE"}
				}
				for _, meth := range methods {
					path := strings.TrimPrefix(strings.TrimRight(m.Prefix, "/")+rt.Path, "/")
					var keys []string
					if op.Bind == contract.FromQuery && op.Request != nil {
						var q []string
						for _, mem := range op.Request.AllMembers() {
							keys = append(keys, mem.Name)
							q = append(q, mem.Name+"={"+mem.Name+"}")
						}
						if len(q) > 0 {
							path += "?" + strings.Join(q, "&")
						}
					}
					out = append(out, API{Mount: m, Op: op, Method: meth, Path: path, ID: FriendlyID(meth, path)})
				}
			}
		}
	}
	return out
}

// FriendlyID is HelpPage's URI-friendly id of an API: the method, the path
// with "/" as "-" and braces dropped, and the query keys joined by "_"
// ("GET-Account-IsUserAvailable_username").
func FriendlyID(method, path string) string {
	local, query, _ := strings.Cut(path, "?")
	id := method + "-" + strings.NewReplacer("/", "-", "{", "", "}", "").Replace(local)
	if query != "" {
		var keys []string
		for _, kv := range strings.Split(query, "&") {
			k, _, _ := strings.Cut(kv, "=")
			keys = append(keys, k)
		}
		id += "_" + strings.Join(keys, "_")
	}
	return id
}

// ServeHTTP serves /Help, /Help/Api/{id} and /Help/ResourceModel (any
// case).
func (p *Pages) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimRight(r.URL.Path, "/")
	const api = "/help/api/"
	var body []byte
	status := http.StatusOK
	switch {
	case strings.EqualFold(path, "/help"):
		body = p.Index()
	case strings.EqualFold(path, "/help/resourcemodel"):
		var ok bool
		body, ok = p.ResourceModel(r.URL.Query().Get("modelName"))
		if !ok {
			status = http.StatusNotFound
			body = layout("Help Page", "<h1>Not Found</h1>\n<p>No model is named "+html.EscapeString(r.URL.Query().Get("modelName"))+".</p>\n")
		}
	case len(path) > len(api) && strings.EqualFold(path[:len(api)], api):
		var ok bool
		body, ok = p.Page(path[len(api):])
		if !ok {
			status = http.StatusNotFound
			body = layout("Help Page", "<h1>Not Found</h1>\n<p>No API has the id "+html.EscapeString(path[len(api):])+".</p>\n")
		}
	default:
		status = http.StatusNotFound
		body = layout("Help Page", "<h1>Not Found</h1>\n")
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func layout(title, content string) []byte {
	return []byte("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\" />\n<title>" + html.EscapeString(title) +
		"</title>\n</head>\n<body>\n" + content + "</body>\n</html>\n")
}

var versionSeg = regexp.MustCompile(`(?i)^v\d+(\.\d+)?$`)

// controller guesses the controller name of a route: the first segment
// after "api" and a version segment ("api/v1/Account/Register" → Account).
func controller(path string) string {
	path, _, _ = strings.Cut(path, "?")
	segs := strings.Split(path, "/")
	for len(segs) > 1 && (strings.EqualFold(segs[0], "api") || versionSeg.MatchString(segs[0])) {
		segs = segs[1:]
	}
	return segs[0]
}

// Index is the /Help page: every API grouped by host and controller.
func (p *Pages) Index() []byte {
	var b strings.Builder
	b.WriteString("<header class=\"help-page\">\n<h1>ASP.NET Web API Help Page</h1>\n</header>\n<div id=\"body\" class=\"help-page\">\n")
	apis := p.APIs()
	var host *contract.Host
	group := ""
	for _, a := range apis {
		if a.Mount.Host != host {
			if group != "" {
				b.WriteString("</tbody>\n</table>\n")
			}
			host, group = a.Mount.Host, ""
			b.WriteString("<h2>" + html.EscapeString(host.Title) + "</h2>\n")
		}
		if c := controller(a.Path); c != group {
			if group != "" {
				b.WriteString("</tbody>\n</table>\n")
			}
			group = c
			b.WriteString("<h3 id=\"" + html.EscapeString(c) + "\">" + html.EscapeString(c) + "</h3>\n<table class=\"help-page-table\">\n<thead>\n<tr><th>API</th><th>Description</th></tr>\n</thead>\n<tbody>\n")
		}
		b.WriteString("<tr>\n<td class=\"api-name\"><a href=\"/Help/Api/" + html.EscapeString(a.ID) + "\">" + html.EscapeString(a.Method+" "+a.Path) + "</a></td>\n<td class=\"api-documentation\"><p>" + html.EscapeString(docOr(a.Op.Summary)) + "</p></td>\n</tr>\n")
	}
	if group != "" {
		b.WriteString("</tbody>\n</table>\n")
	}
	b.WriteString("</div>\n")
	return layout("ASP.NET Web API Help Page", b.String())
}

func docOr(s string) string {
	if s == "" {
		return "No documentation available."
	}
	return s
}

// Page is one API's page, by friendly id (case-insensitive, as MVC routes).
func (p *Pages) Page(id string) ([]byte, bool) {
	for _, a := range p.APIs() {
		if strings.EqualFold(a.ID, id) {
			return p.render(a), true
		}
	}
	return nil, false
}

// ResourceModel is the page a model link leads to
// (/Help/ResourceModel?modelName=X, ResourceModel.cshtml): the model's
// member table, or an enum's values. Models are looked up in mount order.
func (p *Pages) ResourceModel(name string) ([]byte, bool) {
	var t *contract.Type
	for _, m := range p.Mounts {
		for n, x := range m.Host.Types {
			if t == nil && strings.EqualFold(n, name) {
				t = x
			}
		}
	}
	if t == nil && strings.EqualFold(name, lookupItem.Name) {
		t = lookupItem
	}
	if t == nil {
		return nil, false
	}
	var b strings.Builder
	b.WriteString("<h1>" + html.EscapeString(t.Name) + "</h1>\n")
	if t.Enum != nil {
		b.WriteString("<h2>Possible enumeration values:</h2>\n<table class=\"help-page-table\">\n<thead>\n<tr><th>Name</th><th>Value</th><th>Description</th></tr>\n</thead>\n<tbody>\n")
		for i, e := range t.Enum {
			b.WriteString("<tr><td class=\"enum-name\"><b>" + html.EscapeString(e) + "</b></td><td class=\"enum-value\"><p>" + strconv.Itoa(i) + "</p></td><td class=\"enum-description\"><p></p></td></tr>\n")
		}
		b.WriteString("</tbody>\n</table>\n")
	} else {
		parameterTable(&b, t.AllMembers())
	}
	return layout(t.Name, b.String()), true
}

func (p *Pages) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

func (p *Pages) render(a API) []byte {
	var b strings.Builder
	op := a.Op
	b.WriteString("<h1>" + html.EscapeString(a.Method+" "+a.Path) + "</h1>\n<div>\n")
	b.WriteString("<p>" + html.EscapeString(op.Summary) + "</p>\n")
	b.WriteString("<h2>Request Information</h2>\n<h3>URI Parameters</h3>\n")
	body := op.Request
	if op.Bind == contract.FromQuery && op.Request != nil {
		parameterTable(&b, op.Request.AllMembers())
		body = nil
	} else {
		b.WriteString("<p>None.</p>\n")
	}
	b.WriteString("<h3>Body Parameters</h3>\n")
	if body != nil && body.Ref != nil {
		b.WriteString("<p>" + html.EscapeString(TypeDoc(*body.Ref)) + "</p>\n")
		b.WriteString("<h3>Request Formats</h3>\n")
		p.samples(&b, a.Mount, body, true)
	} else if body != nil {
		modelLink(&b, body)
		parameterTable(&b, body.AllMembers())
		b.WriteString("<h3>Request Formats</h3>\n")
		p.samples(&b, a.Mount, body, true)
	} else {
		b.WriteString("<p>None.</p>\n")
	}
	b.WriteString("<h2>Response Information</h2>\n<h3>Resource Description</h3>\n")
	resp := resourceType(op)
	switch {
	case resp == nil:
		b.WriteString("<p>None.</p>\n")
	case resp.Primitive:
		b.WriteString("<p>" + html.EscapeString(primitiveName(resp)) + "</p>\n")
		b.WriteString("<h3>Response Formats</h3>\n")
		p.samples(&b, a.Mount, resp, false)
	default:
		if op.Action == contract.ActionLookup {
			b.WriteString("<p>Collection of " + html.EscapeString(resp.Name) + "</p>\n")
		} else {
			modelLink(&b, resp)
		}
		parameterTable(&b, resp.AllMembers())
		b.WriteString("<h3>Response Formats</h3>\n")
		p.samples(&b, a.Mount, resp, false)
	}
	b.WriteString("</div>\n")
	return layout(a.Method+" "+a.Path, b.String())
}

// lookupItem is the shape a lookup operation answers with, a list of it.
var lookupItem = func() *contract.Type {
	h, err := contract.Load("lookup.yaml", []byte("host: lookup\nstyle: webapi\nformats: [{format: json, media_types: [application/json]}]\n"+
		"operations: [{name: L, action: register, routes: [{method: POST, path: /l}], request: LookupItem, response: LookupItem, command: {username: Code}}]\n"+
		"types: {LookupItem: {members: [{name: Code, type: string}, {name: Name, type: string}]}}\n"))
	if err != nil {
		panic(err)
	}
	return h.Types["LookupItem"]
}()

// resourceType is the response type a page documents; nil for none.
func resourceType(op *contract.Operation) *contract.Type {
	if op.Action == contract.ActionLookup {
		return lookupItem
	}
	if op.Response == nil || op.Response.Void {
		return nil
	}
	return op.Response
}

func primitiveName(t *contract.Type) string {
	if t.Ref != nil {
		return TypeDoc(*t.Ref)
	}
	if t.Schema() != nil {
		return scalarDoc(t.Schema().Scalar)
	}
	return t.Name
}

func modelLink(b *strings.Builder, t *contract.Type) {
	b.WriteString("<a href=\"/Help/ResourceModel?modelName=" + html.EscapeString(t.Name) + "\">" + html.EscapeString(t.Name) + "</a>\n")
}

// parameterTable is Parameters.cshtml: Name, Description, Type,
// Additional information.
func parameterTable(b *strings.Builder, members []*contract.Member) {
	b.WriteString("<table class=\"help-page-table\">\n<thead>\n<tr><th>Name</th><th>Description</th><th>Type</th><th>Additional information</th></tr>\n</thead>\n<tbody>\n")
	seen := map[string]bool{}
	for _, m := range members {
		if seen[m.Name] {
			continue
		}
		seen[m.Name] = true
		b.WriteString("<tr>\n<td class=\"parameter-name\">" + html.EscapeString(m.Name) + "</td>\n<td class=\"parameter-documentation\"><p>" + html.EscapeString(m.Doc) + "</p></td>\n")
		b.WriteString("<td class=\"parameter-type\">" + html.EscapeString(TypeDoc(m.Type)) + "</td>\n")
		b.WriteString("<td class=\"parameter-annotations\">")
		if ann := Annotations(m); len(ann) > 0 {
			for _, a := range ann {
				b.WriteString("<p>" + html.EscapeString(a) + "</p>")
			}
		} else {
			b.WriteString("<p>None.</p>")
		}
		b.WriteString("</td>\n</tr>\n")
	}
	b.WriteString("</tbody>\n</table>\n")
}

// TypeDoc is ModelDescriptionGenerator's name of a member type: "string",
// "integer", "date", "Collection of X", a complex type's own name.
func TypeDoc(ref contract.TypeRef) string {
	switch {
	case ref.Map():
		return "Dictionary of string [key] and " + TypeDoc(*ref.Elem) + " [value]"
	case ref.List():
		return "Collection of " + TypeDoc(*ref.Elem)
	case ref.Object != nil:
		return ref.Object.Name
	case ref.Scalar == codecs.EnumT && ref.Enum != nil:
		return ref.Enum.Name
	}
	return scalarDoc(ref.Scalar)
}

// scalarDoc is HelpPage's ModelDescriptionGenerator.DefaultTypeDocumentation.
func scalarDoc(sc codecs.Scalar) string {
	switch sc {
	case codecs.Int32T, codecs.Int64T, codecs.Int16T:
		return "integer"
	case codecs.UInt16T, codecs.UInt32T, codecs.UInt64T:
		return "unsigned integer"
	case codecs.ByteT:
		return "byte"
	case codecs.SByteT:
		return "signed byte"
	case codecs.TimeSpanT:
		return "time interval"
	case codecs.BytesT:
		return "Collection of byte" // an array, described by its item type
	case codecs.DecimalT, codecs.DoubleT:
		return "decimal number"
	case codecs.BoolT:
		return "boolean"
	case codecs.GuidT:
		return "globally unique identifier"
	case codecs.DateTimeT, codecs.DateTimeOffsetT:
		return "date"
	}
	return "string"
}

// Annotations are the DataAnnotations texts of a member's rules, Required
// first and the rest sorted (ModelDescriptionGenerator.GenerateAnnotations).
// Rules HelpPage has no text for (Compare, EmailAddress, the gateway's own
// lookup and password rules) are not shown, as they were not.
func Annotations(m *contract.Member) []string {
	var req bool
	var out []string
	for _, r := range m.Rules {
		switch r.Kind {
		case contract.RuleRequired:
			req = true
		case contract.RuleLength:
			out = append(out, "String length: inclusive between "+strconv.Itoa(r.Min)+" and "+strconv.Itoa(r.Max))
		case contract.RuleMaxLength:
			out = append(out, "Max length: "+strconv.Itoa(r.Max))
		case contract.RuleMinLength:
			out = append(out, "Min length: "+strconv.Itoa(r.Min))
		case contract.RuleRange:
			out = append(out, "Range: inclusive between "+strconv.Itoa(r.Min)+" and "+strconv.Itoa(r.Max))
		case contract.RuleRegex:
			out = append(out, "Matching regular expression pattern: "+r.Pattern)
		}
	}
	sort.Slice(out, func(i, j int) bool { return strings.ToLower(out[i]) < strings.ToLower(out[j]) })
	if req {
		out = append([]string{"Required"}, out...)
	}
	return out
}

// samples writes one sample per media type, media types with the same
// sample text sharing one (Samples.cshtml groups by sample). JSON media
// types are shown indented (Json.NET Formatting.Indented), XML ones
// re-indented (XDocument.ToString), any other media type raw; a format
// that reads but never writes shows "Sample not available.".
func (p *Pages) samples(b *strings.Builder, m *Mount, t *contract.Type, request bool) {
	type sample struct {
		media []string
		text  string
	}
	var out []sample
	add := func(mt, text string) {
		for i := range out {
			if out[i].text == text {
				out[i].media = append(out[i].media, mt)
				return
			}
		}
		out = append(out, sample{media: []string{mt}, text: text})
	}
	var v codecs.Value
	switch {
	case t.Ref != nil:
		v = newSampler(p.now(), p.NewGUID).member(&generator{}, *t.Ref)
	case t.Primitive:
		v = newSampler(p.now(), p.NewGUID).simple(&generator{}, t.Schema().Scalar)
	default:
		v = newSampler(p.now(), p.NewGUID).object(t)
	}
	list := t == lookupItem
	schema := t.Schema()
	if list {
		v = codecs.Arr(v, v)
		schema = &codecs.Type{Shape: codecs.ListShape, Elem: t.Schema(), Name: "ArrayOf" + t.Name, Nullable: true}
	}
	for _, f := range m.Host.Formats {
		if !f.Write {
			if request && f.Read {
				for _, mt := range f.MediaTypes {
					add(mt, "Sample not available.")
				}
			}
			continue
		}
		var enc pipeline.Encoder
		if m.Encoder != nil {
			enc = m.Encoder(m.Host, f.Name)
		}
		if enc == nil {
			continue
		}
		raw, err := enc.Append(nil, v, schema)
		if err != nil {
			for _, mt := range f.MediaTypes {
				add(mt, "Sample not available.")
			}
			continue
		}
		for _, mt := range f.MediaTypes {
			add(mt, pretty(mt, raw))
		}
	}
	for _, s := range out {
		b.WriteString("<h4>" + html.EscapeString(strings.Join(s.media, ", ")) + "</h4>\n<div class=\"sample-content\">\n<span><b>Sample:</b></span>\n<pre class=\"wrapped\">" + html.EscapeString(s.text) + "</pre>\n</div>\n")
	}
}

func pretty(mediaType string, raw []byte) string {
	lower := strings.ToLower(mediaType)
	switch {
	case strings.Contains(lower, "json"):
		var buf bytes.Buffer
		if json.Indent(&buf, raw, "", "  ") == nil {
			return buf.String()
		}
	case strings.Contains(lower, "xml"):
		if out, err := xmlcodec.Indent(raw); err == nil {
			return string(out)
		}
	}
	return string(raw)
}
