package routes

import (
	"net"
	"net/http"

	"github.com/labstack/echo/v4"
)

// ipExtractor finds the client's address. With no trusted proxies it is
// the connection's peer, whatever X-Forwarded-For or X-Real-IP say (a
// client could name any address). With trusted ranges, the headers count
// only when the peer is in one of them: X-Forwarded-For is walked from the
// right past trusted hops (Echo's ExtractIPFromXFFHeader), else X-Real-IP.
// Loopback, link-local and private ranges are not trusted unless listed.
func ipExtractor(trusted []*net.IPNet) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range trusted {
		opts = append(opts, echo.TrustIPRange(n))
	}
	xff, xri := echo.ExtractIPFromXFFHeader(opts...), echo.ExtractIPFromRealIPHeader(opts...)
	return func(r *http.Request) string {
		if r.Header.Get(echo.HeaderXForwardedFor) != "" {
			return xff(r)
		}
		return xri(r)
	}
}
