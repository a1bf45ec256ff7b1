package routes

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

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
func mountDocs(e *echo.Echo, table *routeTable, mounts []Mount) error {
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
			if err := mountRoute(e, table, owner, st, pipeline.Route{Method: http.MethodGet, Path: path, Handler: &help}); err != nil {
				return err
			}
		}
	}
	doc, err := openapi.Build("legacygate", api)
	if err != nil {
		return err
	}
	e.GET("/openapi.json", func(c echo.Context) error {
		return c.Blob(http.StatusOK, "application/json; charset=utf-8", doc)
	})
	return nil
}
