package diff

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// xnode is an element of the infoset: its expanded name, the prefix it was
// written with, attributes (namespace declarations apart) and either child
// elements or text.
type xnode struct {
	space, local, prefix string
	attrs                []xattr
	decls                []xattr // prefix ("" = default) → URI
	kids                 []*xnode
	text                 strings.Builder
}

type xattr struct{ space, local, prefix, value string }

func (n *xnode) key() string { return "{" + n.space + "}" + n.local }

const maxXMLDepth = 256

// parseXML reads one document into its root element.
func parseXML(b []byte) (*xnode, error) {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	d := xml.NewDecoder(bytes.NewReader(b))
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		if strings.EqualFold(label, "utf-8") {
			return r, nil
		}
		return nil, fmt.Errorf("charset %q", label)
	}
	var stack []*xnode
	var scopes []map[string]string
	var root *xnode
	lookup := func(prefix string) (string, bool) {
		switch prefix {
		case "xml":
			return "http://www.w3.org/XML/1998/namespace", true
		case "xmlns":
			return "http://www.w3.org/2000/xmlns/", true
		}
		for i := len(scopes) - 1; i >= 0; i-- {
			if u, ok := scopes[i][prefix]; ok {
				return u, true
			}
		}
		return "", prefix == ""
	}
	for {
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if root != nil && len(stack) == 0 {
				return nil, errors.New("more than one root element")
			}
			if len(stack) >= maxXMLDepth {
				return nil, errors.New("too deep")
			}
			n := &xnode{local: t.Name.Local, prefix: t.Name.Space}
			scope := map[string]string{}
			for _, a := range t.Attr {
				switch {
				case a.Name.Space == "" && a.Name.Local == "xmlns":
					scope[""] = a.Value
					n.decls = append(n.decls, xattr{local: "", value: a.Value})
				case a.Name.Space == "xmlns":
					scope[a.Name.Local] = a.Value
					n.decls = append(n.decls, xattr{local: a.Name.Local, value: a.Value})
				}
			}
			scopes = append(scopes, scope)
			u, ok := lookup(n.prefix)
			if !ok {
				return nil, fmt.Errorf("undeclared prefix %q", n.prefix)
			}
			n.space = u
			for _, a := range t.Attr {
				if (a.Name.Space == "" && a.Name.Local == "xmlns") || a.Name.Space == "xmlns" {
					continue
				}
				x := xattr{local: a.Name.Local, prefix: a.Name.Space, value: a.Value}
				if x.prefix != "" {
					if x.space, ok = lookup(x.prefix); !ok {
						return nil, fmt.Errorf("undeclared prefix %q", x.prefix)
					}
				}
				n.attrs = append(n.attrs, x)
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, n)
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			if len(stack) == 0 {
				return nil, fmt.Errorf("unexpected </%s>", t.Name.Local)
			}
			if top := stack[len(stack)-1]; top.local != t.Name.Local || top.prefix != t.Name.Space {
				return nil, fmt.Errorf("</%s> closes <%s>", t.Name.Local, top.local)
			}
			stack, scopes = stack[:len(stack)-1], scopes[:len(scopes)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			} else if len(bytes.TrimSpace(t)) > 0 {
				return nil, errors.New("text outside the root element")
			}
		}
	}
	if root == nil {
		return nil, errors.New("no root element")
	}
	if len(stack) > 0 {
		return nil, fmt.Errorf("<%s> is not closed", stack[len(stack)-1].local)
	}
	return root, nil
}

func (c *cmp) xmlBody(exp, act []byte) error {
	if len(bytes.TrimSpace(exp)) == 0 && len(bytes.TrimSpace(act)) == 0 {
		return nil
	}
	e, err := parseXML(c.prepare(exp, false))
	if err != nil {
		return fmt.Errorf("expected is not XML: %w", err)
	}
	a, err := parseXML(act)
	if err != nil {
		return fmt.Errorf("actual is not XML: %w", err)
	}
	c.element("/"+e.local, e, a, [2]string{})
	return nil
}

// element compares two elements. moved is the namespace change already
// reported on an ancestor; members that moved with it are not reported
// again.
func (c *cmp) element(path string, e, a *xnode, moved [2]string) {
	if e.local != a.local {
		c.add(Type, path, "<"+e.local+">", "<"+a.local+">")
		return
	}
	if e.space != a.space {
		if ns := [2]string{e.space, a.space}; ns != moved {
			c.add(Namespace, path, quote(e.space), quote(a.space))
			moved = ns
		}
	}
	if c.opt.Prefixes {
		if e.prefix != a.prefix {
			c.add(Prefix, path, quote(e.prefix), quote(a.prefix))
		}
		ed, ad := declString(e.decls), declString(a.decls)
		if ed != ad {
			c.add(Prefix, path+"/@xmlns", ed, ad)
		}
	}
	c.attributes(path, e, a)
	if len(e.kids) == 0 && len(a.kids) == 0 {
		et, at := e.text.String(), a.text.String()
		if isBareAny(et) {
			return
		}
		if !c.match(et, at) {
			c.add(Value, path, quote(et), quote(at))
		}
		return
	}
	if len(e.kids) == 0 && strings.TrimSpace(e.text.String()) != "" || len(a.kids) == 0 && strings.TrimSpace(a.text.String()) != "" {
		c.add(Type, path, xshow(e), xshow(a))
		return
	}
	ek, ak := make([]string, len(e.kids)), make([]string, len(a.kids))
	for i, k := range e.kids {
		ek[i] = k.key()
	}
	for i, k := range a.kids {
		ak[i] = k.key()
	}
	pairs, missing, extra := pair(ek, ak)
	// an element in another namespace is the same member, moved
	for mi := 0; mi < len(missing); mi++ {
		i := missing[mi]
		for xi, j := range extra {
			if e.kids[i].local == a.kids[j].local {
				pairs = append(pairs, [2]int{i, j})
				missing = slices.Delete(missing, mi, mi+1)
				extra = slices.Delete(extra, xi, xi+1)
				mi--
				break
			}
		}
	}
	slices.SortFunc(pairs, func(x, y [2]int) int { return x[0] - y[0] })
	name := func(kids []*xnode, keys []string, i int) string {
		n := 0
		for _, k := range keys {
			if k == keys[i] {
				n++
			}
		}
		if n <= 1 {
			return path + "/" + kids[i].local
		}
		pos := 1
		for _, k := range keys[:i] {
			if k == keys[i] {
				pos++
			}
		}
		return fmt.Sprintf("%s/%s[%d]", path, kids[i].local, pos)
	}
	for _, i := range missing {
		c.add(Missing, name(e.kids, ek, i), xshow(e.kids[i]), "")
	}
	for _, j := range extra {
		c.add(Extra, name(a.kids, ak, j), "", xshow(a.kids[j]))
	}
	if !inOrder(pairs) {
		en, an := make([]string, len(e.kids)), make([]string, len(a.kids))
		for i, k := range e.kids {
			en[i] = k.local
		}
		for i, k := range a.kids {
			an[i] = k.local
		}
		c.add(Sequence, path, orderOf(en, pairs, true), orderOf(an, pairs, false))
	}
	for _, p := range pairs {
		c.element(name(e.kids, ek, p[0]), e.kids[p[0]], a.kids[p[1]], moved)
	}
}

func (c *cmp) attributes(path string, e, a *xnode) {
	ek, ak := make([]string, len(e.attrs)), make([]string, len(a.attrs))
	for i, x := range e.attrs {
		ek[i] = "{" + x.space + "}" + x.local
	}
	for i, y := range a.attrs {
		ak[i] = "{" + y.space + "}" + y.local
	}
	pairs, missing, extra := pair(ek, ak)
	for _, i := range missing {
		x, p := e.attrs[i], path+"/@"+e.attrs[i].local
		j := slices.IndexFunc(extra, func(j int) bool { return a.attrs[j].local == x.local })
		if j < 0 {
			c.add(Missing, p, quote(x.value), "")
			continue
		}
		c.add(Namespace, p, quote(x.space), quote(a.attrs[extra[j]].space))
		pairs = append(pairs, [2]int{i, extra[j]})
		extra = slices.Delete(extra, j, j+1)
	}
	for _, j := range extra {
		c.add(Extra, path+"/@"+a.attrs[j].local, "", quote(a.attrs[j].value))
	}
	for _, p := range pairs {
		x, y := e.attrs[p[0]], a.attrs[p[1]]
		if c.opt.Prefixes && x.prefix != y.prefix {
			c.add(Prefix, path+"/@"+x.local, quote(x.prefix), quote(y.prefix))
		}
		if !c.match(x.value, y.value) {
			c.add(Value, path+"/@"+x.local, quote(x.value), quote(y.value))
		}
	}
}

func declString(ds []xattr) string {
	s := make([]string, len(ds))
	for i, d := range ds {
		if d.local == "" {
			s[i] = "xmlns=" + quote(d.value)
		} else {
			s[i] = "xmlns:" + d.local + "=" + quote(d.value)
		}
	}
	slices.Sort(s)
	return strings.Join(s, " ")
}

func xshow(n *xnode) string {
	if len(n.kids) > 0 {
		return fmt.Sprintf("<%s> with %d elements", n.local, len(n.kids))
	}
	for _, a := range n.attrs {
		if a.local == "nil" && a.value == "true" {
			return "<" + n.local + " nil>"
		}
	}
	return "<" + n.local + ">" + quote(unmark(n.text.String()))
}
