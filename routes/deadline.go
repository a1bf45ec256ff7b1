package routes

import (
	"context"
	"time"

	"github.com/labstack/echo/v4"
)

// deadline gives each request's context a deadline: past the server's
// write timeout nobody can receive the answer, so the pipeline should not
// start work (a hash, a store write) it can no longer report. d ≤ 0 sets
// none. A client that disconnects cancels the context too (net/http).
func deadline(d time.Duration) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		if d <= 0 {
			return next
		}
		return func(c echo.Context) error {
			ctx, cancel := context.WithTimeout(c.Request().Context(), d)
			defer cancel()
			c.SetRequest(c.Request().WithContext(ctx))
			return next(c)
		}
	}
}
