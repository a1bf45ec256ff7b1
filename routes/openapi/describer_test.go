package openapi_test

import (
	"encoding/json"
	"testing"

	"legacygate/routes/contract"
	"legacygate/routes/hosts"
	"legacygate/routes/openapi"
)

// fakeStyle is a style the package has never heard of.
type fakeStyle struct{}

func (fakeStyle) DocRoutes(_ *contract.Host, op *contract.Operation) []contract.Route {
	return []contract.Route{{Method: "PUT", Path: "/fake/" + op.Name}}
}

func (fakeStyle) ErrorSchema() (string, map[string]any) {
	return "fake.Error", map[string]any{"type": "object"}
}

func (fakeStyle) SecuritySchemes(*contract.Host) map[string]map[string]any {
	return map[string]map[string]any{"token": {"type": "http", "scheme": "bearer"}}
}

// TestDescriberDecides: the routes a style adds, its error body and its
// security schemes come from the style's Describer, whatever the style.
func TestDescriberDecides(t *testing.T) {
	all, err := hosts.Load()
	if err != nil {
		t.Fatal(err)
	}
	h := all[0]
	for _, tt := range []struct {
		name       string
		style      openapi.Describer
		wantFake   bool
		wantSchema bool
	}{
		{"fake style", fakeStyle{}, true, true},
		{"no describer", nil, false, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			raw, err := openapi.Build("t", []openapi.Mount{{Host: h, Prefix: "/p", Style: tt.style}})
			if err != nil {
				t.Fatal(err)
			}
			var doc struct {
				Paths      map[string]map[string]json.RawMessage
				Components struct {
					Schemas         map[string]json.RawMessage
					SecuritySchemes map[string]json.RawMessage
				}
			}
			if err := json.Unmarshal(raw, &doc); err != nil {
				t.Fatal(err)
			}
			_, put := doc.Paths["/p/fake/"+h.Operations[0].Name]["put"]
			_, schema := doc.Components.Schemas["fake.Error"]
			_, sec := doc.Components.SecuritySchemes[h.Name+".token"]
			if put != tt.wantFake || schema != tt.wantSchema || sec != tt.wantFake {
				t.Errorf("route %v schema %v security %v, want %v %v %v", put, schema, sec, tt.wantFake, tt.wantSchema, tt.wantFake)
			}
		})
	}
}
