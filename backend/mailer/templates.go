package mailer

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strings"
	"sync"
	"text/template"
)

//go:embed templates
var embedded embed.FS

// DefaultTemplates returns the embedded generic templates, laid out as
// <template>/<language>.txt (see the package documentation). The mailer
// knows no host: a host's own templates come with its bundle, through
// Config.Hosts.
func DefaultTemplates() fs.FS {
	sub, err := fs.Sub(embedded, "templates")
	if err != nil {
		panic(err) // the directory is embedded
	}
	return sub
}

// GenericTemplate is the template set used when an entry names none, or one
// that does not exist.
const GenericTemplate = "default"

// DefaultLanguage is the language tried after the entry's own.
const DefaultLanguage = "en"

var (
	keyRE  = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)
	langRE = regexp.MustCompile(`^[a-z]{1,8}(-[a-z0-9]{1,8})*$`)
)

// emailTemplate is a parsed template file: its first line, "Subject: …",
// and the rest, parsed separately, so that no value can move text from the
// subject into the body or back.
type emailTemplate struct {
	path          string
	subject, body *template.Template
}

// templates finds, parses and caches templates in a stack of file systems:
// a file of an earlier one hides the same path in later ones.
type templates struct {
	layers []fs.FS
	mu     sync.Mutex
	cache  map[string]*emailTemplate // by path; nil: absent
}

func newTemplates(layers ...fs.FS) (*templates, error) {
	t := &templates{cache: map[string]*emailTemplate{}}
	for _, l := range layers {
		if l != nil {
			t.layers = append(t.layers, l)
		}
	}
	t.layers = append(t.layers, DefaultTemplates())
	// Parse and trial-render every file now: a broken override fails New,
	// not the first email that needs it.
	for _, layer := range t.layers {
		if err := CheckTemplates(layer); err != nil {
			return nil, err
		}
	}
	if tpl, err := t.get(GenericTemplate + "/" + DefaultLanguage + ".txt"); err != nil || tpl == nil {
		return nil, errors.New("mailer: the generic default template is missing")
	}
	return t, nil
}

// CheckTemplates parses and trial-renders every *.txt file of fsys, as New
// does with its layers.
func CheckTemplates(fsys fs.FS) error {
	return fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".txt") {
			return nil
		}
		tpl, err := parseTemplate(fsys, p)
		if err != nil {
			return err
		}
		if _, _, err := render(tpl, map[string]string{}); err != nil {
			return fmt.Errorf("mailer: template %s: %w", p, err)
		}
		return nil
	})
}

func parseTemplate(fsys fs.FS, p string) (*emailTemplate, error) {
	src, err := fs.ReadFile(fsys, p)
	if err != nil {
		return nil, fmt.Errorf("mailer: template %s: %w", p, err)
	}
	first, rest, _ := strings.Cut(strings.ReplaceAll(string(src), "\r\n", "\n"), "\n")
	name, subject, ok := strings.Cut(first, ":")
	if !ok || !strings.EqualFold(strings.TrimSpace(name), "subject") {
		return nil, fmt.Errorf(`mailer: template %s: first line is not "Subject: …"`, p)
	}
	t := &emailTemplate{path: p}
	if t.subject, err = template.New(p + ":subject").Option("missingkey=zero").Parse(subject); err != nil {
		return nil, fmt.Errorf("mailer: template %s: %w", p, err)
	}
	if t.body, err = template.New(p).Option("missingkey=zero").Parse(strings.TrimLeft(rest, "\n")); err != nil {
		return nil, fmt.Errorf("mailer: template %s: %w", p, err)
	}
	return t, nil
}

// get returns the template at p from the first layer that has it, or nil.
func (t *templates) get(p string) (*emailTemplate, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if tpl, ok := t.cache[p]; ok {
		return tpl, nil
	}
	var tpl *emailTemplate
	for _, layer := range t.layers {
		if _, err := fs.Stat(layer, p); err != nil {
			continue
		}
		var err error
		if tpl, err = parseTemplate(layer, p); err != nil {
			return nil, err
		}
		break
	}
	t.cache[p] = tpl
	return tpl, nil
}

// candidates returns the paths tried for a template set and a language, in
// order: the set in the language, in its primary language, the set's
// default.txt and en.txt; then the same in the generic set.
func candidates(key, lang string) []string {
	key = strings.ToLower(strings.TrimSpace(key))
	if !keyRE.MatchString(key) {
		key = ""
	}
	lang = strings.ToLower(strings.ReplaceAll(strings.TrimSpace(lang), "_", "-"))
	if !langRE.MatchString(lang) {
		lang = ""
	}
	var langs []string
	if lang != "" {
		langs = append(langs, lang)
		if primary, _, ok := strings.Cut(lang, "-"); ok {
			langs = append(langs, primary)
		}
	}
	langs = append(langs, "default", DefaultLanguage)
	var out []string
	seen := map[string]bool{}
	for _, k := range []string{key, GenericTemplate} {
		if k == "" {
			continue
		}
		for _, l := range langs {
			p := path.Join(k, l+".txt")
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	return out
}

// lookup returns the first template that exists among the candidates.
func (t *templates) lookup(key, lang string) (*emailTemplate, error) {
	for _, p := range candidates(key, lang) {
		tpl, err := t.get(p)
		if err != nil {
			return nil, err
		}
		if tpl != nil {
			return tpl, nil
		}
	}
	return nil, errors.New("mailer: no template found") // unreachable: New checks the generic one
}

// render executes tpl: the subject on one line, the body with "\n" line
// ends and a final line end.
func render(tpl *emailTemplate, data any) (subject, body string, err error) {
	var buf bytes.Buffer
	if err := tpl.subject.Execute(&buf, data); err != nil {
		return "", "", err
	}
	subject = oneLine(buf.String())
	if subject == "" {
		return "", "", errors.New("empty subject")
	}
	buf.Reset()
	if err := tpl.body.Execute(&buf, data); err != nil {
		return "", "", err
	}
	body = strings.ReplaceAll(buf.String(), "\r\n", "\n")
	if !strings.HasSuffix(body, "\n") {
		body += "\n"
	}
	return subject, body, nil
}

// oneLine replaces control characters (a field value with a line break
// must not start a header) and collapses surrounding space.
func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}
