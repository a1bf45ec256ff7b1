// Package routes mounts legacy hosts on an Echo server: one generic pipeline
// handler per operation route (package pipeline), host styles (webapi, later
// servicestack) chosen from the contract, and the operational edges around
// them — request ids, one structured log line per request, panic recovery,
// case-insensitive legacy routing, 404/405 in the owning host's shape,
// /healthz and /readyz.
//
// Only this package and its children import Echo. Echo hosts the middleware,
// one catch-all route and the error handler; the gateway's own router
// (router.go) matches every request once, before the middleware, and hands
// the handler an explicit pipeline.Match. Never echo.Context.Bind, whose
// content type, XML and form rules would silently break compatibility.
package routes
