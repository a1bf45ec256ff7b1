package routes

import (
	"net/http"
	"strings"

	"legacygate/routes/helppage"
	"legacygate/routes/openapi"
	"legacygate/routes/pipeline"
)

// helpPager is a style whose hosts had ASP.NET's /Help pages.
type helpPager interface{ HelpPages() bool }

// mountDocs adds the documentation pages generated from the mounted
// contracts: the /Help pages of the hosts whose style has them (one set
// per listener, listing every such operation mounted) and /openapi.json
// describing every mount, each style adding its own routes, error body and
// security schemes (openapi.Describer). ServiceStack's metadata pages and
// "Add ServiceStack Reference" endpoints are the style's own routes.
func mountDocs(t *router, mounts []Mount) error {
	var help helppage.Pages
	var owner Mount
	var ownerStyle pipeline.Style
	var api []openapi.Mount
	for _, m := range mounts {
		if m.Prefix == "" {
			m.Prefix = m.Host.Prefix
		}
		st, err := StyleFor(m.Host.Style)
		if err != nil {
			return err
		}
		d, _ := st.(openapi.Describer)
		api = append(api, openapi.Mount{Host: m.Host, Prefix: m.Prefix, Style: d})
		if hp, ok := st.(helpPager); !ok || !hp.HelpPages() {
			continue
		}
		if help.Mounts == nil {
			owner, ownerStyle = m, st
		}
		help.Mounts = append(help.Mounts, helppage.Mount{Host: m.Host, Prefix: strings.TrimRight(m.Prefix, "/"), Encoder: st.Encoder})
	}
	if help.Mounts != nil {
		for _, path := range []string{"/Help", "/Help/Api/{id}", "/Help/ResourceModel"} {
			if err := t.add(pipeline.Route{Method: http.MethodGet, Path: path, Handler: &help}, &owner, ownerStyle); err != nil {
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
