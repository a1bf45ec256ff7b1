// Package cors answers cross-origin requests from browsers for one host:
// the preflight (OPTIONS with Access-Control-Request-Method) and the
// Access-Control-* headers of the actual response, as the Fetch standard
// describes them (https://fetch.spec.whatwg.org/#http-cors-protocol). The
// legacy hosts had it as an opt-in too (ASP.NET Web API's EnableCors,
// ServiceStack's CorsFeature); nothing is allowed unless configured.
package cors

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Policy is one host's cross-origin policy.
type Policy struct {
	// AllowedOrigins are exact origins ("https://app.example.com", scheme,
	// host and port as a browser sends them), or "*" for any origin.
	AllowedOrigins []string
	// AllowedMethods limits the methods a preflight allows; empty allows
	// the methods the route serves.
	AllowedMethods []string
	// AllowedHeaders are request headers a preflight allows (matched
	// without case); empty means DefaultHeaders, "*" any header.
	AllowedHeaders []string
	// ExposedHeaders are response headers scripts may read beyond the
	// CORS-safelisted ones; X-Request-Id always is.
	ExposedHeaders []string
	// AllowCredentials lets scripts send cookies and Authorization
	// (fetch's credentials: "include"); it needs exact origins.
	AllowCredentials bool
	// MaxAge is how long a browser may cache a preflight; 0 sends none.
	MaxAge time.Duration
}

// DefaultHeaders are the request headers allowed when AllowedHeaders is
// empty: what the legacy clients send.
var DefaultHeaders = []string{"Accept", "Authorization", "Content-Type", "X-Request-Id"}

// Validate reports a policy a browser would refuse or that is a mistake.
func (p *Policy) Validate() error {
	if len(p.AllowedOrigins) == 0 {
		return fmt.Errorf("allowed_origins is empty")
	}
	for _, o := range p.AllowedOrigins {
		if o == "*" {
			if p.AllowCredentials {
				return fmt.Errorf(`allowed_origins "*" with allow_credentials: browsers refuse credentials for any origin; list the origins`)
			}
			continue
		}
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" || u.RawQuery != "" || u.User != nil {
			return fmt.Errorf("allowed_origins: %q is not an origin such as https://app.example.com (scheme, host and port only)", o)
		}
	}
	for _, m := range p.AllowedMethods {
		if m == "" || strings.ToUpper(m) != m || strings.ContainsAny(m, " \t,") {
			return fmt.Errorf("allowed_methods: %q is not an upper-case method such as POST", m)
		}
	}
	if p.MaxAge < 0 {
		return fmt.Errorf("max_age is negative")
	}
	return nil
}

// IsPreflight reports a CORS preflight request.
func IsPreflight(r *http.Request) bool {
	return r.Method == http.MethodOptions && r.Header.Get("Origin") != "" && r.Header.Get("Access-Control-Request-Method") != ""
}

func (p *Policy) originAllowed(o string) bool {
	for _, a := range p.AllowedOrigins {
		if a == "*" || a == o {
			return true
		}
	}
	return false
}

// setOrigin writes the origin headers.
func (p *Policy) setOrigin(h http.Header, origin string) {
	if slices.Contains(p.AllowedOrigins, "*") && !p.AllowCredentials {
		h.Set("Access-Control-Allow-Origin", "*")
	} else {
		h.Set("Access-Control-Allow-Origin", origin)
	}
	if p.AllowCredentials {
		h.Set("Access-Control-Allow-Credentials", "true")
	}
}

// Actual adds the headers of a cross-origin response when origin is
// allowed, and reports whether it is. A refused origin gets no CORS
// headers: the browser then hides the response from the script.
func (p *Policy) Actual(h http.Header, origin string) bool {
	h.Add("Vary", "Origin")
	if !p.originAllowed(origin) {
		return false
	}
	p.setOrigin(h, origin)
	h.Set("Access-Control-Expose-Headers", strings.Join(append([]string{"X-Request-Id"}, p.ExposedHeaders...), ", "))
	return true
}

// Preflight answers a preflight for a route serving routeMethods ("*":
// any). Allowed: 204 with the Access-Control-Allow-* headers. Refused
// (origin, method or a header): 403 without them, and the reason.
func (p *Policy) Preflight(w http.ResponseWriter, r *http.Request, routeMethods []string) (ok bool, reason string) {
	h := w.Header()
	origin := r.Header.Get("Origin")
	method := r.Header.Get("Access-Control-Request-Method")
	headers := splitList(r.Header.Get("Access-Control-Request-Headers"))
	h.Add("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers")
	switch {
	case !p.originAllowed(origin):
		reason = "origin " + origin + " is not allowed"
	case !p.methodAllowed(method, routeMethods):
		reason = "method " + method + " is not allowed"
	default:
		for _, hd := range headers {
			if !p.headerAllowed(hd) {
				reason = "header " + hd + " is not allowed"
				break
			}
		}
	}
	if reason != "" {
		h.Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte("CORS preflight refused\n"))
		return false, reason
	}
	p.setOrigin(h, origin)
	h.Set("Access-Control-Allow-Methods", method)
	if len(headers) > 0 {
		h.Set("Access-Control-Allow-Headers", strings.Join(headers, ", "))
	}
	if p.MaxAge > 0 {
		h.Set("Access-Control-Max-Age", strconv.Itoa(int(p.MaxAge/time.Second)))
	}
	h.Set("Content-Length", "0")
	w.WriteHeader(http.StatusNoContent)
	return true, ""
}

func (p *Policy) methodAllowed(m string, route []string) bool {
	if len(p.AllowedMethods) > 0 && !slices.Contains(p.AllowedMethods, m) {
		return false
	}
	return slices.Contains(route, "*") || slices.Contains(route, m) || (m == http.MethodHead && slices.Contains(route, http.MethodGet))
}

func (p *Policy) headerAllowed(name string) bool {
	allowed := p.AllowedHeaders
	if len(allowed) == 0 {
		allowed = DefaultHeaders
	}
	for _, a := range allowed {
		if a == "*" || strings.EqualFold(a, name) {
			return true
		}
	}
	return false
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
