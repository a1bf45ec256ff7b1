package routes

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"legacygate/backend"
	"legacygate/routes/pipeline"
)

// accessLogEcho is requestID and accessLog around a handler that does
// what a registration does to the request's Info, logging as the gateway
// does (JSON, with caller annotation on) into w.
func accessLogEcho(w io.Writer, lvl zapcore.Level) *echo.Echo {
	enc := zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig())
	log := zap.New(zapcore.NewCore(enc, zapcore.AddSync(w), lvl), zap.AddCaller())
	e := echo.New()
	e.Pre(requestID)
	e.Use(accessLog(log))
	u := &backend.User{ID: 42, UUID: "6f1c7e54-1d0c-4c1b-9d84-0f3c2b5a8e11", Realm: "hub"}
	e.POST("/Account/Register", func(c echo.Context) error {
		info := pipeline.InfoFrom(c.Request().Context())
		info.Host, info.Op, info.Format, info.Negotiation = "hub", "Register", "json", "default"
		info.User, info.UserEvent = u, "registered"
		return c.Blob(http.StatusOK, "application/json", []byte(`{"ok":true}`))
	})
	return e
}

// TestAccessLogLine: one line per request with the fields operators rely
// on, none when the level drops it, and no caller annotation.
func TestAccessLogLine(t *testing.T) {
	var buf bytes.Buffer
	e := accessLogEcho(&buf, zapcore.InfoLevel)
	for range 3 {
		e.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/Account/Register", nil))
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("want 3 lines, got %d:\n%s", len(lines), buf.String())
	}
	for _, want := range []string{`"msg":"request"`, `"host":"hub"`, `"op":"Register"`, `"status":200`, `"user_id":42`, `"user_event":"registered"`, `"format":"json"`} {
		if !strings.Contains(lines[2], want) {
			t.Errorf("line %s lacks %s", lines[2], want)
		}
	}
	if strings.Contains(lines[2], `"caller"`) {
		t.Errorf("access line carries a caller: %s", lines[2])
	}
	buf.Reset()
	e = accessLogEcho(&buf, zapcore.WarnLevel)
	e.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/Account/Register", nil))
	if buf.Len() != 0 {
		t.Errorf("a 200 logged at level warn: %s", buf.String())
	}
}

// BenchmarkAccessLog is requestID plus the access log line of a
// registration, per request.
func BenchmarkAccessLog(b *testing.B) {
	e := accessLogEcho(io.Discard, zapcore.InfoLevel)
	req := httptest.NewRequest(http.MethodPost, "/Account/Register", nil)
	w := httptest.NewRecorder()
	b.ReportAllocs()
	for b.Loop() {
		w.Body.Reset()
		e.ServeHTTP(w, req)
	}
}
