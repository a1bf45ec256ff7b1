// Package settings reads a configuration struct from YAML and from
// environment variables, both derived from the struct's `yaml` tags, so
// that every key has one name, one environment variable and one
// description of the form it expects. Errors name the key's YAML path
// (timeouts.read) and the form (a duration such as 15s), never a Go type.
package settings

import (
	"encoding"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Key is one configuration key.
type Key struct {
	// Path is the YAML path: "limits.max_body_bytes"; list items are
	// "hosts[].name".
	Path string
	// Env is the environment variable that sets the key ("" for keys inside
	// a list, which are set with the list's variable).
	Env string
	// Form says what a value must look like ("a duration such as 15s").
	Form string
	// Type is the field's Go type; Owner and Field name its declaration
	// (for documentation lookups).
	Type  reflect.Type
	Owner reflect.Type
	Field string
	// Leaf is false for a mapping whose keys are listed separately.
	Leaf  bool
	index []int // from the root; nil inside lists
}

// EnvName is the variable for a YAML path under prefix: LEGACYGATE_ and
// limits.max_body_bytes make LEGACYGATE_LIMITS_MAX_BODY_BYTES.
func EnvName(prefix, path string) string {
	return prefix + strings.ToUpper(strings.ReplaceAll(path, ".", "_"))
}

var durationType = reflect.TypeFor[time.Duration]()

// custom reports types that decode themselves.
func custom(t reflect.Type) bool {
	p := reflect.PointerTo(t)
	return p.Implements(reflect.TypeFor[yaml.Unmarshaler]()) || p.Implements(reflect.TypeFor[encoding.TextUnmarshaler]())
}

// isStruct reports a struct the walk descends into (not a duration, not a
// self-decoding type).
func isStruct(t reflect.Type) bool {
	return t.Kind() == reflect.Struct && !custom(t)
}

// Keys lists every key of the struct type root in declaration order, with
// environment names under prefix. Nested mappings are listed before their
// keys (Leaf false); a list of mappings is one key (set as a whole) whose
// item keys follow it.
func Keys(root reflect.Type, prefix string) []Key {
	var out []Key
	var walk func(t reflect.Type, path string, index []int, inList bool)
	walk = func(t reflect.Type, path string, index []int, inList bool) {
		for i := range t.NumField() {
			f := t.Field(i)
			name := yamlName(f)
			if name == "" {
				continue
			}
			p := name
			if path != "" {
				p = path + "." + name
			}
			k := Key{Path: p, Form: Form(f.Type), Type: f.Type, Owner: t, Field: f.Name, Leaf: true}
			if !inList {
				k.index = append(append([]int(nil), index...), i)
				k.Env = EnvName(prefix, p)
			}
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			switch {
			case isStruct(ft):
				k.Leaf, k.Env = false, ""
				out = append(out, k)
				walk(ft, p, k.index, inList)
			case ft.Kind() == reflect.Slice && isStruct(deref(ft.Elem())):
				out = append(out, k)
				walk(deref(ft.Elem()), p+"[]", nil, true)
			default:
				out = append(out, k)
			}
		}
	}
	walk(root, "", nil, false)
	return out
}

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

func yamlName(f reflect.StructField) string {
	if !f.IsExported() {
		return ""
	}
	tag, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	switch tag {
	case "-":
		return ""
	case "":
		return strings.ToLower(f.Name)
	}
	return tag
}

// Form describes in words what a value of type t looks like.
func Form(t reflect.Type) string {
	t = deref(t)
	if t == durationType {
		return "a duration such as 300ms, 15s, 2m or 1h30m"
	}
	if custom(t) {
		return "text (see the description)"
	}
	switch t.Kind() {
	case reflect.String:
		return "text"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		lo, hi := intRange(t)
		if t.Bits() >= 64 || t.Kind() == reflect.Int {
			return "an integer"
		}
		return fmt.Sprintf("an integer from %d to %d", lo, hi)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return fmt.Sprintf("a whole number from 0 to %d", uint64(math.MaxUint64)>>(64-t.Bits()))
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice:
		if isStruct(deref(t.Elem())) {
			return "a list of mappings with the keys " + strings.Join(fieldNames(deref(t.Elem())), ", ")
		}
		return "a list of " + plural(Form(t.Elem()))
	case reflect.Map:
		return "a mapping of names to " + plural(Form(t.Elem()))
	case reflect.Struct:
		return "a mapping with the keys " + strings.Join(fieldNames(t), ", ")
	}
	return "a " + t.Kind().String()
}

// plural turns "a duration such as…" into "durations such as…" loosely:
// it drops the article, which reads well enough in "a list of …".
func plural(form string) string {
	for _, a := range []string{"a ", "an "} {
		if strings.HasPrefix(form, a) {
			return strings.TrimPrefix(form, a) + " values"
		}
	}
	return form + " values"
}

func fieldNames(t reflect.Type) []string {
	var names []string
	for i := range t.NumField() {
		if n := yamlName(t.Field(i)); n != "" {
			names = append(names, n)
		}
	}
	return names
}

func intRange(t reflect.Type) (int64, int64) {
	bits := t.Bits()
	return -1 << (bits - 1), 1<<(bits-1) - 1
}

// Error is one bad value: where it came from (a file and line, or an
// environment variable), its key and what the key expects.
type Error struct {
	Source string // "config.yaml:12" or "LEGACYGATE_TIMEOUTS_READ"
	Path   string
	Msg    string
}

func (e *Error) Error() string {
	s := e.Path
	if s == "" {
		s = "(top level)"
	}
	if e.Source != "" {
		return e.Source + ": " + s + ": " + e.Msg
	}
	return s + ": " + e.Msg
}

// SetScalar parses s into v as the key's form requires.
func SetScalar(v reflect.Value, s string) error {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		return SetScalar(v.Elem(), s)
	}
	if tu, ok := v.Addr().Interface().(encoding.TextUnmarshaler); ok {
		if err := tu.UnmarshalText([]byte(s)); err != nil {
			return fmt.Errorf("%q: %v", s, err)
		}
		return nil
	}
	bad := func() error { return fmt.Errorf("%q is not %s", s, Form(v.Type())) }
	if v.Type() == durationType {
		d, err := time.ParseDuration(strings.TrimSpace(s))
		if err != nil {
			if n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil && n == 0 {
				v.SetInt(0)
				return nil
			}
			return bad()
		}
		v.SetInt(int64(d))
		return nil
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Bool:
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "true":
			v.SetBool(true)
		case "false":
			v.SetBool(false)
		default:
			return bad()
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(strings.TrimSpace(s), 0, v.Type().Bits())
		if err != nil {
			return bad()
		}
		v.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, err := strconv.ParseUint(strings.TrimSpace(s), 0, v.Type().Bits())
		if err != nil {
			return bad()
		}
		v.SetUint(n)
	case reflect.Float32, reflect.Float64:
		n, err := strconv.ParseFloat(strings.TrimSpace(s), v.Type().Bits())
		if err != nil {
			return bad()
		}
		v.SetFloat(n)
	default:
		return fmt.Errorf("%q: this key takes %s", s, Form(v.Type()))
	}
	return nil
}

// decoder walks a YAML node tree and a Go value together.
type decoder struct {
	source string // file name, or the environment variable
	line   bool   // add node lines to the source
	errs   []error
}

func (d *decoder) fail(n *yaml.Node, path, format string, a ...any) {
	src := d.source
	if d.line && n != nil {
		src = fmt.Sprintf("%s:%d", src, n.Line)
	}
	d.errs = append(d.errs, &Error{Source: src, Path: path, Msg: fmt.Sprintf(format, a...)})
}

func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string) {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) > 0 {
			d.decode(n.Content[0], v, path)
		}
		return
	case yaml.AliasNode:
		d.decode(n.Alias, v, path)
		return
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return // an empty value keeps the default
	}
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		d.decode(n, v.Elem(), path)
		return
	}
	if v.CanAddr() {
		if u, ok := v.Addr().Interface().(yaml.Unmarshaler); ok {
			if err := n.Decode(u); err != nil {
				d.fail(n, path, "%s", cleanYAML(err))
			}
			return
		}
	}
	t := v.Type()
	switch {
	case t == durationType || custom(t) || (t.Kind() != reflect.Struct && t.Kind() != reflect.Slice && t.Kind() != reflect.Map):
		if n.Kind != yaml.ScalarNode {
			d.fail(n, path, "a %s is not %s", kindWord(n), Form(t))
			return
		}
		if err := SetScalar(v, n.Value); err != nil {
			d.fail(n, path, "%v", err)
		}
	case t.Kind() == reflect.Struct:
		if n.Kind != yaml.MappingNode {
			d.fail(n, path, "a %s is not %s", kindWord(n), Form(t))
			return
		}
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			p := join(path, k.Value)
			if seen[k.Value] {
				d.fail(k, p, "set twice")
				continue
			}
			seen[k.Value] = true
			fi := fieldIndex(t, k.Value)
			if fi < 0 {
				where := "here"
				if path != "" {
					where = "under " + path
				}
				d.fail(k, p, "unknown key (%s the keys are %s)", where, strings.Join(fieldNames(t), ", "))
				continue
			}
			d.decode(val, v.Field(fi), p)
		}
	case t.Kind() == reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.fail(n, path, "a %s is not %s", kindWord(n), Form(t))
			return
		}
		s := reflect.MakeSlice(t, len(n.Content), len(n.Content))
		for i, item := range n.Content {
			d.decode(item, s.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
		v.Set(s)
	case t.Kind() == reflect.Map:
		if n.Kind != yaml.MappingNode {
			d.fail(n, path, "a %s is not %s", kindWord(n), Form(t))
			return
		}
		if v.IsNil() {
			v.Set(reflect.MakeMap(t))
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			key := reflect.New(t.Key()).Elem()
			if err := SetScalar(key, k.Value); err != nil {
				d.fail(k, join(path, k.Value), "%v", err)
				continue
			}
			elem := reflect.New(t.Elem()).Elem()
			d.decode(val, elem, join(path, k.Value))
			v.SetMapIndex(key, elem)
		}
	}
}

// Field returns k's field in root (a struct of the type Keys walked),
// allocating nil pointers on the way; it panics for keys inside lists.
func Field(root reflect.Value, k Key) reflect.Value {
	if k.index == nil {
		panic("settings: " + k.Path + " is inside a list")
	}
	return fieldAlloc(root, k.index)
}

// fieldAlloc is FieldByIndex that allocates nil pointers on the way.
func fieldAlloc(v reflect.Value, index []int) reflect.Value {
	for _, i := range index {
		for v.Kind() == reflect.Pointer {
			if v.IsNil() {
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		v = v.Field(i)
	}
	return v
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func fieldIndex(t reflect.Type, name string) int {
	for i := range t.NumField() {
		if n := yamlName(t.Field(i)); n != "" && n == name {
			return i
		}
	}
	return -1
}

func kindWord(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	}
	return "value"
}

// cleanYAML drops yaml.v3's "yaml: unmarshal errors:" preamble.
func cleanYAML(err error) string {
	s := strings.TrimPrefix(err.Error(), "yaml: unmarshal errors:\n")
	return strings.TrimSpace(strings.TrimPrefix(s, "yaml: "))
}

// Decode reads YAML data into dst (a pointer to a struct holding the
// defaults); keys the data leaves out keep them. source names the data in
// errors (a file name). Every bad key is reported, not only the first.
func Decode(data []byte, source string, dst any) error {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("%s: %s", source, cleanYAML(err))
	}
	d := &decoder{source: source, line: true}
	if doc.Kind != 0 {
		d.decode(&doc, reflect.ValueOf(dst).Elem(), "")
	}
	return joinErrs(d.errs)
}

// ApplyEnv sets every key whose variable lookup finds. Scalars are taken as
// written (strings verbatim); lists and mappings are YAML flow text, e.g.
// LEGACYGATE_HOSTS='[{name: hub, listen: ":8081"}]'. An empty value sets
// a text key to "" and leaves other keys alone. aliases maps older variable
// names to YAML paths; the derived name wins when both are set.
func ApplyEnv(dst any, prefix string, lookup func(string) (string, bool), aliases map[string]string) error {
	root := reflect.ValueOf(dst).Elem()
	keys := Keys(root.Type(), prefix)
	byPath := map[string]Key{}
	for _, k := range keys {
		byPath[k.Path] = k
	}
	var errs []error
	set := func(k Key, name, s string) {
		v := fieldAlloc(root, k.index)
		t := deref(k.Type)
		if s == "" && t.Kind() != reflect.String {
			return
		}
		switch {
		case t.Kind() == reflect.Slice || t.Kind() == reflect.Map || (t.Kind() == reflect.Struct && t != durationType && !custom(t)):
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(s), &doc); err != nil {
				errs = append(errs, &Error{Source: name, Path: k.Path, Msg: fmt.Sprintf("not YAML (%s): %s", cleanYAML(err), k.Form)})
				return
			}
			d := &decoder{source: name}
			fresh := reflect.New(v.Type()).Elem()
			if t.Kind() == reflect.Struct {
				fresh.Set(v)
			}
			d.decode(&doc, fresh, k.Path)
			if len(d.errs) > 0 {
				errs = append(errs, d.errs...)
				return
			}
			v.Set(fresh)
		default:
			if err := SetScalar(v, s); err != nil {
				errs = append(errs, &Error{Source: name, Path: k.Path, Msg: err.Error()})
			}
		}
	}
	names := make([]string, 0, len(aliases))
	for n := range aliases {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if s, ok := lookup(n); ok {
			k, known := byPath[aliases[n]]
			if !known {
				panic("settings: alias " + n + " names no key " + aliases[n])
			}
			set(k, n, s)
		}
	}
	for _, k := range keys {
		if k.Env == "" {
			continue
		}
		if s, ok := lookup(k.Env); ok {
			set(k, k.Env, s)
		}
	}
	return joinErrs(errs)
}

// Unknown returns the variables of environ ("NAME=value") under prefix that
// set no key: typos such as LEGACYGATE_LIMIT_MAX_BODY_BYTES. extra lists
// names that are not keys but are known (LEGACYGATE_CONFIG).
func Unknown(environ []string, prefix string, root reflect.Type, extra ...string) []string {
	known := map[string]bool{}
	for _, n := range extra {
		known[n] = true
	}
	for _, k := range Keys(root, prefix) {
		known[k.Env] = true
	}
	var out []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, prefix) && !known[name] {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

func joinErrs(errs []error) error {
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	return multiError(errs)
}

// multiError prints one error per line.
type multiError []error

func (m multiError) Error() string {
	var b strings.Builder
	for i, e := range m {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

func (m multiError) Unwrap() []error { return m }
