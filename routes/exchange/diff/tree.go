package diff

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"legacygate/codecs"
	"legacygate/codecs/jsoncodec"
	"legacygate/codecs/jsvcodec"
)

func decodeJSON(b []byte) (codecs.Value, error) {
	return jsoncodec.Decode(b, jsoncodec.DecodeOptions{})
}

func (c *cmp) jsonBody(exp, act []byte) error {
	if len(exp) == 0 && len(act) == 0 {
		return nil
	}
	e, err := decodeJSON(c.prepare(exp, true))
	if err != nil {
		return fmt.Errorf("expected is not JSON: %w", err)
	}
	a, err := decodeJSON(act)
	if err != nil {
		return fmt.Errorf("actual is not JSON: %w", err)
	}
	c.value("$", e, a)
	return nil
}

func (c *cmp) jsvBody(exp, act []byte) error {
	if len(exp) == 0 && len(act) == 0 {
		return nil
	}
	e, err := jsvcodec.Decode(c.prepare(exp, false), nil, jsvcodec.DecodeOptions{})
	if err != nil {
		return fmt.Errorf("expected is not JSV: %w", err)
	}
	a, err := jsvcodec.Decode(act, nil, jsvcodec.DecodeOptions{})
	if err != nil {
		return fmt.Errorf("actual is not JSV: %w", err)
	}
	c.value("$", e, a)
	return nil
}

var identRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// memberPath appends a member name to a path: $.Name, or $["model.Name"].
func memberPath(path, name string) string {
	if identRe.MatchString(name) {
		return path + "." + name
	}
	return path + "[" + strconv.Quote(name) + "]"
}

func leafText(v codecs.Value) (string, bool) {
	switch v.Kind {
	case codecs.Null:
		return "null", true
	case codecs.Bool:
		return strconv.FormatBool(v.Bool), true
	case codecs.Number, codecs.String:
		return v.Str, true
	case codecs.Time:
		return v.Time.String(), true
	}
	return "", false
}

// show renders a value for a report, compactly.
func show(v codecs.Value) string {
	switch v.Kind {
	case codecs.String:
		return quote(v.Str)
	case codecs.Object:
		names := make([]string, len(v.Members))
		for i, m := range v.Members {
			names[i] = m.Name
		}
		return "{" + strings.Join(names, ",") + "}"
	case codecs.Array:
		return fmt.Sprintf("[%d items]", len(v.Items))
	}
	s, _ := leafText(v)
	return s
}

func (c *cmp) value(path string, e, a codecs.Value) {
	if e.Kind == codecs.String && isBareAny(e.Str) {
		return
	}
	et, eleaf := leafText(e)
	at, aleaf := leafText(a)
	switch {
	case eleaf && aleaf:
		bare := e.Kind == codecs.String && strings.HasPrefix(e.Str, markBare)
		switch {
		case bare && c.match(et, at):
		case !bare && e.Kind != a.Kind:
			c.add(Type, path, show(e), show(a))
		case !c.match(et, at):
			c.add(Value, path, show(e), show(a))
		}
	case e.Kind != a.Kind:
		c.add(Type, path, show(e), show(a))
	case e.Kind == codecs.Array:
		n := max(len(e.Items), len(a.Items))
		for i := 0; i < n; i++ {
			p := fmt.Sprintf("%s[%d]", path, i)
			switch {
			case i >= len(a.Items):
				c.add(Missing, p, show(e.Items[i]), "")
			case i >= len(e.Items):
				c.add(Extra, p, "", show(a.Items[i]))
			default:
				c.value(p, e.Items[i], a.Items[i])
			}
		}
	case e.Kind == codecs.Object:
		en := make([]string, len(e.Members))
		an := make([]string, len(a.Members))
		for i, m := range e.Members {
			en[i] = m.Name
		}
		for i, m := range a.Members {
			an[i] = m.Name
		}
		pairs, missing, extra := pair(en, an)
		if len(pairs) == 0 && len(en) > 0 && len(an) > 0 {
			c.add(Type, path, show(e), show(a)) // another object altogether
			return
		}
		for _, i := range missing {
			c.add(Missing, memberPath(path, en[i]), show(e.Members[i].Value), "")
		}
		for _, j := range extra {
			c.add(Extra, memberPath(path, an[j]), "", show(a.Members[j].Value))
		}
		if !inOrder(pairs) {
			c.add(Order, path, orderOf(en, pairs, true), orderOf(an, pairs, false))
		}
		for _, p := range pairs {
			c.value(memberPath(path, en[p[0]]), e.Members[p[0]].Value, a.Members[p[1]].Value)
		}
	}
}

// pair matches names by name and occurrence (the second "a" with the second
// "a"); it returns index pairs in expected order and the unpaired indexes.
func pair(exp, act []string) (pairs [][2]int, missing, extra []int) {
	pos := map[string][]int{}
	for j, n := range act {
		pos[n] = append(pos[n], j)
	}
	used := make([]bool, len(act))
	for i, n := range exp {
		if q := pos[n]; len(q) > 0 {
			pairs = append(pairs, [2]int{i, q[0]})
			used[q[0]] = true
			pos[n] = q[1:]
		} else {
			missing = append(missing, i)
		}
	}
	for j := range act {
		if !used[j] {
			extra = append(extra, j)
		}
	}
	return pairs, missing, extra
}

func inOrder(pairs [][2]int) bool {
	for i := 1; i < len(pairs); i++ {
		if pairs[i][1] < pairs[i-1][1] {
			return false
		}
	}
	return true
}

// orderOf lists the paired names in expected or in actual order.
func orderOf(names []string, pairs [][2]int, expected bool) string {
	idx := make([]int, 0, len(pairs))
	for _, p := range pairs {
		if expected {
			idx = append(idx, p[0])
		} else {
			idx = append(idx, p[1])
		}
	}
	if !expected {
		slices.Sort(idx)
	}
	out := make([]string, len(idx))
	for i, k := range idx {
		out[i] = names[k]
	}
	return strings.Join(out, ",")
}
