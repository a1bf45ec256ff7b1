package routes

import (
	"net/http"
	"strings"

	"legacygate/routes/contract"
	"legacygate/routes/helppage"
	"legacygate/routes/openapi"
	"legacygate/routes/pipeline"
	"legacygate/routes/webapi"
)

// mountDocs adds the documentation pages generated from the mounted
// contracts: the Web API hosts' /Help pages (one set per listener, listing
// every mounted Web API operation) and /openapi.json describing every
// mount. ServiceStack's metadata pages and "Add ServiceStack Reference"
// endpoints ({prefix}/types/metadata, csharp, typescript) are the style's
// own routes (servicestack.Style.Routes).
func mountDocs(t *router, mounts []Mount) error {
	var help helppage.Pages
	var owner Mount
	var api []openapi.Mount
	for _, m := range mounts {
		prefix := m.Prefix
		if prefix == "" {
			prefix = m.Host.Prefix
		}
		api = append(api, openapi.Mount{Host: m.Host, Prefix: prefix})
		if m.Host.Style != contract.WebAPI {
			continue
		}
		if m.Prefix == "" {
			m.Prefix = m.Host.Prefix
		}
		if help.Mounts == nil {
			owner = m
		}
		help.Mounts = append(help.Mounts, helppage.Mount{Host: m.Host, Prefix: strings.TrimRight(m.Prefix, "/"), Encoder: webapi.Style{}.Encoder})
	}
	if help.Mounts != nil {
		st, _ := StyleFor(contract.WebAPI)
		for _, path := range []string{"/Help", "/Help/Api/{id}", "/Help/ResourceModel"} {
			if err := t.add(pipeline.Route{Method: http.MethodGet, Path: path, Handler: &help}, &owner, st); err != nil {
				return err
			}
		}
	}
	doc, err := openapi.Build("legacygate", api)
	if err != nil {
		return err
	}
	return t.add(pipeline.Route{Method: http.MethodGet, Path: "/openapi.json", Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(doc)
	})}, nil, nil)
}
