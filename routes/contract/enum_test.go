package contract_test

import (
	"strings"
	"testing"

	"legacygate/codecs"
	"legacygate/codecs/jsoncodec"
	"legacygate/codecs/jsvcodec"
	"legacygate/codecs/xmlcodec"
	"legacygate/routes/contract"
	"legacygate/routes/contract/contracttest"
)

// TestEnumExplicitValues: enum members with explicit values (C# counting
// on from the last explicit one) in every format an enum travels in.
func TestEnumExplicitValues(t *testing.T) {
	src := contracttest.OpHost + `
  Level:
    enum: [Low, {Mid: 4}, High, {Neg: -1}]
  Shifted:
    enum: [{One: 1}, Two]
  Req:
    namespace: T
    members:
      - {name: Name, type: string}
      - {name: L, type: Level}
      - {name: S, type: Shifted}
`
	h, err := contract.Load("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	level := h.Types["Level"].Schema()
	req := h.Operation("Op").Request
	// Json.NET writes the number; JSV and XML the name.
	out, err := jsoncodec.Append(nil, codecs.Str("High"), level, jsoncodec.NewtonsoftDialect)
	if err != nil || string(out) != "5" {
		t.Errorf("json: %s %v", out, err)
	}
	v, err := jsvcodec.Decode([]byte("{L:4,S:2}"), req.Schema(), jsvcodec.DecodeOptions{})
	if l, _ := v.Get("L"); err != nil || l.Str != "Mid" {
		t.Errorf("jsv read: %+v %v", v, err)
	}
	if s, _ := v.Get("S"); s.Str != "Two" {
		t.Errorf("jsv read S: %+v", s)
	}
	out, err = jsvcodec.Append(nil, codecs.Num("-1"), level, jsvcodec.Options{})
	if err != nil || string(out) != "Neg" {
		t.Errorf("jsv write: %s %v", out, err)
	}
	out, err = xmlcodec.Append(nil, codecs.Obj(codecs.M("Name", codecs.Str("n")), codecs.M("L", codecs.Str("Mid"))), req.Schema())
	if err != nil || !strings.Contains(string(out), "<L>Mid</L>") {
		t.Errorf("xml: %s %v", out, err)
	}
	// default(T) is 0: Level's Low; Shifted has no member 0.
	if d := codecs.Default(level); d.Str != "Low" {
		t.Errorf("default Level %+v", d)
	}
	if d := codecs.Default(h.Types["Shifted"].Schema()); d.Kind != codecs.Number || d.Str != "0" {
		t.Errorf("default Shifted %+v", d)
	}
	for _, bad := range []string{"[A, {B: x}]", "[A, A]", "[{A: 1, B: 2}]"} {
		if _, err := contract.Load("t.yaml", []byte(strings.Replace(src, "[Low, {Mid: 4}, High, {Neg: -1}]", bad, 1))); err == nil {
			t.Errorf("enum %s accepted", bad)
		}
	}
}
