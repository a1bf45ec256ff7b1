// Package webapi is the ASP.NET Web API 2 host style: DefaultContentNegotiator
// over the host's formatter list, formatter selection and the 415 texts for
// request bodies, Json.NET binding rules, DataAnnotations messages and the
// HttpError envelope ({"Message": ..., "ModelState": {...}}).
//
// The behaviour and its public sources are described in
// docs/legacy/aspnet-webapi.md (§3 JSON, §4
// negotiation, §6 errors). Remote callers never see exception detail, so
// formatter errors read "An error has occurred." as they did on the legacy
// hosts.
package webapi
