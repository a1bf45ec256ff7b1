package redisstore_test

import (
	"context"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"legacygate/backend"
	"legacygate/backend/passhash"
	"legacygate/backend/redisstore"
)

// TestEmbeddedRequiresSecret: another local process that finds the
// embedded server's port can neither read a user nor give itself a role;
// the store itself works.
func TestEmbeddedRequiresSecret(t *testing.T) {
	pool := passhash.New(cheap, 1, 8)
	t.Cleanup(pool.Close)
	ctx := context.Background()
	store, closeStore, err := redisstore.Open(ctx, "", redisstore.Options{Prefix: "lg:", Hasher: pool})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = closeStore() }()
	u, err := store.Register(ctx, backend.RegisterCommand{Realm: "shop", Username: "ann", Password: "pw"})
	if err != nil {
		t.Fatal(err)
	}
	addr := store.Client().(*redis.Client).Options().Addr
	intruder := redis.NewClient(&redis.Options{Addr: addr})
	defer intruder.Close()
	for _, cmd := range []redis.Cmder{
		intruder.Keys(ctx, "*"),
		intruder.HSet(ctx, "lg:{shop}:user:"+u.UUID, "roles", `["Admin"]`),
		intruder.Do(ctx, "AUTH", "guess"),
	} {
		if err := cmd.Err(); err == nil || !(strings.Contains(err.Error(), "NOAUTH") || strings.Contains(err.Error(), "WRONGPASS") || strings.Contains(err.Error(), "invalid password")) {
			t.Fatalf("%v without the secret: %v", cmd.Args(), err)
		}
	}
	got, err := store.Get(ctx, "shop", u.UUID)
	if err != nil || len(got.Roles) != 0 {
		t.Fatalf("user after the intrusion: %+v %v", got, err)
	}
}
