package openapi_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"

	"legacygate/routes"
	"legacygate/routes/hosts"
	"legacygate/routes/openapi"
)

func build(t testing.TB) []byte {
	t.Helper()
	all, err := hosts.Load()
	if err != nil {
		t.Fatal(err)
	}
	var mounts []openapi.Mount
	for _, h := range all {
		st, err := routes.StyleFor(h.Style)
		if err != nil {
			t.Fatal(err)
		}
		mounts = append(mounts, openapi.Mount{Host: h, Prefix: h.Prefix, Style: st.(openapi.Describer)})
	}
	doc, err := openapi.Build("legacygate", mounts)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// validate checks a document against the OpenAPI 3.1 schema with pb33f's
// validator (libopenapi-validator ValidateDocument) and builds its model.
func validate(t *testing.T, raw []byte) []string {
	t.Helper()
	doc, err := libopenapi.NewDocument(raw)
	if err != nil {
		t.Fatal(err)
	}
	if v := doc.GetVersion(); v != "3.1.0" {
		t.Fatalf("version %s", v)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var out []string
	ok, verrs := v.ValidateDocument()
	for _, e := range verrs {
		out = append(out, e.Message+": "+e.Reason)
		for _, se := range e.SchemaValidationErrors {
			out = append(out, "  "+se.Reason+" at "+se.KeywordLocation)
		}
	}
	if !ok && out == nil {
		out = append(out, "invalid")
	}
	if _, err := doc.BuildV3Model(); err != nil {
		out = append(out, err.Error())
	}
	return out
}

func TestValidDocument(t *testing.T) {
	if errs := validate(t, build(t)); errs != nil {
		t.Fatalf("document is not valid OpenAPI 3.1:\n%s", strings.Join(errs, "\n"))
	}
	// The validator is not a rubber stamp: a broken copy fails.
	broken := strings.Replace(string(build(t)), `"responses": {`, `"responses": 7, "x": {`, 1)
	if errs := validate(t, []byte(broken)); errs == nil {
		t.Fatal("a document with responses: 7 passed validation")
	}
}

// TestDocumentCovers: every mounted operation route, XML names and
// namespaces, media types, error shapes and auth schemes are described.
func TestDocumentCovers(t *testing.T) {
	var d struct {
		Paths      map[string]map[string]json.RawMessage
		Components struct {
			Schemas         map[string]map[string]any
			SecuritySchemes map[string]map[string]any
		}
	}
	raw := build(t)
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	all, _ := hosts.Load()
	for _, h := range all {
		for _, op := range h.Operations {
			for _, rt := range op.Routes {
				item := d.Paths[h.Prefix+rt.Path]
				m := strings.ToLower(rt.Method)
				if rt.Method == "*" {
					m = "post"
				}
				if item[m] == nil {
					t.Errorf("%s %s%s (%s.%s) missing", m, h.Prefix, rt.Path, h.Name, op.Name)
				}
			}
		}
	}
	for _, want := range []string{
		`"namespace": "http://schemas.datacontract.org/2004/07/FLS.Data.WebApi"`, // inherited members
		`"namespace": "http://schemas.datacontract.org/2004/07/Hub.Server.Models"`,
		`"application/x-www-form-urlencoded"`, `"text/jsv"`, `"text/html"`, `"application/xml"`,
		`"#/components/schemas/webapi.HttpError"`, `"#/components/schemas/servicestack.ErrorResponse"`,
		`"/service/json/reply/RegisterUser"`, `"/api/ClientRegister"`,
		`"writeOnly": true`, `"format": "password"`,
	} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("document lacks %s", want)
		}
	}
	// camelCase JSON with the DataContract name for XML.
	reg := d.Components.Schemas["emun1.RegisterUser"]["properties"].(map[string]any)["userName"].(map[string]any)
	if reg["xml"].(map[string]any)["name"] != "UserName" {
		t.Errorf("emun1 userName xml: %v", reg["xml"])
	}
	if d.Components.SecuritySchemes["digitaluapi.basic"]["scheme"] != "basic" || d.Components.SecuritySchemes["emun1.credentials"]["in"] != "cookie" {
		t.Errorf("security schemes: %v", d.Components.SecuritySchemes)
	}
}

func BenchmarkBuild(b *testing.B) {
	for b.Loop() {
		build(b)
	}
}
