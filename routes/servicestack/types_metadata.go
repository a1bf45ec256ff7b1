package servicestack

import (
	"encoding/json"
	"legacygate/codecs"
	"strings"

	"legacygate/routes/contract"
)

// MetadataTypes is the /types/metadata document (ServiceStack's
// MetadataTypes: config, types, operations), from which ServiceStack's
// own generators work.
type MetadataTypes struct {
	Config     MetadataConfig      `json:"config"`
	Namespaces []string            `json:"namespaces"`
	Types      []MetadataType      `json:"types"`
	Operations []MetadataOperation `json:"operations"`
}

// MetadataConfig is the generator configuration.
type MetadataConfig struct {
	BaseURL             string `json:"baseUrl"`
	UsePath             string `json:"usePath,omitempty"`
	MakePartial         bool   `json:"makePartial"`
	MakeVirtual         bool   `json:"makeVirtual"`
	AddDataContractAttr bool   `json:"addDataContractAttributes"`
	GlobalNamespace     string `json:"globalNamespace"`
}

// MetadataType is one DTO.
type MetadataType struct {
	Name         string                `json:"name"`
	Namespace    string                `json:"namespace,omitempty"`
	Inherits     *MetadataTypeName     `json:"inherits,omitempty"`
	IsEnum       bool                  `json:"isEnum,omitempty"`
	EnumNames    []string              `json:"enumNames,omitempty"`
	Properties   []MetadataProperty    `json:"properties,omitempty"`
	DataContract *MetadataDataContract `json:"dataContract,omitempty"`
}

// MetadataTypeName names a type.
type MetadataTypeName struct {
	Name        string   `json:"name"`
	Namespace   string   `json:"namespace,omitempty"`
	GenericArgs []string `json:"genericArgs,omitempty"`
}

// MetadataDataContract is a type's [DataContract].
type MetadataDataContract struct {
	Name      string `json:"name"`
	Namespace string `json:"namespace"`
}

// MetadataProperty is one member.
type MetadataProperty struct {
	Name        string   `json:"name"`
	Type        string   `json:"type"`
	IsValueType bool     `json:"isValueType,omitempty"`
	IsEnum      bool     `json:"isEnum,omitempty"`
	GenericArgs []string `json:"genericArgs,omitempty"`
	IsRequired  bool     `json:"isRequired,omitempty"`
	Description string   `json:"description,omitempty"`
	DataMember  *struct {
		Order int `json:"order"`
	} `json:"dataMember,omitempty"`
	// Secret members are write-only: clients send them, hosts never
	// answer with them.
	Secret bool `json:"secret,omitempty"`
}

// MetadataOperation is one service.
type MetadataOperation struct {
	Request       MetadataTypeName  `json:"request"`
	Response      *MetadataTypeName `json:"response,omitempty"`
	Actions       []string          `json:"actions"`
	Routes        []MetadataRoute   `json:"routes"`
	RequiresAuth  bool              `json:"requiresAuth,omitempty"`
	RequiredRoles []string          `json:"requiredRoles,omitempty"`
	ReturnsVoid   bool              `json:"returnsVoid,omitempty"`
}

// MetadataRoute is one [Route].
type MetadataRoute struct {
	Path  string `json:"path"`
	Verbs string `json:"verbs,omitempty"`
}

// Metadata builds the MetadataTypes of a host.
func BuildMetadataTypes(h *contract.Host, o RefOptions) MetadataTypes {
	ns := clrNamespace(h, o)
	mt := MetadataTypes{
		Config:     MetadataConfig{BaseURL: o.BaseURL, MakePartial: true, MakeVirtual: true, AddDataContractAttr: true, GlobalNamespace: ns},
		Namespaces: []string{"System", "System.Collections", "System.Collections.Generic", "System.Runtime.Serialization", "ServiceStack", ns},
		Types:      []MetadataType{},
		Operations: []MetadataOperation{},
	}
	for _, t := range refTypes(h, o) {
		x := MetadataType{Name: t.Name, Namespace: ns}
		if t.Schema() != nil {
			x.DataContract = &MetadataDataContract{Name: t.Name, Namespace: t.Schema().Namespace}
		}
		if t.Enum != nil {
			x.IsEnum, x.EnumNames = true, t.Enum
			mt.Types = append(mt.Types, x)
			continue
		}
		if t.Base != nil {
			x.Inherits = &MetadataTypeName{Name: t.Base.Name, Namespace: ns}
		}
		for _, m := range t.Members {
			p := MetadataProperty{Name: m.Name, Type: DotNetName(m), IsValueType: isValueType(m.Type), IsEnum: m.Type.Enum != nil, Description: m.Doc, Secret: m.Secret}
			if i := strings.IndexByte(p.Type, '<'); i > 0 && strings.HasSuffix(p.Type, ">") {
				p.Type, p.GenericArgs = p.Type[:i]+"`"+itoa(strings.Count(p.Type[i:], ",")+1), splitGeneric(p.Type[i+1:len(p.Type)-1])
			}
			for _, r := range m.Rules {
				p.IsRequired = p.IsRequired || r.Kind == contract.RuleRequired
			}
			if m.Order >= 0 {
				p.DataMember = &struct {
					Order int `json:"order"`
				}{m.Order}
			}
			x.Properties = append(x.Properties, p)
		}
		mt.Types = append(mt.Types, x)
	}
	for _, op := range h.Operations {
		if op.Request == nil || !included(op.Request.Name, o) {
			continue
		}
		mo := MetadataOperation{Request: MetadataTypeName{Name: op.Request.Name, Namespace: ns}, RequiresAuth: op.Authenticate, RequiredRoles: op.Roles}
		switch {
		case op.Response == nil || op.Response.Void:
			mo.ReturnsVoid = true
		case op.Response.Ref != nil:
			mo.Response = &MetadataTypeName{Name: DotNetRef(*op.Response.Ref)}
		case op.Response.Primitive && op.Response.Schema() != nil:
			mo.Response = &MetadataTypeName{Name: DotNetRef(contract.TypeRef{Type: &codecs.Type{Scalar: op.Response.Schema().Scalar}})}
		case !op.Response.Primitive:
			mo.Response = &MetadataTypeName{Name: op.Response.Name, Namespace: ns}
		}
		verbs := map[string]bool{}
		for _, r := range routesOf(op) {
			mo.Routes = append(mo.Routes, MetadataRoute{Path: r[0], Verbs: r[1]})
			if r[1] == "" {
				verbs["ANY"] = true
			} else {
				verbs[r[1]] = true
			}
		}
		for _, v := range []string{"ANY", "GET", "POST", "PUT", "DELETE", "PATCH"} {
			if verbs[v] {
				mo.Actions = append(mo.Actions, v)
			}
		}
		mt.Operations = append(mt.Operations, mo)
	}
	return mt
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// splitGeneric splits "string, HashSet<String>" at its top-level commas.
func splitGeneric(s string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '<':
			depth++
		case '>':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	return append(out, strings.TrimSpace(s[start:]))
}
