package contract

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// LoadError is a contract error with its position in the file.
type LoadError struct {
	File      string
	Line, Col int
	// Path is the YAML path of the offending node
	// (operations[1].routes[0].path), when known.
	Path string
	Msg  string
}

func (e *LoadError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("contract: %s: %s", e.File, e.Msg)
	}
	if e.Path != "" {
		return fmt.Sprintf("contract: %s:%d:%d: %s: %s", e.File, e.Line, e.Col, e.Path, e.Msg)
	}
	return fmt.Sprintf("contract: %s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// pos is a YAML position recorded by the strict decoder.
type pos struct{ Line, Col int }

func (p *pos) setPos(n *yaml.Node) { p.Line, p.Col = n.Line, n.Column }

// The raw file shapes. Every struct decodes strictly: an unknown key is an
// error naming its line.
type rawHost struct {
	pos        `yaml:"-"`
	Host       string                     `yaml:"host"`
	Title      string                     `yaml:"title"`
	Style      string                     `yaml:"style"`
	Source     string                     `yaml:"source"`
	TimeKind   string                     `yaml:"time_kind"`
	Naming     string                     `yaml:"naming"`
	Release    string                     `yaml:"servicestack"` // ServiceStack release line
	Prefix     string                     `yaml:"prefix"`
	Auth       *rawHostAuth               `yaml:"auth"`
	Lookups    map[string][]rawLookupItem `yaml:"lookups"`
	Formats    []rawFormat                `yaml:"formats"`
	Operations []rawOperation             `yaml:"operations"`
	Types      map[string]rawType         `yaml:"types"`
	typeOrder  []string
	typePos    map[string]pos
}

type rawFormat struct {
	pos        `yaml:"-"`
	Format     string   `yaml:"format"`
	MediaTypes []string `yaml:"media_types"`
	Read       *bool    `yaml:"read"`
	Write      *bool    `yaml:"write"`
	Charsets   []string `yaml:"charsets"`
	// StringEnums: the host registered Json.NET's StringEnumConverter.
	StringEnums bool `yaml:"string_enums"`
}

type rawOperation struct {
	pos          `yaml:"-"`
	Name         string                 `yaml:"name"`
	Summary      string                 `yaml:"summary"`
	Action       string                 `yaml:"action"`
	Routes       []rawRoute             `yaml:"routes"`
	Request      string                 `yaml:"request"`
	Bind         string                 `yaml:"bind"`
	Parameter    string                 `yaml:"parameter"`
	RequireQuery []string               `yaml:"require_query"`
	Response     string                 `yaml:"response"`
	ResponseFrom string                 `yaml:"response_from"`
	Command      map[string]string      `yaml:"command"`
	DefaultRoles []string               `yaml:"default_roles"`
	Conflicts    map[string]rawConflict `yaml:"conflicts"`
	Auth         *rawOpAuth             `yaml:"auth"`
	AutoLogin    string                 `yaml:"auto_login"`
	Activation   *rawActivation         `yaml:"activation"`
	Lookup       string                 `yaml:"lookup"`
	Redirect     *rawRedirect           `yaml:"redirect"`
	Roles        *rawRoles              `yaml:"roles"`
}

type rawRoles struct {
	pos        `yaml:"-"`
	Members    []string            `yaml:"members"`
	Privileged []string            `yaml:"privileged"`
	Anonymous  []string            `yaml:"anonymous"`
	ByRole     map[string][]string `yaml:"by_role"`
}

type rawLookupItem struct {
	pos  `yaml:"-"`
	Code string `yaml:"code"`
	Name string `yaml:"name"`
}

type rawActivation struct {
	pos          `yaml:"-"`
	Template     string `yaml:"template"`
	Language     string `yaml:"language"`
	Link         string `yaml:"link"`
	Callback     string `yaml:"callback"`
	CallbackFlag string `yaml:"callback_flag"`
}

type rawRedirect struct {
	pos    `yaml:"-"`
	URL    string `yaml:"url"`
	CodeIf string `yaml:"code_if"`
}

type rawHostAuth struct {
	pos        `yaml:"-"`
	Providers  []string `yaml:"providers"`
	SessionTTL string   `yaml:"session_ttl"`
}

type rawOpAuth struct {
	pos   `yaml:"-"`
	Roles []string `yaml:"roles"`
}

type rawRoute struct {
	pos    `yaml:"-"`
	Method string `yaml:"method"`
	Path   string `yaml:"path"`
}

type rawConflict struct {
	pos     `yaml:"-"`
	Key     string `yaml:"key"`
	Code    string `yaml:"code"`
	Message string `yaml:"message"`
}

type rawType struct {
	pos       `yaml:"-"`
	Namespace string        `yaml:"namespace"`
	Base      string        `yaml:"base"`
	Doc       string        `yaml:"doc"`
	Members   []rawMember   `yaml:"members"`
	Enum      []rawEnumItem `yaml:"enum"`
}

// rawEnumItem is an enum member: a name, or {Name: number} for a member
// with an explicit value (later members count on from it, as in C#).
type rawEnumItem struct {
	pos
	Name  string
	Value *int64
}

func (r *rawEnumItem) UnmarshalYAML(n *yaml.Node) error {
	r.setPos(n)
	switch {
	case n.Kind == yaml.ScalarNode:
		r.Name = n.Value
		return nil
	case n.Kind == yaml.MappingNode && len(n.Content) == 2:
		r.Name = n.Content[0].Value
		v, err := strconv.ParseInt(n.Content[1].Value, 0, 64)
		if err != nil {
			return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: enum member %s: value %q is not a whole number", n.Line, r.Name, n.Content[1].Value)}}
		}
		r.Value = &v
		return nil
	}
	return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: an enum member is a name or {Name: number}", n.Line)}}
}

type rawMember struct {
	pos      `yaml:"-"`
	Name     string    `yaml:"name"`
	Type     string    `yaml:"type"`
	Display  string    `yaml:"display"`
	Secret   bool      `yaml:"secret"`
	Rules    []rawRule `yaml:"rules"`
	From     string    `yaml:"from"`
	Default  string    `yaml:"default"`
	Order    *int      `yaml:"order"`
	TimeKind string    `yaml:"time_kind"`
	Doc      string    `yaml:"doc"`
	CLRType  string    `yaml:"clr_type"`
}

// rawRule is either a bare rule name ("required") or a one-rule mapping with
// an optional message: {length: {min: 4, max: 100}, message: "..."}.
type rawRule struct {
	pos     `yaml:"-"`
	Kind    string
	Arg     yaml.Node
	Message string
	Code    string
	WhenSet bool
}

func (r *rawRule) UnmarshalYAML(n *yaml.Node) error {
	r.setPos(n)
	switch n.Kind {
	case yaml.ScalarNode:
		r.Kind = n.Value
		return nil
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			switch {
			case k.Value == "message":
				r.Message = v.Value
			case k.Value == "code":
				r.Code = v.Value
			case k.Value == "when_set":
				r.WhenSet = v.Value == "true"
			case r.Kind != "":
				return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: a rule names one kind; found %q and %q", k.Line, r.Kind, k.Value)}}
			default:
				r.Kind, r.Arg = k.Value, *v
			}
		}
		return nil
	}
	return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: a rule is a name or a mapping", n.Line)}}
}

// strict decoding: every raw struct checks its keys against its yaml tags.
func decodeStrict(n *yaml.Node, out any, p *pos) error {
	p.setPos(n)
	if n.Kind != yaml.MappingNode {
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: expected a mapping", n.Line)}}
	}
	known := yamlKeys(reflect.TypeOf(out).Elem())
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if !known[k.Value] {
			return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: unknown key %q (known: %s)", k.Line, k.Value, strings.Join(sortedKeys(known), ", "))}}
		}
	}
	return n.Decode(out)
}

func yamlKeys(t reflect.Type) map[string]bool {
	m := map[string]bool{}
	for i := 0; i < t.NumField(); i++ {
		tag := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
		if tag != "" && tag != "-" {
			m[tag] = true
		}
	}
	return m
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (r *rawHost) UnmarshalYAML(n *yaml.Node) error {
	type plain rawHost
	if err := decodeStrict(n, (*plain)(r), &r.pos); err != nil {
		return err
	}
	// Keep type declaration order and positions (maps lose both).
	r.typePos = map[string]pos{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value != "types" {
			continue
		}
		tn := n.Content[i+1]
		for j := 0; j+1 < len(tn.Content); j += 2 {
			r.typeOrder = append(r.typeOrder, tn.Content[j].Value)
			r.typePos[tn.Content[j].Value] = pos{tn.Content[j].Line, tn.Content[j].Column}
		}
	}
	return nil
}

func (r *rawFormat) UnmarshalYAML(n *yaml.Node) error {
	type plain rawFormat
	return decodeStrict(n, (*plain)(r), &r.pos)
}

func (r *rawOperation) UnmarshalYAML(n *yaml.Node) error {
	type plain rawOperation
	return decodeStrict(n, (*plain)(r), &r.pos)
}

func (r *rawRoute) UnmarshalYAML(n *yaml.Node) error {
	type plain rawRoute
	return decodeStrict(n, (*plain)(r), &r.pos)
}

func (r *rawLookupItem) UnmarshalYAML(n *yaml.Node) error {
	type plain rawLookupItem
	return decodeStrict(n, (*plain)(r), &r.pos)
}

func (r *rawActivation) UnmarshalYAML(n *yaml.Node) error {
	type plain rawActivation
	return decodeStrict(n, (*plain)(r), &r.pos)
}

func (r *rawRedirect) UnmarshalYAML(n *yaml.Node) error {
	type plain rawRedirect
	return decodeStrict(n, (*plain)(r), &r.pos)
}

func (r *rawHostAuth) UnmarshalYAML(n *yaml.Node) error {
	type plain rawHostAuth
	return decodeStrict(n, (*plain)(r), &r.pos)
}

func (r *rawOpAuth) UnmarshalYAML(n *yaml.Node) error {
	type plain rawOpAuth
	return decodeStrict(n, (*plain)(r), &r.pos)
}

func (r *rawConflict) UnmarshalYAML(n *yaml.Node) error {
	type plain rawConflict
	return decodeStrict(n, (*plain)(r), &r.pos)
}

func (r *rawType) UnmarshalYAML(n *yaml.Node) error {
	type plain rawType
	return decodeStrict(n, (*plain)(r), &r.pos)
}

func (r *rawMember) UnmarshalYAML(n *yaml.Node) error {
	type plain rawMember
	return decodeStrict(n, (*plain)(r), &r.pos)
}

// LoadFS loads every *.yaml contract in dir of fsys, sorted by file name.
func LoadFS(fsys fs.FS, dir string) ([]*Host, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.yaml"))
	if err != nil {
		return nil, fmt.Errorf("contract: %w", err)
	}
	sort.Strings(names)
	var hosts []*Host
	seen := map[string]string{}
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("contract: %w", err)
		}
		h, err := Load(path.Base(name), data)
		if err != nil {
			return nil, err
		}
		if prev, ok := seen[h.Name]; ok {
			return nil, &LoadError{File: path.Base(name), Msg: fmt.Sprintf("host %q is also defined in %s", h.Name, prev)}
		}
		seen[h.Name] = path.Base(name)
		hosts = append(hosts, h)
	}
	return hosts, nil
}

// Load parses and validates one contract file, without a prelude. file
// names the source in errors.
func Load(file string, data []byte) (*Host, error) {
	return LoadWith(file, data, nil)
}

var lineRe = regexp.MustCompile(`line (\d+): (.*)`)

// YAMLError is a YAML decoding error of file (whose text is data) as the
// contract loader words them: position, YAML path, no Go types.
func YAMLError(file string, data []byte, err error) error {
	errs := yamlError(file, err)
	addPaths(data, errs)
	return errors.Join(errs...)
}

func yamlError(file string, err error) []error {
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		errs := make([]error, 0, len(te.Errors))
		for _, e := range te.Errors {
			errs = append(errs, positioned(file, e))
		}
		return errs
	}
	return []error{positioned(file, strings.TrimPrefix(err.Error(), "yaml: "))}
}

func positioned(file, msg string) error {
	if m := lineRe.FindStringSubmatch(msg); m != nil {
		var line int
		fmt.Sscan(m[1], &line)
		return &LoadError{File: file, Line: line, Col: 1, Msg: PlainYAMLError(errors.New(m[2]))}
	}
	return &LoadError{File: file, Msg: PlainYAMLError(errors.New(msg))}
}
