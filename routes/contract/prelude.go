package contract

import (
	"bytes"
	"errors"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Preludes are contract texts, per style, merged into every host of that
// style: the style's built-in types and operations (ServiceStack's
// ResponseStatus, UserAuth, Authenticate…), so that no host declares them.
// A prelude holds only types and operations.
type Preludes map[Style][]byte

// LoadWith is Load with the prelude of the host's style merged in:
//
//   - a prelude type the host does not declare is added; one it declares
//     is merged member by member: the host's members replace the
//     prelude's of the same name, new ones come after, and the host's
//     namespace, base and doc win when given;
//   - a prelude operation is added unless the host has one of that name;
//     an authenticate operation only to hosts with auth providers.
func LoadWith(file string, data []byte, p Preludes) (*Host, error) {
	var raw rawHost
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&raw); err != nil {
		errs := yamlError(file, err)
		addPaths(data, errs)
		return nil, errors.Join(errs...)
	}
	if text, ok := p[Style(raw.Style)]; ok {
		var pre rawHost
		if err := yaml.NewDecoder(bytes.NewReader(text)).Decode(&pre); err != nil {
			name := "prelude " + raw.Style
			errs := yamlError(name, err)
			addPaths(text, errs)
			return nil, errors.Join(errs...)
		}
		mergePrelude(&raw, &pre)
	}
	c := &compiler{file: file, raw: &raw, h: &Host{Types: map[string]*Type{}}}
	c.compile()
	if len(c.errs) > 0 {
		addPaths(data, c.errs)
		return nil, errors.Join(c.errs...)
	}
	return c.h, nil
}

func mergePrelude(h, pre *rawHost) {
	if h.Types == nil {
		h.Types = map[string]rawType{}
	}
	if h.typePos == nil {
		h.typePos = map[string]pos{}
	}
	for _, name := range pre.typeOrder {
		pt := pre.Types[name]
		ht, declared := h.Types[name]
		if !declared {
			h.Types[name] = pt
			h.typeOrder = append(h.typeOrder, name)
			h.typePos[name] = pre.typePos[name]
			continue
		}
		merged := pt
		merged.pos = ht.pos
		if ht.Namespace != "" {
			merged.Namespace = ht.Namespace
		}
		if ht.Base != "" {
			merged.Base = ht.Base
		}
		if ht.Doc != "" {
			merged.Doc = ht.Doc
		}
		if len(ht.Enum) > 0 {
			merged.Enum = ht.Enum
		}
		merged.Members = append([]rawMember(nil), pt.Members...)
		for _, m := range ht.Members {
			replaced := false
			for i := range merged.Members {
				if strings.EqualFold(merged.Members[i].Name, m.Name) {
					merged.Members[i], replaced = m, true
					break
				}
			}
			if !replaced {
				merged.Members = append(merged.Members, m)
			}
		}
		h.Types[name] = merged
	}
	for _, op := range pre.Operations {
		if Action(op.Action) == ActionAuthenticate && h.Auth == nil {
			continue
		}
		taken := false
		for _, o := range h.Operations {
			taken = taken || o.Name == op.Name
		}
		if !taken {
			h.Operations = append(h.Operations, op)
		}
	}
}
