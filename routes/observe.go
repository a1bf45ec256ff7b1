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
			if status == http.StatusServiceUnavailable {
				m.Shed(host, shedReason(info.Err))
			}
			return err
		}
	}
}

// shedReason says why a 503 was answered: the hashing queue was full
// ("overloaded") or the store could not serve ("unavailable").
func shedReason(err error) string {
	var p *pipeline.Problem
	if errors.As(err, &p) {
		err = p.Err
	}
	if errors.Is(err, backend.ErrOverloaded) {
		return "overloaded"
	}
	return "unavailable"
}
