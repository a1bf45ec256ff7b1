package importer

import (
	"regexp"
	"strings"
)

var (
	ssRouteRe = regexp.MustCompile(`^(All Verbs|[A-Z]+(?:, ?[A-Z]+)*)\s*(/\S*)`)
	jsvKeyRe  = regexp.MustCompile(`^(\w+):\s*(.*?),?$`)
	hostRe    = regexp.MustCompile(`^Host: (\S+)`)
	inKinds   = []string{"body", "query", "path", "form", "header"}
)

// ssTypes are ServiceStack's C# names of simple types.
var ssTypes = map[string]string{
	"string": "string", "String": "string", "int": "int", "long": "long", "short": "short", "bool": "bool",
	"decimal": "decimal", "double": "double", "float": "double", "Guid": "guid", "DateTime": "datetime",
	"DateTimeOffset": "datetimeoffset", "TimeSpan": "timespan", "object": "string",
	"byte": "byte", "sbyte": "sbyte", "ushort": "ushort", "uint": "uint", "ulong": "ulong",
	"Int16": "short", "Int32": "int", "Int64": "long", "UInt16": "ushort", "UInt32": "uint", "UInt64": "ulong", "Byte": "byte",
}

// ssOwn are ServiceStack's own DTOs (namespace schemas.servicestack.net).
var ssOwn = map[string]bool{
	"UserAuth": true, "Register": true, "RegisterResponse": true, "ResponseStatus": true, "ResponseError": true,
	"Authenticate": true, "AuthenticateResponse": true,
}

const ssNamespace = "http://schemas.servicestack.net/types"

// ssWithheld are UserAuth members the gateway never sends.
var ssWithheld = map[string]bool{"Salt": true, "PasswordHash": true, "DigestHa1Hash": true}

type ssTable struct {
	name string
	rows [][4]string // name, in, type, required
}

func (d *Draft) serviceStack(text string) error {
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, strings.TrimRight(l, " \t"))
		}
	}
	d.Title = strings.TrimSpace(lines[0])
	i := 1
	for i < len(lines) && strings.Contains(lines[i], "back to all web services") {
		i++
	}
	if i >= len(lines) {
		return ErrUnknownPage
	}
	d.Op.Name = strings.TrimSpace(lines[i])
	// Tables first: their names tell types from parameter kinds.
	var tables []*ssTable
	var cur *ssTable
	var known = map[string]bool{}
	for _, l := range lines {
		if name, ok := strings.CutSuffix(strings.TrimSpace(l), " Parameters:"); ok && identRe.MatchString(name) {
			known[name] = true
		}
	}
	var routes []Route
	inRoutes := false
	for _, raw := range lines[i+1:] {
		l := strings.TrimSpace(raw)
		switch {
		case l == "Requires Authentication":
			d.Op.Authenticate = true
			continue
		case strings.HasPrefix(l, "Required role"), strings.HasPrefix(l, "Required roles"):
			_, v, _ := strings.Cut(l, ":")
			for _, r := range strings.Split(v, ",") {
				if r = strings.TrimSpace(r); r != "" {
					d.Op.Roles = append(d.Op.Roles, r)
				}
			}
			continue
		case strings.HasPrefix(l, "Required permission"):
			d.reportf("required permissions (%s): the gateway has no permissions; check them some other way", l)
			continue
		case strings.HasPrefix(l, "The following routes are available"):
			inRoutes = true
			continue
		case strings.HasPrefix(l, "To override the Content-type"), l == "HTTP + JSV", l == "HTTP + JSON", l == "HTTP + XML":
			cur, inRoutes = nil, false
			continue
		}
		if name, ok := strings.CutSuffix(l, " Parameters:"); ok && known[name] {
			cur = &ssTable{name: name}
			tables = append(tables, cur)
			inRoutes = false
			continue
		}
		if inRoutes {
			if m := ssRouteRe.FindStringSubmatch(strings.NewReplacer("|", " ").Replace(l)); m != nil {
				meth := m[1]
				if meth == "All Verbs" {
					meth = "*"
				}
				for _, one := range strings.Split(meth, ",") {
					routes = append(routes, Route{strings.TrimSpace(one), m[2]})
				}
			}
			continue
		}
		if cur != nil && !strings.Contains(l, "NameParameter") && !strings.HasPrefix(l, "| Name | Parameter |") {
			if r, ok := ssRow(l, known); ok {
				cur.rows = append(cur.rows, r)
			}
		}
	}
	if len(tables) == 0 {
		return ErrUnknownPage
	}
	d.Op.Routes, d.Prefix = stripPrefix(routes)
	if d.Prefix != "" {
		d.reportf("prefix %s: every route starts with it, so it is taken for ServiceStack's HandlerFactoryPath; check", d.Prefix)
	}
	if len(d.Op.Routes) == 0 {
		d.Op.Routes = []Route{{"POST", "/" + d.Op.Name}}
		d.reportf("routes: none on the page; POST /%s assumed (the predefined routes are always there)", d.Op.Name)
	}
	d.ssSample(lines)
	d.jsv = lines
	d.ssTypes(tables)
	d.Op.Action = "register"
	d.reportf("action register: guessed; one of register, is_available, authenticate, activate, lookup")
	d.Formats = []Format{
		{Name: "json", MediaTypes: []string{"application/json"}, Write: true},
		{Name: "xml", MediaTypes: []string{"application/xml"}, Write: true},
		{Name: "jsv", MediaTypes: []string{"application/jsv", "text/jsv"}, Write: true},
	}
	d.reportf("formats: an operation page shows one format; json, xml and jsv assumed (the metadata index lists the host's formats)")
	d.reportf("messages: FluentValidation rules and texts are not on the page; \"Required: Yes\" is [ApiMember(IsRequired)] and becomes required")
	d.reportf("nullability: read from the Data Type column (int? is nullable, int is not)")
	if d.Op.Authenticate {
		d.reportf("auth: the page says authentication is required (roles %v) but not how; providers [credentials] assumed — add basic and apikey if clients used them", d.Op.Roles)
	}
	return nil
}

// ssRow parses a row: cells separated by "|" (from HTML) or run together
// as the saved text has them ("PartnerUserIDbodyintNo").
func ssRow(l string, known map[string]bool) ([4]string, bool) {
	if strings.Contains(l, "|") {
		var cells []string
		for _, c := range strings.Split(l, "|") {
			cells = append(cells, strings.TrimSpace(c))
		}
		cells = cells[1:]
		if len(cells) >= 4 {
			return [4]string{cells[0], cells[1], cells[2], cells[3]}, true
		}
		return [4]string{}, false
	}
	var req string
	switch {
	case strings.HasSuffix(l, "No"):
		req = "No"
	case strings.HasSuffix(l, "Yes"):
		req = "Yes"
	default:
		// a description may follow; find the last Yes/No after the type
		return [4]string{}, false
	}
	body := l[:len(l)-len(req)]
	for i := 1; i < len(body); i++ {
		for _, in := range inKinds {
			if strings.HasPrefix(body[i:], in) {
				name, typ := body[:i], body[i+len(in):]
				if identRe.MatchString(name) && validSSType(typ, known) {
					return [4]string{name, in, typ, req}, true
				}
			}
		}
	}
	return [4]string{}, false
}

var genericRe = regexp.MustCompile(`^(\w+)<(.+)>$`)

func validSSType(t string, known map[string]bool) bool {
	t = strings.TrimSuffix(strings.TrimSuffix(t, "?"), "[]")
	if _, ok := ssTypes[t]; ok || known[t] {
		return true
	}
	if m := genericRe.FindStringSubmatch(t); m != nil {
		return true
	}
	return identRe.MatchString(t) && t[0] >= 'A' && t[0] <= 'Z'
}

// stripPrefix removes a first segment every route shares (a
// HandlerFactoryPath such as /service) when there are several routes.
func stripPrefix(routes []Route) ([]Route, string) {
	if len(routes) < 2 {
		return routes, ""
	}
	first := ""
	for _, r := range routes {
		segs := strings.SplitN(strings.TrimPrefix(r.Path, "/"), "/", 2)
		if len(segs) < 2 || first != "" && segs[0] != first {
			return routes, ""
		}
		first = segs[0]
	}
	out := make([]Route, len(routes))
	for i, r := range routes {
		out[i] = Route{r.Method, strings.TrimPrefix(r.Path, "/"+first)}
	}
	return out, "/" + first
}

// ssSample reads the JSV request sample: the naming convention, the
// legacy host's name and enum values.
func (d *Draft) ssSample(lines []string) {
	d.Naming = "pascal"
	inBody := false
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if m := hostRe.FindStringSubmatch(t); m != nil {
			d.reportf("legacy host: the sample was served by %s (a shadow-mode target)", m[1])
		}
		if t == "{" {
			inBody = true
			continue
		}
		if inBody {
			if m := jsvKeyRe.FindStringSubmatch(t); m != nil {
				if m[1][0] >= 'a' && m[1][0] <= 'z' {
					d.Naming = "camel"
				}
				return
			}
		}
	}
}

// jsvValue finds a member's value in the JSV request sample.
func jsvValue(lines []string, name string) string {
	for _, l := range lines {
		if m := jsvKeyRe.FindStringSubmatch(strings.TrimSpace(l)); m != nil && strings.EqualFold(m[1], name) {
			return m[2]
		}
	}
	return ""
}

func (d *Draft) ssTypes(tables []*ssTable) {
	referenced := map[string]bool{}
	for _, t := range tables {
		for _, r := range t.rows {
			for _, w := range regexp.MustCompile(`\w+`).FindAllString(r[2], -1) {
				referenced[w] = true
			}
		}
	}
	d.Op.Request = tables[0].name
	var unref []string
	for _, t := range tables[1:] {
		if !referenced[t.name] {
			unref = append(unref, t.name)
		}
	}
	if len(unref) > 0 {
		d.Op.Response = unref[len(unref)-1]
		unref = unref[:len(unref)-1]
		d.reportf("response %s: the last table no member refers to", d.Op.Response)
	}
	base := ""
	if len(unref) == 1 {
		base = unref[0]
		d.reportf("%s: taken for %s's base class (no member refers to it)", base, d.Op.Request)
	} else if len(unref) > 1 {
		d.reportf("tables %v: no member refers to them; declare them where they belong", unref)
	}
	for _, t := range tables {
		typ := &Type{Name: t.name}
		if ssOwn[t.name] {
			typ.Namespace = ssNamespace
		} else {
			d.reportf("%s: its XML namespace is not on the page; set namespace for XML clients", t.name)
		}
		if t.name == d.Op.Request {
			typ.Base = base
		}
		for _, r := range t.rows {
			if t.name == "UserAuth" && ssWithheld[r[0]] {
				d.reportf("UserAuth.%s: left out; the gateway never sends password material", r[0])
				continue
			}
			m := &Member{Name: r[0]}
			m.Type, m.CLRType = d.ssSpec(r[2], tables)
			if e := d.typ(strings.TrimSuffix(m.Type, "?")); e != nil && len(e.Enum) == 1 && e.Enum[0] == "TODO" {
				if v := jsvValue(d.jsv, r[0]); identRe.MatchString(v) {
					e.Enum = []string{v}
				}
			}
			if r[3] == "Yes" {
				m.Rules = append(m.Rules, "required")
			}
			typ.Members = append(typ.Members, m)
		}
		d.Types = append(d.Types, typ)
	}
	// Hidden base members: a derived type's member hides the base's.
	if b := d.typ(base); b != nil {
		req := d.typ(d.Op.Request)
		var keep []*Member
		for _, m := range b.Members {
			hidden := false
			for _, x := range req.Members {
				hidden = hidden || x.Name == m.Name
			}
			if !hidden {
				keep = append(keep, m)
			} else {
				d.reportf("%s.%s: hidden by %s.%s; declared once", b.Name, m.Name, req.Name, m.Name)
			}
		}
		b.Members = keep
	}
	if r := d.typ(d.Op.Response); r != nil {
		d.guessFrom(r)
	}
	d.ownTypes()
}

// ssSpec maps a C# type name to a contract spec (and a clr_type when the
// spec loses detail).
func (d *Draft) ssSpec(t string, tables []*ssTable) (string, string) {
	nullable := strings.HasSuffix(t, "?")
	base := strings.TrimSuffix(t, "?")
	if s, ok := ssTypes[base]; ok {
		if nullable {
			return s + "?", ""
		}
		return s, ""
	}
	if base == "byte[]" || base == "Byte[]" {
		return "[]byte", "" // Base64, not a list
	}
	if elem, ok := strings.CutSuffix(base, "[]"); ok {
		s, _ := d.ssSpec(elem, tables)
		return "[]" + s, t
	}
	if m := genericRe.FindStringSubmatch(base); m != nil {
		switch m[1] {
		case "List", "IList", "IEnumerable", "ICollection":
			s, _ := d.ssSpec(m[2], tables)
			return "[]" + s, ""
		case "HashSet", "ISet":
			s, _ := d.ssSpec(m[2], tables)
			if strings.HasPrefix(s, "[]") || strings.HasPrefix(s, "map[") || strings.HasPrefix(s, "set[") {
				return "[]" + s, t // a set of collections: kept as a list
			}
			return "set[" + s + "]", t
		case "Dictionary", "IDictionary":
			_, v, _ := strings.Cut(m[2], ",")
			s, clr := d.ssSpec(strings.TrimSpace(v), tables)
			if clr != "" || strings.HasPrefix(s, "[]") {
				return "map[string]" + s, t
			}
			return "map[string]" + s, ""
		}
		d.reportf("%s: generic type not understood; string assumed", t)
		return "string", t
	}
	for _, tb := range tables {
		if tb.name == base {
			return base, ""
		}
	}
	if base == "ResponseStatus" {
		return base, ""
	}
	// A type without a table: an enum whose values the page does not list.
	if d.typ(base) == nil {
		d.Types = append(d.Types, &Type{Name: base, Enum: []string{"TODO"}})
		d.reportf("%s: an enum (no table); its values are not on the page — list them (the JSV sample shows the first)", base)
	}
	return base, ""
}

// ownTypes adds ServiceStack's ResponseStatus and ResponseError when a
// member refers to them.
func (d *Draft) ownTypes() {
	uses := false
	for _, t := range d.Types {
		for _, m := range t.Members {
			uses = uses || m.Type == "ResponseStatus"
		}
	}
	if !uses || d.typ("ResponseStatus") != nil {
		return
	}
	d.Types = append(d.Types,
		&Type{Name: "ResponseStatus", Namespace: ssNamespace, Members: []*Member{
			{Name: "ErrorCode", Type: "string"}, {Name: "Message", Type: "string"}, {Name: "StackTrace", Type: "string"},
			{Name: "Errors", Type: "[]ResponseError"}, {Name: "Meta", Type: "map[string]string"}}},
		&Type{Name: "ResponseError", Namespace: ssNamespace, Members: []*Member{
			{Name: "ErrorCode", Type: "string"}, {Name: "FieldName", Type: "string"}, {Name: "Message", Type: "string"},
			{Name: "Meta", Type: "map[string]string"}}})
}
