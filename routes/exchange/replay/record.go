package replay

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"legacygate/routes/exchange"
	"legacygate/routes/exchange/diff"
)

// dump renders an answer as an expected section with keys' headers, the
// case's token turned back into {{unique}}.
func dump(x Exchange, keys []string, token string) []byte {
	return exchange.Unexpand(exchange.Dump(x.Status, x.header, keys, x.body), token)
}

// Record writes what the target answered as a new txtar case under dir
// (dir/<case name>.txtar): the requests as recorded, the answers as the
// expectations, with the selected headers that were present.
func Record(dir, target string, r *Result) (string, error) {
	if r.Err != nil {
		return "", fmt.Errorf("replay: %s was not recorded: %w", r.Case.Name, r.Err)
	}
	f := &exchange.File{Comment: fmt.Sprintf("Recorded from %s by legacygate replay --record on %s (from %s).\nReview: put {{int}}, {{uuid}}, {{datetime}} or {{any}} where the server generates values.\n",
		target, time.Now().UTC().Format(time.RFC3339), r.Case.Path)}
	if r.Case.file != nil {
		f.Ignore = r.Case.file.Ignore
	}
	for i, x := range r.Exchanges {
		keys := []string{}
		for _, k := range diff.SelectedHeaders {
			if len(x.header.Values(k)) > 0 {
				keys = append(keys, k)
			}
		}
		f.Pairs = append(f.Pairs, exchange.Pair{
			Request:  exchange.Unexpand(r.steps[i].rawRequest(), r.Token),
			Response: dump(x, keys, r.Token),
		})
	}
	path := filepath.Join(dir, filepath.FromSlash(r.Case.Name)+".txtar")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", err
	}
	return path, os.WriteFile(path, f.Format(), 0o644)
}

// ErrHARUpdate: a HAR file is a recording of its own; --record turns it
// into txtar cases, which --update can then rewrite.
var ErrHARUpdate = errors.New("replay: HAR cases cannot be updated in place; --record them as txtar cases first")

// Update rewrites the expectations of a txtar case that differ with what
// the target answered, keeping every expectation that still matches (and
// its placeholders). It reports whether the file changed.
func Update(r *Result) (bool, error) {
	if r.Case.file == nil {
		return false, ErrHARUpdate
	}
	if r.Err != nil {
		return false, fmt.Errorf("replay: %s was not updated: %w", r.Case.Name, r.Err)
	}
	actual := make([][]byte, len(r.Exchanges))
	changed := false
	for i, x := range r.Exchanges {
		if len(x.Differences) == 0 {
			continue
		}
		keys := []string{"Content-Type"}
		for k := range r.steps[i].Expected.Header {
			if k != "Content-Type" {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys[1:])
		actual[i], changed = dump(x, keys, r.Token), true
	}
	if !changed {
		return false, nil
	}
	return true, exchange.Update(r.Case.Path, r.Case.file, actual)
}

// Learned is a rules file: rules for every case and per case, as
// --learn-noise writes it and --rules reads it.
type Learned struct {
	Ignore diff.Rules           `yaml:"ignore,omitempty"`
	Cases  map[string]CaseRules `yaml:"cases,omitempty"`
}

// CaseRules are one case's rules.
type CaseRules struct {
	Ignore diff.Rules `yaml:"ignore"`
}

// LoadRules reads a rules file.
func LoadRules(path string) (*Learned, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("replay: %w", err)
	}
	var l Learned
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&l); err != nil {
		return nil, fmt.Errorf("replay: %s: %w", path, err)
	}
	if err := l.Ignore.Compile(); err != nil {
		return nil, fmt.Errorf("replay: %s: %w", path, err)
	}
	for name, c := range l.Cases {
		if err := c.Ignore.Compile(); err != nil {
			return nil, fmt.Errorf("replay: %s: case %s: %w", path, name, err)
		}
	}
	return &l, nil
}

// Apply adds the file's per-case rules to the cases it names.
func (l *Learned) Apply(cases []*Case) {
	for _, c := range cases {
		if cr, ok := l.Cases[c.Name]; ok {
			c.Rules = append(c.Rules, cr.Ignore...)
		}
	}
}

// LearnNoise runs a case twice, first against opt.Target and then
// against second (opt.Target again when nil), each time with a fresh
// token, and turns every difference between the two answers into an
// ignore rule for that path: what changes between two answers of the
// reference is volatile, not contract.
func LearnNoise(ctx context.Context, c *Case, opt Options, second *url.URL) (diff.Rules, error) {
	a := Run(ctx, c, opt)
	if a.Err != nil {
		return nil, a.Err
	}
	if second != nil {
		opt.Target = second
	}
	b := Run(ctx, c, opt)
	if b.Err != nil {
		return nil, b.Err
	}
	var rules diff.Rules
	seen := map[string]bool{}
	for i := range a.Exchanges {
		if i >= len(b.Exchanges) {
			break
		}
		x, y := a.Exchanges[i], b.Exchanges[i]
		hx := http.Header{}
		for _, k := range diff.SelectedHeaders {
			if v := x.header.Values(k); len(v) > 0 {
				hx[k] = slices.Clone(v)
			}
		}
		// the runs' own fresh values are not noise: the second run's token
		// is read as the first's
		yh := http.Header{}
		for k, v := range y.header {
			for _, s := range v {
				yh.Add(k, strings.ReplaceAll(s, b.Token, a.Token))
			}
		}
		first := diff.Message{Status: x.Status, Header: hx, Body: x.body}
		again := diff.Message{Status: y.Status, Header: yh, Body: bytes.ReplaceAll(y.body, []byte(b.Token), []byte(a.Token))}
		for _, d := range diff.Compare(first, again, diff.Options{Prefixes: opt.Diff.Prefixes, Literal: true}) {
			if seen[d.Path] {
				continue
			}
			seen[d.Path] = true
			r := diff.Rule{Path: d.Path, Note: fmt.Sprintf("exchange %d: %s, then %s", i+1, d.Expected, d.Actual)}
			if d.Kind == diff.Value {
				r.Value = volatilePattern(d.Expected, d.Actual)
			}
			rules = append(rules, r)
		}
	}
	return rules, nil
}

// volatilePattern names the placeholder both values match, so that a
// learned rule still catches a value of another shape.
func volatilePattern(a, b string) string {
	a, b = strings.Trim(a, `"`), strings.Trim(b, `"`)
	for _, p := range []string{"{{int}}", "{{uuid}}", "{{datetime}}"} {
		if diff.MatchPattern(p, a) && diff.MatchPattern(p, b) {
			return p
		}
	}
	return ""
}

// WriteLearned writes learned rules for review.
func WriteLearned(path, header string, l *Learned) error {
	var b bytes.Buffer
	for _, line := range bytes.Split([]byte(header), []byte("\n")) {
		b.WriteString("# ")
		b.Write(line)
		b.WriteString("\n")
	}
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(l); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}
