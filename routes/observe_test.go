package routes

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"legacygate/backend"
	"legacygate/backend/metrics"
	"legacygate/routes/pipeline"
)

// TestObserve: every answer is counted by host, operation, format and
// status; 503s, 429s and locked accounts also count as what they are.
func TestObserve(t *testing.T) {
	tests := []struct {
		name   string
		status int
		err    error
		series string // the extra series the answer must add, "" for none
	}{
		{"ok", http.StatusOK, nil, ""},
		{"overloaded", http.StatusServiceUnavailable, &pipeline.Problem{Err: &backend.OverloadedError{}}, `legacygate_shed_requests_total{host="hub",reason="overloaded"} 1`},
		{"unavailable", http.StatusServiceUnavailable, &pipeline.Problem{Err: backend.ErrUnavailable}, `legacygate_shed_requests_total{host="hub",reason="unavailable"} 1`},
		{"throttled", http.StatusTooManyRequests, &pipeline.Problem{}, `legacygate_shed_requests_total{host="hub",reason="throttled"} 1`},
		{"locked", http.StatusUnauthorized, &pipeline.Problem{Err: &backend.LockedError{}}, `legacygate_lockouts_total{host="hub",reason="locked"} 1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := prometheus.NewRegistry()
			h := observe(metrics.New(reg))(func(c echo.Context) error {
				info := pipeline.InfoFrom(c.Request().Context())
				info.Host, info.Op, info.Format, info.Err = "hub", "Register", "json", tt.err
				return c.NoContent(tt.status)
			})
			e := echo.New()
			req := httptest.NewRequest(http.MethodPost, "/Account/Register", nil)
			req = req.WithContext(pipeline.WithInfo(req.Context(), &pipeline.Info{}))
			if err := h(e.NewContext(req, httptest.NewRecorder())); err != nil {
				t.Fatal(err)
			}
			rec := httptest.NewRecorder()
			promhttp.HandlerFor(reg, promhttp.HandlerOpts{}).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
			text := rec.Body
			want := `legacygate_requests_total{format="json",host="hub",operation="Register",status="` + strconv.Itoa(tt.status) + `"} 1`
			for _, s := range []string{want, tt.series} {
				if s != "" && !strings.Contains(text.String(), s) {
					t.Errorf("counters lack %s:\n%s", s, text.String())
				}
			}
			if n, _ := testutil.GatherAndCount(reg, "legacygate_shed_requests_total", "legacygate_lockouts_total"); (n == 0) != (tt.series == "") {
				t.Errorf("%d shed or lockout series, want them iff %q", n, tt.series)
			}
		})
	}
}
