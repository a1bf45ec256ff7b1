package jsvcodec

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"legacygate/codecs"
)

// DefaultMaxDepth is the nesting limit applied when [DecodeOptions.MaxDepth]
// is not positive. ServiceStack has no limit of its own (it recurses until
// the stack overflows); 64 is ample for DTOs.
const DefaultMaxDepth = 64

// DecodeOptions tune [Decode] and [DecodeValue]. The zero value reads as
// ServiceStack's TypeSerializer does with its default configuration.
type DecodeOptions struct {
	// Lenient also reads pretty-printed JSV (JsvFormatter output, as the
	// metadata pages show it): whitespace around keys, values, list items
	// and the top-level value is skipped and scalar values are trimmed.
	// ServiceStack itself keeps leading/trailing whitespace of values (spec
	// §2.1), so this is an extension.
	Lenient bool
	// MaxDepth is the deepest nesting of objects, lists and maps accepted;
	// the top-level container is depth 1. Zero or negative means
	// DefaultMaxDepth. Exceeding it is always an error.
	MaxDepth int
	// Strict reports property values that fail to convert (e.g. Age:x for
	// an int) as errors, like JsConfig.ThrowOnError. By default they are
	// dropped from the object, as ServiceStack leaves the property at its
	// default.
	Strict bool
	// Release is the ServiceStack.Text release whose reader is reproduced
	// (docs/legacy/jsv-versions.md); the zero value is the newest.
	Release Release
}

// Decode reads one JSV value.
//
// With t == nil the decode is schemaless: '{' gives an Object (dictionary
// rules: keys unescaped, values schemaless), '[' an Array, an empty token
// Null and anything else a String (quoted strings unquoted).
//
// With t the value is read as ServiceStack reads that type: see the package
// documentation. Empty input (after a BOM) is [ErrEmpty]; rejected input is a
// [*SyntaxError] with the byte offset.
//
// Strings that need no unescaping share the memory of one copy of data.
func Decode(data []byte, t *codecs.Type, opt DecodeOptions) (codecs.Value, error) {
	d := decoderPool.Get().(*decoder)
	d.init(string(data), opt)
	v, err := d.decodeTop(t)
	d.release()
	decoderPool.Put(d)
	return v, err
}

// DecodeValue parses one query-string or form value s bound to a property
// of type t, as ServiceStack's StringMapTypeDeserializer does (jsv.md §11):
// string properties receive the raw text (no JSV unquoting), bool
// properties only the text before the first ',', every other type is read
// with the JSV reader for the type (so lists may omit their brackets:
// "1,2,3", and objects are JSV objects: "{Id:1,Name:x}"). An empty s yields
// the null Value (ServiceStack skips empty values). With t == nil s is read
// schemalessly as by [Decode].
func DecodeValue(s string, t *codecs.Type, opt DecodeOptions) (codecs.Value, error) {
	if s == "" {
		return codecs.Value{}, nil
	}
	if t != nil && t.Shape == codecs.ScalarShape {
		switch t.Scalar {
		case codecs.StringT:
			return codecs.Str(s), nil
		case codecs.BoolT:
			if i := strings.IndexByte(s, ','); i >= 0 {
				s = s[:i]
			}
		}
	}
	d := decoderPool.Get().(*decoder)
	d.init(s, opt)
	v, err := d.parse(0, len(s), t, 0)
	if err == nil && d.fatal != nil {
		err = d.fatal
	}
	d.release()
	decoderPool.Put(d)
	return v, err
}

var decoderPool = sync.Pool{New: func() any { return new(decoder) }}

// decoder holds the state of one call. All token positions are absolute
// offsets into src.
type decoder struct {
	src      string
	lenient  bool
	strict   bool
	old      legacy
	maxDepth int
	// fatal is set by errors no enclosing property may swallow (depth).
	fatal error
	items []codecs.Value  // scratch stack for list items
	mems  []codecs.Member // scratch stack for map members
	buf   []byte
}

const maxPooledStack = 4096

func (d *decoder) init(src string, opt DecodeOptions) {
	d.src = src
	d.lenient = opt.Lenient
	d.strict = opt.Strict
	d.old = opt.Release.behaviours()
	d.maxDepth = opt.MaxDepth
	if d.maxDepth <= 0 {
		d.maxDepth = DefaultMaxDepth
	}
	d.fatal = nil
}

func (d *decoder) release() {
	d.src = ""
	clear(d.items[:cap(d.items)])
	clear(d.mems[:cap(d.mems)])
	d.items, d.mems = d.items[:0], d.mems[:0]
	if cap(d.items) > maxPooledStack {
		d.items = nil
	}
	if cap(d.mems) > maxPooledStack {
		d.mems = nil
	}
	if cap(d.buf) > 64<<10 {
		d.buf = nil
	}
	d.fatal = nil
}

func (d *decoder) errAt(off int, msg string) error {
	if off > len(d.src) {
		off = len(d.src)
	}
	return &SyntaxError{Offset: off, Msg: msg}
}

func (d *decoder) decodeTop(t *codecs.Type) (codecs.Value, error) {
	s, e := 0, len(d.src)
	if strings.HasPrefix(d.src, "\uFEFF") {
		if d.old&oldBOMError != 0 {
			return codecs.Value{}, d.errAt(0, "unexpected byte order mark")
		}
		s = 3
	}
	if d.lenient {
		s, e = d.trim(s, e)
	}
	if s == e {
		return codecs.Value{}, ErrEmpty
	}
	v, err := d.parse(s, e, t, 0)
	if err == nil && d.fatal != nil {
		err = d.fatal
	}
	if err != nil {
		return codecs.Value{}, err
	}
	return v, nil
}

// parse converts the token src[s:e] to a value of type t.
func (d *decoder) parse(s, e int, t *codecs.Type, depth int) (codecs.Value, error) {
	if t == nil {
		if s == e {
			return codecs.Value{}, nil
		}
		switch d.src[s] {
		case '{':
			return d.parseMap(s, e, nil, depth)
		case '[':
			return d.parseList(s, e, nil, depth)
		}
		return d.unescape(s, e), nil
	}
	if isBytes(t) {
		return d.parseBytes(s, e)
	}
	switch t.Shape {
	case codecs.ObjectShape:
		return d.parseObject(s, e, t, depth)
	case codecs.ListShape:
		return d.parseList(s, e, t, depth)
	case codecs.MapShape:
		return d.parseMap(s, e, t, depth)
	}
	return d.parseScalar(s, e, t)
}

func (d *decoder) enter(s, depth int) error {
	if depth >= d.maxDepth {
		d.fatal = d.errAt(s, "exceeded max depth")
		return d.fatal
	}
	return nil
}

// swallow decides what an error converting one property value does: with
// the default configuration ServiceStack drops the property.
func (d *decoder) swallow(err error) bool {
	return d.fatal == nil && !d.strict
}

// ---- tokenizer (JsvTypeSerializer.EatValue / EatMapKey) ----

// eatValue returns the end of the value token starting at i (EatValue).
func (d *decoder) eatValue(i, e int) int {
	src := d.src
	if i >= e {
		return i
	}
	switch c := src[i]; c {
	case ',', '}':
		return i
	case '"':
		return d.eatQuoted(i, e)
	case '{', '[':
		cl := byte('}')
		if c == '[' {
			cl = ']'
		}
		depth := 1
		inq := false
		for {
			i++
			if i >= e || depth == 0 {
				return i
			}
			b := src[i]
			if b == '"' {
				inq = !inq
			}
			if inq {
				continue
			}
			if b == c {
				depth++
			} else if b == cl {
				depth--
			}
		}
	}
	for i++; i < e; i++ {
		if b := src[i]; b == ',' || b == '}' {
			break
		}
	}
	return i
}

// eatQuoted scans a quoted token starting at the quote at i.
func (d *decoder) eatQuoted(i, e int) int {
	src := d.src
	for {
		i++
		if i >= e {
			return e
		}
		if src[i] != '"' {
			continue
		}
		lit := i+1 < e && src[i+1] == '"'
		i++
		if !lit {
			return i
		}
	}
}

// eatMapKey returns the key token [s, ke) starting at i and the index just
// after it (where ':' is expected), or ok=false when an unquoted key runs to
// the end without ':' (IndexOutOfRange in .NET).
func (d *decoder) eatMapKey(i, e int) (ke int, ok bool) {
	switch d.src[i] {
	case '"':
		return d.eatQuoted(i, e), true
	case '{':
		depth := 1
		inq := false
		for {
			i++
			if i >= e || depth == 0 {
				return i, true
			}
			b := d.src[i]
			if b == '"' {
				inq = !inq
			}
			if inq {
				continue
			}
			if b == '{' {
				depth++
			} else if b == '}' {
				depth--
			}
		}
	}
	j := strings.IndexByte(d.src[i+1:e], ':')
	if j < 0 {
		return e, false
	}
	return i + 1 + j, true
}

// valueAt reads the value token starting at i: it returns the token bounds
// and the index after it. In lenient mode surrounding whitespace is skipped
// and scalar tokens are trimmed.
func (d *decoder) valueAt(i, e int) (vs, ve, next int) {
	if d.lenient {
		i = d.skipWS(i, e)
	}
	ve = d.eatValue(i, e)
	next = ve
	if d.lenient {
		if i < ve {
			if c := d.src[i]; c != '"' && c != '{' && c != '[' {
				_, ve = d.trim(i, ve)
			}
		}
		next = d.skipWS(next, e)
	}
	return i, ve, next
}

// ---- whitespace ----

func isASCIISpace(c byte) bool {
	return c == ' ' || (c >= '\t' && c <= '\r')
}

// spaceAt reports whether a whitespace character (char.IsWhiteSpace, or the
// JSON reader's U+200B) starts at i, and its width.
func (d *decoder) spaceAt(i int) (bool, int) {
	c := d.src[i]
	if c < utf8.RuneSelf {
		return isASCIISpace(c), 1
	}
	r, n := utf8.DecodeRuneInString(d.src[i:])
	return unicode.IsSpace(r) || r == '\u200b', n
}

func (d *decoder) skipWS(i, e int) int {
	for i < e {
		ok, n := d.spaceAt(i)
		if !ok {
			break
		}
		i += n
	}
	return i
}

// trim narrows [s,e) by whitespace on both sides.
func (d *decoder) trim(s, e int) (int, int) {
	s = d.skipWS(s, e)
	for e > s {
		c := d.src[e-1]
		if c < utf8.RuneSelf {
			if !isASCIISpace(c) {
				break
			}
			e--
			continue
		}
		r, n := utf8.DecodeLastRuneInString(d.src[s:e])
		if !unicode.IsSpace(r) && r != '\u200b' {
			break
		}
		e -= n
	}
	return s, e
}

// isEmptyMap is JsonTypeSerializer.IsEmptyMap from index i (just after '{').
func (d *decoder) isEmptyMap(i, e int) bool {
	i = d.skipWS(i, e)
	return i == e || d.src[i] == '}'
}

// ---- strings ----

// unescape is FromCsvField + Value(): an empty token is null; a token
// starting with '"' loses its first and last characters and "" becomes ";
// anything else is taken verbatim.
func (d *decoder) unescape(s, e int) codecs.Value {
	if s == e {
		return codecs.Value{}
	}
	return codecs.Str(d.unescapeStr(s, e))
}

func (d *decoder) unescapeStr(s, e int) string {
	if d.src[s] != '"' {
		return d.src[s:e]
	}
	if e-s < 2 {
		return ""
	}
	inner := d.src[s+1 : e-1]
	if !strings.Contains(inner, `""`) {
		return inner
	}
	return strings.ReplaceAll(inner, `""`, `"`)
}

// mapKey unescapes a key token as a real ServiceStack.Text reads a
// dictionary key: a quoted key loses its outer quotes and each doubled
// quote inside becomes one (CSV unescaping: "k""q" is k"q, """lead" is
// "lead), so that what the writer quotes reads back; an unquoted key is
// taken verbatim.
func (d *decoder) mapKey(s, e int) string {
	if e > s && d.src[s] == '"' {
		return d.unescapeStr(s, e)
	}
	return d.src[s:e]
}

// ---- objects (DeserializeTypeRefJsv.StringToType) ----

type typeInfo struct {
	fields []codecs.Field
	camel  []string // the fields' camelCase names, computed once
}

var typeCache sync.Map // *codecs.Type -> *typeInfo

func infoOf(t *codecs.Type) *typeInfo {
	if ti, ok := typeCache.Load(t); ok {
		return ti.(*typeInfo)
	}
	ti := &typeInfo{fields: t.AllFields()}
	ti.camel = make([]string, len(ti.fields))
	for i, f := range ti.fields {
		ti.camel[i] = string(appendCamel(nil, f.Name))
	}
	typeCache.Store(t, ti)
	return ti
}

// foldEq reports whether a and b are equal under OrdinalIgnoreCase.
func foldEq(a, b string) bool {
	if len(a) != len(b) {
		return strings.EqualFold(a, b)
	}
	for i := 0; i < len(a); i++ {
		ca, cb := a[i], b[i]
		if ca == cb {
			continue
		}
		if ca|cb >= utf8.RuneSelf {
			return strings.EqualFold(a[i:], b[i:])
		}
		if 'A' <= ca && ca <= 'Z' {
			ca += 'a' - 'A'
		}
		if 'A' <= cb && cb <= 'Z' {
			cb += 'a' - 'A'
		}
		if ca != cb {
			return false
		}
	}
	return true
}

func findField(fields []codecs.Field, name string, hint int) int {
	if hint < len(fields) && foldEq(fields[hint].Name, name) {
		return hint
	}
	for i := range fields {
		if foldEq(fields[i].Name, name) {
			return i
		}
	}
	return -1
}

func (d *decoder) parseObject(s, e int, t *codecs.Type, depth int) (codecs.Value, error) {
	if s == e {
		return codecs.Value{}, nil
	}
	if d.src[s] != '{' {
		return codecs.Value{}, d.errAt(s, "type definitions should start with a '{', expecting serialized type '"+t.Name+"'")
	}
	if err := d.enter(s, depth); err != nil {
		return codecs.Value{}, err
	}
	if d.isEmptyMap(s+1, e) {
		return codecs.Obj(), nil
	}
	fields := infoOf(t).fields
	base := len(d.mems)
	hint := 0
	for i := s + 1; i < e; {
		if d.lenient {
			if i = d.skipWS(i, e); i == e {
				break
			}
		}
		ks, ke, vs, ve, next, err := d.entryAt(i, e, "member", "a member name")
		if err != nil {
			d.dropMembers(base)
			return codecs.Value{}, err
		}
		i = next
		ns, ne := ks, ke
		if ne-ns > 2 && d.src[ns] == '"' && d.old&oldQuotedNames == 0 {
			ns, ne = ns+1, ne-1
		}
		if d.lenient || d.old&oldNoNameTrim == 0 {
			ns, ne = d.trim(ns, ne)
		}
		if fi := findField(fields, d.src[ns:ne], hint); fi >= 0 {
			hint = fi + 1
			v, err := d.parse(vs, ve, fields[fi].Type, depth+1)
			if err != nil {
				if !d.swallow(err) {
					d.dropMembers(base)
					return codecs.Value{}, err
				}
			} else {
				d.mems = append(d.mems, codecs.Member{Name: fields[fi].Name, Value: v})
			}
		}
		if i != e {
			i++
		}
	}
	return codecs.Value{Kind: codecs.Object, Members: d.takeMembers(base)}, nil
}

// entryAt scans the "key:value" entry of an object or map that starts at
// i (before e): the key's and the value's spans and where the next entry
// starts. what and after name the container in errors.
func (d *decoder) entryAt(i, e int, what, after string) (ks, ke, vs, ve, next int, err error) {
	ks = i
	ke, ok := d.eatMapKey(i, e)
	if !ok {
		return 0, 0, 0, 0, 0, d.errAt(ks, what+" has no ':'")
	}
	if ke+1 > e {
		return 0, 0, 0, 0, 0, d.errAt(e, "unexpected end of input after "+after)
	}
	vs, ve, next = d.valueAt(ke+1, e)
	return ks, ke, vs, ve, next, nil
}

// takeMembers returns the members collected on the scratch stack since
// base, in their own slice, and pops them.
func (d *decoder) takeMembers(base int) []codecs.Member {
	out := make([]codecs.Member, len(d.mems)-base)
	copy(out, d.mems[base:])
	d.dropMembers(base)
	return out
}

// dropMembers pops the members collected since base, clearing them so the
// pooled decoder keeps no value alive.
func (d *decoder) dropMembers(base int) {
	clear(d.mems[base:])
	d.mems = d.mems[:base]
}

// ---- dictionaries (DeserializeDictionary.ParseDictionary) ----

// parseMap reads a dictionary with string keys; t == nil is the schemaless
// reader (values by their first character).
func (d *decoder) parseMap(s, e int, t *codecs.Type, depth int) (codecs.Value, error) {
	if s == e {
		return codecs.Value{}, nil
	}
	if err := d.enter(s, depth); err != nil {
		return codecs.Value{}, err
	}
	i := s
	if d.src[s] == '{' {
		i++
	}
	if d.isEmptyMap(i, e) {
		return codecs.Obj(), nil
	}
	var elem *codecs.Type
	if t != nil {
		elem = t.Elem
	}
	base := len(d.mems)
	for i < e {
		if d.lenient {
			if i = d.skipWS(i, e); i == e {
				break
			}
		}
		ks, ke, vs, ve, next, err := d.entryAt(i, e, "map entry", "a map key")
		if err != nil {
			d.dropMembers(base)
			return codecs.Value{}, err
		}
		i = next
		kEnd := ke
		if d.lenient {
			ks, kEnd = d.trim(ks, ke)
		}
		key := d.mapKey(ks, kEnd)
		var v codecs.Value
		if t != nil && elem == nil {
			// Dictionary<string,object>: the unescaped text (jsv.md §5.3).
			v = d.unescape(vs, ve)
		} else {
			v, err = d.parse(vs, ve, elem, depth+1)
		}
		if err != nil {
			d.dropMembers(base)
			return codecs.Value{}, err
		}
		d.mems = append(d.mems, codecs.Member{Name: key, Value: v})
		if i < e {
			i++
		}
	}
	return codecs.Value{Kind: codecs.Object, Members: d.takeMembers(base)}, nil
}

// ---- lists (DeserializeListWithElements, DeserializeArray) ----

type listKind uint8

const (
	genericList listKind = iota // List<T>: empty item -> default(T)
	stringList                  // List<string>: empty item -> null, trailing ',' -> null
	intList                     // List<int>: empty item is an error, trailing ',' ignored
	arrayList                   // T[], HashSet<T>: item parser sees the empty token
)

func listKindOf(t *codecs.Type) listKind {
	if t == nil {
		return stringList
	}
	el := t.Elem
	isArr := strings.HasSuffix(t.Name, "[]") || isHashSet(t) ||
		strings.HasPrefix(t.Name, "ISet") || strings.HasPrefix(t.Name, "SortedSet")
	if el != nil && el.Shape == codecs.ScalarShape && !isBytes(el) && !isSpan(el) {
		switch {
		case el.Scalar == codecs.StringT || el.Scalar == codecs.NotScalar:
			if isHashSet(t) {
				return arrayList
			}
			return stringList
		case el.Scalar == codecs.Int32T && !el.Nullable && !isArr:
			return intList
		}
	}
	if isArr {
		return arrayList
	}
	return genericList
}

// stripList is StripList: ok=false for an empty token (null list), s==e for
// an empty list.
func (d *decoder) stripList(s, e int) (int, int, bool, error) {
	if s == e {
		return s, e, false, nil
	}
	s, e = d.trim(s, e)
	if s < e && d.src[s] == '[' {
		if e-s < 2 {
			return s, e, false, d.errAt(s, "unterminated list")
		}
		s, e = s+1, e-1
	}
	if d.skipWS(s, e) == e && (s == e || d.old&oldBlankListItem == 0) {
		return s, s, true, nil
	}
	return s, e, true, nil
}

func (d *decoder) parseList(s, e int, t *codecs.Type, depth int) (codecs.Value, error) {
	s0 := s
	s, e, ok, err := d.stripList(s, e)
	if err != nil || !ok {
		return codecs.Value{}, err
	}
	if err := d.enter(s0, depth); err != nil {
		return codecs.Value{}, err
	}
	kind := listKindOf(t)
	if t != nil && kind == stringList && strings.HasSuffix(t.Name, "[]") {
		// ParseStringArray strips the list a second time.
		if s, e, ok, err = d.stripList(s, e); err != nil || !ok {
			return codecs.Value{}, err
		}
	}
	if s == e {
		return codecs.Arr(), nil
	}
	var elem *codecs.Type
	if t != nil {
		elem = t.Elem
	}
	base := len(d.items)
	fail := func(err error) (codecs.Value, error) {
		clear(d.items[base:])
		d.items = d.items[:base]
		return codecs.Value{}, err
	}
	i := s
	if d.lenient {
		i = d.skipWS(i, e)
	}
	if i < e && d.src[i] == '{' && kind != stringList && kind != intList {
		// A sequence of {...} items separated by one character each.
		for {
			if d.lenient {
				i = d.skipWS(i, e)
			}
			vs := i
			ve := d.eatValue(i, e)
			i = ve
			var v codecs.Value
			if vs < ve || kind == arrayList {
				if v, err = d.parse(vs, ve, elem, depth+1); err != nil {
					return fail(err)
				}
			} else {
				v = defaultOf(elem)
			}
			d.items = append(d.items, v)
			if d.lenient {
				i = d.skipWS(i, e)
			}
			if i++; i >= e {
				break
			}
		}
	} else {
		for i < e {
			vs, ve, next := d.valueAt(i, e)
			i = next
			empty := vs == ve
			var v codecs.Value
			switch {
			case t == nil:
				if v, err = d.parse(vs, ve, nil, depth+1); err != nil {
					return fail(err)
				}
			case kind == stringList:
				v = d.unescape(vs, ve)
			case kind == intList && empty:
				return fail(d.errAt(vs, "empty list item for "+elem.Name))
			case empty && kind == genericList:
				v = defaultOf(elem)
			default:
				if v, err = d.parse(vs, ve, elem, depth+1); err != nil {
					return fail(err)
				}
			}
			// EatItemSeperatorOrMapEndChar: a separator that ends the
			// content adds a final default item.
			trailing := false
			if i < e {
				c := d.src[i]
				i++
				trailing = i == e && (c == ',' || c == '}') && kind != intList
				if i == e && c == ',' && kind == intList && d.old&oldIntListTrailing != 0 {
					return fail(nil) // the old reader's whole list is null
				}
			}
			if !(empty && trailing && kind == genericList) {
				d.items = append(d.items, v)
			}
			if trailing {
				d.items = append(d.items, defaultOf(elem))
			}
		}
	}
	out := make([]codecs.Value, len(d.items)-base)
	copy(out, d.items[base:])
	clear(d.items[base:])
	d.items = d.items[:base]
	return codecs.Value{Kind: codecs.Array, Items: out}, nil
}

// defaultOf is default(T) for a list item: null for reference and nullable
// types, the zero value of value types.
func defaultOf(t *codecs.Type) codecs.Value {
	if t == nil || t.Nullable || t.Shape != codecs.ScalarShape {
		return codecs.Value{}
	}
	switch {
	case isSpan(t):
		return codecs.Str("PT0S")
	case isBytes(t):
		return codecs.Value{}
	}
	return codecs.Default(t)
}

// isSpan reports a TimeSpan: the TimeSpanT family, or (schemas built by
// hand) the type name "TimeSpan".
func isSpan(t *codecs.Type) bool {
	return t != nil && (t.Scalar == codecs.TimeSpanT || t.Name == "TimeSpan")
}

// isBytes reports a byte[]: the BytesT family, or the type name "byte[]".
func isBytes(t *codecs.Type) bool {
	return t != nil && (t.Scalar == codecs.BytesT || t.Name == "byte[]")
}

// isHashSet reports a HashSet<T>: Type.Set, or a name starting "HashSet".
func isHashSet(t *codecs.Type) bool {
	return t != nil && (t.Set || strings.HasPrefix(t.Name, "HashSet"))
}
