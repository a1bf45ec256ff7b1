package diff

import (
	"mime"
	"net/textproto"
	"net/url"
	"slices"
	"sort"
	"strings"
)

// SelectedHeaders are the response headers a client acts on: the ones a
// recording keeps and shadow mode compares.
var SelectedHeaders = []string{"Content-Type", "Location", "Set-Cookie", "Vary", "Www-Authenticate"}

func first(h map[string][]string, k string) string {
	if v := h[textproto.CanonicalMIMEHeaderKey(k)]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// headers compares every header the expected response lists.
func (c *cmp) headers(exp, act map[string][]string) {
	keys := make([]string, 0, len(exp))
	for k := range exp {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		ck := textproto.CanonicalMIMEHeaderKey(k)
		ev, av := exp[k], act[ck]
		path := "header:" + ck
		if len(av) == 0 && !(len(ev) == 1 && ev[0] == "") {
			c.add(Missing, path, quote(strings.Join(ev, ", ")), "")
			continue
		}
		switch ck {
		case "Content-Type":
			if !sameContentType(ev[0], av[0]) {
				c.add(Header, path, quote(ev[0]), quote(av[0]))
			}
		case "Location":
			if !c.match(locationKey(ev[0], av[0])) {
				c.add(Header, path, quote(ev[0]), quote(av[0]))
			}
		case "Vary":
			if e, a := tokenSet(ev), tokenSet(av); e != a {
				c.add(Header, path, quote(e), quote(a))
			}
		case "Set-Cookie":
			c.cookies(path, ev, av)
		default:
			e, a := strings.Join(ev, ", "), strings.Join(av, ", ")
			if !c.match(e, a) {
				c.add(Header, path, quote(e), quote(a))
			}
		}
	}
}

func sameContentType(e, a string) bool {
	et, ep, err1 := mime.ParseMediaType(e)
	at, ap, err2 := mime.ParseMediaType(a)
	if err1 != nil || err2 != nil {
		return strings.EqualFold(strings.TrimSpace(e), strings.TrimSpace(a))
	}
	if et != at || len(ep) != len(ap) {
		return false
	}
	for k, v := range ep {
		w, ok := ap[k]
		if !ok || (k == "charset" && !strings.EqualFold(v, w)) || (k != "charset" && !matchText(v, w)) {
			return false
		}
	}
	return true
}

// locationKey compares absolute locations by path and query: scheme and
// host name a deployment, not the contract.
func locationKey(e, a string) (string, string) {
	eu, err1 := url.Parse(e)
	au, err2 := url.Parse(a)
	if err1 != nil || err2 != nil || !eu.IsAbs() || !au.IsAbs() {
		return e, a
	}
	return eu.RequestURI(), au.RequestURI()
}

func tokenSet(vs []string) string {
	var out []string
	for _, v := range vs {
		for _, t := range strings.Split(v, ",") {
			if t = strings.ToLower(strings.TrimSpace(t)); t != "" && !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// cookie is a Set-Cookie line: its name and attributes (names lowercased;
// Expires and Max-Age by presence only, since they move with the clock).
type cookie struct {
	name  string
	attrs []string
}

func parseCookie(line string) cookie {
	parts := strings.Split(line, ";")
	name, _, _ := strings.Cut(strings.TrimSpace(parts[0]), "=")
	ck := cookie{name: name}
	for _, p := range parts[1:] {
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		k = strings.ToLower(k)
		switch k {
		case "":
			continue
		case "expires", "max-age":
			v = ""
		case "samesite", "domain":
			v = strings.ToLower(v)
		}
		if v != "" {
			k += "=" + v
		}
		ck.attrs = append(ck.attrs, k)
	}
	sort.Strings(ck.attrs)
	return ck
}

func (c *cmp) cookies(path string, ev, av []string) {
	actual := map[string]cookie{}
	var order []string
	for _, l := range av {
		ck := parseCookie(l)
		actual[ck.name] = ck
		order = append(order, ck.name)
	}
	seen := map[string]bool{}
	for _, l := range ev {
		e := parseCookie(l)
		seen[e.name] = true
		p := path + ":" + e.name
		a, ok := actual[e.name]
		switch {
		case !ok:
			c.add(Missing, p, quote(strings.Join(append([]string{e.name}, e.attrs...), "; ")), "") // never a cookie's value
		case strings.Join(e.attrs, "; ") != strings.Join(a.attrs, "; "):
			c.add(Header, p, quote(strings.Join(e.attrs, "; ")), quote(strings.Join(a.attrs, "; ")))
		}
	}
	for _, n := range order {
		if !seen[n] {
			seen[n] = true
			c.add(Extra, path+":"+n, "", quote(n))
		}
	}
}
