package pipeline

import (
	"context"
)

// Info is what the request log line says about a request beyond method,
// path and status. The access-log middleware creates it; the pipeline fills
// it in.
type Info struct {
	RequestID   string
	Host        string
	Op          string
	Format      string
	Negotiation string
	Err         error
}

type infoKey struct{}

// WithInfo returns a context carrying info.
func WithInfo(ctx context.Context, info *Info) context.Context {
	return context.WithValue(ctx, infoKey{}, info)
}

// InfoFrom returns the request's Info; a throwaway one when there is none.
func InfoFrom(ctx context.Context) *Info {
	if i, ok := ctx.Value(infoKey{}).(*Info); ok {
		return i
	}
	return &Info{}
}
