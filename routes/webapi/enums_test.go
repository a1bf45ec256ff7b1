package webapi

import (
	"strings"
	"testing"

	"legacygate/codecs"
	"legacygate/routes/contract"
)

// TestEnumsInJSON: Json.NET writes enums as numbers unless the host
// registered a StringEnumConverter (string_enums on its json format);
// XML (DataContractSerializer) always writes names.
func TestEnumsInJSON(t *testing.T) {
	src := `
host: t
style: webapi
formats:
  - {format: json, media_types: [application/json]STRING}
  - {format: xml, media_types: [application/xml]}
operations:
  - {name: Op, action: is_available, routes: [{method: POST, path: /r}], request: Req, command: {username: Name}, response: Resp}
types:
  Kind: {enum: [None, {Gold: 5}, Platinum]}
  Req:
    members:
      - {name: Name, type: string}
  Resp:
    namespace: T
    members:
      - {name: K, type: Kind}
      - {name: Ks, type: "[]Kind"}
      - {name: N, type: "Kind?"}
`
	v := codecs.Obj(codecs.M("K", codecs.Str("Platinum")), codecs.M("Ks", codecs.Arr(codecs.Str("Gold"), codecs.Str("None"))), codecs.M("N", codecs.Str("Gold")))
	for _, tt := range []struct{ opt, json, xml string }{
		{"", `{"K":6,"Ks":[5,0],"N":5}`, "<K>Platinum</K>"},
		{", string_enums: true", `{"K":"Platinum","Ks":["Gold","None"],"N":"Gold"}`, "<K>Platinum</K>"},
	} {
		h, err := contract.Load("t.yaml", []byte(strings.Replace(src, "STRING", tt.opt, 1)))
		if err != nil {
			t.Fatal(err)
		}
		schema := h.Types["Resp"].Schema()
		out, err := (Style{}).Encoder(h, "json").Append(nil, v, schema)
		if err != nil || string(out) != tt.json {
			t.Errorf("json%s: %s %v, want %s", tt.opt, out, err, tt.json)
		}
		out, err = (Style{}).Encoder(h, "xml").Append(nil, v, schema)
		if err != nil || !strings.Contains(string(out), tt.xml) {
			t.Errorf("xml%s: %s %v", tt.opt, out, err)
		}
	}
	if _, err := contract.Load("t.yaml", []byte(strings.Replace(strings.Replace(src, "STRING", "", 1), "format: xml, media_types: [application/xml]", "format: xml, media_types: [application/xml], string_enums: true", 1))); err == nil {
		t.Error("string_enums on xml accepted")
	}
}
