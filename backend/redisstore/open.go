package redisstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
	"go.uber.org/zap"

	"legacygate/backend"
	"legacygate/backend/redisstore/redisurl"
)

// Open connects to the Redis named by url and returns a Store over it and a
// closer that releases everything Open started. url is one of:
//
//   - "" — an embedded, in-process Redis-protocol server (miniredis) on a
//     random loopback port that requires a random secret drawn at start,
//     reached through the same client code as a real one. Data lives in
//     memory only and is lost on exit; a warning is logged. For development and demos.
//   - any form of package [redisurl]: a single node (redis://, rediss://,
//     unix://), a Redis Cluster (redis+cluster://, rediss+cluster://, or
//     bare "host:port,host:port" seeds) or a Sentinel-managed master
//     (redis+sentinel://, rediss+sentinel://), with go-redis's options.
//
// opt.Logger receives Open's own messages too.
// Open pings the server before returning; a failure closes what was opened
// and returns an error wrapping [backend.ErrUnavailable]. On a Cluster it
// also starts the sweeper (see [Store.RunSweeper]) until the closer runs.
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
	if url == "" {
		var err error
		if client, closer, fields, err = openEmbedded(); err != nil {
			return nil, nil, err
		}
	} else {
		p, err := redisurl.Parse(url)
		if err != nil {
			return nil, nil, fmt.Errorf("redisstore: open: %w", err)
		}
		client = redisurl.NewClient(p)
		if p.Kind == redisurl.Sentinel && opt.WaitReplicas == 0 {
			opt.WaitReplicas = 1 // a Sentinel set exists to fail over: wait for the replica
		}
		closer = client.Close
		fields = []zap.Field{zap.String("mode", string(p.Kind)), zap.Strings("addrs", p.Addrs()), zap.Bool("tls", p.TLS())}
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
	store := New(client, opt)
	if store.reserve {
		sctx, stop := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); store.RunSweeper(sctx, SweepInterval, opt.Realms...) }()
		inner := closer
		closer = func() error { stop(); <-done; return inner() }
	}
	return store, closer, nil
}

// SweepInterval is how often Open's sweeper looks for registrations left
// half-finished by a crash.
const SweepInterval = 2 * time.Second
