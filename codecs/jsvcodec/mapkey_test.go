package jsvcodec

import (
	"testing"

	"legacygate/codecs"
)

// TestQuotedMapKeys: a quoted dictionary key reads as a real
// ServiceStack.Text reads it (outer quotes off, doubled quotes halved),
// and every key the writer quotes reads back as itself.
func TestQuotedMapKeys(t *testing.T) {
	str := scalar("string", codecs.StringT, true)
	m := mapOf(str)
	tests := []struct{ in, key string }{
		{`{"k""q":v}`, `k"q`},
		{`{"""lead":v}`, `"lead`},
		{`{"trail""":v}`, `trail"`},
		{`{"a,b":v}`, `a,b`},
		{`{"":v}`, ``},
		{`{plain:v}`, `plain`},
	}
	for _, tt := range tests {
		v, err := Decode([]byte(tt.in), m, DecodeOptions{})
		if err != nil {
			t.Fatalf("%s: %v", tt.in, err)
		}
		if len(v.Members) != 1 || v.Members[0].Name != tt.key {
			t.Errorf("%s: keys %+v, want %q", tt.in, v.Members, tt.key)
		}
	}
	for _, key := range []string{`k"q`, `"lead`, `a,b`, `{x}`, `a:b`, ` sp `, `plain`} {
		out, err := Append(nil, codecs.Obj(codecs.M(key, codecs.Str("v"))), m, Options{})
		if err != nil {
			t.Fatal(err)
		}
		v, err := Decode(out, m, DecodeOptions{})
		if err != nil || len(v.Members) != 1 || v.Members[0].Name != key {
			t.Errorf("key %q written as %s read back as %+v (%v)", key, out, v.Members, err)
		}
	}
}
