package contract

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// yamlPath returns the path (operations[2].routes[0].path) of the deepest
// node of root that starts at line:col; when col is unknown (0 or 1) or no
// node starts exactly there, of the first node on the line (the
// outermost one there); "" when none.
func yamlPath(root *yaml.Node, line, col int) string {
	best, bestLen, bestCol := "", -1, 0
	var walk func(n *yaml.Node, p string)
	consider := func(n *yaml.Node, p string) {
		if n.Line != line || p == "" {
			return
		}
		if col > 1 {
			if n.Column == col && len(p) > bestLen {
				best, bestLen = p, len(p)
			}
			return
		}
		if bestLen < 0 || n.Column < bestCol || n.Column == bestCol && len(p) < bestLen {
			best, bestLen, bestCol = p, len(p), n.Column
		}
	}
	walk = func(n *yaml.Node, p string) {
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c, p)
			}
		case yaml.MappingNode:
			consider(n, p)
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				kp := k.Value
				if p != "" {
					kp = p + "." + k.Value
				}
				consider(k, kp)
				walk(n.Content[i+1], kp)
			}
		case yaml.SequenceNode:
			consider(n, p)
			for i, c := range n.Content {
				walk(c, p+"["+strconv.Itoa(i)+"]")
			}
		default:
			consider(n, p)
		}
	}
	walk(root, "")
	if best == "" && col > 1 {
		return yamlPath(root, line, 0)
	}
	return best
}

// addPaths fills in the YAML path of each positioned error.
func addPaths(data []byte, errs []error) {
	var root yaml.Node
	if yaml.NewDecoder(bytes.NewReader(data)).Decode(&root) != nil {
		return
	}
	for _, e := range errs {
		if le, ok := e.(*LoadError); ok && le.Line > 0 && le.Path == "" {
			le.Path = yamlPath(&root, le.Line, le.Col)
		}
	}
}

var (
	unmarshalRe = regexp.MustCompile("cannot unmarshal !!(\\w+) (`[^`]*` )?into (struct \\{.*\\}|\\S+)")
	innerLineRe = regexp.MustCompile(`^line \d+: `)
	goTypeWords = map[string]string{
		"int": "a whole number", "int64": "a whole number", "int32": "a whole number", "uint32": "a whole number",
		"float64": "a number", "bool": "true or false", "string": "text",
	}
	yamlKinds = map[string]string{"str": "text", "int": "a whole number", "float": "a number", "bool": "true or false",
		"seq": "a list", "map": "a mapping", "null": "nothing"}
)

// PlainYAMLError words a YAML decoding error without the Go types the
// decoder names ("cannot unmarshal !!seq into contract.x" becomes "found a
// list where a mapping is expected").
func PlainYAMLError(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n  ")
	msg = innerLineRe.ReplaceAllString(msg, "")
	return unmarshalRe.ReplaceAllStringFunc(msg, func(s string) string {
		m := unmarshalRe.FindStringSubmatch(s)
		found := yamlKinds[m[1]]
		if found == "" {
			found = m[1]
		}
		if m[2] != "" {
			found += " " + strings.TrimSpace(m[2])
		}
		want, ok := goTypeWords[m[3]]
		switch {
		case ok:
		case strings.HasPrefix(m[3], "[]"):
			want = "a list"
		case strings.HasPrefix(m[3], "map["):
			want = "a mapping"
		default:
			want = "a mapping"
		}
		return fmt.Sprintf("found %s where %s is expected", found, want)
	})
}

// bounds reads a rule's {min: A, max: B} or [A, B] (min may be left out of
// the mapping: 0).
func bounds(n *yaml.Node) (lo, hi int, err error) {
	switch n.Kind {
	case yaml.SequenceNode:
		if len(n.Content) != 2 {
			return 0, 0, fmt.Errorf("takes [min, max], found a list of %d", len(n.Content))
		}
		if lo, err = wholeNumber(n.Content[0], "min"); err != nil {
			return 0, 0, err
		}
		hi, err = wholeNumber(n.Content[1], "max")
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			switch k.Value {
			case "min":
				lo, err = wholeNumber(v, "min")
			case "max":
				hi, err = wholeNumber(v, "max")
			default:
				err = fmt.Errorf("unknown key %q (known: min, max)", k.Value)
			}
			if err != nil {
				return 0, 0, err
			}
		}
	default:
		return 0, 0, fmt.Errorf("takes {min: A, max: B} or [A, B]")
	}
	if err == nil && hi < lo {
		err = fmt.Errorf("max %d < min %d", hi, lo)
	}
	return lo, hi, err
}

// wholeNumber reads an integer bound; a fraction is refused, not truncated.
func wholeNumber(n *yaml.Node, what string) (int, error) {
	if n.Kind != yaml.ScalarNode {
		return 0, fmt.Errorf("%s must be a whole number", what)
	}
	v, err := strconv.Atoi(strings.TrimSpace(n.Value))
	if err != nil {
		return 0, fmt.Errorf("%s must be a whole number, found %q (fractional bounds are not supported)", what, n.Value)
	}
	return v, nil
}
