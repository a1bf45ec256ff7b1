package diff

import (
	"net/url"
	"strings"
)

// parseForm splits a urlencoded body into ordered pairs.
func parseForm(s string) (keys, values []string) {
	for _, kv := range strings.Split(s, "&") {
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		if u, err := url.QueryUnescape(k); err == nil {
			k = u
		}
		if u, err := url.QueryUnescape(v); err == nil {
			v = u
		}
		keys, values = append(keys, k), append(values, v)
	}
	return keys, values
}

func (c *cmp) formBody(exp, act string) {
	ek, ev := parseForm(exp)
	ak, av := parseForm(act)
	pairs, missing, extra := pair(ek, ak)
	for _, i := range missing {
		c.add(Missing, memberPath("$", ek[i]), quote(ev[i]), "")
	}
	for _, j := range extra {
		c.add(Extra, memberPath("$", ak[j]), "", quote(av[j]))
	}
	if !inOrder(pairs) {
		c.add(Order, "$", orderOf(ek, pairs, true), orderOf(ak, pairs, false))
	}
	for _, p := range pairs {
		if !c.match(ev[p[0]], av[p[1]]) {
			c.add(Value, memberPath("$", ek[p[0]]), quote(ev[p[0]]), quote(av[p[1]]))
		}
	}
}
