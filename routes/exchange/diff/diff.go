package diff

import (
	"bytes"
	"fmt"
	"mime"
	"strings"
)

// Message is one HTTP response as the differ sees it. Header keys are in
// canonical form (as net/http keeps them); an http.Header converts.
type Message struct {
	Status int
	Header map[string][]string
	Body   []byte
}

// Kind classifies a [Difference].
type Kind string

// The kinds of difference.
const (
	Status    Kind = "status"    // status code
	Header    Kind = "header"    // a compared header's value
	Missing   Kind = "missing"   // expected member, element, attribute, item or header absent
	Extra     Kind = "extra"     // member, element, attribute or item not expected
	Value     Kind = "value"     // a scalar's text
	Type      Kind = "type"      // object vs array vs scalar, or another format
	Order     Kind = "order"     // JSON/JSV member order (clients do not see it)
	Sequence  Kind = "sequence"  // XML element order (DataContract readers do)
	Namespace Kind = "namespace" // an element's or attribute's namespace URI
	Prefix    Kind = "prefix"    // a namespace prefix or declaration (with Options.Prefixes)
	Body      Kind = "body"      // bodies compared as bytes, or one side unreadable
)

// Difference is one place where the actual response differs.
type Difference struct {
	Kind     Kind   `json:"kind"`
	Path     string `json:"path"`
	Expected string `json:"expected,omitempty"`
	Actual   string `json:"actual,omitempty"`
}

func (d Difference) String() string {
	switch d.Kind {
	case Missing:
		return fmt.Sprintf("%s: missing (expected %s)", d.Path, d.Expected)
	case Extra:
		return fmt.Sprintf("%s: not expected (actual %s)", d.Path, d.Actual)
	}
	return fmt.Sprintf("%s: %s differs: expected %s, actual %s", d.Path, d.Kind, d.Expected, d.Actual)
}

// Options tune [Compare].
type Options struct {
	// Prefixes also compares XML namespace prefixes and declarations.
	Prefixes bool
	// IgnoreOrder drops [Order] differences (JSON/JSV member order).
	IgnoreOrder bool
	// Rules drop volatile differences.
	Rules Rules
	// Literal reads the expected answer as it is: {{int}} and the other
	// placeholders are text. Shadow mode and noise learning compare two
	// real answers, where a placeholder would be a value a client sent.
	Literal bool
}

// Compare reports how actual differs from expected; none means equal.
// Expected text may hold placeholders.
func Compare(expected, actual Message, opt Options) []Difference {
	c := &cmp{opt: opt}
	if expected.Status != actual.Status {
		c.add(Status, "status", fmt.Sprint(expected.Status), fmt.Sprint(actual.Status))
	}
	c.headers(expected.Header, actual.Header)
	c.body(mediaType(expected.Header), expected.Body, actual.Body)
	return c.out
}

type cmp struct {
	opt Options
	out []Difference
}

// match compares expected text (with placeholders unless Literal) with
// actual text.
func (c *cmp) match(expected, actual string) bool {
	if c.opt.Literal {
		return expected == actual
	}
	return matchText(expected, actual)
}

// prepare marks an expected body's placeholders unless Literal.
func (c *cmp) prepare(body []byte, json bool) []byte {
	if c.opt.Literal {
		return body
	}
	return mark(body, json)
}

func (c *cmp) add(k Kind, path, exp, act string) {
	if k == Order && c.opt.IgnoreOrder {
		return
	}
	d := Difference{Kind: k, Path: path, Expected: unmark(exp), Actual: act}
	if c.opt.Rules.Ignores(d) {
		return
	}
	c.out = append(c.out, d)
}

func mediaType(h map[string][]string) string {
	v := first(h, "Content-Type")
	mt, _, err := mime.ParseMediaType(v)
	if err != nil {
		return strings.ToLower(strings.TrimSpace(strings.Split(v, ";")[0]))
	}
	return mt
}

// Format names a body format.
type Format string

// Body formats.
const (
	JSON  Format = "json"
	XML   Format = "xml"
	JSV   Format = "jsv"
	Form  Format = "form"
	Bytes Format = "bytes"
)

// FormatOf picks the format a media type's body is compared in.
func FormatOf(mediaType string) Format {
	switch {
	case mediaType == "application/json" || mediaType == "text/json" || strings.HasSuffix(mediaType, "+json"):
		return JSON
	case mediaType == "application/xml" || mediaType == "text/xml" || strings.HasSuffix(mediaType, "+xml"):
		return XML
	case mediaType == "text/jsv" || mediaType == "application/jsv":
		return JSV
	case mediaType == "application/x-www-form-urlencoded":
		return Form
	}
	return Bytes
}

func (c *cmp) body(mt string, exp, act []byte) {
	f := FormatOf(mt)
	if f == Bytes && looksJSON(exp) && looksJSON(act) {
		if _, err := decodeJSON(c.prepare(exp, true)); err == nil {
			if _, err := decodeJSON(act); err == nil {
				f = JSON
			}
		}
	}
	var err error
	switch f {
	case JSON:
		err = c.jsonBody(exp, act)
	case XML:
		err = c.xmlBody(exp, act)
	case JSV:
		err = c.jsvBody(exp, act)
	case Form:
		c.formBody(string(exp), string(act))
	}
	if f == Bytes || err != nil {
		if !c.match(string(c.prepare(exp, false)), string(act)) {
			e := string(exp)
			if err != nil {
				e = fmt.Sprintf("%s (%v)", e, err)
			}
			c.add(Body, "body", quote(e), quote(string(act)))
		}
	}
}

func looksJSON(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) > 0 && (b[0] == '{' || b[0] == '[')
}
