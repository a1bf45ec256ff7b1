package redisstore

import (
	"context"
	"errors"
	"net"
	"os"

	"github.com/redis/go-redis/v9"
)

// unavailable reports whether err means Redis cannot serve us now (rather
// than a bug or a refused command): these errors wrap
// backend.ErrUnavailable, which routes answer with 503 and Retry-After.
func unavailable(err error) bool {
	if errors.Is(err, context.Canceled) {
		return false // the caller gave up; Redis may be fine
	}
	var rerr redis.Error
	if !errors.As(err, &rerr) {
		// Not a reply from Redis: dial, read or write failure, timeout,
		// deadline, exhausted pool, closed client.
		return true
	}
	return ErrorKind(err) != "other"
}

// ErrorKind names the kind of a Redis failure, for metrics and logs:
// "oom", "readonly", "loading", "clusterdown", "tryagain", "masterdown",
// "moved" (MOVED or ASK left over after the client's redirects), "busy",
// "maxclients", "noreplicas", "auth", "timeout", "network", or "other"
// (anything else, including nil). It accepts errors wrapped by this
// package.
func ErrorKind(err error) string {
	if err == nil {
		return "other"
	}
	var rerr redis.Error
	if !errors.As(err, &rerr) {
		var nerr net.Error
		switch {
		case errors.Is(err, context.Canceled):
			return "other"
		case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded),
			errors.Is(err, redis.ErrPoolTimeout), errors.As(err, &nerr) && nerr.Timeout():
			return "timeout"
		}
		return "network"
	}
	_, moved := redis.IsMovedError(rerr)
	_, ask := redis.IsAskError(rerr)
	switch {
	case redis.IsOOMError(rerr):
		return "oom"
	case redis.IsReadOnlyError(rerr):
		return "readonly"
	case redis.IsLoadingError(rerr):
		return "loading"
	case redis.IsClusterDownError(rerr):
		return "clusterdown"
	case redis.IsTryAgainError(rerr):
		return "tryagain"
	case redis.IsMasterDownError(rerr):
		return "masterdown"
	case moved || ask || redis.HasErrorPrefix(rerr, "MOVED") || redis.HasErrorPrefix(rerr, "ASK"):
		return "moved"
	case redis.IsMaxClientsError(rerr):
		return "maxclients"
	case redis.IsNoReplicasError(rerr):
		return "noreplicas"
	case redis.IsAuthError(rerr), redis.IsPermissionError(rerr):
		return "auth"
	case redis.HasErrorPrefix(rerr, "BUSY"):
		return "busy"
	}
	return "other"
}
