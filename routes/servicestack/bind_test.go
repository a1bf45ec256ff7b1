package servicestack

import (
	"net/http/httptest"
	"strings"
	"testing"

	"legacygate/codecs"
	"legacygate/codecs/jsoncodec"
	"legacygate/routes/contract"
	"legacygate/routes/pipeline"
	"legacygate/routes/pipeline/bind"
)

const bindContract = `
host: t
style: servicestack
formats:
  - {format: json, media_types: [application/json]}
  - {format: jsv, media_types: [application/jsv, text/jsv]}
operations:
  - {name: Op, action: is_available, routes: [{method: "*", path: "/op/{Role}"}], request: Req, command: {username: Name}, response: bool}
types:
  Kind:
    enum: [Admin, User]
  Rep:
    members:
      - {name: Id, type: string}
      - {name: Active, type: bool}
  Req:
    members:
      - {name: Name, type: string}
      - {name: Age, type: int}
      - {name: Ok, type: bool}
      - {name: Role, type: Kind}
      - {name: Tags, type: "[]string"}
      - {name: Rep, type: Rep}
      - {name: Meta, type: "map[string]string"}
`

// TestReadOverlay is docs/legacy/servicestack.md §2 as a table: the body by its
// Content-Type, then path < query < form on custom routes, fill-only query
// on predefined routes, keys ignoring case, JSV syntax for complex values,
// bool before the first comma, empty values and unknown keys skipped.
func TestReadOverlay(t *testing.T) {
	h, err := contract.Load("t.yaml", []byte(bindContract))
	if err != nil {
		t.Fatal(err)
	}
	op := h.Operation("Op")
	tests := []struct {
		name       string
		target     string
		ct, body   string
		params     []pipeline.Param
		predefined bool
		want       string // the bound request as JSON
		wantErr    string
	}{
		{name: "body only", target: "/op/x", ct: "application/json", body: `{"name":"b","age":3}`, want: `{"Name":"b","Age":3}`},
		// The host registers no XML format: an XML body is an unknown
		// content type, an empty request DTO (the query still binds).
		{name: "unregistered format", target: "/op/x?Age=4", ct: "application/xml", body: `<Req><Name>b</Name></Req>`, want: `{"Age":4}`},
		{name: "query overrides body on custom routes", target: "/op/x?NAME=q", ct: "application/json", body: `{"Name":"b"}`, want: `{"Name":"q"}`},
		{name: "path below query", target: "/op/x?role=User", params: []pipeline.Param{{Name: "Role", Value: "Admin"}}, want: `{"Role":"User"}`},
		{name: "path binds an enum, any case", target: "/op/x", params: []pipeline.Param{{Name: "Role", Value: "admin"}}, want: `{"Role":"Admin"}`},
		{name: "form above query", target: "/op/x?name=q", ct: "application/x-www-form-urlencoded", body: "name=f", want: `{"Name":"f"}`},
		{name: "predefined: query fills only what the body left empty", target: "/json/reply/Op?name=q&age=7", ct: "application/json", body: `{"Name":"b"}`, predefined: true, want: `{"Name":"b","Age":7}`},
		{name: "predefined form post: query then form", target: "/json/reply/Op?name=q&age=7", ct: "application/x-www-form-urlencoded", body: "name=f", predefined: true, want: `{"Age":7,"Name":"f"}`},
		{name: "JSV lists and objects in the query", target: "/op/x?tags=a,b&rep={id:7,active:true}&meta={k:v}", want: `{"Tags":["a","b"],"Rep":{"Id":"7","Active":true},"Meta":{"k":"v"}}`},
		{name: "bracketed list", target: "/op/x?tags=[a,b]", want: `{"Tags":["a","b"]}`},
		{name: "checkbox pair: text before the first comma", target: "/op/x?ok=true,false", want: `{"Ok":true}`},
		{name: "empty values and unknown keys skipped", target: "/op/x?name=&nope=1", ct: "application/json", body: `{"Name":"b"}`, want: `{"Name":"b"}`},
		{name: "string members take the raw text", target: "/op/x?name={not:jsv}", want: `{"Name":"{not:jsv}"}`},
		{name: "JSV body", target: "/op/x", ct: "text/jsv", body: `{name:"a, b",age:4}`, want: `{"Name":"a, b","Age":4}`},
		{name: "unknown content type: empty request", target: "/op/x", ct: "text/plain", body: "hello", want: `{}`},
		{name: "unparsable body: SerializationException", target: "/op/x", ct: "application/json", body: `{"name":`, wantErr: "Could not deserialize 'application/json' request using Req'"},
		{name: "unconvertible query value: binding error", target: "/op/x?age=old", wantErr: "Unable to bind to request 'Req'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := "GET"
			if tt.body != "" {
				method = "POST"
			}
			r := httptest.NewRequest(method, tt.target, strings.NewReader(tt.body))
			if tt.ct != "" {
				r.Header.Set("Content-Type", tt.ct)
			}
			in, p := Style{}.Read(pipeline.Match{Op: op, Params: tt.params, Predefined: tt.predefined}, r, []byte(tt.body))
			if p != nil {
				t.Fatalf("problem %+v", p)
			}
			if tt.wantErr != "" {
				var errs []bind.Error
				if in.Err != nil {
					errs = append(in.BindErrs, bind.Error{Msg: in.Err.Error()})
				}
				got := Style{}.Invalid(op, &in, errs, nil)
				if got == nil || got.Message != tt.wantErr {
					t.Fatalf("got %+v, want message %q", got, tt.wantErr)
				}
				return
			}
			if in.Err != nil {
				t.Fatalf("err %v %+v", in.Err, in.BindErrs)
			}
			bound, errs := bind.Request(op.Request, in.Value, Style{}.BindOptions())
			if len(errs) > 0 {
				t.Fatalf("bind errors %+v", errs)
			}
			got, _ := jsoncodec.Append(nil, reorder(bound, in.Value), nil, jsoncodec.NewtonsoftDialect)
			if string(got) != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

// reorder lists bound members in the order the input set them, so a row
// can say which key came last.
func reorder(bound, in codecs.Value) codecs.Value {
	out := codecs.Obj()
	for _, m := range in.Members {
		if v, ok := bound.GetFold(m.Name); ok {
			if _, dup := out.GetFold(m.Name); !dup {
				for _, bm := range bound.Members {
					if strings.EqualFold(bm.Name, m.Name) {
						out.Members = append(out.Members, codecs.M(bm.Name, v))
					}
				}
			}
		}
	}
	return out
}

func TestSplitPascalCaseAndCamel(t *testing.T) {
	for give, want := range map[string]string{"PartnerUserID": "Partner User ID", "Company": "Company", "IDNumber": "ID Number", "EMail": "EMail", "UserName": "User Name", "Address2": "Address2"} {
		if got := SplitPascalCase(give); got != want {
			t.Errorf("SplitPascalCase(%q) = %q, want %q", give, got, want)
		}
	}
	for give, want := range map[string]string{"UserId": "userId", "ID": "id", "URLValue": "urlValue", "EMail": "eMail", "responseStatus": "responseStatus"} {
		if got := ToCamelCase(give); got != want {
			t.Errorf("ToCamelCase(%q) = %q, want %q", give, got, want)
		}
	}
}
