package redisstore

import (
	"context"
	"errors"
	"io"
	"sync"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"
	"go.uber.org/zap"
)

// DefaultWaitTimeout bounds the WAIT after a commit when
// Options.WaitTimeout is 0.
const DefaultWaitTimeout = 100 * time.Millisecond

// commit runs register.lua with keys and args and, when the store waits
// for replicas, WAIT on the same connection in the same round trip, so that
// a registration is acknowledged only once a replica holds it: a master
// killed right after the reply then loses no acknowledged user when its
// replica takes over. WAIT reaching fewer replicas within the timeout (a
// master without a synced replica, as right after a failover) does not
// fail the registration: there is no replica that could take over without
// it; it is logged.
func (s *Store) commit(ctx context.Context, keys []string, args ...any) (any, error) {
	if s.waitN <= 0 {
		return s.runScript(ctx, registerScript, keys, args...)
	}
	return s.runWaited(ctx, registerScript, keys, args...)
}

func isRedirect(err error) bool {
	_, moved := redis.IsMovedError(err)
	_, ask := redis.IsAskError(err)
	return moved || ask || redis.HasErrorPrefix(err, "MOVED") || redis.HasErrorPrefix(err, "ASK")
}

// nodeRetries is how many times runWaited runs again, on a Cluster, a
// pipeline whose connection the server had closed. go-redis gives the node
// clients of a Cluster no retries of their own (go-redis v9.23.0,
// osscluster.go: ClusterOptions.MaxRetries defaults to -1, the cluster
// client retrying its own commands), so a pooled connection closed by the
// server (a restart, CLIENT KILL) would fail the registration; the pool has
// dropped that connection, and the scripts are idempotent. Three, as
// go-redis's default MaxRetries of a single-node client.
const nodeRetries = 3

// brokenConn reports whether err says the server closed the connection.
func brokenConn(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// runAndWait pipelines script and WAIT on one connection of node.
func (s *Store) runAndWait(ctx context.Context, node redis.Cmdable, script *redis.Script, eval bool, keys []string, args []any) (any, int64, error) {
	pipe := node.Pipeline()
	var run *redis.Cmd
	if eval {
		run = script.Eval(ctx, pipe, keys, args...)
	} else {
		run = script.EvalSha(ctx, pipe, keys, args...)
	}
	wait := pipe.Do(ctx, "WAIT", s.waitN, s.waitT.Milliseconds())
	_, _ = pipe.Exec(ctx)
	if err := run.Err(); err != nil {
		return nil, 0, err
	}
	acked, _ := wait.Int64() // a failed WAIT: the write stands, unconfirmed
	return run.Val(), acked, nil
}

// indexWaited runs index.lua's step on each key with WAIT on the same
// connection, the keys' nodes in parallel: a reservation or a final index
// key a master acknowledged is then on a replica too, so a failover cannot
// hand the name to a second registration.
func (s *Store) indexWaited(ctx context.Context, step, id string, keys []string) ([]indexReply, error) {
	vals := make([]any, len(keys))
	errs := make([]error, len(keys))
	var wg sync.WaitGroup
	for i, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			vals[i], errs[i] = s.runWaited(ctx, indexScript, []string{k}, step, id, s.ttl.Milliseconds())
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, s.wrap("register: "+step, err)
	}
	return s.indexReplies(step, vals)
}

// runWaited runs script on the master of keys[0] followed by WAIT on the
// same connection (see commit), falling back to the plain client on a
// redirect. It logs a WAIT that reached fewer replicas than asked.
func (s *Store) runWaited(ctx context.Context, script *redis.Script, keys []string, args ...any) (any, error) {
	var node redis.Cmdable = s.client
	retries := 0 // the failover and single clients retry a pipeline themselves
	if cc, ok := s.client.(*redis.ClusterClient); ok {
		// WAIT has no key: send it, with the script, to the master of the
		// script's slot on one connection. MOVED, ASK or a failed lookup
		// fall back to the cluster client, which follows them (the scripts
		// are idempotent), without the wait.
		m, err := cc.MasterForKey(ctx, keys[0])
		if err != nil {
			return script.Run(ctx, s.client, keys, args...).Result()
		}
		node = m
		retries = nodeRetries
	}
	res, acked, err := s.runAndWait(ctx, node, script, false, keys, args)
	for i := 0; err != nil && i < retries && brokenConn(err); i++ {
		res, acked, err = s.runAndWait(ctx, node, script, false, keys, args)
	}
	if err != nil && redis.HasErrorPrefix(err, "NOSCRIPT") {
		res, acked, err = s.runAndWait(ctx, node, script, true, keys, args)
	}
	if err != nil {
		if isRedirect(err) {
			return script.Run(ctx, s.client, keys, args...).Result()
		}
		return nil, err
	}
	if acked < int64(s.waitN) {
		s.log.Warn("redisstore: write acknowledged by fewer replicas than asked",
			zap.String("key", keys[0]), zap.Int64("replicas", acked), zap.Int("want", s.waitN), zap.Duration("timeout", s.waitT))
	}
	return res, nil
}
