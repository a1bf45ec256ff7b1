package importer

import (
	"encoding/json"
	"regexp"
	"strings"
)

var (
	titleRe     = regexp.MustCompile(`^(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS) (\S+)$`)
	mediaLineRe = regexp.MustCompile(`^[\w.+-]+/[\w.+-]+(, [\w.+-]+/[\w.+-]+)*$`)
	annotRe     = regexp.MustCompile(`^(None\.|((Required|Data type: \S+|String length: inclusive between \d+ and \d+|Max length: \d+|Min length: \d+|Range: inclusive between \S+ and \S+|Matching regular expression pattern: .+)\s*)+)$`)
	ruleRe      = regexp.MustCompile(`Required|Data type: (\S+)|String length: inclusive between (\d+) and (\d+)|Max length: (\d+)|Min length: (\d+)|Range: inclusive between (\S+) and (\S+)`)
	identRe     = regexp.MustCompile(`^[A-Za-z_]\w*$`)
	dcsPrefix   = "http://schemas.datacontract.org/2004/07/"
)

// webTypes are HelpPage's names of simple types (ModelDescriptionGenerator).
var webTypes = map[string]string{
	"string": "string", "integer": "int", "unsigned integer": "ulong", "boolean": "bool", "date": "datetime",
	"globally unique identifier": "guid", "decimal number": "decimal", "byte": "byte", "signed byte": "sbyte", "character": "string",
	"URI": "string", "time interval": "timespan",
}

type row struct{ name, doc, typ, ann string }

// section returns the lines between the first line equal to one of from
// and the next line equal to one of to.
func section(lines []string, from []string, to ...string) []string {
	start := -1
	for i, l := range lines {
		if start < 0 {
			for _, f := range from {
				if l == f {
					start = i + 1
				}
			}
			continue
		}
		for _, t := range to {
			if l == t {
				return lines[start:i]
			}
		}
	}
	if start < 0 {
		return nil
	}
	return lines[start:]
}

func (d *Draft) webAPI(text string) error {
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	ti := -1
	for i, l := range lines {
		if titleRe.MatchString(l) {
			ti = i
			break
		}
	}
	if ti < 0 {
		return ErrUnknownPage
	}
	m := titleRe.FindStringSubmatch(lines[ti])
	method, path := m[1], m[2]
	d.Title = d.Host
	d.reportf("title: a help page does not name its host; the title is the contract name")
	var summary []string
	for _, l := range lines[ti+1:] {
		if l == "Request Information" {
			break
		}
		summary = append(summary, l)
	}
	d.Op.Summary = strings.Join(summary, " ")
	local, query, _ := strings.Cut(path, "?")
	d.Op.Routes = []Route{{method, "/" + local}}
	d.Op.Name = opName(method, local)
	d.reportf("operation name %s: from the route; the action's own name is not on the page", d.Op.Name)

	// Request: URI parameters (a query-bound action) or the body model.
	uri := section(lines, []string{"URI Parameters"}, "Body Parameters")
	body := section(lines, []string{"Body Parameters"}, "Request Formats", "Sample Request", "Response Information")
	reqSamples := samples(section(lines, []string{"Request Formats"}, "Response Information"))
	if query != "" || len(uri) > 0 && uri[0] != "None." {
		t := &Type{Name: d.Op.Name + "Query"}
		for _, r := range tableRows(strings.Join(uri, "\n")) {
			t.Members = append(t.Members, d.webMember(r))
		}
		if len(t.Members) > 0 {
			d.Types = append(d.Types, t)
			d.Op.Request, d.Op.Bind = t.Name, "query"
			d.reportf("%s: URI parameters become a query-bound request type; list the ones Web API needed to select the action under require_query", t.Name)
		}
	}
	if d.Op.Request == "" && len(body) > 0 && body[0] != "None." {
		t := d.webModel(body, reqSamples)
		d.Op.Request = t.Name
	}

	// Response.
	res := section(lines, []string{"Resource Description"}, "Response Formats")
	resSamples := samples(section(lines, []string{"Response Formats"}))
	if len(res) > 0 && res[0] != "None." {
		if st, ok := webTypes[strings.TrimSpace(res[0])]; ok {
			d.Op.Response = st
		} else {
			t := d.webModel(res, resSamples)
			d.Op.Response = t.Name
			d.guessFrom(t)
		}
	} else {
		d.Op.Response = "void"
		d.reportf("response: the page shows none; void (200, empty body) assumed")
	}
	d.webFormats(append(reqSamples, resSamples...))
	d.Op.Action = "register"
	if d.Op.Response == "bool" {
		d.Op.Action = "is_available"
	}
	d.reportf("action %s: guessed from the route and response; one of register, is_available, authenticate, activate, lookup", d.Op.Action)
	if d.Op.Bind != "query" {
		d.reportf("parameter: the action parameter's name (the ModelState key prefix, commonly model) is not on the page")
	}
	d.reportf("messages: validation messages are the DataAnnotations defaults; a model's own ErrorMessage texts are not on the page")
	d.reportf("nullability: value-type members are written non-nullable unless a sample shows otherwise; make them \"?\" where the model used Nullable<T>")
	return nil
}

// opName is a route's last literal segment, capitalised.
func opName(method, path string) string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for i := len(segs) - 1; i >= 0; i-- {
		s := segs[i]
		if s != "" && !strings.HasPrefix(s, "{") && identRe.MatchString(s) {
			name := strings.ToUpper(s[:1]) + s[1:]
			if method != "POST" && method != "GET" {
				name = strings.ToUpper(method[:1]) + strings.ToLower(method[1:]) + name
			}
			return name
		}
	}
	return "Operation"
}

// tableRows splits a help-page table into rows: every row ends with its
// type cell followed by its "Additional information" cell; the cells
// before are the name and the description (either may have been lost).
func tableRows(text string) []row {
	if i := strings.Index(text, "Additional information"); i >= 0 {
		text = text[i+len("Additional information"):]
	}
	var cells []string
	for _, c := range strings.Split(text, "|") {
		c = strings.Join(strings.Fields(c), " ")
		if c != "" && strings.Trim(c, "-") != "" {
			cells = append(cells, c)
		}
	}
	var rows []row
	var pending []string
	for i := 0; i < len(cells); i++ {
		rowEnd := func(j int) bool { return j+1 < len(cells) && isWebType(cells[j]) && annotRe.MatchString(cells[j+1]) }
		simple := func(j int) bool {
			_, ok := webTypes[cells[j]]
			return ok || strings.HasPrefix(cells[j], "Collection of ")
		}
		// A model name is a type cell only when the next cells do not end
		// the row with a simple type ("Password | Required | string | …").
		if rowEnd(i) && (simple(i) || !(i+2 < len(cells) && simple(i+2) && rowEnd(i+2))) {
			r := row{typ: cells[i], ann: cells[i+1]}
			switch len(pending) {
			case 0:
			case 1:
				if identRe.MatchString(pending[0]) {
					r.name = pending[0]
				} else {
					r.doc = pending[0]
				}
			default:
				r.name, r.doc = pending[0], strings.Join(pending[1:], " ")
			}
			rows = append(rows, r)
			pending = nil
			i++
			continue
		}
		pending = append(pending, cells[i])
	}
	return rows
}

func isWebType(s string) bool {
	if _, ok := webTypes[s]; ok {
		return true
	}
	if strings.HasPrefix(s, "Collection of ") || strings.HasPrefix(s, "Dictionary of ") {
		return true
	}
	return identRe.MatchString(s) && s[0] >= 'A' && s[0] <= 'Z'
}

// webModel reads a model's name and table, completing it from the JSON
// and XML samples (lost names, nested types, namespaces).
func (d *Draft) webModel(block []string, smp []sample) *Type {
	first := block[0]
	name, rest, _ := strings.Cut(first, "|")
	name = strings.TrimSpace(name)
	text := strings.Join(append([]string{rest}, block[1:]...), "\n")
	t := &Type{Name: name}
	d.Types = append(d.Types, t)
	rows := tableRows(text)
	keys, obj := jsonSample(smp)
	for i, r := range rows {
		if r.name == "" {
			if len(keys) == len(rows) {
				r.name = keys[i]
				d.reportf("%s: a member's name is missing on the page; %s taken from the JSON sample", t.Name, r.name)
			} else {
				r.name = "Member" + itoa(i+1)
				d.reportf("%s: member %d has no name on the page; named %s", t.Name, i+1, r.name)
			}
		}
		m := d.webMember(r)
		t.Members = append(t.Members, m)
		if elem, ok := strings.CutPrefix(r.typ, "Collection of "); ok && webTypes[elem] == "" && d.typ(elem) == nil {
			d.nestedFromSample(elem, obj[r.name])
		}
	}
	d.inferNullable(t, obj)
	d.xmlNamespaces(t, smp)
	return t
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func (d *Draft) webMember(r row) *Member {
	m := &Member{Name: r.name, Doc: r.doc, Type: d.webSpec(r.typ)}
	for _, sm := range ruleRe.FindAllStringSubmatch(r.ann, -1) {
		switch {
		case sm[0] == "Required":
			m.Rules = append(m.Rules, "required")
		case sm[1] != "":
			d.reportf("%s: [DataType(%s)] has no contract key; it only changed the help page", r.name, sm[1])
		case sm[2] != "":
			if sm[2] == "0" {
				m.Rules = append(m.Rules, "{length: {max: "+sm[3]+"}}")
			} else {
				m.Rules = append(m.Rules, "{length: {min: "+sm[2]+", max: "+sm[3]+"}}")
			}
		case sm[4] != "":
			m.Rules = append(m.Rules, "{maxlength: "+sm[4]+"}")
		case sm[5] != "":
			m.Rules = append(m.Rules, "{minlength: "+sm[5]+"}")
		case sm[6] != "":
			m.Rules = append(m.Rules, "{range: {min: "+sm[6]+", max: "+sm[7]+"}}")
		}
	}
	return m
}

func (d *Draft) webSpec(s string) string {
	if st, ok := webTypes[s]; ok {
		return st
	}
	if elem, ok := strings.CutPrefix(s, "Collection of "); ok {
		return "[]" + d.webSpec(elem)
	}
	if strings.HasPrefix(s, "Dictionary of ") {
		d.reportf("%q: dictionary value type read as string; check", s)
		return "map[string]string"
	}
	return s
}

// sample is one "Request/Response Formats" entry.
type sample struct {
	media []string
	text  string
}

func samples(block []string) []sample {
	var out []sample
	for _, l := range block {
		switch {
		case mediaLineRe.MatchString(l):
			out = append(out, sample{media: strings.Split(l, ", ")})
		case l == "Sample:" || len(out) == 0:
		default:
			out[len(out)-1].text += l + "\n"
		}
	}
	return out
}

// jsonSample returns the first JSON sample's member names in order and
// its values.
func jsonSample(smp []sample) ([]string, map[string]json.RawMessage) {
	for _, s := range smp {
		txt := strings.TrimSpace(s.text)
		if !strings.HasPrefix(txt, "{") {
			continue
		}
		keys, vals := orderedObject([]byte(txt))
		if keys != nil {
			return keys, vals
		}
	}
	return nil, nil
}

func orderedObject(raw []byte) ([]string, map[string]json.RawMessage) {
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, nil
	}
	var keys []string
	vals := map[string]json.RawMessage{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil
		}
		k, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, nil
		}
		keys = append(keys, k)
		vals[k] = v
	}
	return keys, vals
}

var (
	guidValRe = regexp.MustCompile(`^"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"$`)
	dateValRe = regexp.MustCompile(`^"\d{4}-\d\d-\d\dT`)
)

// nestedFromSample drafts a type the page only links to, from the first
// item of its list in the JSON sample.
func (d *Draft) nestedFromSample(name string, list json.RawMessage) {
	var items []json.RawMessage
	if json.Unmarshal(list, &items) != nil || len(items) == 0 {
		d.reportf("%s: the page links to this type but shows no sample of it; declare its members", name)
		d.Types = append(d.Types, &Type{Name: name})
		return
	}
	keys, vals := orderedObject(items[0])
	t := &Type{Name: name}
	for _, k := range keys {
		t.Members = append(t.Members, &Member{Name: k, Type: jsonValueType(vals[k])})
	}
	d.Types = append(d.Types, t)
	d.reportf("%s: members and types read from the JSON sample (the type has its own help page, ResourceModel)", name)
}

func jsonValueType(v json.RawMessage) string {
	s := strings.TrimSpace(string(v))
	switch {
	case s == "true" || s == "false":
		return "bool"
	case guidValRe.MatchString(s):
		return "guid"
	case dateValRe.MatchString(s):
		return "datetime"
	case strings.HasPrefix(s, `"`) || s == "null":
		return "string"
	case strings.ContainsAny(s, ".eE"):
		return "decimal"
	}
	return "int"
}

var (
	xmlnsRe  = regexp.MustCompile(`^<(\w+) [^>]*xmlns="([^"]+)"`)
	childNS  = regexp.MustCompile(`<(\w+) xmlns:d\dp\d="([^"]+)">`)
	inherits = regexp.MustCompile(`<(\w+) xmlns="([^"]+)">`)
)

// xmlNamespaces reads the model's namespace, its list items' and its
// inherited members' from the XML sample.
func (d *Draft) xmlNamespaces(t *Type, smp []sample) {
	for _, s := range smp {
		txt := strings.TrimSpace(s.text)
		m := xmlnsRe.FindStringSubmatch(txt)
		if m == nil || m[1] != t.Name {
			continue
		}
		t.Namespace = strings.TrimPrefix(m[2], dcsPrefix)
		for _, c := range childNS.FindAllStringSubmatch(txt, -1) {
			for _, mem := range t.Members {
				if mem.Name == c[1] && strings.HasPrefix(mem.Type, "[]") {
					if nt := d.typ(mem.Type[2:]); nt != nil && nt.Namespace == "" {
						nt.Namespace = strings.TrimPrefix(c[2], dcsPrefix)
					}
				}
			}
		}
		var base *Type
		for _, c := range inherits.FindAllStringSubmatch(txt, -1) {
			ns := strings.TrimPrefix(c[2], dcsPrefix)
			if ns == t.Namespace {
				continue
			}
			for i, mem := range t.Members {
				if mem.Name != c[1] {
					continue
				}
				if base == nil {
					base = &Type{Name: t.Name + "Base", Namespace: ns}
					d.Types = append(d.Types, base)
					t.Base = base.Name
					d.reportf("%s: members in namespace %s come from a base class whose name is not on the page; named %s", t.Name, ns, base.Name)
				}
				base.Members = append(base.Members, mem)
				t.Members = append(t.Members[:i], t.Members[i+1:]...)
				break
			}
		}
		return
	}
	if t.Namespace == "" {
		d.reportf("%s: no XML sample names its namespace; XML clients need it", t.Name)
	}
}

// webFormats reads the formatters from the samples' media types.
func (d *Draft) webFormats(smp []sample) {
	add := func(name string, mt string, write bool) {
		for i := range d.Formats {
			if d.Formats[i].Name == name {
				for _, x := range d.Formats[i].MediaTypes {
					if x == mt {
						return
					}
				}
				d.Formats[i].MediaTypes = append(d.Formats[i].MediaTypes, mt)
				return
			}
		}
		d.Formats = append(d.Formats, Format{Name: name, MediaTypes: []string{mt}, Write: write})
	}
	for _, s := range smp {
		txt := strings.TrimSpace(s.text)
		for _, mt := range s.media {
			switch {
			case strings.Contains(mt, "x-www-form-urlencoded"):
				add("form", mt, false)
			case strings.Contains(mt, "json") || strings.HasPrefix(txt, "{") || strings.HasPrefix(txt, "["):
				add("json", mt, true)
			case strings.Contains(mt, "xml") || strings.HasPrefix(txt, "<"):
				add("xml", mt, true)
			}
		}
	}
	if len(d.Formats) == 0 {
		d.Formats = []Format{{Name: "json", MediaTypes: []string{"application/json", "text/json"}, Write: true}}
		d.reportf("formats: the page shows no media types; JSON assumed")
	}
}

func (d *Draft) guessFrom(t *Type) {
	for _, m := range d.members(t) {
		if f, ok := responseFrom[strings.ToLower(m.Name)]; ok {
			if f == "user.roles" && !strings.HasPrefix(m.Type, "[]string") {
				continue
			}
			if f != "user.roles" && strings.HasPrefix(m.Type, "[]") {
				continue
			}
			m.From = f
		}
	}
	d.reportf("%s: response members were mapped from the user by name (from:); the others answer their default", t.Name)
}
