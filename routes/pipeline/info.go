package pipeline

import (
	"context"

	"legacygate/backend"
)

// Info is what the request log line says about a request beyond method,
// path and status. The access-log middleware creates it; the pipeline fills
// it in from the Match and the outcome. It is a log record: the route a step
// depends on is the Match (the client address the throttle keys on
// included), a redirect is the handler's Result; nothing reads it back.
type Info struct {
	RequestID   string
	Host        string
	Op          string
	Format      string
	Negotiation string
	// User is the user the request acted on or as: the caller of an
	// operation that required sign-in, the account a registration created,
	// a sign-in opened or an activation activated. The log line carries its
	// id and uuid, never its name or email. UserEvent says what happened
	// to it ("registered", "activated", "signed_in"), when anything did.
	User      *backend.User
	UserEvent string
	// Client is the client's address (X-Forwarded-For or X-Real-IP only
	// from a trusted proxy).
	Client string
	Err    error
}

type infoKey struct{}

// WithInfo returns a context carrying info.
func WithInfo(ctx context.Context, info *Info) context.Context {
	return context.WithValue(ctx, infoKey{}, info)
}

// InfoContext is a context carrying an Info, allocated together with it:
// a server embeds it in its per-request state instead of calling WithInfo
// (one allocation instead of two).
type InfoContext struct {
	context.Context
	Info Info
}

// Value returns &c.Info for InfoFrom, else the parent's value.
func (c *InfoContext) Value(key any) any {
	if _, ok := key.(infoKey); ok {
		return &c.Info
	}
	return c.Context.Value(key)
}

// InfoFrom returns the request's Info; a throwaway one when there is none.
func InfoFrom(ctx context.Context) *Info {
	if i, ok := ctx.Value(infoKey{}).(*Info); ok {
		return i
	}
	return &Info{}
}
