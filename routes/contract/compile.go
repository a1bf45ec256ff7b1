package contract

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"legacygate/codecs"
	"legacygate/codecs/jsvcodec"
	"legacygate/routes/netregex"
)

const (
	dataContractBase = "http://schemas.datacontract.org/2004/07/"
	serializationNS  = "http://schemas.microsoft.com/2003/10/Serialization/"
	arraysNS         = "http://schemas.microsoft.com/2003/10/Serialization/Arrays"
)

// dcsNames are DataContractSerializer's primitive contract names.
var dcsNames = map[codecs.Scalar]string{
	codecs.StringT: "string", codecs.BoolT: "boolean", codecs.Int32T: "int", codecs.Int64T: "long",
	codecs.DecimalT: "decimal", codecs.DoubleT: "double", codecs.GuidT: "guid", codecs.DateTimeT: "dateTime",
	codecs.DateTimeOffsetT: "DateTimeOffset", codecs.EnumT: "string",
	codecs.ByteT: "unsignedByte", codecs.SByteT: "byte", codecs.Int16T: "short", codecs.UInt16T: "unsignedShort",
	codecs.UInt32T: "unsignedInt", codecs.UInt64T: "unsignedLong", codecs.TimeSpanT: "duration", codecs.BytesT: "base64Binary",
}

// valueTypes cannot hold null unless declared with "?".
var valueTypes = map[codecs.Scalar]bool{
	codecs.BoolT: true, codecs.Int32T: true, codecs.Int64T: true, codecs.DecimalT: true, codecs.DoubleT: true,
	codecs.GuidT: true, codecs.DateTimeT: true, codecs.DateTimeOffsetT: true,
	codecs.ByteT: true, codecs.SByteT: true, codecs.Int16T: true, codecs.UInt16T: true, codecs.UInt32T: true, codecs.UInt64T: true,
	codecs.TimeSpanT: true,
}

var numeric = map[codecs.Scalar]bool{codecs.Int32T: true, codecs.Int64T: true, codecs.DecimalT: true, codecs.DoubleT: true,
	codecs.ByteT: true, codecs.SByteT: true, codecs.Int16T: true, codecs.UInt16T: true, codecs.UInt32T: true, codecs.UInt64T: true}

var timeKinds = map[string]codecs.TimeKind{"": codecs.Local, "local": codecs.Local, "utc": codecs.UTC, "unspecified": codecs.Unspecified}

var identRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

type compiler struct {
	file string
	raw  *rawHost
	h    *Host
	errs []error
	// responseFrom holds each operation's parsed response_from.
	responseFrom map[string]*Expr
}

func (c *compiler) errorf(p pos, format string, args ...any) {
	c.errs = append(c.errs, &LoadError{File: c.file, Line: p.Line, Col: p.Col, Msg: fmt.Sprintf(format, args...)})
}

func (c *compiler) compile() {
	r, h := c.raw, c.h
	c.responseFrom = map[string]*Expr{}
	h.Name, h.Title, h.Source, h.Prefix = r.Host, r.Title, r.Source, strings.TrimRight(r.Prefix, "/")
	if h.Prefix != "" && !strings.HasPrefix(h.Prefix, "/") {
		c.errorf(r.pos, "prefix: %q must start with /", r.Prefix)
	}
	if !identRe.MatchString(r.Host) {
		c.errorf(r.pos, "host: %q is not a valid name (letters, digits, _)", r.Host)
	}
	switch Style(r.Style) {
	case WebAPI, ServiceStack:
		h.Style = Style(r.Style)
	default:
		c.errorf(r.pos, "style: %q is not one of webapi, servicestack", r.Style)
	}
	tk, ok := timeKinds[r.TimeKind]
	if !ok {
		c.errorf(r.pos, "time_kind: %q is not one of local, utc, unspecified", r.TimeKind)
	}
	h.TimeKind = tk
	switch Naming(r.Naming) {
	case "", PascalCase:
		h.Naming = PascalCase
	case CamelCase:
		h.Naming = CamelCase
	default:
		c.errorf(r.pos, "naming: %q is not one of pascal, camel", r.Naming)
	}
	h.ServiceStack = r.Release
	if h.ServiceStack == "" {
		h.ServiceStack = DefaultServiceStack
	}
	if r.Release != "" && h.Style != ServiceStack {
		c.errorf(r.pos, "servicestack: a release line is only for a servicestack host")
	} else if rel, err := jsvcodec.ParseRelease(h.ServiceStack); err != nil {
		c.errorf(r.pos, "servicestack: %q is not a release line (expected e.g. \"4.5\", \"5.x\", \"5.5.0\" or \"latest\")", r.Release)
	} else {
		h.JSV = rel
	}
	if a := r.Auth; a != nil {
		for _, p := range a.Providers {
			if !contains(AuthProviders, p) {
				c.errorf(a.pos, "auth: provider %q is not one of %s", p, strings.Join(AuthProviders, ", "))
			}
		}
		if len(a.Providers) == 0 {
			c.errorf(a.pos, "auth: providers is empty")
		}
		h.Auth.Providers = a.Providers
		h.Auth.SessionTTL = 14 * 24 * time.Hour // ServiceStack's SessionExpiry default
		if a.SessionTTL != "" {
			d, err := time.ParseDuration(a.SessionTTL)
			if err != nil || d <= 0 {
				c.errorf(a.pos, "auth: session_ttl %q is not a positive duration", a.SessionTTL)
			}
			h.Auth.SessionTTL = d
		}
	}
	c.compileFormats()
	h.Lookups = map[string][]LookupItem{}
	for name, items := range r.Lookups {
		for _, it := range items {
			if it.Code == "" {
				c.errorf(it.pos, "lookups.%s: an item needs a code", name)
			}
			h.Lookups[name] = append(h.Lookups[name], LookupItem{Code: it.Code, Name: it.Name})
		}
	}
	c.compileTypes()
	for i := range r.Operations {
		c.compileOperation(&r.Operations[i])
	}
	if len(h.Operations) == 0 && len(c.errs) == 0 {
		c.errorf(r.pos, "a host needs at least one operation")
	}
}

func (c *compiler) compileFormats() {
	seen := map[string]bool{}
	for _, rf := range c.raw.Formats {
		if rf.Format == "" {
			c.errorf(rf.pos, "format: missing name")
			continue
		}
		if seen[rf.Format] {
			c.errorf(rf.pos, "format %q listed twice", rf.Format)
		}
		seen[rf.Format] = true
		f := Format{Name: rf.Format, MediaTypes: rf.MediaTypes, Read: rf.Read == nil || *rf.Read, Write: rf.Write == nil || *rf.Write, Charsets: rf.Charsets,
			StringEnums: rf.StringEnums}
		if f.StringEnums && (f.Name != "json" || c.raw.Style != string(WebAPI)) {
			c.errorf(rf.pos, "format %q: string_enums is a Web API JSON setting (ServiceStack writes enum names anyway)", rf.Format)
		}
		if len(f.Charsets) == 0 {
			f.Charsets = []string{"utf-8", "utf-16"}
		}
		if len(f.MediaTypes) == 0 {
			c.errorf(rf.pos, "format %q: media_types is empty", rf.Format)
		}
		for _, mt := range f.MediaTypes {
			if _, err := codecs.ParseMediaType(mt); err != nil {
				c.errorf(rf.pos, "format %q: %v", rf.Format, err)
			}
		}
		c.h.Formats = append(c.h.Formats, f)
		c.h.formatters = append(c.h.formatters, codecs.Formatter{Format: f.Name, MediaTypes: f.MediaTypes, CanRead: f.Read, CanWrite: f.Write, Charsets: f.Charsets})
	}
	if len(c.h.Formats) == 0 {
		c.errorf(c.raw.pos, "formats: a host needs at least one format")
	}
}

// enumMembers returns an enum's names and, when any member has an explicit
// value, every member's number (C# rules: a member without one is the
// previous member's plus one, the first 0).
func (c *compiler) enumMembers(typ string, items []rawEnumItem) ([]string, []int64) {
	names := make([]string, len(items))
	values := make([]int64, len(items))
	explicit := false
	next := int64(0)
	seen := map[string]bool{}
	for i, it := range items {
		if !identRe.MatchString(it.Name) {
			c.errorf(it.pos, "type %s: enum member %q is not an identifier", typ, it.Name)
		}
		if seen[it.Name] {
			c.errorf(it.pos, "type %s: enum member %s declared twice", typ, it.Name)
		}
		seen[it.Name] = true
		if it.Value != nil {
			explicit, next = true, *it.Value
		}
		names[i], values[i] = it.Name, next
		next++
	}
	if !explicit {
		values = nil
	}
	return names, values
}

func (c *compiler) compileTypes() {
	// Declare first so members can refer to types declared later.
	for _, name := range c.raw.typeOrder {
		if !identRe.MatchString(name) {
			c.errorf(c.raw.typePos[name], "type name %q is not an identifier", name)
		}
		if _, ok := codecs.ScalarByName(strings.TrimSuffix(name, "?")); ok {
			c.errorf(c.raw.typePos[name], "type name %q shadows a built-in type", name)
		}
		rt := c.raw.Types[name]
		ns := rt.Namespace
		if ns != "" && !strings.Contains(ns, "://") {
			ns = dataContractBase + ns
		}
		t := &Type{Type: &codecs.Type{Name: name, Namespace: ns, Shape: codecs.ObjectShape, Nullable: true}, host: c.h}
		if len(rt.Enum) > 0 {
			if len(rt.Members) > 0 || rt.Base != "" {
				c.errorf(rt.pos, "type %s: an enum has neither members nor a base", name)
			}
			names, values := c.enumMembers(name, rt.Enum)
			t.Type = &codecs.Type{Name: name, Namespace: ns, Shape: codecs.ScalarShape, Scalar: codecs.EnumT, Enum: names, EnumValues: values}
		}
		c.h.Types[name] = t
	}
	for _, name := range c.raw.typeOrder {
		rt, t := c.raw.Types[name], c.h.Types[name]
		if rt.Base != "" {
			b, ok := c.h.Types[rt.Base]
			if !ok {
				c.errorf(rt.pos, "type %s: unknown base type %q", name, rt.Base)
			} else {
				t.Type.Base = b.Type
			}
		}
		seen := map[string]bool{}
		for i := range rt.Members {
			m := c.compileMember(t, &rt.Members[i])
			if m == nil {
				continue
			}
			if seen[strings.ToLower(m.Name)] {
				c.errorf(rt.Members[i].pos, "type %s: member %q declared twice", name, m.Name)
			}
			seen[strings.ToLower(m.Name)] = true
			t.Members = append(t.Members, m)
			t.Fields = append(t.Fields, *m.Field)
		}
		// Each member annotates its field in the tree itself, not a copy.
		for i, m := range t.Members {
			m.Field = &t.Fields[i]
		}
	}
	for _, name := range c.raw.typeOrder {
		for b, n := c.h.Types[name].Parent(), 0; b != nil; b, n = b.Parent(), n+1 {
			if b.Name == name || n > 32 {
				c.errorf(c.raw.Types[name].pos, "type %s: inheritance cycle", name)
				break
			}
		}
	}
	for _, name := range c.raw.typeOrder {
		c.h.Types[name].flatten(0)
	}
	// Rules that name other members are checked once all members exist.
	for _, name := range c.raw.typeOrder {
		t := c.h.Types[name]
		for i, m := range t.Members {
			for _, r := range m.Rules {
				if r.Kind == RuleCompare && t.Member(r.Other) == nil {
					c.errorf(c.raw.Types[name].Members[i].pos, "%s.%s: compare names unknown member %q", name, m.Name, r.Other)
				}
			}
		}
	}
}

func (c *compiler) compileMember(t *Type, rm *rawMember) *Member {
	if !identRe.MatchString(rm.Name) {
		c.errorf(rm.pos, "type %s: member name %q is not an identifier", t.Name, rm.Name)
		return nil
	}
	ref, err := c.typeRef(rm.Type)
	if err != nil {
		c.errorf(rm.pos, "%s.%s: %v", t.Name, rm.Name, err)
		return nil
	}
	tk, ok := timeKinds[rm.TimeKind]
	if !ok {
		c.errorf(rm.pos, "%s.%s: time_kind %q is not one of local, utc, unspecified", t.Name, rm.Name, rm.TimeKind)
	}
	if rm.TimeKind == "" {
		tk = c.h.TimeKind
	}
	ref.TimeKind = tk
	m := &Member{Field: &codecs.Field{Name: rm.Name, Type: ref.Type, Order: -1}, Display: rm.Display, Type: ref, Secret: rm.Secret, Doc: rm.Doc, CLRType: rm.CLRType}
	if rm.Order != nil {
		m.Order = *rm.Order
	}
	if rm.From != "" {
		e, err := ParseExpr(rm.From)
		if err != nil {
			c.errorf(rm.pos, "%s.%s: from: %v", t.Name, rm.Name, err)
		}
		m.From = e
		if e != nil && ref.List() && !(e.Kind == ExprRequest || e.Kind == ExprUser && e.Name == "roles" || e.Kind == ExprLiteral && e.Literal.Kind == codecs.Null) {
			c.errorf(rm.pos, "%s.%s: a list member maps from user.roles, request.<Member> or null, not %s", t.Name, rm.Name, rm.From)
		}
		if e != nil && !ref.List() && e.Kind == ExprUser && e.Name == "roles" {
			c.errorf(rm.pos, "%s.%s: user.roles is a list; %s is not", t.Name, rm.Name, ref.Spec)
		}
	}
	if rm.Default != "" {
		e, err := ParseExpr(rm.Default)
		if err != nil || e.Kind != ExprLiteral {
			c.errorf(rm.pos, "%s.%s: default %q is not a literal", t.Name, rm.Name, rm.Default)
		} else if (e.Literal.Kind == codecs.Array) != ref.List() {
			c.errorf(rm.pos, "%s.%s: default %q does not fit %s", t.Name, rm.Name, rm.Default, ref.Spec)
		}
		m.Default = e
	}
	for _, rr := range rm.Rules {
		r, err := compileRule(rr, ref, c.h.Lookups)
		if err != nil {
			c.errorf(rr.pos, "%s.%s: %v", t.Name, rm.Name, err)
			continue
		}
		m.Rules = append(m.Rules, r)
	}
	return m
}

// typeRef parses a type spec: a scalar ("string", "int?", "ushort",
// "timespan", "[]byte"), a declared enum or object type, "[]T" (a list),
// "set[T]" (a HashSet<T>) or "map[string]T" (a dictionary); lists and
// sets nest ("[][]string").
func (c *compiler) typeRef(spec string) (TypeRef, error) {
	return c.typeRefDepth(spec, 0)
}

// maxSpecDepth bounds how deeply type specs nest.
const maxSpecDepth = 8

func (c *compiler) typeRefDepth(spec string, depth int) (TypeRef, error) {
	if spec == "" {
		return TypeRef{}, fmt.Errorf("missing type")
	}
	if depth > maxSpecDepth {
		return TypeRef{}, fmt.Errorf("the type nests more than %d collections", maxSpecDepth)
	}
	if strings.HasPrefix(spec, "map[string]") {
		elem, err := c.typeRefDepth(spec[len("map[string]"):], depth+1)
		if err != nil {
			return TypeRef{}, err
		}
		if elem.Map() {
			return TypeRef{}, fmt.Errorf("maps of maps are not supported: %q", spec)
		}
		schema := &codecs.Type{Shape: codecs.MapShape, Nullable: true, Elem: elem.Type, Name: "ArrayOfKeyValueOfstring" + elem.Name, Namespace: arraysNS}
		return TypeRef{Type: schema, Spec: spec, Elem: &elem}, nil
	}
	if strings.HasPrefix(spec, "map[") {
		return TypeRef{}, fmt.Errorf("type %q: dictionary keys are strings (map[string]T)", spec)
	}
	isSet := strings.HasPrefix(spec, "set[")
	if isSet && !strings.HasSuffix(spec, "]") {
		return TypeRef{}, fmt.Errorf("type %q: a set is written set[T]", spec)
	}
	if (strings.HasPrefix(spec, "[]") && spec != "[]byte" && spec != "[]byte?") || isSet {
		inner := spec[2:]
		if isSet {
			inner = spec[len("set[") : len(spec)-1]
		}
		elem, err := c.typeRefDepth(inner, depth+1)
		if err != nil {
			return TypeRef{}, err
		}
		if isSet && (elem.List() || elem.Map()) {
			return TypeRef{}, fmt.Errorf("type %q: a set holds scalars or objects, not collections", spec)
		}
		// DataContractSerializer names a collection ArrayOf<item contract>
		// (HashSet<T> too), in the Arrays namespace for primitive items
		// and in the item contract's namespace otherwise
		// (List<List<string>> is ArrayOfArrayOfstring, found against Mono).
		schema := &codecs.Type{Shape: codecs.ListShape, Nullable: true, Elem: elem.Type, Set: isSet, Name: "ArrayOf" + elem.Name, Namespace: elem.Namespace}
		if elem.Object == nil && !elem.List() {
			schema.Namespace = arraysNS
		}
		return TypeRef{Type: schema, Spec: spec, Elem: &elem}, nil
	}
	base, nullable := strings.TrimSuffix(spec, "?"), strings.HasSuffix(spec, "?")
	if sc, ok := codecs.ScalarByName(base); ok && sc != codecs.EnumT {
		if nullable && !valueTypes[sc] {
			return TypeRef{}, fmt.Errorf("type %q: %s is already nullable (drop the ?)", spec, base)
		}
		nullable = nullable || !valueTypes[sc]
		schema := &codecs.Type{Name: dcsNames[sc], Namespace: serializationNS, Shape: codecs.ScalarShape, Scalar: sc, Nullable: nullable}
		return TypeRef{Type: schema, Spec: spec}, nil
	}
	t, ok := c.h.Types[base]
	if !ok {
		return TypeRef{}, fmt.Errorf("unknown type %q (built-in types: %s; or a type declared under types)", spec, strings.Join(builtinSpecs(), ", "))
	}
	if t.Enum != nil {
		schema := t.Type
		if nullable {
			cp := *t.Type
			cp.Nullable = true
			schema = &cp
		}
		return TypeRef{Type: schema, Spec: spec, Enum: t}, nil
	}
	return TypeRef{Type: t.Type, Spec: spec, Object: t}, nil
}

// builtinSpecs lists the scalar type names a spec may use.
func builtinSpecs() []string {
	var out []string
	for sc := codecs.StringT; sc.String() != "scalar(?)"; sc++ {
		if sc != codecs.EnumT {
			out = append(out, sc.String())
		}
	}
	return out
}

func compileRule(rr rawRule, ref TypeRef, lookups map[string][]LookupItem) (Rule, error) {
	r := Rule{Kind: RuleKind(rr.Kind), Message: rr.Message, Code: rr.Code, WhenSet: rr.WhenSet, Binary: ref.Scalar == codecs.BytesT}
	var err error
	switch r.Kind {
	case RuleRequired, RuleEmail, RulePhone, RuleURL:
		if rr.Arg.Kind != 0 && rr.Arg.Value != "" && rr.Arg.Value != "true" {
			return r, fmt.Errorf("rule %s takes no argument", r.Kind)
		}
	case RuleLength, RuleRange:
		r.Min, r.Max, err = bounds(&rr.Arg)
	case RuleMaxLength:
		r.Max, err = wholeNumber(&rr.Arg, "the maximum")
	case RuleMinLength:
		r.Min, err = wholeNumber(&rr.Arg, "the minimum")
	case RuleCompare:
		err = rr.Arg.Decode(&r.Other)
	case RuleRegex:
		if err = rr.Arg.Decode(&r.Pattern); err == nil {
			r.Regex, err = netregex.Compile(r.Pattern, netregex.None)
		}
	case RuleIn:
		if err = rr.Arg.Decode(&r.Lookup); err == nil {
			items, ok := lookups[r.Lookup]
			if !ok {
				err = fmt.Errorf("unknown lookup list %q", r.Lookup)
			}
			r.Codes = map[string]bool{}
			for _, it := range items {
				r.Codes[strings.ToUpper(it.Code)] = true
			}
		}
	case RulePassword:
		var a struct {
			Min     int  `yaml:"min"`
			Max     int  `yaml:"max"`
			Upper   bool `yaml:"upper"`
			Lower   bool `yaml:"lower"`
			Digit   bool `yaml:"digit"`
			NoSpace bool `yaml:"no_space"`
		}
		if err = rr.Arg.Decode(&a); err == nil && a.Max < a.Min {
			err = fmt.Errorf("rule password: max %d < min %d", a.Max, a.Min)
		}
		r.Min, r.Max, r.Upper, r.Lower, r.Digit, r.NoSpace = a.Min, a.Max, a.Upper, a.Lower, a.Digit, a.NoSpace
	default:
		return r, fmt.Errorf("unknown rule %q (known: required, length, maxlength, minlength, compare, email, phone, url, regex, range, in, password)", rr.Kind)
	}
	if err != nil {
		return r, fmt.Errorf("rule %s: %s", r.Kind, PlainYAMLError(err))
	}
	if (r.Kind == RuleLength || r.Kind == RuleMaxLength || r.Kind == RuleMinLength || r.Kind == RuleEmail || r.Kind == RulePhone || r.Kind == RuleURL || r.Kind == RuleRegex || r.Kind == RuleIn || r.Kind == RulePassword) && ref.Scalar != codecs.StringT && !ref.List() {
		return r, fmt.Errorf("rule %s applies to strings, not %s", r.Kind, ref.Spec)
	}
	if r.Kind == RuleRange && !numeric[ref.Scalar] {
		return r, fmt.Errorf("rule range applies to numbers, not %s", ref.Spec)
	}
	return r, nil
}

func (c *compiler) compileOperation(ro *rawOperation) {
	h := c.h
	op := &Operation{Name: ro.Name, Summary: ro.Summary, Action: Action(ro.Action), Bind: BindSource(ro.Bind),
		Parameter: ro.Parameter, RequireQuery: ro.RequireQuery, Mapping: ro.Command, DefaultRoles: ro.DefaultRoles,
		Conflicts: map[string]Conflict{}, host: h}
	if !identRe.MatchString(op.Name) {
		c.errorf(ro.pos, "operation name %q is not an identifier", op.Name)
	}
	switch op.Action {
	case ActionRegister, ActionIsAvailable, ActionAuthenticate, ActionActivate, ActionLookup:
	default:
		c.errorf(ro.pos, "operation %s: action %q is not one of register, is_available, authenticate, activate, lookup", op.Name, ro.Action)
	}
	switch op.Bind {
	case "":
		op.Bind = FromBody
	case FromBody, FromQuery:
	default:
		c.errorf(ro.pos, "operation %s: bind %q is not one of body, query", op.Name, ro.Bind)
	}
	if len(ro.Routes) == 0 {
		c.errorf(ro.pos, "operation %s: no routes", op.Name)
	}
	for _, rr := range ro.Routes {
		m := strings.ToUpper(rr.Method)
		if !identRe.MatchString(m) && m != "*" {
			c.errorf(rr.pos, "operation %s: bad method %q", op.Name, rr.Method)
		}
		if !strings.HasPrefix(rr.Path, "/") {
			c.errorf(rr.pos, "operation %s: path %q must start with /", op.Name, rr.Path)
		}
		op.Routes = append(op.Routes, Route{Method: m, Path: rr.Path})
	}
	if t, ok := h.Types[ro.Request]; ok && t.Enum == nil {
		op.Request = t
	} else if whole := c.wholeType(ro.Request); whole != nil {
		// A list, set, dictionary or scalar body (Web API's
		// Post([FromBody] List<Item> items)); ServiceStack requests are
		// always DTO classes.
		op.Request = whole
		if c.raw.Style == string(ServiceStack) {
			c.errorf(ro.pos, "operation %s: request %q: a ServiceStack request is a DTO (an object type)", op.Name, ro.Request)
		}
		if op.Bind == FromQuery {
			c.errorf(ro.pos, "operation %s: request %q: only an object type binds from the query", op.Name, ro.Request)
		}
	} else if ro.Request == "" && Action(ro.Action) == ActionLookup {
		op.Request = &Type{Type: &codecs.Type{Name: "none", Shape: codecs.ObjectShape}}
		op.Request.flatten(0)
		op.Bind = FromQuery
	} else {
		c.errorf(ro.pos, "operation %s: unknown request type %q", op.Name, ro.Request)
	}
	op.Response = c.responseType(ro)
	op.ResponseFrom = c.responseFrom[ro.Name]
	for field, member := range ro.Command {
		if !contains(commandFields, field) {
			c.errorf(ro.pos, "operation %s: command field %q is not one of %s", op.Name, field, strings.Join(commandFields, ", "))
		}
		if op.Request != nil && op.Request.Ref != nil {
			if member != WholeRequest {
				c.errorf(ro.pos, "operation %s: command.%s: request %s has no members; map the whole request with %q", op.Name, field, ro.Request, WholeRequest)
			}
			continue
		}
		if op.Request != nil && op.Request.Member(member) == nil {
			c.errorf(ro.pos, "operation %s: command.%s names unknown member %s.%s", op.Name, field, op.Request.Name, member)
		}
	}
	if op.Action == ActionRegister {
		// A register operation without a password mapping creates an
		// account whose password is set later (FLS mails a link for it).
		if _, ok := ro.Command["username"]; !ok {
			c.errorf(ro.pos, "operation %s: a register operation must map command.username", op.Name)
		}
	}
	if a := ro.Auth; a != nil {
		op.Authenticate, op.Roles = true, a.Roles
		if len(h.Auth.Providers) == 0 {
			c.errorf(a.pos, "operation %s: auth needs the host's auth providers", op.Name)
		}
	}
	if a := ro.Activation; a != nil {
		if op.Action != ActionRegister {
			c.errorf(a.pos, "operation %s: activation belongs to a register operation", op.Name)
		}
		op.Activation = &Activation{Template: a.Template, Language: a.Language, Link: a.Link, Callback: a.Callback, CallbackFlag: a.CallbackFlag}
		if a.Template == "" || a.Link == "" {
			c.errorf(a.pos, "operation %s: activation needs a template and a link", op.Name)
		}
		for _, m := range []string{a.Language, a.Callback, a.CallbackFlag} {
			if m != "" && op.Request != nil && op.Request.Member(m) == nil {
				c.errorf(a.pos, "operation %s: activation names unknown member %s.%s", op.Name, op.Request.Name, m)
			}
		}
	}
	if op.Action == ActionLookup {
		op.Lookup = ro.Lookup
		if _, ok := h.Lookups[ro.Lookup]; !ok {
			c.errorf(ro.pos, "operation %s: unknown lookup list %q", op.Name, ro.Lookup)
		}
	}
	c.compileRoles(op, ro.Roles)
	if r := ro.Redirect; r != nil {
		op.Redirect = &Redirect{URL: r.URL, CodeIf: r.CodeIf}
	}
	if op.Action == ActionActivate && ro.Command["code"] == "" {
		c.errorf(ro.pos, "operation %s: an activate operation must map command.code", op.Name)
	}
	if ro.AutoLogin != "" {
		op.AutoLogin = ro.AutoLogin
		if op.Request != nil {
			if m := op.Request.Member(ro.AutoLogin); m == nil || m.Type.Scalar != codecs.BoolT {
				c.errorf(ro.pos, "operation %s: auto_login names %q, which is not a bool member of %s", op.Name, ro.AutoLogin, ro.Request)
			}
		}
	}
	if op.Action == ActionAuthenticate && (ro.Command["username"] == "" || ro.Command["password"] == "") {
		c.errorf(ro.pos, "operation %s: an authenticate operation must map command.username and command.password", op.Name)
	}
	if op.Action == ActionIsAvailable && ro.Command["username"] == "" {
		c.errorf(ro.pos, "operation %s: an is_available operation must map command.username", op.Name)
	}
	for field, rc := range ro.Conflicts {
		if field != "username" && field != "email" {
			c.errorf(rc.pos, "operation %s: conflicts.%s: only username and email can conflict", op.Name, field)
		}
		if strings.Contains(rc.Message, "{value}") {
			c.errorf(rc.pos, "operation %s: conflicts.%s: a conflict message names the taken value as %s", op.Name, field, ConflictPlaceholder(h.Style))
		}
		op.Conflicts[field] = Conflict{Key: rc.Key, Code: rc.Code, Message: rc.Message}
	}
	h.Operations = append(h.Operations, op)
}

// commandFields are the canonical command fields an operation may map.
var commandFields = []string{"username", "email", "password", "phone", "first_name", "last_name", "roles", "remember_me", "code", "user"}

func (c *compiler) responseType(ro *rawOperation) *Type {
	if ro.Response == "void" {
		return &Type{Type: &codecs.Type{Name: "void"}, Primitive: true, Void: true, noWire: true}
	}
	if ro.Action == string(ActionLookup) && ro.Response == "" {
		return &Type{Type: &codecs.Type{Name: "lookup"}, Primitive: true, noWire: true}
	}
	if t, ok := c.h.Types[ro.Response]; ok && t.Enum == nil {
		if ro.ResponseFrom != "" {
			c.errorf(ro.pos, "operation %s: response_from is for a list, set, dictionary or scalar response; %s maps its members", ro.Name, ro.Response)
		}
		return t
	}
	whole := c.wholeType(ro.Response)
	if whole == nil {
		if _, err := c.typeRef(ro.Response); err != nil && strings.ContainsAny(ro.Response, "[]?") {
			c.errorf(ro.pos, "operation %s: response: %v", ro.Name, err)
		} else {
			c.errorf(ro.pos, "operation %s: unknown response type %q", ro.Name, ro.Response)
		}
		return nil
	}
	if ro.ResponseFrom != "" {
		e, err := ParseExpr(ro.ResponseFrom)
		if err != nil {
			c.errorf(ro.pos, "operation %s: response_from: %v", ro.Name, err)
		}
		c.responseFrom[ro.Name] = e
	}
	return whole
}

// WholeRequest is the command mapping's name for a request that is a
// scalar or collection as a whole ("command: {username: .}").
const WholeRequest = "."

// wholeType compiles a type spec that is not a declared object type (a
// list, set, dictionary, scalar or enum) into a memberless Type holding
// it; nil when spec is empty or does not parse.
func (c *compiler) wholeType(spec string) *Type {
	if spec == "" {
		return nil
	}
	ref, err := c.typeRef(spec)
	if err != nil || ref.Object != nil {
		return nil
	}
	ref.TimeKind = c.h.TimeKind
	t := &Type{Type: ref.Type, Primitive: true, Ref: &ref, host: c.h}
	t.flatten(0)
	return t
}

// Member returns the member named name (exact), searching the base chain.
func (t *Type) Member(name string) *Member {
	for c := t; c != nil; c = c.Parent() {
		for _, m := range c.Members {
			if m.Name == name {
				return m
			}
		}
	}
	return nil
}

// AllMembers returns own members then inherited ones (JSON order). It is
// computed once at load; callers must not modify it.
func (t *Type) AllMembers() []*Member { return t.all }

// flatten fills t.all (and its bases') after members and bases are known.
func (t *Type) flatten(depth int) []*Member {
	if t.all != nil || depth > 32 {
		return t.all
	}
	t.all = append([]*Member{}, t.Members...)
	if p := t.Parent(); p != nil {
		t.all = append(t.all, p.flatten(depth+1)...)
	}
	return t.all
}

// Operation returns the host's operation named name.
func (h *Host) Operation(name string) *Operation {
	for _, op := range h.Operations {
		if op.Name == name {
			return op
		}
	}
	return nil
}
