// Package webapi is the ASP.NET Web API 2 host style: DefaultContentNegotiator
// over the host's formatter list, formatter selection and the 415 texts for
// request bodies, Json.NET binding rules, DataAnnotations messages and the
// HttpError envelope ({"Message": ..., "ModelState": {...}}).
//
// Sources are cited in shared/spec/aspnet-webapi.md (§3 JSON, §4
// negotiation, §6 errors). Remote callers never see exception detail, so
// formatter errors read "An error has occurred." as they did on the legacy
// hosts.
package webapi
