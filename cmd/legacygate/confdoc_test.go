package main

import (
	"flag"
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"legacygate/internal/settings"
)

var updateDocs = flag.Bool("update-docs", false, "rewrite docs/configuration.md from the Config struct")

const configDocPath = "../../docs/configuration.md"

// keyFlags are the serve flags that set a key.
var keyFlags = map[string]string{"listen": "--listen", "redis.url": "--redis"}

// TestConfigurationDoc generates docs/configuration.md from Config (keys,
// variables, forms, defaults) and the comments on its fields, and fails
// when the checked-in file differs or a key has no comment.
// `go generate ./cmd/legacygate` rewrites the file.
func TestConfigurationDoc(t *testing.T) {
	got, undocumented := configurationDoc(t)
	if len(undocumented) > 0 {
		t.Errorf("keys without a comment on their field: %s (docs/configuration.md is generated from the comments)", strings.Join(undocumented, ", "))
	}
	if *updateDocs {
		if err := os.WriteFile(configDocPath, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(configDocPath)
	if err != nil {
		t.Fatalf("%v: run go generate ./cmd/legacygate", err)
	}
	if string(want) != got {
		wl, gl := strings.Split(string(want), "\n"), strings.Split(got, "\n")
		for i := 0; i < len(wl) || i < len(gl); i++ {
			var w, g string
			if i < len(wl) {
				w = wl[i]
			}
			if i < len(gl) {
				g = gl[i]
			}
			if w != g {
				t.Fatalf("docs/configuration.md differs from the Config struct at line %d (run go generate ./cmd/legacygate):\n file: %s\n code: %s", i+1, w, g)
			}
		}
	}
}

// typeDocs are the comments of a package's struct types and fields.
type typeDocs struct {
	types  map[string]string            // type name → doc
	fields map[string]map[string]string // type name → field name → doc
}

var docCache = map[string]*typeDocs{}

// docsFor parses the non-test Go files of the package that declares t.
func docsFor(t *testing.T, typ reflect.Type) *typeDocs {
	pkg := typ.PkgPath()
	if d, ok := docCache[pkg]; ok {
		return d
	}
	dir := "."
	if pkg != reflect.TypeFor[Config]().PkgPath() {
		bp, err := build.Import(pkg, ".", build.FindOnly)
		if err != nil {
			t.Fatalf("locate %s: %v", pkg, err)
		}
		dir = bp.Dir
	}
	d := &typeDocs{types: map[string]string{}, fields: map[string]map[string]string{}}
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, dir, func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	for _, pkg := range pkgs {
		for _, f := range pkg.Files {
			for _, decl := range f.Decls {
				gd, ok := decl.(*ast.GenDecl)
				if !ok || gd.Tok != token.TYPE {
					continue
				}
				for _, spec := range gd.Specs {
					ts := spec.(*ast.TypeSpec)
					st, ok := ts.Type.(*ast.StructType)
					if !ok {
						continue
					}
					doc := ts.Doc
					if doc == nil {
						doc = gd.Doc
					}
					d.types[ts.Name.Name] = doc.Text()
					fields := map[string]string{}
					for _, fld := range st.Fields.List {
						text := fld.Doc.Text()
						if text == "" {
							text = fld.Comment.Text()
						}
						for _, n := range fld.Names {
							fields[n.Name] = text
						}
					}
					d.fields[ts.Name.Name] = fields
				}
			}
		}
	}
	docCache[pkg] = d
	return d
}

// keyDoc is a key's comment, in one paragraph, with the Go name that
// opens it replaced by the key's YAML name.
func keyDoc(t *testing.T, k settings.Key) string {
	d := docsFor(t, k.Owner)
	text := d.fields[k.Owner.Name()][k.Field]
	name := k.Path[strings.LastIndexAny(k.Path, ".]")+1:]
	if text == "" && !k.Leaf {
		// A mapping without a comment of its own: its type's.
		ft := k.Type
		for ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Slice {
			ft = ft.Elem()
		}
		text = docsFor(t, ft).types[ft.Name()]
		if rest, ok := strings.CutPrefix(text, ft.Name()+" "); ok {
			text = "`" + name + "` " + rest
		}
	}
	text = strings.Join(strings.Fields(text), " ")
	if rest, ok := strings.CutPrefix(text, k.Field+" "); ok {
		text = "`" + name + "` " + rest
	}
	return strings.ReplaceAll(text, "|", `\|`)
}

func formatDefault(v reflect.Value) string {
	if v.Type() == reflect.TypeFor[time.Duration]() {
		s := time.Duration(v.Int()).String()
		if strings.HasSuffix(s, "m0s") {
			s = strings.TrimSuffix(s, "0s")
		}
		if strings.HasSuffix(s, "h0m") {
			s = strings.TrimSuffix(s, "0m")
		}
		return "`" + s + "`"
	}
	switch v.Kind() {
	case reflect.String:
		return "`" + fmt.Sprintf("%q", v.String()) + "`"
	case reflect.Slice, reflect.Map:
		if v.Len() == 0 {
			return "`[]`"
		}
	case reflect.Pointer:
		if v.IsNil() {
			return "—"
		}
		return formatDefault(v.Elem())
	}
	return "`" + fmt.Sprint(v.Interface()) + "`"
}

func aliasesOf(path string) []string {
	var out []string
	for n, p := range envAliases {
		if p == path {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// configurationDoc renders docs/configuration.md.
func configurationDoc(t *testing.T) (string, []string) {
	keys := settings.Keys(reflect.TypeFor[Config](), envPrefix)
	def := defaults()
	root := reflect.ValueOf(&def).Elem()
	var b strings.Builder
	b.WriteString(`# Configuration

<!-- Generated from the Config struct in cmd/legacygate/config.go and its
comments by ` + "`go generate ./cmd/legacygate`" + `; do not edit by hand.
TestConfigurationDoc fails when this file and the code differ. -->

legacygate reads ` + "`config.yaml`" + ` in the working directory when it exists
(` + "`--config FILE`" + ` or ` + "`LEGACYGATE_CONFIG`" + ` names another, which must exist). Every
key is optional; the defaults are below. An unknown key, a value of the wrong
form or a key set twice is an error that names the file, the line, the key's
path and the form it expects.

**Environment.** Every key can be set as ` + "`LEGACYGATE_<PATH>`" + `: the YAML path
upper-cased with dots as underscores (` + "`limits.max_body_bytes`" + ` is
` + "`LEGACYGATE_LIMITS_MAX_BODY_BYTES`" + `). Text is taken verbatim; numbers, booleans
and durations are written as in YAML; lists and mappings (` + "`hosts`" + `) are YAML
flow text such as ` + "`LEGACYGATE_HOSTS='[{name: hub, listen: \":8081\"}]'`" + `. An empty
variable sets a text key to ` + "`\"\"`" + ` and leaves other keys alone. Variables that
start with ` + "`LEGACYGATE_`" + ` but set no key are named in a warning at start.

**Precedence.** Command-line flags beat the environment, which beats the file,
which beats the defaults.

`)
	var undocumented []string
	const head = "| key | environment | default | form | meaning |\n|---|---|---|---|---|\n"
	row := func(k settings.Key, top, doc string) {
		env := "in `LEGACYGATE_" + strings.ToUpper(top) + "`"
		dflt := "—"
		if k.Env != "" {
			env = "`" + k.Env + "`"
			for _, a := range aliasesOf(k.Path) {
				env += ", `" + a + "`"
			}
			if f, ok := keyFlags[k.Path]; ok {
				env = "`" + f + "`, " + env
			}
			dflt = formatDefault(settings.Field(root, k))
		}
		form := k.Form
		if !k.Leaf {
			form, dflt = "a mapping", "—"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", k.Path, env, dflt, form, doc)
	}
	// Sections: each top-level mapping or list of mappings, with the keys
	// under it; the remaining top-level keys first, in one table.
	sections := map[string][]settings.Key{}
	var order []string
	var topLevel []settings.Key
	for _, k := range keys {
		if keyDoc(t, k) == "" {
			undocumented = append(undocumented, k.Path)
		}
		top, _, _ := strings.Cut(strings.SplitN(k.Path, "[]", 2)[0], ".")
		switch {
		case k.Path == top && (!k.Leaf || strings.Contains(k.Form, "list of mappings")):
			order = append(order, top)
			sections[top] = []settings.Key{k}
		case k.Path == top:
			topLevel = append(topLevel, k)
		default:
			sections[top] = append(sections[top], k)
		}
	}
	b.WriteString("## Top-level keys\n\n" + head)
	for _, k := range topLevel {
		row(k, k.Path, keyDoc(t, k))
	}
	for _, top := range order {
		sec := sections[top]
		fmt.Fprintf(&b, "\n## `%s`\n\n%s\n\n", top, keyDoc(t, sec[0]))
		if sec[0].Leaf && sec[0].Env != "" {
			fmt.Fprintf(&b, "As a whole from the environment: `%s`, %s in YAML flow text.\n\n", sec[0].Env, sec[0].Form)
		}
		b.WriteString(head)
		for _, k := range sec[1:] {
			row(k, top, keyDoc(t, k))
		}
	}
	return b.String(), undocumented
}

// TestConfigYAMLIsDefaults: the repository's config.yaml says it holds the
// defaults; it must load, equal defaults(), and mention every key outside
// hosts (commented out or not).
func TestConfigYAMLIsDefaults(t *testing.T) {
	cfg, err := loadConfig("../../config.yaml", true)
	if err != nil {
		t.Fatal(err)
	}
	if def := defaults(); !reflect.DeepEqual(cfg, def) {
		t.Errorf("config.yaml differs from the defaults:\n file %+v\n code %+v", cfg, def)
	}
	text, _ := os.ReadFile("../../config.yaml")
	for _, k := range settings.Keys(reflect.TypeFor[Config](), envPrefix) {
		name := k.Path[strings.LastIndexAny(k.Path, ".]")+1:]
		if !strings.Contains(string(text), name+":") {
			t.Errorf("config.yaml does not mention %s", k.Path)
		}
	}
}
