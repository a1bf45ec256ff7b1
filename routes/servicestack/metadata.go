package servicestack

import (
	"html"
	"net/http"
	"strings"

	"legacygate/codecs"
	"legacygate/codecs/jsvcodec"
	"legacygate/codecs/xmlcodec"
	"legacygate/routes/contract"
)

// Metadata serves a ServiceStack host's metadata pages from its contract:
// the index at {prefix}/metadata and one page per operation and format at
// {prefix}/{json|xml|jsv}/metadata?op={Operation}, laid out as
// BaseMetadataHandler lays them out (routes, parameter tables, the
// "Accept / .ext / ?format=" line, an HTTP sample whose bodies are the
// request and response types filled with placeholder values and printed
// by the format's writer; JSV with JsvFormatter).
type Metadata struct {
	Host   *contract.Host
	Prefix string
}

// ServeHTTP serves the index (format == "") or an operation page.
func (m *Metadata) ServeHTTP(w http.ResponseWriter, r *http.Request, format string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Add("Vary", "Accept")
	var b strings.Builder
	title := html.EscapeString(m.Host.Title)
	b.WriteString("<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>" + title + "</title></head><body>\n<h1>" + title + "</h1>\n")
	op := m.Host.Operation(r.URL.Query().Get("op"))
	if format == "" || op == nil || !m.hasFormat(format) {
		if format != "" && (op == nil || !m.hasFormat(format)) {
			w.WriteHeader(http.StatusNotFound)
		}
		m.index(&b)
	} else {
		m.operation(&b, op, format, r.Host)
	}
	b.WriteString("</body></html>\n")
	_, _ = w.Write([]byte(b.String()))
}

func (m *Metadata) hasFormat(f string) bool {
	for _, x := range m.Host.Formats {
		if x.Name == f && x.Write {
			return true
		}
	}
	return false
}

func (m *Metadata) index(b *strings.Builder) {
	b.WriteString("<p>The following operations are supported.</p>\n<table>\n<tr><th>Operation</th>")
	for _, f := range m.Host.Formats {
		if f.Write {
			b.WriteString("<th>" + strings.ToUpper(f.Name) + "</th>")
		}
	}
	b.WriteString("</tr>\n")
	for _, op := range m.Host.Operations {
		b.WriteString("<tr><td>" + html.EscapeString(op.Name) + "</td>")
		for _, f := range m.Host.Formats {
			if f.Write {
				b.WriteString(`<td><a href="` + m.Prefix + "/" + f.Name + "/metadata?op=" + op.Name + `">` + strings.ToUpper(f.Name) + "</a></td>")
			}
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</table>\n")
}

func (m *Metadata) operation(b *strings.Builder, op *contract.Operation, format, host string) {
	if host == "" {
		host = "localhost"
	}
	b.WriteString("<p><a href=\"" + html.EscapeString(m.Prefix) + "/metadata\">&lt;back to all web services</a></p>\n")
	b.WriteString("<h2>" + html.EscapeString(op.Name) + "</h2>\n")
	if op.Summary != "" {
		b.WriteString("<p>" + html.EscapeString(op.Summary) + "</p>\n")
	}
	if op.Authenticate {
		b.WriteString("<div class=\"auth\"><p>Requires Authentication</p>")
		if len(op.Roles) > 0 {
			b.WriteString("<p>Required role:" + html.EscapeString(strings.Join(op.Roles, ", ")) + "</p>")
		}
		b.WriteString("</div>\n")
	}
	b.WriteString("<p>The following routes are available for this service:</p>\n<table>\n")
	for _, rt := range op.Routes {
		verb := rt.Method
		if verb == "*" {
			verb = "All Verbs"
		}
		b.WriteString("<tr><th>" + verb + "</th><td>" + html.EscapeString(m.Prefix+rt.Path) + "</td></tr>\n")
	}
	b.WriteString("</table>\n")
	for _, t := range typesOf(op) {
		b.WriteString("<table>\n<caption>" + html.EscapeString(t.Name) + " Parameters:</caption>\n<tr><th>Name</th><th>Parameter</th><th>Data Type</th><th>Required</th><th>Description</th></tr>\n")
		for _, row := range parameterRows(op, t) {
			b.WriteString("<tr><td>" + html.EscapeString(row.Name) + "</td><td>" + row.In + "</td><td>" + html.EscapeString(row.Type) + "</td><td>" + row.Required + "</td><td>" + html.EscapeString(row.Doc) + "</td></tr>\n")
		}
		b.WriteString("</table>\n")
	}
	b.WriteString("<p>To override the Content-type in your clients, use the HTTP <b>Accept</b> Header, append the <b>." + format + "</b> suffix or <b>?format=" + format + "</b></p>\n")
	ct := map[string]string{"json": "application/json", "xml": "application/xml", "jsv": "text/jsv"}[format]
	path := m.Prefix + "/" + format + "/reply/" + op.Name
	for _, rt := range op.Routes {
		if rt.Method == "POST" || rt.Method == "*" {
			path = m.Prefix + rt.Path
			break
		}
	}
	b.WriteString("<h3>HTTP + " + strings.ToUpper(format) + "</h3>\n<p>The following are sample HTTP requests and responses. The placeholders shown need to be replaced with actual values.</p>\n<pre>")
	b.WriteString(html.EscapeString("POST " + path + " HTTP/1.1 \nHost: " + host + " \nAccept: " + ct + "\nContent-Type: " + ct + "\nContent-Length: length\n\n"))
	b.WriteString(html.EscapeString(m.sample(op.Request, format)))
	b.WriteString("</pre>\n<pre>")
	b.WriteString(html.EscapeString("HTTP/1.1 200 OK\nContent-Type: " + ct + "\nContent-Length: length\n\n"))
	if op.Response != nil && !op.Response.Primitive {
		b.WriteString(html.EscapeString(m.sample(op.Response, format)))
	}
	b.WriteString("</pre>\n")
}

// typesOf lists the request type and its base types, then the response
// type and its bases, then the object types their members reach, each
// once (the order of BaseMetadataHandler's tables). ServiceStack's own
// error DTOs (ResponseStatus, ResponseError) get no table.
func typesOf(op *contract.Operation) []*contract.Type {
	var out []*contract.Type
	seen := map[*contract.Type]bool{}
	add := func(t *contract.Type) bool {
		if t == nil || t.Primitive || t.Enum != nil || seen[t] || isOwnType(t) {
			return false
		}
		seen[t] = true
		out = append(out, t)
		return true
	}
	var walk func(t *contract.Type)
	walk = func(t *contract.Type) {
		var chain []*contract.Type
		for c := t; c != nil; c = c.Base {
			if add(c) {
				chain = append(chain, c)
			}
		}
		for _, c := range chain {
			for _, m := range c.Members {
				ref := m.Type
				if ref.Elem != nil {
					ref = *ref.Elem
				}
				if ref.Object != nil {
					walk(ref.Object)
				}
			}
		}
	}
	walk(op.Request)
	if op.Response != nil {
		walk(op.Response)
	}
	return out
}

// Row is one line of a metadata parameter table.
type Row struct {
	Name, In, Type, Required, Doc string
}

// parameterRows are a type's table rows: its own members (a member a
// derived type hides is left to the derived type), with the members of
// ServiceStack's own types that the gateway withholds listed and marked.
func parameterRows(op *contract.Operation, t *contract.Type) []Row {
	var rows []Row
	for _, mem := range t.Members {
		req := "No"
		for _, r := range mem.Rules {
			if r.Kind == contract.RuleRequired {
				req = "Yes"
			}
		}
		rows = append(rows, Row{Name: mem.Name, In: parameterIn(op, t, mem), Type: DotNetName(mem), Required: req, Doc: mem.Doc})
	}
	if t.Namespace != ssNamespace {
		return rows
	}
	for _, w := range withheld[t.Name] {
		if t.Member(w.Name) != nil {
			continue
		}
		at := len(rows)
		for i, r := range rows {
			if r.Name == w.After {
				at = i + 1
			}
		}
		row := Row{Name: w.Name, In: "form", Type: w.Type, Required: "No", Doc: WithheldNote}
		rows = append(rows[:at], append([]Row{row}, rows[at:]...)...)
	}
	return rows
}

func parameterIn(op *contract.Operation, t *contract.Type, m *contract.Member) string {
	if t != op.Request {
		return "form"
	}
	for _, rt := range op.Routes {
		if strings.Contains(strings.ToLower(rt.Path), "{"+strings.ToLower(m.Name)+"}") {
			return "path"
		}
	}
	if op.Routes[0].Method == "*" || op.Routes[0].Method == "GET" {
		return "query"
	}
	return "body"
}

// sample fills t with AutoMappingUtils.PopulateWith-style placeholders and
// prints it in format.
func (m *Metadata) sample(t *contract.Type, format string) string {
	v := sampleValue(t.Schema, 0)
	enc := Style{}.Encoder(m.Host, format)
	if enc == nil {
		return ""
	}
	out, err := enc.Append(nil, v, t.Schema)
	if err != nil {
		return ""
	}
	switch format {
	case "jsv":
		return string(jsvcodec.PrettyRelease(nil, out, m.Host.JSV))
	case "xml":
		if pretty, err := xmlcodec.Indent(out); err == nil {
			return string(pretty)
		}
	}
	return string(out)
}

func sampleValue(t *codecs.Type, depth int) codecs.Value {
	if t == nil || depth > 8 {
		return codecs.Value{}
	}
	switch t.Shape {
	case codecs.ListShape:
		return codecs.Arr(sampleValue(t.Elem, depth+1))
	case codecs.MapShape:
		return codecs.Obj(codecs.M("String", sampleValue(t.Elem, depth+1)))
	case codecs.ObjectShape:
		var fields []codecs.Field
		for c := t; c != nil; c = c.Base {
			fields = append(fields, c.Fields...)
		}
		v := codecs.Obj()
		for _, f := range fields {
			if _, dup := v.Get(f.Name); dup {
				continue
			}
			v.Members = append(v.Members, codecs.M(f.Name, sampleValue(f.Type, depth+1)))
		}
		return v
	}
	if t.Scalar == codecs.StringT {
		return codecs.Str("String")
	}
	nn := *t
	nn.Nullable = false
	return codecs.Default(&nn)
}
