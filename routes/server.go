package routes

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"go.uber.org/zap"

	"legacygate/backend"
	"legacygate/backend/metrics"
	"legacygate/codecs"
	"legacygate/routes/contract"
	"legacygate/routes/cors"
	"legacygate/routes/pipeline"
	"legacygate/routes/servicestack"
	"legacygate/routes/webapi"
)

// Mount places a host's operations under a path prefix and realm.
type Mount struct {
	Host   *contract.Host
	Prefix string // "" for the host contract's own prefix (such as "/service")
	Realm  string // uniqueness scope; the host name when empty
	// CORS, when set, lets browsers on other origins call the host's
	// routes (see routes/cors); nil refuses them, as the legacy hosts did
	// unless configured.
	CORS *cors.Policy
	// AllowedOrigins are the origins URLs from requests may point to when
	// they reach an email or a Location header; empty means the origin of
	// Options.PublicURL.
	AllowedOrigins []string
}

// Options configure a server.
type Options struct {
	Mounts    []Mount
	Registrar backend.Registrar
	// Sessions and APIKeys back the ServiceStack hosts' auth providers;
	// hosts without auth need neither.
	Sessions backend.Sessions
	APIKeys  backend.APIKeys
	// Activator consumes activation codes (hosts whose registrations mail
	// an activation link); ActivationTTL is a code's lifetime (48h when
	// zero) and PublicURL the gateway's external base URL for those links.
	Activator     backend.Activator
	ActivationTTL time.Duration
	PublicURL     string
	Logger        *zap.Logger
	MaxBodyBytes  int64
	RetryAfter    time.Duration
	// ShedDelay holds a request refused for hash overload before its 503
	// (pipeline.Handler.ShedDelay).
	ShedDelay    time.Duration
	DebugHeaders bool
	// Location is the legacy server's time zone (UTC by default).
	Location *time.Location
	// Middleware wraps every request inside the access log and the
	// recoverer, outermost first (shadow mode is one).
	Middleware []func(http.Handler) http.Handler
	// Draining, when it returns true, makes /readyz answer 503 (shutdown
	// has begun) while every other route keeps serving.
	Draining func() bool
	// Throttle limits sign-ins and registrations per client address; nil
	// means no limit.
	Throttle *pipeline.Throttle
	// TrustedProxies are the peers whose X-Forwarded-For and X-Real-IP
	// name the client; none by default (the peer is the client).
	TrustedProxies []*net.IPNet
	// Limits bound every decoded request (members, keys, items, depth,
	// string length); the zero value means none.
	Limits codecs.Limits
	// RequestTimeout is each request's deadline (the server's write
	// timeout); zero means none.
	RequestTimeout time.Duration
	// Fallback names the mounted host whose style answers paths that no
	// host's prefix or routes claim; empty gives a neutral text answer.
	// Never the order of the mounts.
	Fallback string
	// Metrics, when set, counts requests, latency and shed requests.
	Metrics *metrics.Metrics
	// Pages are the gateway's own GET paths beside /healthz, /readyz and
	// /openapi.json (such as /metrics), matched exactly.
	Pages map[string]http.Handler
}

// DefaultActivationTTL is how long an activation code works when the
// options do not say.
const DefaultActivationTTL = 48 * time.Hour

// styles maps a contract style to its implementation (the style
// registry: the only place the server names a style).
var styles = map[contract.Style]pipeline.Style{
	contract.WebAPI:       webapi.Style{},
	contract.ServiceStack: servicestack.Style{},
}

// StyleFor returns the implementation of a host style.
func StyleFor(s contract.Style) (pipeline.Style, error) {
	st, ok := styles[s]
	if !ok {
		return nil, fmt.Errorf("routes: host style %q is not implemented yet", s)
	}
	return st, nil
}

// New builds the Echo server for a set of mounts.
func New(opt Options) (*echo.Echo, error) {
	if opt.Logger == nil {
		opt.Logger = zap.NewNop()
	}
	if opt.Location == nil {
		opt.Location = time.UTC
	}
	if opt.ActivationTTL <= 0 {
		opt.ActivationTTL = DefaultActivationTTL
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.IPExtractor = ipExtractor(opt.TrustedProxies)
	e.Logger.SetOutput(zapWriter{opt.Logger})

	t := &router{}
	for _, m := range opt.Mounts {
		st, err := StyleFor(m.Host.Style)
		if err != nil {
			return nil, err
		}
		for _, f := range m.Host.Formats {
			if f.Write && st.Encoder(m.Host, f.Name) == nil {
				return nil, fmt.Errorf("routes: host %s lists format %q, which the %s style cannot write yet", m.Host.Name, f.Name, m.Host.Style)
			}
		}
		realm := m.Realm
		if realm == "" {
			realm = m.Host.Name
		}
		if m.Prefix == "" {
			m.Prefix = m.Host.Prefix
		}
		prefix := strings.TrimRight(m.Prefix, "/")
		origins, err := mountOrigins(m, opt.PublicURL)
		if err != nil {
			return nil, err
		}
		auth := st.Authenticator(pipeline.AuthDeps{Registrar: opt.Registrar, Sessions: opt.Sessions, APIKeys: opt.APIKeys})
		log := opt.Logger.With(zap.String("host", m.Host.Name))
		handler := func(op *contract.Operation) http.Handler {
			return &pipeline.Handler{Op: op, Style: st, Registrar: opt.Registrar, Realm: realm, Location: opt.Location,
				MaxBody: opt.MaxBodyBytes, RetryAfter: opt.RetryAfter, ShedDelay: opt.ShedDelay, DebugHeaders: opt.DebugHeaders,
				Auth: auth, Sessions: opt.Sessions, Throttle: opt.Throttle, Limits: opt.Limits,
				Activator: opt.Activator, ActivationTTL: opt.ActivationTTL, PublicURL: opt.PublicURL, Origins: origins,
				Log: log}
		}
		// The style turns the host into routes; the server only mounts them.
		mount := &m
		for _, rt := range st.Routes(m.Host, prefix, handler) {
			if err := t.add(rt, mount, st); err != nil {
				return nil, err
			}
		}
	}
	if err := mountDocs(t, opt.Mounts); err != nil {
		return nil, err
	}
	own := func(path string, h http.HandlerFunc) {
		_ = t.add(pipeline.Route{Method: http.MethodGet, Path: path, Handler: h}, nil, nil)
	}
	own("/healthz", func(w http.ResponseWriter, r *http.Request) { text(w, http.StatusOK, "ok\n") })
	own("/readyz", func(w http.ResponseWriter, r *http.Request) {
		if opt.Draining != nil && opt.Draining() {
			text(w, http.StatusServiceUnavailable, "shutting down\n")
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := opt.Registrar.Ping(ctx); err != nil {
			pipeline.InfoFrom(r.Context()).Err = err
			text(w, http.StatusServiceUnavailable, "backend unreachable\n")
			return
		}
		text(w, http.StatusOK, "ready\n")
	})
	for path, h := range opt.Pages {
		own(path, h.ServeHTTP)
	}

	// Echo hosts the middleware around one catch-all route; the router
	// has matched the request before any of it runs.
	// Echo composes its middleware anew on every request, a closure per
	// middleware (echo v4.16.5, echo.go, ServeHTTP and applyMiddleware):
	// the chain is composed once here, and Echo sees one Pre middleware
	// that runs it with Echo's own routing (and so dispatch) at its end,
	// where the Use middleware used to run it.
	chain := []echo.MiddlewareFunc{requestID, t.match,
		observe(opt.Metrics), accessLog(opt.Logger), recoverer(opt.Logger), deadline(opt.RequestTimeout), t.cors}
	for _, mw := range opt.Middleware {
		chain = append(chain, echo.WrapMiddleware(mw))
	}
	e.Pre(composed(chain))
	e.Any("/*", dispatch)
	if err := t.setFallback(opt.Fallback); err != nil {
		return nil, err
	}
	e.HTTPErrorHandler = errorHandler(t, opt.Logger)
	return e, nil
}

// text answers a short plain-text body.
func text(w http.ResponseWriter, status int, s string) {
	w.Header().Set("Content-Type", "text/plain; charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(s))
}

// requestState is what the server keeps for a request: its log Info, its
// routing and the rest of Echo's chain, allocated with the context that
// carries them (an Echo context store, a context.WithValue, the Info and
// the routed would be four allocations).
type requestState struct {
	pipeline.InfoContext
	routed    routed
	hasRouted bool
	next      echo.HandlerFunc // Echo's routing and the route's handler
}

// newRequestState makes c's request carry a new requestState.
func newRequestState(c echo.Context) *requestState {
	req := c.Request()
	st := &requestState{InfoContext: pipeline.InfoContext{Context: req.Context()}}
	c.SetRequest(req.WithContext(st))
	return st
}

// stateOf returns the requestState c's request carries, making one when
// there is none (a middleware used on its own, in tests).
func stateOf(c echo.Context) *requestState {
	if st, ok := c.Request().Context().Value(stateKey{}).(*requestState); ok {
		return st
	}
	return newRequestState(c)
}

// routedKey finds a request's routed in its context, stateKey its
// requestState.
type (
	routedKey struct{}
	stateKey  struct{}
)

// Value returns the routed for routedKey, the state for stateKey, else
// what InfoContext returns.
func (s *requestState) Value(key any) any {
	switch key.(type) {
	case routedKey:
		if !s.hasRouted {
			return nil
		}
		return &s.routed
	case stateKey:
		return s
	}
	return s.InfoContext.Value(key)
}

// composed returns one Pre middleware that runs chain, composed once,
// and then the rest of Echo's own chain for the request.
func composed(chain []echo.MiddlewareFunc) echo.MiddlewareFunc {
	h := echo.HandlerFunc(func(c echo.Context) error { return stateOf(c).next(c) })
	for i := len(chain) - 1; i >= 0; i-- {
		h = chain[i](h)
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			newRequestState(c).next = next
			return h(c)
		}
	}
}

func routedFrom(c echo.Context) *routed {
	rd, _ := c.Request().Context().Value(routedKey{}).(*routed)
	return rd
}

// match routes the request once, before the middleware (which see the
// path spelled as the route spells it), into the requestState requestID
// made.
func (t *router) match(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		st := stateOf(c)
		t.route(c.Request(), &st.routed)
		st.hasRouted = true
		return next(c)
	}
}

// dispatch serves a routed request: the route's handler, given the Match
// when it takes one; an OPTIONS no endpoint takes gets the route's Allow;
// an unmatched path or method is a routing error for the error handler.
func dispatch(c echo.Context) error {
	rd := routedFrom(c)
	switch {
	case rd == nil || rd.route == nil:
		return echo.ErrNotFound
	case rd.ep == nil && c.Request().Method == http.MethodOptions:
		c.Response().Header().Add("Allow", rd.route.options)
		return c.NoContent(http.StatusNoContent)
	case rd.ep == nil:
		return echo.ErrMethodNotAllowed
	}
	w, req := c.Response(), c.Request()
	if mh, ok := rd.ep.handler.(pipeline.MatchHandler); ok {
		m := rd.match()
		m.Client = c.RealIP()
		mh.ServeMatch(w, req, m)
		return nil
	}
	rd.ep.handler.ServeHTTP(w, req)
	return nil
}

// requestID takes X-Request-Id from the client when it is sane, else makes
// one, and starts the request's log Info.
func requestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Request().Header.Get("X-Request-Id")
		if !saneID(id) {
			var b [8]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		c.Response().Header().Set("X-Request-Id", id)
		st := stateOf(c)
		st.Info.RequestID, st.Info.Client = id, c.RealIP()
		return next(c)
	}
}

func saneID(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

// accessLog writes one line per request. It never logs bodies, so no
// password can reach the log.
//
// It is on every request's path, so it costs what the line needs and no
// more: no caller annotation (it would always name this function, and
// zap.AddCaller costs a stack walk per line), no fields built when the
// level drops the line, and the field slice comes from a pool.
func accessLog(log *zap.Logger) echo.MiddlewareFunc {
	log = log.WithOptions(zap.WithCaller(false))
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			err := next(c)
			if err != nil {
				c.Error(err)
			}
			req, res := c.Request(), c.Response()
			lvl := zap.InfoLevel
			if res.Status >= 500 {
				lvl = zap.WarnLevel
			}
			ce := log.Check(lvl, "request")
			if ce == nil {
				return nil
			}
			info := pipeline.InfoFrom(req.Context())
			fp := logFields.Get().(*[]zap.Field)
			fields := append((*fp)[:0],
				zap.String("request_id", info.RequestID),
				zap.String("host", info.Host),
				zap.String("op", info.Op),
				zap.String("method", req.Method),
				zap.String("path", req.URL.Path),
				zap.Int("status", res.Status),
				zap.String("format", info.Format),
				zap.String("negotiation", info.Negotiation),
				zap.Duration("latency", time.Since(start)),
				zap.Int64("bytes_out", res.Size),
				zap.String("remote", info.Client),
			)
			if u := info.User; u != nil {
				fields = append(fields, zap.Int64("user_id", u.ID), zap.String("user_uuid", u.UUID), zap.String("realm", u.Realm))
				if info.UserEvent != "" {
					fields = append(fields, zap.String("user_event", info.UserEvent))
				}
			}
			if info.Err != nil {
				fields = append(fields, zap.String("error", info.Err.Error()))
			}
			ce.Write(fields...)
			clear(fields) // drop the strings before the slice goes back
			*fp = fields[:0]
			logFields.Put(fp)
			return nil
		}
	}
}

// logFields holds access-log field slices, large enough for every field
// the line can have.
var logFields = sync.Pool{New: func() any { f := make([]zap.Field, 0, 16); return &f }}

// recoverer turns a panic into the owning host's 500.
func recoverer(log *zap.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) (err error) {
			defer func() {
				if v := recover(); v != nil {
					if v == http.ErrAbortHandler {
						panic(v)
					}
					log.Error("panic", zap.Any("panic", v), zap.Stack("stack"))
					err = &pipeline.Problem{Kind: pipeline.Internal, Status: http.StatusInternalServerError, Err: fmt.Errorf("panic: %v", v)}
				}
			}()
			return next(c)
		}
	}
}

// errorHandler words routing errors (404, 405) and escaped problems in the
// style of the host that owns the path.
func errorHandler(t *router, log *zap.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		req := c.Request()
		rd := routedFrom(c)
		var p *pipeline.Problem
		var he *echo.HTTPError
		switch {
		case errors.As(err, &p):
		case errors.As(err, &he) && he.Code == http.StatusNotFound:
			p = &pipeline.Problem{Kind: pipeline.NotFound, Status: http.StatusNotFound}
		case errors.As(err, &he) && he.Code == http.StatusMethodNotAllowed:
			p = &pipeline.Problem{Kind: pipeline.MethodNotAllowed, Status: http.StatusMethodNotAllowed}
			if rd != nil && rd.route != nil {
				p.Allow = rd.allow()
			}
		case errors.As(err, &he):
			p = &pipeline.Problem{Kind: pipeline.Internal, Status: he.Code, Err: err}
		default:
			p = &pipeline.Problem{Kind: pipeline.Internal, Status: http.StatusInternalServerError, Err: err}
		}
		info := pipeline.InfoFrom(req.Context())
		if info.Err == nil && p.Kind != pipeline.NotFound {
			info.Err = err
		}
		if p.Allow != "" {
			c.Response().Header().Set("Allow", p.Allow)
		}
		m, st, ok := t.owner(rd, req.URL.Path)
		if !ok {
			c.Response().Header().Set("Content-Type", "text/plain; charset=utf-8")
			c.Response().WriteHeader(p.Status)
			_, _ = c.Response().Write([]byte(http.StatusText(p.Status) + "\n"))
			return
		}
		if v, ok := st.(verbMatcher); ok && p.Kind == pipeline.MethodNotAllowed && v.UnmatchedVerbIsNotFound() {
			p = &pipeline.Problem{Kind: pipeline.NotFound, Status: http.StatusNotFound}
			c.Response().Header().Del("Allow")
		}
		info.Host = m.Host.Name
		// A route suffix still names the format of a routing error.
		var rm pipeline.Match
		if rd != nil {
			rm.Format = rd.suffix
		}
		neg, _ := st.Negotiate(m.Host, rm, req)
		info.Format, info.Negotiation = neg.Format, neg.Reason
		st.Headers(m.Host, c.Response().Header())
		pipeline.WriteProblem(c.Response(), req, st, m.Host, neg, p, log)
	}
}

// cors applies the owning mount's CORS policy: the gateway answers a
// preflight itself (the legacy routes never see OPTIONS from a browser),
// and an allowed origin's actual response carries Access-Control-* headers.
func (t *router) cors(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		origin := req.Header.Get("Origin")
		if origin == "" {
			return next(c)
		}
		rd := routedFrom(c)
		if rd == nil || rd.route == nil || rd.raw || rd.route.mount == nil || rd.route.mount.CORS == nil {
			return next(c)
		}
		m := rd.route.mount
		if cors.IsPreflight(req) {
			info := pipeline.InfoFrom(req.Context())
			info.Host, info.Op = m.Host.Name, "(CORS preflight)"
			if ok, reason := m.CORS.Preflight(c.Response(), req, rd.route.methods); !ok {
				info.Err = errors.New("CORS preflight refused: " + reason)
			}
			return nil
		}
		m.CORS.Actual(c.Response().Header(), origin)
		return next(c)
	}
}

// zapWriter sends Echo's own logger output to zap.
type zapWriter struct{ log *zap.Logger }

func (w zapWriter) Write(p []byte) (int, error) {
	w.log.Warn("echo", zap.ByteString("detail", p))
	return len(p), nil
}
