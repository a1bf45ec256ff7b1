package redisstore

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"
	"go.uber.org/zap"

	"legacygate/backend"
)

// Reservations selects the registration protocol (Options.Reservations).
type Reservations int

// The protocols.
const (
	// ReserveAuto reserves across slots on a *redis.ClusterClient and runs
	// one script on any other client.
	ReserveAuto Reservations = iota
	// ReserveAlways runs the cross-slot protocol on any client.
	ReserveAlways
	// ReserveNever runs the one-script protocol; on a Cluster it fails
	// with CROSSSLOT.
	ReserveNever
)

// DefaultReservationTTL is the lifetime of an index key reservation when
// Options.ReservationTTL is 0.
const DefaultReservationTTL = 30 * time.Second

// Modes of register.lua.
const (
	modeSingle = "single"
	modeCommit = "commit"
)

// Steps of the Cluster protocol, as named in the package documentation,
// the design note and the crash hook of the tests.
const (
	stepReserve = "reserve"
	stepHash    = "hash"
	stepCommit  = "commit"
	stepFinish  = "finish"
	stepClear   = "clear"
)

//go:embed index.lua
var indexSrc string

var indexScript = redis.NewScript(indexSrc)

// runScript runs script with EVALSHA, falling back to EVAL when the server
// does not know it (a restarted or failed-over node).
func (s *Store) runScript(ctx context.Context, script *redis.Script, keys []string, args ...any) (any, error) {
	return script.Run(ctx, s.client, keys, args...).Result()
}

// indexReply is one reply of index.lua.
type indexReply struct {
	status string // ok, done, taken, reserved
	expiry int64  // reserve ok: Redis TIME (ms) when the reservation ends
	holder string // taken, reserved: the other user's uuid
}

// index runs index.lua's step on every key in one pipeline: a Cluster
// client sends each node its share in parallel, so the step costs one round
// trip whatever the number of keys. The scripts are idempotent, so a
// pipeline that met NOSCRIPT is simply sent again with EVAL.
func (s *Store) index(ctx context.Context, step, id string, keys []string) ([]indexReply, error) {
	if s.waitN > 0 && step != "release" {
		return s.indexWaited(ctx, step, id, keys)
	}
	run := func(eval bool) ([]*redis.Cmd, error) {
		pipe := s.client.Pipeline()
		cmds := make([]*redis.Cmd, len(keys))
		for i, k := range keys {
			args := []any{step, id, s.ttl.Milliseconds()}
			if eval {
				cmds[i] = indexScript.Eval(ctx, pipe, []string{k}, args...)
			} else {
				cmds[i] = indexScript.EvalSha(ctx, pipe, []string{k}, args...)
			}
		}
		_, err := pipe.Exec(ctx)
		return cmds, err
	}
	cmds, err := run(false)
	if err != nil && redis.HasErrorPrefix(err, "NOSCRIPT") {
		cmds, err = run(true)
	}
	if err != nil {
		return nil, s.wrap("register: "+step, err)
	}
	vals := make([]any, len(cmds))
	for i, c := range cmds {
		vals[i] = c.Val()
	}
	return s.indexReplies(step, vals)
}

// indexReplies decodes index.lua's replies.
func (s *Store) indexReplies(step string, vals []any) ([]indexReply, error) {
	out := make([]indexReply, len(vals))
	for i, val := range vals {
		v, ok := val.([]any)
		if !ok || len(v) != 2 {
			return nil, s.unexpected("register: "+step, val)
		}
		st, _ := v[0].(string)
		out[i].status = st
		switch x := v[1].(type) {
		case int64:
			out[i].expiry = x
		case string:
			out[i].holder = x
		}
	}
	return out, nil
}

func (s *Store) indexKeys(realm, username, email string) []string {
	keys := []string{s.nameKey(realm, username)}
	if email != "" {
		keys = append(keys, s.emailKey(realm, email))
	}
	return keys
}

// crashed reports whether a test asked Register to stop after step.
func (s *Store) crashed(step string) bool { return s.crash != nil && s.crash(step) }

// errCrashed is what Register returns when the test hook stopped it.
var errCrashed = errors.New("redisstore: register: stopped by the test hook")

// registerReserved runs the cross-slot protocol (see the package
// documentation): reserve the index keys, hash, commit the user in the
// realm's slot, finish the index keys, clear the unindexed entry.
func (s *Store) registerReserved(ctx context.Context, cmd *backend.RegisterCommand, u backend.User) (int64, error) {
	keys := s.indexKeys(u.Realm, u.Username, u.Email)
	fields := []backend.Field{backend.FieldUsername, backend.FieldEmail}

	// 1. reserve. A taken name is refused here, before paying for the hash.
	// The username first, then the email, never both at once: were two
	// registrations of one user to reserve in parallel, each could win one
	// key and both would fail. In this order whoever holds the username
	// meets only registrations of other usernames at the email key.
	replies, err := s.reserveInOrder(ctx, u.UUID, keys)
	if err != nil {
		s.release(u.UUID, keys)
		return 0, err
	}
	fence := int64(0)
	for i, r := range replies {
		switch r.status {
		case "ok":
			// The commit must land well before the earliest reservation
			// ends: a third of the TTL is left for the finish step and for
			// clock skew between the nodes.
			if f := r.expiry - s.ttl.Milliseconds()/3; fence == 0 || f < fence {
				fence = f
			}
		case "taken", "reserved":
			s.release(u.UUID, keys)
			if r.status == "reserved" {
				s.settle(ctx, u.Realm, r.holder, keys[i])
			}
			return 0, s.conflict(cmd, fields[i])
		default: // "done" cannot happen for a fresh uuid
			s.release(u.UUID, keys)
			return 0, s.unexpected("register: reserve", r.status)
		}
	}
	if s.crashed(stepReserve) {
		return 0, errCrashed
	}

	// 2. hash, outside Redis; the reservations hold the names meanwhile.
	phc, err := s.hash(ctx, cmd)
	if err != nil {
		s.release(u.UUID, keys)
		return 0, err
	}
	if s.crashed(stepHash) {
		return 0, errCrashed
	}

	// 3. commit: the user, its id, code and event, atomically in the
	// realm's slot. From here on the registration has happened.
	rkeys, args, err := s.registerCall(u, phc, cmd.Activation, modeCommit, fence)
	if err != nil {
		s.release(u.UUID, keys)
		return 0, err
	}
	res, err := s.commit(ctx, rkeys, args...)
	if err != nil {
		// Unknown outcome: the reservations stay until they expire, and
		// if the commit did land the sweeper finishes them.
		return 0, s.wrap("register: commit", err)
	}
	id, ok := res.(int64)
	if !ok {
		if res == "late" {
			s.release(u.UUID, keys)
			return 0, fmt.Errorf("redisstore: register: %w: reservations too old to commit", backend.ErrUnavailable)
		}
		return 0, s.unexpected("register: commit", res)
	}
	if s.crashed(stepCommit) {
		return 0, errCrashed
	}

	// 4. finish and 5. clear: best effort. The user exists; a failure here
	// leaves work for readers and the sweeper, not an error for the caller.
	if err := s.finish(ctx, u.Realm, u.UUID, keys); errors.Is(err, errCrashed) {
		return 0, err
	} else if err != nil {
		s.log.Warn("redisstore: register: index keys left to the sweeper",
			zap.String("realm", u.Realm), zap.String("uuid", u.UUID), zap.Error(err))
	}
	return id, nil
}

// reserveInOrder reserves keys one after the other, stopping at the first
// that another user holds (its reply is the last one returned).
func (s *Store) reserveInOrder(ctx context.Context, id string, keys []string) ([]indexReply, error) {
	replies := make([]indexReply, 0, len(keys))
	for _, k := range keys {
		r, err := s.index(ctx, stepReserve, id, []string{k})
		if err != nil {
			return nil, err
		}
		replies = append(replies, r[0])
		if r[0].status != "ok" {
			break
		}
	}
	return replies, nil
}

// finish makes keys final for the committed user id and then drops it from
// the realm's unindexed set. A key held by another user means uniqueness
// was broken (a reservation expired before its commit was finished): it is
// logged and the entry kept for an operator.
func (s *Store) finish(ctx context.Context, realm, id string, keys []string) error {
	replies, err := s.index(ctx, stepFinish, id, keys)
	if err != nil {
		return err
	}
	for i, r := range replies {
		if r.status != "ok" {
			s.log.Error("redisstore: index key held by another user after commit",
				zap.String("realm", realm), zap.String("uuid", id), zap.String("key", keys[i]),
				zap.String("holder", r.holder))
			return fmt.Errorf("redisstore: finish: index key held by %s", r.holder)
		}
	}
	if s.crashed(stepFinish) {
		return errCrashed
	}
	if err := s.client.ZRem(ctx, s.unindexedKey(realm), id).Err(); err != nil {
		return s.wrap("register: clear", err)
	}
	return nil
}

// release drops reservations of a registration that will not commit. It
// runs on its own short deadline: the caller's may be what ended the
// registration. Failures are harmless: the reservations expire.
func (s *Store) release(id string, keys []string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if _, err := s.index(ctx, "release", id, keys); err != nil {
		s.log.Debug("redisstore: releasing reservations", zap.Error(err))
	}
}

// committed reports whether the user id exists in realm.
func (s *Store) committed(ctx context.Context, realm, id string) (bool, error) {
	if _, err := uuid.Parse(id); err != nil {
		return false, nil
	}
	n, err := s.client.Exists(ctx, s.userKey(realm, id)).Result()
	if err != nil {
		return false, s.wrap("settle", err)
	}
	return n == 1, nil
}

// settle finishes key for holder when holder's user is committed: a
// reservation that outlived its registrant's finish step is made final by
// whoever meets it first. Errors are left to the sweeper.
func (s *Store) settle(ctx context.Context, realm, holder, key string) bool {
	ok, err := s.committed(ctx, realm, holder)
	if err != nil || !ok {
		return false
	}
	_, _ = s.index(ctx, stepFinish, holder, []string{key})
	return true
}

// Sweep finishes registrations of realm that committed more than grace ago
// but whose index keys were not made final (their gateway crashed or lost
// Redis between the commit and finish steps). It returns how many it
// finished. Gateways run it periodically (see RunSweeper); it is idempotent
// and safe to run from several processes at once.
func (s *Store) Sweep(ctx context.Context, realm string, grace time.Duration) (int, error) {
	if err := checkRealm(realm); err != nil {
		return 0, err
	}
	key := s.unindexedKey(realm)
	now, err := s.client.Time(ctx).Result()
	if err != nil {
		return 0, s.wrap("sweep", err)
	}
	max := now.Add(-grace).UnixMilli()
	ids, err := s.client.ZRangeByScore(ctx, key, &redis.ZRangeBy{Min: "-inf", Max: fmt.Sprint(max), Count: 1000}).Result()
	if err != nil {
		return 0, s.wrap("sweep", err)
	}
	done := 0
	for _, id := range ids {
		vals, err := s.client.HMGet(ctx, s.userKey(realm, id), fUsername, fEmail).Result()
		if err != nil {
			return done, s.wrap("sweep", err)
		}
		name, _ := vals[0].(string)
		email, _ := vals[1].(string)
		if name == "" {
			// Not a user (cannot happen: the commit writes both): drop it.
			s.client.ZRem(ctx, key, id)
			continue
		}
		if err := s.finish(ctx, realm, id, s.indexKeys(realm, name, email)); err != nil {
			return done, err
		}
		done++
		s.log.Info("redisstore: sweep finished a registration", zap.String("realm", realm), zap.String("uuid", id))
	}
	return done, nil
}

// RunSweeper sweeps every realm this store has served (and those given)
// every interval until ctx ends. Only the cross-slot protocol leaves work
// for it; on a single node it returns at once.
func (s *Store) RunSweeper(ctx context.Context, interval time.Duration, realms ...string) {
	if !s.reserve {
		return
	}
	for _, r := range realms {
		s.realms.Store(r, struct{}{})
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		s.realms.Range(func(k, _ any) bool {
			n, err := s.Sweep(ctx, k.(string), interval)
			if n > 0 && s.onSwept != nil {
				s.onSwept(n)
			}
			if err != nil && ctx.Err() == nil {
				s.log.Warn("redisstore: sweep", zap.String("realm", k.(string)), zap.Error(err))
			}
			return ctx.Err() == nil
		})
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// resolveIndex reads an index key and returns the uuid of the user holding
// it, or "" when none does. A reservation is no user: it resolves to its
// holder only when that user is committed (and is then made final).
func (s *Store) resolveIndex(ctx context.Context, op, realm, key string) (string, error) {
	v, err := s.client.Get(ctx, key).Result()
	if errors.Is(err, redis.Nil) {
		return "", nil
	}
	if err != nil {
		return "", s.wrap(op, err)
	}
	holder, pending := strings.CutPrefix(v, "~")
	if !pending {
		return v, nil
	}
	if s.settle(ctx, realm, holder, key) {
		return holder, nil
	}
	return "", nil
}
