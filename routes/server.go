package routes

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"sort"
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
	DebugHeaders  bool
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

	var table routeTable
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
				MaxBody: opt.MaxBodyBytes, RetryAfter: opt.RetryAfter, DebugHeaders: opt.DebugHeaders,
				Auth: auth, Sessions: opt.Sessions, Throttle: opt.Throttle, Limits: opt.Limits,
				Activator: opt.Activator, ActivationTTL: opt.ActivationTTL, PublicURL: opt.PublicURL, Origins: origins,
				Log: log}
		}
		// The style turns the host into routes; the server only mounts them.
		for _, rt := range st.Routes(m.Host, prefix, handler) {
			if err := mountRoute(e, &table, m, st, rt); err != nil {
				return nil, err
			}
		}
	}
	if err := mountDocs(e, &table, opt.Mounts); err != nil {
		return nil, err
	}
	e.GET("/healthz", func(c echo.Context) error { return c.String(http.StatusOK, "ok\n") })
	e.GET("/readyz", func(c echo.Context) error {
		if opt.Draining != nil && opt.Draining() {
			return c.String(http.StatusServiceUnavailable, "shutting down\n")
		}
		ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
		defer cancel()
		if err := opt.Registrar.Ping(ctx); err != nil {
			pipeline.InfoFrom(c.Request().Context()).Err = err
			return c.String(http.StatusServiceUnavailable, "backend unreachable\n")
		}
		return c.String(http.StatusOK, "ready\n")
	})

	e.Pre(requestID, table.canonicalize)
	e.Use(observe(opt.Metrics), accessLog(opt.Logger), recoverer(opt.Logger), deadline(opt.RequestTimeout), table.cors)
	for _, mw := range opt.Middleware {
		e.Use(echo.WrapMiddleware(mw))
	}
	if err := table.setFallback(opt.Fallback); err != nil {
		return nil, err
	}
	e.HTTPErrorHandler = errorHandler(&table, opt.Logger)
	return e, nil
}

// mountRoute registers one method and path template ({Var} segments become
// Echo parameters) and records it in the route table.
func mountRoute(e *echo.Echo, table *routeTable, m Mount, st pipeline.Style, rt pipeline.Route) error {
	path, method, h := rt.Path, rt.Method, rt.Handler
	if err := table.add(rt, m, st); err != nil {
		return err
	}
	segs := strings.Split(path, "/")
	for i, sg := range segs {
		if isVar(sg) {
			segs[i] = ":" + sg[1:len(sg)-1]
		}
	}
	handler := func(c echo.Context) error {
		for _, v := range c.ParamValues() {
			// Echo lets a route's last {Var} take the rest of the path;
			// a legacy route variable is one segment, so
			// /RegisterUser/Customer/extra matches no route (404).
			if strings.Contains(v, "/") {
				return echo.ErrNotFound
			}
		}
		info := pipeline.InfoFrom(c.Request().Context())
		if rt.Predefined {
			info.Predefined = true
			if info.RouteFormat == "" {
				info.RouteFormat = rt.Format
			}
		}
		names, values := c.ParamNames(), c.ParamValues()
		for i := range names {
			if i < len(values) {
				info.Params = append(info.Params, pipeline.Param{Name: names[i], Value: values[i]})
			}
		}
		h.ServeHTTP(c.Response(), c.Request())
		return nil
	}
	echoPath := strings.Join(segs, "/")
	if method == "*" {
		e.Any(echoPath, handler)
		return nil
	}
	e.Add(method, echoPath, handler)
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
		info := &pipeline.Info{RequestID: id, Client: c.RealIP()}
		c.SetRequest(c.Request().WithContext(pipeline.WithInfo(c.Request().Context(), info)))
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
func errorHandler(t *routeTable, log *zap.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		req := c.Request()
		var p *pipeline.Problem
		var he *echo.HTTPError
		switch {
		case errors.As(err, &p):
		case errors.As(err, &he) && he.Code == http.StatusNotFound:
			p = &pipeline.Problem{Kind: pipeline.NotFound, Status: http.StatusNotFound}
		case errors.As(err, &he) && he.Code == http.StatusMethodNotAllowed:
			p = &pipeline.Problem{Kind: pipeline.MethodNotAllowed, Status: http.StatusMethodNotAllowed, Allow: t.allow(req.URL.Path)}
		case errors.As(err, &he):
			p = &pipeline.Problem{Kind: pipeline.Internal, Status: he.Code, Err: err}
		default:
			p = &pipeline.Problem{Kind: pipeline.Internal, Status: http.StatusInternalServerError, Err: err}
		}
		info := pipeline.InfoFrom(req.Context())
		if info.Err == nil && p.Kind != pipeline.NotFound {
			info.Err = err
		}
		m, st, ok := t.owner(req.URL.Path)
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
		neg, _ := st.Negotiate(m.Host, req)
		info.Format, info.Negotiation = neg.Format, neg.Reason
		st.Headers(m.Host, c.Response().Header())
		pipeline.WriteProblem(c.Response(), req, st, m.Host, neg, p, log)
	}
}

// routeTable knows every mounted path template, to route case-insensitively
// (IIS, Web API and ServiceStack all did) and to find a path's owning host.
type routeTable struct {
	routes []tableRoute // longest templates first
	mounts []tableRoute // one per mount, in configuration order
	// fallback answers paths no mount claims (Options.Fallback); nil: a
	// neutral text answer.
	fallback *tableRoute
}

type tableRoute struct {
	segs       []string // template segments; "{x}" for variables
	methods    []string
	mount      Mount
	style      pipeline.Style
	predefined bool
	suffixes   []string // formats a ".<format>" suffix may name
}

func (t *routeTable) add(rt pipeline.Route, m Mount, st pipeline.Style) error {
	path, method := rt.Path, rt.Method
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for i, r := range t.routes {
		if !sameTemplate(r.segs, segs) {
			continue
		}
		if r.mount.Host != m.Host {
			return fmt.Errorf("routes: path %s of host %s is already mounted by host %s", path, m.Host.Name, r.mount.Host.Name)
		}
		t.routes[i].methods = append(t.routes[i].methods, method)
		return nil
	}
	r := tableRoute{segs: segs, methods: []string{method}, mount: m, style: st, predefined: rt.Predefined, suffixes: rt.Suffixes}
	t.routes = append(t.routes, r)
	known := false
	for _, x := range t.mounts {
		known = known || x.mount.Host == m.Host && x.mount.Prefix == m.Prefix
	}
	if !known {
		t.mounts = append(t.mounts, r)
	}
	sort.SliceStable(t.routes, func(i, j int) bool { return len(t.routes[i].segs) > len(t.routes[j].segs) })
	return nil
}

func sameTemplate(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !strings.EqualFold(a[i], b[i]) && !(isVar(a[i]) && isVar(b[i])) {
			return false
		}
	}
	return true
}

func isVar(s string) bool { return strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") }

// match returns the route whose template matches path ignoring case and a
// trailing slash, and the path spelled as the template spells it.
func (t *routeTable) match(path string) (tableRoute, string, bool) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for _, r := range t.routes {
		if len(r.segs) != len(segs) {
			continue
		}
		ok := true
		for i := range segs {
			if !isVar(r.segs[i]) && !strings.EqualFold(r.segs[i], segs[i]) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		out := make([]string, len(segs))
		for i := range segs {
			out[i] = segs[i]
			if !isVar(r.segs[i]) {
				out[i] = r.segs[i]
			}
		}
		return r, "/" + strings.Join(out, "/"), true
	}
	return tableRoute{}, "", false
}

// allow lists the methods the legacy host allowed on path (the Allow header
// of a 405), not Echo's own list.
func (t *routeTable) allow(path string) string {
	r, _, ok := t.match(path)
	if !ok {
		return ""
	}
	return strings.Join(r.methods, ", ")
}

func (t *routeTable) canonicalize(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		// ServiceStack's AllowRouteContentTypeExtensions: a known format
		// suffix on a custom route is stripped before matching (so
		// /RegisterUser/Manager.jsv is Role=Manager) and forces the format.
		if stem, f, ok := cutFormatSuffix(req.URL.Path); ok {
			if r, canon, ok := t.match(stem); ok && slices.Contains(r.suffixes, f) {
				req.URL.Path, req.URL.RawPath = canon, ""
				pipeline.InfoFrom(req.Context()).RouteFormat = f
				return next(c)
			}
		}
		if _, canon, ok := t.match(req.URL.Path); ok && canon != req.URL.Path {
			req.URL.Path, req.URL.RawPath = canon, ""
		}
		return next(c)
	}
}

// cors applies the owning mount's CORS policy: the gateway answers a
// preflight itself (the legacy routes never see OPTIONS from a browser),
// and an allowed origin's actual response carries Access-Control-* headers.
func (t *routeTable) cors(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		origin := req.Header.Get("Origin")
		if origin == "" {
			return next(c)
		}
		r, _, ok := t.match(req.URL.Path)
		if !ok || r.mount.CORS == nil {
			return next(c)
		}
		if cors.IsPreflight(req) {
			info := pipeline.InfoFrom(req.Context())
			info.Host, info.Op = r.mount.Host.Name, "(CORS preflight)"
			if ok, reason := r.mount.CORS.Preflight(c.Response(), req, r.methods); !ok {
				info.Err = errors.New("CORS preflight refused: " + reason)
			}
			return nil
		}
		r.mount.CORS.Actual(c.Response().Header(), origin)
		return next(c)
	}
}

// cutFormatSuffix splits "/clientregister.jsv" into "/clientregister" and
// "jsv": the text after the last dot of the last segment (a route says
// which suffixes it takes).
func cutFormatSuffix(path string) (string, string, bool) {
	slash := strings.LastIndexByte(path, '/')
	dot := strings.LastIndexByte(path, '.')
	if dot <= slash+1 {
		return "", "", false
	}
	return path[:dot], strings.ToLower(path[dot+1:]), true
}

// owner finds the mount a path belongs to: an exact template match, else
// the mount whose prefix and routes share the most leading segments with
// the path, else the fallback mount, if any.
func (t *routeTable) owner(path string) (Mount, pipeline.Style, bool) {
	if r, _, ok := t.match(path); ok {
		return r.mount, r.style, true
	}
	if len(t.mounts) == 0 {
		return Mount{}, nil, false
	}
	segs := strings.Split(strings.Trim(path, "/"), "/")
	best, bestScore := t.mounts[0], 0
	for _, m := range t.mounts {
		score := 0
		for _, r := range t.routes {
			if r.mount.Host != m.mount.Host || r.mount.Prefix != m.mount.Prefix {
				continue
			}
			n := 0
			for n < len(segs) && n < len(r.segs) && (sameSegment(segs[n], r.segs[n], n == len(segs)-1) || isVar(r.segs[n])) {
				n++
			}
			score = max(score, n)
		}
		if score > bestScore {
			best, bestScore = m, score
		}
	}
	if bestScore == 0 {
		if t.fallback == nil {
			return Mount{}, nil, false
		}
		return t.fallback.mount, t.fallback.style, true
	}
	return best.mount, best.style, true
}

// sameSegment compares a path segment with a template's, ignoring a
// suffix (".yaml") on the path's last segment: /clientregister.yaml
// belongs to the host of /clientregister, whatever the suffix.
func sameSegment(seg, tmpl string, last bool) bool {
	if strings.EqualFold(seg, tmpl) {
		return true
	}
	if dot := strings.LastIndexByte(seg, '.'); last && dot > 0 {
		return strings.EqualFold(seg[:dot], tmpl)
	}
	return false
}

// setFallback picks the mount named by Options.Fallback.
func (t *routeTable) setFallback(host string) error {
	if host == "" {
		return nil
	}
	for i := range t.mounts {
		if t.mounts[i].mount.Host.Name == host {
			t.fallback = &t.mounts[i]
			return nil
		}
	}
	return fmt.Errorf("routes: fallback host %q is not mounted", host)
}

// zapWriter sends Echo's own logger output to zap.
type zapWriter struct{ log *zap.Logger }

func (w zapWriter) Write(p []byte) (int, error) {
	w.log.Warn("echo", zap.ByteString("detail", p))
	return len(p), nil
}
