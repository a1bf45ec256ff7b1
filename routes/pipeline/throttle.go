package pipeline

import (
	"errors"
	"net"
	"net/http"
	"strconv"
	"time"

	"legacygate/backend"
	"legacygate/routes/contract"
)

// Rate is a per-client-address limit: Limit requests per Window. A zero
// Limit means no limit.
type Rate struct {
	Limit  int
	Window time.Duration
}

// Throttle limits sign-in and registration requests per client address,
// counted in a shared store so that the limit holds across gateways.
type Throttle struct {
	Limiter  backend.RateLimiter
	SignIn   Rate // authenticate operations
	Register Rate // register operations (their Basic sign-in included)
}

// throttle counts the request against its client's limit: the host's 429
// with Retry-After beyond it.
func (h *Handler) throttle(r *http.Request, m Match) *Problem {
	t := h.Throttle
	if t == nil || t.Limiter == nil {
		return nil
	}
	var rate Rate
	var scope string
	switch h.Op.Action {
	case contract.ActionAuthenticate:
		rate, scope = t.SignIn, "signin"
	case contract.ActionRegister:
		rate, scope = t.Register, "register"
	default:
		return nil
	}
	if rate.Limit <= 0 || rate.Window <= 0 {
		return nil
	}
	client := ClientAddr(r, m)
	wait, err := t.Limiter.Hit(r.Context(), h.Realm+":"+scope+":"+client, rate.Limit, rate.Window)
	if err != nil {
		return h.backendProblem(err)
	}
	if wait <= 0 {
		return nil
	}
	secs := int((wait + time.Second - 1) / time.Second)
	return &Problem{Kind: Throttled, Status: http.StatusTooManyRequests, RetryAfter: wait, Code: "TooManyRequests",
		Message: "Too many requests from this address. Retry after " + strconv.Itoa(secs) + " seconds.",
		Err:     errors.New("client over its " + scope + " limit")}
}

// ClientAddr is the request's client address: the one the router's Match
// carries (the server's IP extractor, trusted proxies only), else the
// connection's peer.
func ClientAddr(r *http.Request, m Match) string {
	if m.Client != "" {
		return m.Client
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
