package xmlcodec

import (
	"strings"

	"github.com/beevik/etree"
)

// Compact parses src (any well-formed XML, e.g. a help-page sample) into an
// etree document and writes it back on one line: white-space-only text
// between elements is dropped (text that is an element's only content is
// kept), prefixes and attribute order are preserved, empty elements are
// written "<X />" as XmlWriter does, and text is re-escaped minimally ('&',
// '<', '>'; in attributes also '"'). Comments and processing instructions are
// kept. Compacting a help-page sample yields the bytes the host put on the
// wire.
func Compact(src []byte) ([]byte, error) {
	doc, err := readTree(src)
	if err != nil {
		return nil, err
	}
	var out []byte
	for _, tok := range doc.Child {
		if cd, ok := tok.(*etree.CharData); ok && !cd.IsCData() && cd.IsWhitespace() {
			continue
		}
		out = appendToken(out, tok, -1)
	}
	return out, nil
}

// Indent re-indents src the way the Web API help pages show XML samples
// (XDocument.Parse(..).ToString(): two spaces per level, one element per
// line, elements holding only text kept on one line, prefixes kept). Lines
// end in "\n" (the Windows hosts render "\r\n").
func Indent(src []byte) ([]byte, error) {
	doc, err := readTree(src)
	if err != nil {
		return nil, err
	}
	var out []byte
	first := true
	for _, tok := range doc.Child {
		if cd, ok := tok.(*etree.CharData); ok && cd.IsWhitespace() {
			continue
		}
		if !first {
			out = append(out, '\n')
		}
		first = false
		out = appendToken(out, tok, 0)
	}
	return out, nil
}

func readTree(src []byte) (*etree.Document, error) {
	doc := etree.NewDocument()
	doc.ReadSettings.PreserveCData = true
	if err := doc.ReadFromBytes(src); err != nil {
		return nil, err
	}
	return doc, nil
}

// appendToken writes tok; depth < 0 means compact, else the indentation
// level of tok.
func appendToken(out []byte, tok etree.Token, depth int) []byte {
	switch t := tok.(type) {
	case *etree.Element:
		return appendTreeElement(out, t, depth)
	case *etree.CharData:
		if t.IsCData() {
			out = append(out, "<![CDATA["...)
			out = append(out, t.Data...)
			return append(out, "]]>"...)
		}
		return appendMinimalText(out, t.Data, false)
	case *etree.Comment:
		out = append(out, "<!--"...)
		out = append(out, t.Data...)
		return append(out, "-->"...)
	case *etree.ProcInst:
		out = append(out, "<?"...)
		out = append(out, t.Target...)
		if t.Inst != "" {
			out = append(out, ' ')
			out = append(out, t.Inst...)
		}
		return append(out, "?>"...)
	case *etree.Directive:
		out = append(out, "<!"...)
		out = append(out, t.Data...)
		return append(out, '>')
	}
	return out
}

func appendTreeElement(out []byte, e *etree.Element, depth int) []byte {
	name := e.Tag
	if e.Space != "" {
		name = e.Space + ":" + e.Tag
	}
	out = append(out, '<')
	out = append(out, name...)
	for _, a := range e.Attr {
		out = append(out, ' ')
		if a.Space != "" {
			out = append(out, a.Space...)
			out = append(out, ':')
		}
		out = append(out, a.Key...)
		out = append(out, `="`...)
		out = appendMinimalText(out, a.Value, true)
		out = append(out, '"')
	}
	hasElem := false
	for _, c := range e.Child {
		if _, ok := c.(*etree.Element); ok {
			hasElem = true
			break
		}
	}
	var kids []etree.Token
	for _, c := range e.Child {
		if cd, ok := c.(*etree.CharData); ok && hasElem && !cd.IsCData() && cd.IsWhitespace() {
			continue
		}
		kids = append(kids, c)
	}
	if len(kids) == 0 {
		return append(out, " />"...)
	}
	out = append(out, '>')
	indentKids := depth >= 0 && hasElem
	for _, c := range kids {
		if _, ok := c.(*etree.CharData); ok {
			indentKids = false
		}
	}
	for _, c := range kids {
		if indentKids {
			out = append(out, '\n')
			out = append(out, strings.Repeat("  ", depth+1)...)
			out = appendToken(out, c, depth+1)
		} else {
			out = appendToken(out, c, childDepth(depth))
		}
	}
	if indentKids {
		out = append(out, '\n')
		out = append(out, strings.Repeat("  ", depth)...)
	}
	out = append(out, "</"...)
	out = append(out, name...)
	return append(out, '>')
}

func childDepth(depth int) int {
	if depth < 0 {
		return -1
	}
	return depth + 1
}

func appendMinimalText(out []byte, s string, attr bool) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '&':
			out = append(out, "&amp;"...)
		case c == '<':
			out = append(out, "&lt;"...)
		case c == '>':
			out = append(out, "&gt;"...)
		case c == '"' && attr:
			out = append(out, "&quot;"...)
		default:
			out = append(out, c)
		}
	}
	return out
}
