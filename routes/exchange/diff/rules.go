package diff

import (
	"fmt"
	"regexp"
	"strings"
)

// Rule drops differences that are noise: volatile values such as ids,
// GUIDs, dates and session ids. Every field given must hold:
//
//   - Path: a glob over difference paths ("$.sessionId", "$.Items[*].Id",
//     "/RegisterResponse/SessionId", "header:Set-Cookie:ss-id"); "*" stands
//     for one step of a path, "**" for any number; a rule on a path also
//     covers everything below it.
//   - Kind: the difference's kind ("order", "prefix", "value"…).
//   - Value: a pattern with placeholders that the actual value must match
//     in full ("{{int}}", "{{uuid}}", "sess-{{any}}").
//   - Pattern: a pattern both the expected and the actual value match in
//     full, wherever they are ("{{uuid}}": any GUID may change).
type Rule struct {
	Path    string `yaml:"path,omitempty" json:"path,omitempty"`
	Kind    Kind   `yaml:"kind,omitempty" json:"kind,omitempty"`
	Value   string `yaml:"value,omitempty" json:"value,omitempty"`
	Pattern string `yaml:"pattern,omitempty" json:"pattern,omitempty"`
	// Note says why the rule exists (learned rules name their evidence).
	Note string `yaml:"note,omitempty" json:"note,omitempty"`

	path *regexp.Regexp
}

// Rules is a list of rules; a difference any of them matches is dropped.
type Rules []Rule

// Compile checks and prepares the rules.
func (rs Rules) Compile() error {
	for i := range rs {
		r := &rs[i]
		if r.Path == "" && r.Kind == "" && r.Pattern == "" && r.Value == "" {
			return fmt.Errorf("diff: ignore rule %d names no path, kind, value or pattern", i+1)
		}
		if r.Path != "" {
			re, err := globPath(r.Path)
			if err != nil {
				return fmt.Errorf("diff: ignore rule %d: path %q: %w", i+1, r.Path, err)
			}
			r.path = re
		}
	}
	return nil
}

func globPath(p string) (*regexp.Regexp, error) {
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(p); i++ {
		switch {
		case strings.HasPrefix(p[i:], "**"):
			b.WriteString(".*")
			i++
		case p[i] == '*':
			b.WriteString(`[^./\[\]:]*`)
		default:
			b.WriteString(regexp.QuoteMeta(p[i : i+1]))
		}
	}
	b.WriteString(`(?:$|[./\[:])`)
	return regexp.Compile(b.String())
}

// Ignores reports whether a rule drops d. It only reads the rules, so
// compiled rules may be shared by goroutines.
func (rs Rules) Ignores(d Difference) bool {
	for i := range rs {
		r := &rs[i]
		if r.Path != "" {
			re := r.path
			if re == nil {
				var err error
				if re, err = globPath(r.Path); err != nil {
					continue
				}
			}
			if !re.MatchString(d.Path) {
				continue
			}
		}
		if r.Kind != "" && r.Kind != d.Kind {
			continue
		}
		exp, act := unquote(d.Expected), unquote(d.Actual)
		if r.Value != "" && !MatchPattern(r.Value, act) {
			continue
		}
		if r.Pattern != "" && !(MatchPattern(r.Pattern, exp) && MatchPattern(r.Pattern, act)) {
			continue
		}
		return true
	}
	return false
}

func unquote(s string) string {
	if len(s) >= 2 && s[0] == '"' {
		var out string
		if _, err := fmt.Sscanf(s, "%q", &out); err == nil {
			return out
		}
	}
	return s
}
