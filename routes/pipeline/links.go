package pipeline

import (
	"fmt"
	"net/url"
	"strings"

	"legacygate/codecs"
	"legacygate/routes/contract"
	"legacygate/routes/pipeline/mapping"
	"legacygate/routes/pipeline/validate"
)

// Origins is the list of origins ("https://app.example", scheme, host and
// port) that URLs taken from requests may point to when they end up in an
// email or a Location header. Empty allows none.
type Origins []string

// ParseOrigins normalises configured origins; each must be an absolute
// http(s) URL without a path beyond "/".
func ParseOrigins(list []string) (Origins, error) {
	out := make(Origins, 0, len(list))
	for _, s := range list {
		o, ok := OriginOf(s)
		if !ok {
			return nil, fmt.Errorf("%q is not an origin (scheme://host[:port])", s)
		}
		if u, _ := url.Parse(s); u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.Fragment != "" {
			return nil, fmt.Errorf("%q is not an origin: it has a path, query or fragment", s)
		}
		out = append(out, o)
	}
	return out, nil
}

// OriginOf returns the normalised origin of an absolute http(s) URL with a
// host and no user information.
func OriginOf(s string) (string, bool) {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.User != nil || u.Opaque != "" {
		return "", false
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return "", false
	}
	host, port := strings.ToLower(u.Hostname()), u.Port()
	if (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		port = ""
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	return scheme + "://" + host, true
}

// Allows reports whether s is an absolute http(s) URL on one of the
// origins.
func (o Origins) Allows(s string) bool {
	got, ok := OriginOf(s)
	if !ok || strings.ContainsAny(s, "\r\n\\") {
		return false
	}
	for _, a := range o {
		if a == got {
			return true
		}
	}
	return false
}

// checkLinks refuses a registration whose URLs would reach the activation
// email (the link template's request members) or a later Location header
// (the callback URL) unless they point to an allowed origin: the gateway
// must not mail or redirect to whatever a caller names. The refusal is a
// validation failure of the member, in the host's 400; nothing is written.
func (h *Handler) checkLinks(in *Input, bound codecs.Value) *Problem {
	a := h.Op.Activation
	if a == nil {
		return nil
	}
	members := a.URLMembers()
	if rd := h.Op.Redirect; rd != nil {
		members = append(members, rd.URL)
	}
	for _, m := range members {
		v, ok := bound.Get(m)
		if !ok || v.Kind == codecs.Null {
			continue
		}
		s := mapping.Text(v)
		if s == "" || h.Origins.Allows(s) {
			continue
		}
		msg := "The " + m + " must be an absolute URL on an allowed origin"
		if len(h.Origins) > 0 {
			msg += " (" + strings.Join(h.Origins, ", ") + ")"
		}
		msg += "."
		f := validate.Failure{Path: m, Member: h.Op.Request.Member(m), Rule: contract.Rule{Code: "LinkNotAllowed", Message: msg}, Message: msg}
		p := h.Style.Invalid(h.Op, in, nil, []validate.Failure{f})
		p.Err = fmt.Errorf("link in %s refused: origin not allowed", m)
		return p
	}
	return nil
}
