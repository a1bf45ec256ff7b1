package routes

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"legacygate/routes/contract"
	"legacygate/routes/helppage"
	"legacygate/routes/webapi"
)

// mountDocs adds the documentation pages generated from the mounted
// contracts: the Web API hosts' /Help pages (one set per listener, listing
// every mounted Web API operation). ServiceStack's metadata pages are
// mounted per host beside its operations.
func mountDocs(e *echo.Echo, table *routeTable, mounts []Mount) error {
	var help helppage.Pages
	var owner Mount
	for _, m := range mounts {
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
		for _, path := range []string{"/Help", "/Help/Api/{id}"} {
			if err := mountRoute(e, table, path, http.MethodGet, owner, st, &help, routeKind{}); err != nil {
				return err
			}
		}
	}
	return nil
}
