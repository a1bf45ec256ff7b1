package servicestack

import (
	"regexp"
	"sort"
	"strconv"
	"strings"

	"legacygate/codecs"
	"legacygate/routes/contract"
)

// The "Add ServiceStack Reference" endpoints (NativeTypesFeature):
// /types/metadata, /types/csharp and /types/typescript generate client DTOs
// from the contract. Each source file starts with ServiceStack's
// "Options:" header, which @servicestack/cli's *-ref commands require and
// read back (BaseUrl, then "Key: value" lines that become query options
// when the reference is updated).

// RefOptions are the DTO options a request may set (the query string of
// /types/{lang}).
type RefOptions struct {
	BaseURL         string
	GlobalNamespace string
	IncludeTypes    []string // type names; "" = all
	ExcludeTypes    []string
	// MakePropertiesOptional writes TypeScript properties as "name?:"
	// (true by default: the JSON a host sends omits or nulls members).
	MakePropertiesOptional bool
	AddResponseStatus      bool
}

// ParseRefOptions reads the options from a /types request's query.
func ParseRefOptions(get func(string) string, baseURL string) RefOptions {
	o := RefOptions{BaseURL: baseURL, MakePropertiesOptional: true}
	o.GlobalNamespace = get("GlobalNamespace")
	o.IncludeTypes = splitList(get("IncludeTypes"))
	o.ExcludeTypes = splitList(get("ExcludeTypes"))
	if v := get("MakePropertiesOptional"); v != "" {
		o.MakePropertiesOptional = strings.EqualFold(v, "true")
	}
	o.AddResponseStatus = strings.EqualFold(get("AddResponseStatus"), "true")
	return o
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// refTypes lists the types the operations reach, bases before derived
// types and enums first (a TypeScript class must be declared before
// another extends it).
func refTypes(h *contract.Host, o RefOptions) []*contract.Type {
	seen := map[*contract.Type]bool{}
	var out []*contract.Type
	var visit func(t *contract.Type)
	visit = func(t *contract.Type) {
		if t == nil || t.Primitive || seen[t] {
			return
		}
		seen[t] = true
		if t.Base != nil {
			visit(t.Parent())
		}
		for _, m := range t.Members {
			ref := m.Type
			for ref.Elem != nil {
				ref = *ref.Elem
			}
			visit(ref.Object)
			visit(ref.Enum)
		}
		out = append(out, t)
	}
	for _, op := range h.Operations {
		visit(op.Request)
		visit(op.Response)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Enum != nil && out[j].Enum == nil })
	var kept []*contract.Type
	for _, t := range out {
		if included(t.Name, o) {
			kept = append(kept, t)
		}
	}
	return kept
}

func included(name string, o RefOptions) bool {
	for _, x := range o.ExcludeTypes {
		if x == name {
			return false
		}
	}
	if len(o.IncludeTypes) == 0 {
		return true
	}
	for _, x := range o.IncludeTypes {
		if x == name || strings.TrimSuffix(x, ".*") == name {
			return true
		}
	}
	return false
}

// opFor returns the operation whose request type is t.
func opFor(h *contract.Host, t *contract.Type) *contract.Operation {
	for _, op := range h.Operations {
		if op.Request == t {
			return op
		}
	}
	return nil
}

var identStrip = regexp.MustCompile(`[^A-Za-z0-9_.]`)

// clrNamespace is the C# namespace of the DTOs: the option, else the
// first operation's request namespace, else the host title's.
func clrNamespace(h *contract.Host, o RefOptions) string {
	if o.GlobalNamespace != "" {
		return identStrip.ReplaceAllString(o.GlobalNamespace, "")
	}
	for _, op := range h.Operations {
		if op.Request != nil && op.Request.CLRNamespace() != "" {
			return op.Request.CLRNamespace()
		}
	}
	ns := identStrip.ReplaceAllString(strings.ReplaceAll(h.Title, " ", ""), "")
	if ns == "" || ns[0] >= '0' && ns[0] <= '9' {
		ns = "Dtos" + ns
	}
	return ns + ".ServiceModel"
}

// jsonName is a member's name in the host's JSON.
func jsonName(h *contract.Host, name string) string {
	if h.Naming == contract.CamelCase {
		return ToCamelCase(name)
	}
	return name
}

// isValueType tells the CLR value types (int, bool, DateTime, Guid, enums).
func isValueType(r contract.TypeRef) bool {
	if r.List() || r.Map() || r.Object != nil {
		return false
	}
	return r.Scalar != codecs.StringT && r.Scalar != codecs.NotScalar
}

// writeRoutes writes one [Route("path", "VERB")] line per route of op
// (a request DTO's); "*" routes name no verb.
func writeRoutes(b *strings.Builder, op *contract.Operation, open, close string) {
	if op == nil {
		return
	}
	for _, r := range routesOf(op) {
		b.WriteString(open + strconv.Quote(r[0]))
		if r[1] != "" {
			b.WriteString(", " + strconv.Quote(r[1]))
		}
		b.WriteString(close)
	}
}

// routesOf are an operation's route paths and verbs ("" for every verb).
func routesOf(op *contract.Operation) [][2]string {
	var out [][2]string
	for _, r := range op.Routes {
		v := r.Method
		if v == "*" {
			v = ""
		}
		out = append(out, [2]string{r.Path, v})
	}
	return out
}

func header(h *contract.Host, o RefOptions, date string, lines []string) string {
	var b strings.Builder
	b.WriteString("/* Options:\nDate: " + date + "\nVersion: 5.0\nTip: To override a DTO option, remove \"//\" prefix before updating\nBaseUrl: " + o.BaseURL + "\n\n")
	for _, l := range lines {
		b.WriteString(l + "\n")
	}
	b.WriteString("*/\n\n")
	return b.String()
}

func optLine(name, value string, set bool) string {
	if set {
		return name + ": " + value
	}
	return "//" + name + ": " + value
}

func titleBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}
