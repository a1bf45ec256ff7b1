package servicestack

import (
	"net/http"

	"legacygate/routes/contract"
)

// DocRoutes are the predefined routes documented for op: POST on
// /{format}/reply/{Op} for each format the host writes, and /api/{Op}.
// (Routes serves them on every verb, and /oneway too.)
func (Style) DocRoutes(h *contract.Host, op *contract.Operation) []contract.Route {
	var out []contract.Route
	for _, f := range predefinedFormats {
		if writes(h, f) {
			out = append(out, contract.Route{Method: http.MethodPost, Path: "/" + f + "/reply/" + op.Name})
		}
	}
	return append(out, contract.Route{Method: http.MethodPost, Path: "/api/" + op.Name})
}

// ErrorSchema is ServiceStack's ErrorResponse: a ResponseStatus.
func (Style) ErrorSchema() (string, map[string]any) {
	type obj = map[string]any
	rs := obj{"type": "object", "properties": obj{
		"ErrorCode": obj{"type": "string"},
		"Message":   obj{"type": "string"},
		"Errors": obj{"type": "array", "items": obj{"type": "object", "properties": obj{
			"ErrorCode": obj{"type": "string"}, "FieldName": obj{"type": "string"}, "Message": obj{"type": "string"},
			"Meta": obj{"type": "object", "additionalProperties": obj{"type": "string"}},
		}}},
	}}
	return "servicestack.ErrorResponse", obj{
		"type":        "object",
		"description": "ServiceStack's error body: ResponseStatus (camelCase on hosts that write camelCase JSON)",
		"properties":  obj{"ResponseStatus": rs},
		"xml":         obj{"name": "ErrorResponse", "namespace": "http://schemas.servicestack.net/types"},
	}
}

// SecuritySchemes are the host's auth providers: Basic, API keys sent as
// a Bearer token, and the ss-id session cookie that /auth/credentials
// opens.
func (Style) SecuritySchemes(h *contract.Host) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, p := range h.Auth.Providers {
		switch p {
		case "basic":
			out[p] = map[string]any{"type": "http", "scheme": "basic", "description": h.Title + ": HTTP Basic against the user store"}
		case "apikey":
			out[p] = map[string]any{"type": "http", "scheme": "bearer", "description": h.Title + ": an API key as a Bearer token"}
		case "credentials":
			out[p] = map[string]any{"type": "apiKey", "in": "cookie", "name": CookieSessionID, "description": h.Title + ": the session /auth/credentials opened (ss-pid when remembered)"}
		}
	}
	return out
}

// HelpPages: ServiceStack hosts have metadata pages (in Routes), not
// ASP.NET's /Help.
func (Style) HelpPages() bool { return false }
