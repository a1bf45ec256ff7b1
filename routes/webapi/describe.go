package webapi

import "legacygate/routes/contract"

// DocRoutes: Web API serves an operation only on its declared routes.
func (Style) DocRoutes(*contract.Host, *contract.Operation) []contract.Route { return nil }

// ErrorSchema is ASP.NET Web API's HttpError.
func (Style) ErrorSchema() (string, map[string]any) {
	return "webapi.HttpError", map[string]any{
		"type":        "object",
		"description": "ASP.NET Web API's HttpError: Message, and ModelState for validation failures (keys are parameter.Member)",
		"properties": map[string]any{
			"Message":    map[string]any{"type": "string"},
			"ModelState": map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "array", "items": map[string]any{"type": "string"}}},
		},
		"required": []any{"Message"},
		"xml":      map[string]any{"name": "Error"},
	}
}

// SecuritySchemes: the Web API hosts sign nobody in.
func (Style) SecuritySchemes(*contract.Host) map[string]map[string]any { return nil }

// HelpPages: a Web API host has ASP.NET's /Help pages.
func (Style) HelpPages() bool { return true }
