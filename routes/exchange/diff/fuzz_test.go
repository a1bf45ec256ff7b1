package diff_test

import (
	"strings"
	"testing"

	"legacygate/routes/exchange/diff"
)

// FuzzCompare feeds arbitrary bodies to every body reader of the differ:
// it must not panic, and a body compared with itself has no differences.
func FuzzCompare(f *testing.F) {
	for _, s := range []string{`{"a":[1,{"b":null}],"a":2}`, `<R xmlns="urn:a" xmlns:p="urn:p"><A p:x="1">t</A><A/></R>`,
		`{userId:1,roles:[a,"b,c"],m:{k:v}}`, `a=1&b=%20&a=2`, "plain\x00bytes", `<a><b>x</b>y</a>`} {
		f.Add(s)
	}
	cts := []string{ctJSON, ctXML, ctJSV, ctForm, ctText}
	f.Fuzz(func(t *testing.T, body string) {
		for _, ct := range cts {
			other := diff.Compare(msg(ct, body), msg(ct, "x"+body), diff.Options{Prefixes: true})
			_ = other
			if strings.Contains(body, "{{") || strings.ContainsAny(body, "\ue000\ue001\ue002") {
				continue
			}
			if ds := diff.Compare(msg(ct, body), msg(ct, body), diff.Options{Prefixes: true}); len(ds) != 0 {
				t.Fatalf("%s %q differs from itself: %v", ct, body, ds)
			}
		}
	})
}
