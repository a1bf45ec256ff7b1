package diff_test

import (
	"strings"
	"testing"

	"legacygate/routes/exchange/diff"
)

func msg(ct, body string) diff.Message {
	h := map[string][]string{}
	if ct != "" {
		h["Content-Type"] = []string{ct}
	}
	return diff.Message{Status: 200, Header: h, Body: []byte(body)}
}

// got renders differences as "kind path" lines for comparison.
func got(ds []diff.Difference) string {
	s := make([]string, len(ds))
	for i, d := range ds {
		s[i] = string(d.Kind) + " " + d.Path
	}
	return strings.Join(s, "\n")
}

const (
	ctJSON = "application/json; charset=utf-8"
	ctXML  = "application/xml; charset=utf-8"
	ctJSV  = "text/jsv"
	ctForm = "application/x-www-form-urlencoded"
	ctText = "text/plain"
)

func TestCompareBodies(t *testing.T) {
	tests := []struct {
		name     string
		ct       string
		exp, act string
		opt      diff.Options
		want     string // kind path lines
	}{
		// JSON
		{"json equal", ctJSON, `{"a":1,"b":[true,null]}`, `{"a":1,"b":[true,null]}`, diff.Options{}, ""},
		{"json whitespace", ctJSON, `{"a":1}`, "{ \"a\" : 1 }", diff.Options{}, ""},
		{"json reordered members", ctJSON, `{"a":1,"b":2}`, `{"b":2,"a":1}`, diff.Options{}, "order $"},
		{"json reordered members ignored", ctJSON, `{"a":1,"b":2}`, `{"b":2,"a":1}`, diff.Options{IgnoreOrder: true}, ""},
		{"json reordered array", ctJSON, `[1,2]`, `[2,1]`, diff.Options{}, "value $[0]\nvalue $[1]"},
		{"json value", ctJSON, `{"a":{"b":"x"}}`, `{"a":{"b":"y"}}`, diff.Options{}, "value $.a.b"},
		{"json type", ctJSON, `{"a":1}`, `{"a":"1"}`, diff.Options{}, "type $.a"},
		{"json missing and extra", ctJSON, `{"a":1,"b":2}`, `{"a":1,"c":3}`, diff.Options{}, "missing $.b\nextra $.c"},
		{"json another object altogether", ctJSON, `{"ID":1,"UserName":"a"}`, `{"Message":"x","ModelState":{}}`, diff.Options{}, "type $"},
		{"json extra item", ctJSON, `[1]`, `[1,2]`, diff.Options{}, "extra $[1]"},
		{"json odd names", ctJSON, `{"ModelState":{"model.Username":["a"]}}`, `{"ModelState":{"model.Username":["b"]}}`, diff.Options{}, `value $.ModelState["model.Username"][0]`},
		{"json placeholders", ctJSON, `{"ID":{{int}},"U":"{{uuid}}","T":"/Date({{int}})/","X":{{any}}}`, `{"ID":42,"U":"0f8fad5b-d9cb-469f-a165-70867728950e","T":"/Date(1)/","X":{"deep":[1]}}`, diff.Options{}, ""},
		{"json placeholder mismatch", ctJSON, `{"ID":{{int}}}`, `{"ID":"abc"}`, diff.Options{}, "value $.ID"},
		{"json ignore by path", ctJSON, `{"sessionId":"a","n":1}`, `{"sessionId":"b","n":1}`, diff.Options{Rules: diff.Rules{{Path: "$.sessionId"}}}, ""},
		{"json ignore by glob", ctJSON, `{"u":[{"id":1},{"id":2}]}`, `{"u":[{"id":7},{"id":8}]}`, diff.Options{Rules: diff.Rules{{Path: "$.u[*].id", Value: "{{int}}"}}}, ""},
		{"json ignore value pattern fails", ctJSON, `{"id":1}`, `{"id":"x"}`, diff.Options{Rules: diff.Rules{{Path: "$.id", Value: "{{int}}"}}}, "type $.id"},
		{"json ignore by pattern", ctJSON, `{"g":"0f8fad5b-d9cb-469f-a165-70867728950e"}`, `{"g":"7c9e6679-7425-40de-944b-e07fc1f90ae7"}`, diff.Options{Rules: diff.Rules{{Pattern: "{{uuid}}"}}}, ""},
		{"json ignore order by kind", ctJSON, `{"a":1,"b":2}`, `{"b":2,"a":1}`, diff.Options{Rules: diff.Rules{{Kind: diff.Order}}}, ""},
		{"json literal placeholders", ctJSON, `{"Name":"{{any}}"}`, `{"Name":"x"}`, diff.Options{Literal: true}, "value $.Name"},
		{"bytes literal placeholders", ctText, `{{int}}`, `5`, diff.Options{Literal: true}, "body body"},
		{"json not json", ctJSON, `{"a":1}`, `<html>`, diff.Options{}, "body body"},

		// DataContract XML
		{"xml equal", ctXML, `<R xmlns="urn:a" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><A>1</A><B i:nil="true"/></R>`,
			`<R xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="urn:a"><A>1</A><B i:nil="true" /></R>`, diff.Options{}, ""},
		{"xml whitespace between elements", ctXML, `<R><A>1</A></R>`, "<R>\n  <A>1</A>\n</R>", diff.Options{}, ""},
		{"xml attributes reordered", ctXML, `<R a="1" b="2"/>`, `<R b="2" a="1"/>`, diff.Options{}, ""},
		{"xml reordered members", ctXML, `<R><A>1</A><B>2</B></R>`, `<R><B>2</B><A>1</A></R>`, diff.Options{}, "sequence /R"},
		{"xml namespace change", ctXML, `<R xmlns="urn:a"><A>1</A></R>`, `<R xmlns="urn:b"><A>1</A></R>`, diff.Options{}, "namespace /R"},
		{"xml namespace change, one member stays", ctXML, `<R xmlns="urn:a"><A>1</A><B xmlns="urn:c">2</B></R>`, `<R xmlns="urn:b"><A>1</A><B xmlns="urn:b">2</B></R>`, diff.Options{}, "namespace /R\nnamespace /R/B"},
		{"xml member namespace change", ctXML, `<R xmlns="urn:a"><A>1</A></R>`, `<R xmlns="urn:a"><A xmlns="urn:b">1</A></R>`, diff.Options{}, "namespace /R/A"},
		{"xml prefix only", ctXML, `<R xmlns="urn:a"><A>1</A></R>`, `<p:R xmlns:p="urn:a"><p:A>1</p:A></p:R>`, diff.Options{}, ""},
		{"xml prefix only, asked", ctXML, `<R xmlns="urn:a"><A>1</A></R>`, `<p:R xmlns:p="urn:a"><p:A>1</p:A></p:R>`, diff.Options{Prefixes: true}, "prefix /R\nprefix /R/@xmlns\nprefix /R/A"},
		{"xml value", ctXML, `<R><A>1</A></R>`, `<R><A>2</A></R>`, diff.Options{}, "value /R/A"},
		{"xml nil attribute", ctXML, `<R xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><A i:nil="true"/></R>`, `<R><A>x</A></R>`, diff.Options{}, "missing /R/A/@nil\nvalue /R/A"},
		{"xml missing and extra", ctXML, `<R><A>1</A><B>2</B></R>`, `<R><A>1</A><C>3</C></R>`, diff.Options{}, "missing /R/B\nextra /R/C"},
		{"xml repeated items", ctXML, `<R><s>a</s><s>b</s></R>`, `<R><s>a</s><s>c</s></R>`, diff.Options{}, "value /R/s[2]"},
		{"xml placeholder", ctXML, `<R><Id>{{int}}</Id><At>{{datetime}}</At></R>`, `<R><Id>17</Id><At>2026-12-02T10:00:00.123Z</At></R>`, diff.Options{}, ""},
		{"xml ignore rule", ctXML, `<R><Sid>a</Sid></R>`, `<R><Sid>b</Sid></R>`, diff.Options{Rules: diff.Rules{{Path: "/R/Sid"}}}, ""},
		{"xml root renamed", ctXML, `<R/>`, `<S/>`, diff.Options{}, "type /R"},

		// JSV
		{"jsv equal", ctJSV, `{userId:1,userName:ann,roles:[a,b]}`, `{userId:1,userName:ann,roles:[a,b]}`, diff.Options{}, ""},
		{"jsv reordered members", ctJSV, `{a:1,b:2}`, `{b:2,a:1}`, diff.Options{}, "order $"},
		{"jsv reordered list", ctJSV, `{r:[a,b]}`, `{r:[b,a]}`, diff.Options{}, "value $.r[0]\nvalue $.r[1]"},
		{"jsv value", ctJSV, `{userName:ann}`, `{userName:bob}`, diff.Options{}, "value $.userName"},
		{"jsv quoted equals unquoted", ctJSV, `{n:"a,b"}`, `{n:"a,b"}`, diff.Options{}, ""},
		{"jsv missing and extra", ctJSV, `{a:1,b:2}`, `{a:1,c:2}`, diff.Options{}, "missing $.b\nextra $.c"},
		{"jsv placeholder", ctJSV, `{userId:{{int}},sessionId:{{any}}}`, `{userId:7,sessionId:6zB3mi2sTQ5BCZDVYJg7}`, diff.Options{}, ""},
		{"jsv ignore rule", ctJSV, `{sessionId:a}`, `{sessionId:b}`, diff.Options{Rules: diff.Rules{{Path: "$.sessionId"}}}, ""},

		// forms
		{"form equal", ctForm, `a=1&b=x+y`, `a=1&b=x%20y`, diff.Options{}, ""},
		{"form reordered", ctForm, `a=1&b=2`, `b=2&a=1`, diff.Options{}, "order $"},
		{"form value", ctForm, `a=1`, `a=2`, diff.Options{}, "value $.a"},
		{"form missing and extra", ctForm, `a=1&b=2`, `a=1&c=2`, diff.Options{}, "missing $.b\nextra $.c"},
		{"form repeated keys", ctForm, `a=1&a=2`, `a=1&a=3`, diff.Options{}, "value $.a"},

		// other bodies
		{"bytes equal", ctText, "false", "false", diff.Options{}, ""},
		{"bytes differ", ctText, "false", "true", diff.Options{}, "body body"},
		{"bytes placeholder", ctText, "id {{int}}", "id 5", diff.Options{}, ""},
		{"json under another media type", "text/html", `{"a":1,"b":2}`, `{"a":1, "b":3}`, diff.Options{}, "value $.b"},
		{"empty bodies", ctJSON, "", "", diff.Options{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.opt.Rules.Compile(); err != nil {
				t.Fatal(err)
			}
			ds := diff.Compare(msg(tt.ct, tt.exp), msg(tt.ct, tt.act), tt.opt)
			if g := got(ds); g != tt.want {
				t.Errorf("got\n%s\nwant\n%s\n(%v)", g, tt.want, ds)
			}
		})
	}
}

func TestCompareHeaders(t *testing.T) {
	tests := []struct {
		name     string
		exp, act map[string][]string
		status   [2]int
		want     string
	}{
		{"status", nil, nil, [2]int{200, 400}, "status status"},
		{"content type params any order and charset case", map[string][]string{"Content-Type": {"application/json; charset=utf-8"}}, map[string][]string{"Content-Type": {"application/json;charset=UTF-8"}}, [2]int{}, ""},
		{"content type charset missing", map[string][]string{"Content-Type": {"application/json; charset=utf-8"}}, map[string][]string{"Content-Type": {"application/json"}}, [2]int{}, "header header:Content-Type"},
		{"location absolute vs absolute", map[string][]string{"Location": {"http://legacy/a?b=1"}}, map[string][]string{"Location": {"https://gw.example/a?b=1"}}, [2]int{}, ""},
		{"location differs", map[string][]string{"Location": {"/a"}}, map[string][]string{"Location": {"/b"}}, [2]int{}, "header header:Location"},
		{"vary as a set", map[string][]string{"Vary": {"Accept, Origin"}}, map[string][]string{"Vary": {"origin", "accept"}}, [2]int{}, ""},
		{"vary differs", map[string][]string{"Vary": {"Accept"}}, map[string][]string{"Vary": {"Accept-Encoding"}}, [2]int{}, "header header:Vary"},
		{"cookie values ignored, attributes compared", map[string][]string{"Set-Cookie": {"ss-id=a; Path=/; HttpOnly; SameSite=Lax"}}, map[string][]string{"Set-Cookie": {"ss-id=b; path=/; samesite=lax; HttpOnly"}}, [2]int{}, ""},
		{"cookie attribute missing", map[string][]string{"Set-Cookie": {"ss-id=a; Path=/; HttpOnly"}}, map[string][]string{"Set-Cookie": {"ss-id=b; Path=/"}}, [2]int{}, "header header:Set-Cookie:ss-id"},
		{"cookie missing and extra", map[string][]string{"Set-Cookie": {"ss-id=a"}}, map[string][]string{"Set-Cookie": {"ss-pid=b"}}, [2]int{}, "missing header:Set-Cookie:ss-id\nextra header:Set-Cookie:ss-pid"},
		{"www-authenticate", map[string][]string{"Www-Authenticate": {`basic realm="/auth/basic"`}}, map[string][]string{"Www-Authenticate": {`Basic realm="x"`}}, [2]int{}, "header header:Www-Authenticate"},
		{"header missing", map[string][]string{"Www-Authenticate": {`basic`}}, map[string][]string{}, [2]int{}, "missing header:Www-Authenticate"},
		{"unlisted headers not compared", map[string][]string{}, map[string][]string{"Vary": {"Accept"}}, [2]int{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := diff.Message{Status: tt.status[0], Header: tt.exp}
			a := diff.Message{Status: tt.status[1], Header: tt.act}
			if g := got(diff.Compare(e, a, diff.Options{})); g != tt.want {
				t.Errorf("got\n%s\nwant\n%s", g, tt.want)
			}
		})
	}
}

// TestDifferenceText keeps reports readable: the member, the expected and
// the actual value.
func TestDifferenceText(t *testing.T) {
	ds := diff.Compare(msg(ctJSON, `{"UserName":"ann","ID":{{int}}}`), msg(ctJSON, `{"UserName":"bob","ID":"x"}`), diff.Options{})
	want := []string{`$.UserName: value differs: expected "ann", actual "bob"`, `$.ID: value differs: expected "{{int}}", actual "x"`}
	if len(ds) != len(want) {
		t.Fatalf("got %v", ds)
	}
	for i := range ds {
		if ds[i].String() != want[i] {
			t.Errorf("got %s, want %s", ds[i], want[i])
		}
	}
}

func TestRulesCompile(t *testing.T) {
	if err := (diff.Rules{{}}).Compile(); err == nil {
		t.Error("an empty rule compiled")
	}
}

// TestMatchPatternInvalidUTF8: a recorded text with a stray byte beside a
// placeholder still compiles (it panicked: found by FuzzCompare); the
// stray byte matches an invalid byte, the rest matches literally.
func TestMatchPatternInvalidUTF8(t *testing.T) {
	for _, c := range []struct {
		pattern, s string
		want       bool
	}{
		{"caf\xe9 {{int}}", "caf\xe9 42", true},
		{"caf\xe9 {{int}}", "caf\xff 42", true},
		{"caf\xe9 {{int}}", "cafe 42", false},
		{"caf\xe9 {{int}}", "caf\xe9 x", false},
		{"\xd9{{int}}\xd9", "\xd97\xd9", true},
	} {
		if got := diff.MatchPattern(c.pattern, c.s); got != c.want {
			t.Errorf("MatchPattern(%q, %q) = %v, want %v", c.pattern, c.s, got, c.want)
		}
	}
}
