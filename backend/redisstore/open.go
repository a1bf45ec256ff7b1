package redisstore

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/redis/go-redis/v9"
	"go.uber.org/zap"

	"legacygate/backend"
)

// Open connects to the Redis named by url and returns a Store over it and a
// closer that releases everything Open started. url is one of:
//
//   - "" — an embedded, in-process Redis-protocol server (miniredis) on a
//     random loopback port that requires a random secret drawn at start,
//     reached through the same client code as a real one. Data lives in memory only and is lost on exit; a warning is
//     logged. For development and demos.
//   - "redis://[user:password@]host:port[/db][?options]", "rediss://…"
//     (TLS) or "unix:///path/to/socket" — a single node, as parsed by
//     [redis.ParseURL].
//   - "host:port[,host:port…]" — seed nodes of a Redis Cluster. A single node
//     that is not a cluster must be given as a redis:// URL instead.
//
// opt.Logger receives Open's own messages too.
// Open pings the server before returning; a failure closes what was opened
// and returns an error wrapping [backend.ErrUnavailable].
func Open(ctx context.Context, url string, opt Options) (*Store, func() error, error) {
	if opt.Logger == nil {
		opt.Logger = zap.NewNop()
	}
	log := opt.Logger
	if opt.Hasher == nil {
		return nil, nil, errors.New("redisstore: open: Options.Hasher is nil")
	}

	var (
		client redis.UniversalClient
		closer func() error
		fields []zap.Field
	)
	switch {
	case url == "":
		var err error
		if client, closer, fields, err = openEmbedded(); err != nil {
			return nil, nil, err
		}
	case strings.HasPrefix(url, "redis://") || strings.HasPrefix(url, "rediss://") || strings.HasPrefix(url, "unix://"):
		o, err := redis.ParseURL(url)
		if err != nil {
			// ParseURL errors may quote the URL, and with it a password.
			return nil, nil, errors.New("redisstore: open: invalid Redis URL")
		}
		c := redis.NewClient(o)
		client, closer = c, c.Close
		fields = []zap.Field{zap.String("mode", "single"), zap.String("addr", o.Addr),
			zap.Int("db", o.DB), zap.Bool("tls", o.TLSConfig != nil)}
	default:
		seeds, err := parseSeeds(url)
		if err != nil {
			return nil, nil, err
		}
		c := redis.NewClusterClient(&redis.ClusterOptions{Addrs: seeds})
		client, closer = c, c.Close
		fields = []zap.Field{zap.String("mode", "cluster"), zap.Strings("seeds", seeds)}
	}

	if err := client.Ping(ctx).Err(); err != nil {
		_ = closer()
		return nil, nil, fmt.Errorf("redisstore: open: ping: %w: %w", backend.ErrUnavailable, err)
	}
	if url == "" {
		log.Warn("redisstore: no Redis URL configured: using an embedded in-memory server; "+
			"users are lost on exit and not shared with other instances", fields...)
	} else {
		log.Info("redisstore: connected", fields...)
	}
	return New(client, opt), closer, nil
}

// parseSeeds splits "host:port,host:port" into addresses.
func parseSeeds(s string) ([]string, error) {
	var seeds []string
	for seed := range strings.SplitSeq(s, ",") {
		seed = strings.TrimSpace(seed)
		host, port, err := net.SplitHostPort(seed)
		if err != nil || host == "" || port == "" {
			// Not quoted: a mistyped URL may carry a password.
			return nil, fmt.Errorf("redisstore: open: Redis address: item %d is not host:port, and the whole is not a redis://, rediss:// or unix:// URL", len(seeds)+1)
		}
		seeds = append(seeds, seed)
	}
	return seeds, nil
}
