package routes

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"legacygate/routes/pipeline"
)

// router is the gateway's one router. Echo only hosts the middleware and
// one catch-all route; this router matches every request once, before
// the middleware runs, and its answer (a routed) serves the CORS
// middleware, the dispatcher and the error handler.
//
// It matches as the legacy hosts did: case-insensitively (IIS, Web API
// and ServiceStack all did), ignoring leading and trailing slashes, a
// {Var} taking exactly one segment; a ".<format>" suffix a route accepts
// is cut before matching and names the response format (ServiceStack's
// AllowRouteContentTypeExtensions). The gateway's own paths (/healthz,
// /openapi.json, ...) match exactly.
type router struct {
	root node
	// own are the gateway's own paths, matched exactly and owned by no
	// mount.
	own map[string]*route
	// mounts are one route per mount, in configuration order (to find a
	// path's owner); all lists every mounted route.
	mounts []*route
	all    []*route
	// fallback answers paths no mount claims (Options.Fallback); nil: a
	// neutral text answer.
	fallback *route
}

// node is one segment of the route tree. Static children are matched
// ignoring case, before the variable child.
type node struct {
	static []*node
	seg    string // the static segment as the template spells it
	param  *node
	route  *route
}

// route is one path template and what each method does on it.
type route struct {
	tmpl     string   // as mounted, e.g. "/service/RegisterUser/{Role}"
	segs     []string // template segments; "{x}" for variables
	mount    *Mount   // nil for the gateway's own paths
	style    pipeline.Style
	methods  []string // as declared, in mount order ("*" for any): Allow of a 405
	options  string   // Allow of an OPTIONS no endpoint takes
	suffixes []string // formats a ".<format>" suffix may name
	eps      []endpoint
}

// endpoint is one method of a route.
type endpoint struct {
	method     string // "*": any of anyMethods
	handler    http.Handler
	predefined bool
	format     string
}

// anyMethods are the methods a "*" route takes (Echo's Any, which the
// gateway mounted such routes with).
var anyMethods = []string{http.MethodConnect, http.MethodDelete, http.MethodGet, http.MethodHead, http.MethodOptions,
	http.MethodPatch, http.MethodPost, "PROPFIND", http.MethodPut, http.MethodTrace, "REPORT"}

func (e *endpoint) takes(method string) bool {
	if e.method == "*" {
		return slices.Contains(anyMethods, method)
	}
	return e.method == method
}

// routed is the router's answer for one request.
type routed struct {
	route  *route    // nil: no path matched
	ep     *endpoint // nil: the path matched but not the method (405)
	params []pipeline.Param
	// suffix is the format a ".<format>" path suffix named.
	suffix string
	// raw: the route matched the path as sent (escapes kept, case
	// exact), not its decoded form. Such a match is served but neither
	// owns the path for CORS and routing errors nor lists its methods
	// (as before the gateway routed on its own).
	raw bool
}

// match is the pipeline's Match of a routed request.
func (rd *routed) match() pipeline.Match {
	m := pipeline.Match{Route: rd.route.tmpl, Params: rd.params, Format: rd.suffix}
	if rd.ep != nil {
		m.Predefined = rd.ep.predefined
		if m.Format == "" {
			m.Format = rd.ep.format
		}
	}
	return m
}

func splitPath(path string) []string { return strings.Split(strings.Trim(path, "/"), "/") }

// splitPathInto is splitPath appending to dst (a request's paths split
// into a caller's array, without an allocation when they fit).
func splitPathInto(dst []string, path string) []string {
	path = strings.Trim(path, "/")
	for {
		seg, rest, more := strings.Cut(path, "/")
		dst = append(dst, seg)
		if !more {
			return dst
		}
		path = rest
	}
}

func isVar(s string) bool { return strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") }

// add mounts one route of mount m (nil for the gateway's own paths).
func (t *router) add(rt pipeline.Route, m *Mount, st pipeline.Style) error {
	ep := endpoint{method: rt.Method, handler: rt.Handler, predefined: rt.Predefined, format: rt.Format}
	if m == nil {
		if t.own == nil {
			t.own = map[string]*route{}
		}
		r := t.own[rt.Path]
		if r == nil {
			r = &route{tmpl: rt.Path, segs: splitPath(rt.Path)}
			t.own[rt.Path] = r
		}
		r.addEndpoint(ep)
		return nil
	}
	segs := splitPath(rt.Path)
	n := &t.root
	for _, sg := range segs {
		if isVar(sg) {
			if n.param == nil {
				n.param = &node{seg: sg}
			}
			n = n.param
			continue
		}
		var next *node
		for _, c := range n.static {
			if strings.EqualFold(c.seg, sg) {
				next = c
				break
			}
		}
		if next == nil {
			next = &node{seg: sg}
			n.static = append(n.static, next)
		}
		n = next
	}
	if r := n.route; r != nil {
		if r.mount.Host != m.Host {
			return fmt.Errorf("routes: path %s of host %s is already mounted by host %s", rt.Path, m.Host.Name, r.mount.Host.Name)
		}
		r.methods = append(r.methods, rt.Method)
		r.addEndpoint(ep)
		return nil
	}
	r := &route{tmpl: rt.Path, segs: segs, mount: m, style: st, methods: []string{rt.Method}, suffixes: rt.Suffixes}
	r.addEndpoint(ep)
	n.route = r
	t.all = append(t.all, r)
	known := false
	for _, x := range t.mounts {
		known = known || x.mount.Host == m.Host && x.mount.Prefix == m.Prefix
	}
	if !known {
		t.mounts = append(t.mounts, r)
	}
	return nil
}

// addEndpoint adds ep; a method mounted twice keeps the last handler.
func (r *route) addEndpoint(ep endpoint) {
	for i := range r.eps {
		if r.eps[i].method == ep.method {
			r.eps[i] = ep
			r.setOptions()
			return
		}
	}
	r.eps = append(r.eps, ep)
	r.setOptions()
}

// setOptions computes the Allow header of an OPTIONS request no endpoint
// takes: OPTIONS, then the methods in Echo's order (the answer the
// gateway gave before it routed on its own).
func (r *route) setOptions() {
	var b strings.Builder
	b.WriteString(http.MethodOptions)
	for _, m := range anyMethods {
		if m == http.MethodOptions {
			continue
		}
		for _, ep := range r.eps {
			if ep.takes(m) {
				b.WriteString(", " + m)
				break
			}
		}
	}
	r.options = b.String()
}

func (r *route) endpoint(method string) *endpoint {
	for i := range r.eps {
		if r.eps[i].takes(method) {
			return &r.eps[i]
		}
	}
	return nil
}

// allow is the Allow header of a 405 on the routed path: the methods the legacy host
// declared on the path; on the gateway's own paths, Echo's list.
func (rd *routed) allow() string {
	r := rd.route
	if r.mount == nil || rd.raw {
		return r.options
	}
	return strings.Join(r.methods, ", ")
}

// route matches req and rewrites its path to the template's spelling (so
// the handlers, the log and the error texts see one spelling).
func (t *router) route(req *http.Request, rd *routed) {
	*rd = routed{}
	path := req.URL.Path
	if r := t.own[path]; r != nil {
		rd.route, rd.ep = r, r.endpoint(req.Method)
		return
	}
	method := req.Method
	var buf [16]string
	segs := buf[:]
	if stem, f, ok := cutFormatSuffix(path); ok {
		if r, params := t.find(splitPathInto(segs[:0], stem), method, false); r != nil && slices.Contains(r.suffixes, f) {
			t.settle(rd, req, r, params, method, true)
			rd.suffix = f
			return
		}
	}
	if r, params := t.find(splitPathInto(segs[:0], path), method, false); r != nil {
		t.settle(rd, req, r, params, method, true)
		return
	}
	// A path with escapes that decode to a slash (%2F) or spell a
	// character unusually is matched as sent, spelling included (as Echo
	// matched it), its variables left escaped.
	if raw := req.URL.RawPath; raw != "" {
		if r, params := t.find(splitPathInto(segs[:0], raw), method, true); r != nil {
			t.settle(rd, req, r, params, method, false)
			rd.raw = true
		}
	}
}

func (t *router) settle(rd *routed, req *http.Request, r *route, params []pipeline.Param, method string, canon bool) {
	rd.route, rd.ep, rd.params = r, r.endpoint(method), params
	if !canon {
		return
	}
	if !r.spells(req.URL.Path, params) {
		req.URL.Path, req.URL.RawPath = r.canonical(params), ""
	}
}

// spells reports whether path is already spelled as r's canonical path.
func (r *route) spells(path string, params []pipeline.Param) bool {
	pos, i := 0, 0
	for _, s := range r.segs {
		if pos >= len(path) || path[pos] != '/' {
			return false
		}
		pos++
		if isVar(s) && i < len(params) {
			s = params[i].Value
			i++
		}
		if !strings.HasPrefix(path[pos:], s) {
			return false
		}
		pos += len(s)
	}
	return pos == len(path)
}

// canonical spells the path as the template does, with params in place
// of the variables.
func (r *route) canonical(params []pipeline.Param) string {
	n := 0
	for _, s := range r.segs {
		n += len(s) + 1
	}
	var b strings.Builder
	b.Grow(n + 16)
	i := 0
	for _, s := range r.segs {
		b.WriteByte('/')
		if isVar(s) && i < len(params) {
			b.WriteString(params[i].Value)
			i++
			continue
		}
		b.WriteString(s)
	}
	return b.String()
}

// find returns the route matching segs: static segments before variables
// at each level, and among routes matching the path, the first that
// takes method (else the first match, a 405). exact compares static
// segments byte for byte.
func (t *router) find(segs []string, method string, exact bool) (*route, []pipeline.Param) {
	f := finder{method: method, exact: exact}
	if f.walk(&t.root, segs) {
		return f.found, params(f.found, segs)
	}
	if f.first != nil {
		return f.first, params(f.first, segs)
	}
	return nil, nil
}

// finder is one search of the route tree.
type finder struct {
	method string
	exact  bool
	found  *route // the route that takes method
	first  *route // the first route matching the path
}

func (f *finder) walk(n *node, segs []string) bool {
	if len(segs) == 0 {
		if n.route == nil {
			return false
		}
		if n.route.endpoint(f.method) != nil {
			f.found = n.route
			return true
		}
		if f.first == nil {
			f.first = n.route
		}
		return false
	}
	sg := segs[0]
	for _, c := range n.static {
		if (c.seg == sg || !f.exact && strings.EqualFold(c.seg, sg)) && f.walk(c, segs[1:]) {
			return true
		}
	}
	return n.param != nil && f.walk(n.param, segs[1:])
}

// params are the variables of route r matched by the path's segs.
func params(r *route, segs []string) []pipeline.Param {
	var out []pipeline.Param
	for i, s := range r.segs {
		if isVar(s) {
			out = append(out, pipeline.Param{Name: s[1 : len(s)-1], Value: segs[i]})
		}
	}
	return out
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

// owner finds the mount a path belongs to: the matched route's, else the
// mount whose prefix and routes share the most leading segments with the
// path, else the fallback mount, if any.
func (t *router) owner(rd *routed, path string) (*Mount, pipeline.Style, bool) {
	if rd != nil && rd.route != nil && rd.route.mount != nil && !rd.raw {
		return rd.route.mount, rd.route.style, true
	}
	if len(t.mounts) == 0 {
		return nil, nil, false
	}
	segs := splitPath(path)
	best, bestScore := t.mounts[0], 0
	for _, m := range t.mounts {
		score := 0
		for _, r := range t.all {
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
			return nil, nil, false
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
func (t *router) setFallback(host string) error {
	if host == "" {
		return nil
	}
	for _, r := range t.mounts {
		if r.mount.Host.Name == host {
			t.fallback = r
			return nil
		}
	}
	return fmt.Errorf("routes: fallback host %q is not mounted", host)
}

// errNoMethod is a path matched by a route that does not take the
// request's method.
var errNoMethod = errors.New("routes: method not allowed")
