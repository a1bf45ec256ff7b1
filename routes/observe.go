package routes

import (
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"legacygate/backend"
	"legacygate/backend/metrics"
	"legacygate/routes/pipeline"
)

// observe records each answered request in m (outermost middleware: it
// sees the status the access log and the error handler settled on).
func observe(m *metrics.Metrics) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		if m == nil {
			return next
		}
		return func(c echo.Context) error {
			start := time.Now()
			err := next(c)
			info := pipeline.InfoFrom(c.Request().Context())
			host, op := info.Host, info.Op
			if host == "" {
				host, op = "-", "-" // unrouted (404) and the gateway's own paths
			}
			status := c.Response().Status
			m.Request(host, op, info.Format, status, time.Since(start))
			switch cause := cause(info.Err); {
			case status == http.StatusServiceUnavailable && errors.Is(cause, backend.ErrOverloaded):
				m.Shed(host, "overloaded")
			case status == http.StatusServiceUnavailable:
				m.Shed(host, "unavailable")
			case status == http.StatusTooManyRequests:
				m.Shed(host, "throttled")
			case errors.As(cause, new(*backend.LockedError)):
				m.Lockout(host, "locked")
			}
			return err
		}
	}
}

// cause is the error behind a problem the pipeline answered.
func cause(err error) error {
	var p *pipeline.Problem
	if errors.As(err, &p) {
		return p.Err
	}
	return err
}
