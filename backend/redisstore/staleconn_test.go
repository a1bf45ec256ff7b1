package redisstore_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"legacygate/backend"
	"legacygate/backend/passhash"
	"legacygate/backend/redisstore"
	"legacygate/backend/redisstore/redistest"
	"legacygate/backend/redisstore/redisurl"
)

// TestStaleConnections: when the server closes the gateway's pooled
// connections (CLIENT KILL here; a Redis restart alike), the next
// registration succeeds, and exactly once. Connections that sat idle are
// found dead by go-redis's checkout check and dropped before use, however
// many there are (more than go-redis's three retries could absorb);
// connections that just answered skip that check (see
// redisurl.PeekAfterIdle) and fail their command with EOF, which go-redis
// retries on a fresh connection.
func TestStaleConnections(t *testing.T) {
	tests := []struct {
		name  string
		conns int  // connections opened per data node before the kill
		quiet bool // let them go quiet for redisurl.PeekAfterIdle
	}{
		{name: "idle connections", conns: 8, quiet: true},
		{name: "busy connection", conns: 1, quiet: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, prefix := redistest.Client(t) // the cleanup of prefix
			var b [6]byte
			_, _ = rand.Read(b[:])
			name := "lgstale" + hex.EncodeToString(b[:])
			url := redistest.URL()
			sep := "?"
			if strings.Contains(url, "?") {
				sep = "&"
			}
			client, err := redistest.NewClient(url + sep + "client_name=" + name)
			if err != nil {
				t.Fatal(err)
			}
			defer client.Close()
			pool := passhash.New(cheap, 2, 8)
			t.Cleanup(pool.Close)
			store := redisstore.New(client, redisstore.Options{Prefix: prefix, Hasher: pool})
			ctx := context.Background()

			if _, err := store.Register(ctx, backend.RegisterCommand{Realm: "shop", Username: "first", Password: "pw"}); err != nil {
				t.Fatal(err)
			}
			openConns(t, client, tt.conns)
			killed := killClients(t, name)
			t.Logf("killed %d", killed)
			if killed < tt.conns {
				t.Fatalf("killed %d connections, want at least %d", killed, tt.conns)
			}
			if tt.quiet {
				time.Sleep(redisurl.PeekAfterIdle + 100*time.Millisecond)
			}

			u, err := store.Register(ctx, backend.RegisterCommand{Realm: "shop", Username: "second", Password: "pw"})
			if err != nil {
				t.Fatalf("registration after the kill: %v", err)
			}
			if u.ID != 2 {
				t.Errorf("id %d, want 2", u.ID)
			}
			// Exactly once: the id sequence moved by one.
			third, err := store.Register(ctx, backend.RegisterCommand{Realm: "shop", Username: "third", Password: "pw"})
			if err != nil {
				t.Fatal(err)
			}
			if third.ID != 3 {
				t.Errorf("next id %d, want 3: the registration after the kill ran twice", third.ID)
			}
			if _, err := store.Register(ctx, backend.RegisterCommand{Realm: "shop", Username: "SECOND", Password: "pw"}); err == nil {
				t.Error("second registered again")
			}
		})
	}
}

// openConns makes c's pool hold n connections to every master: n blocking
// WAITs at once (WAIT for more replicas than exist returns after its
// timeout).
func openConns(t *testing.T, c redis.UniversalClient, n int) {
	t.Helper()
	ctx := context.Background()
	hold := func(ctx context.Context, node *redis.Client) error {
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for range n {
			wg.Go(func() {
				if err := node.Do(ctx, "WAIT", 10, 200).Err(); err != nil {
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		return <-errs
	}
	var err error
	switch c := c.(type) {
	case *redis.ClusterClient:
		err = c.ForEachMaster(ctx, hold)
	case *redis.Client:
		err = hold(ctx, c)
	default:
		t.Fatalf("client %T", c)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// killClients closes, on every data node, the connections of clients
// named name, and returns how many there were.
func killClients(t *testing.T, name string) int {
	t.Helper()
	ctx := context.Background()
	var addrs []string
	if srv := redistest.Active(); srv != nil {
		for _, n := range srv.Nodes {
			if n.Running() {
				addrs = append(addrs, n.Addr)
			}
		}
	} else {
		p, err := redisurl.Parse(redistest.URL())
		if err != nil || p.Kind != redisurl.Single {
			t.Skipf("cannot reach the nodes of %s", redistest.URL())
		}
		addrs = p.Addrs()
	}
	killed := 0
	for _, addr := range addrs {
		admin := redis.NewClient(&redis.Options{Addr: addr, Protocol: 2})
		list, err := admin.ClientList(ctx).Result()
		if err != nil {
			admin.Close()
			t.Fatal(err)
		}
		for line := range strings.SplitSeq(list, "\n") {
			if !strings.Contains(line, " name="+name+" ") {
				continue
			}
			id, _, _ := strings.Cut(strings.TrimPrefix(line, "id="), " ")
			if err := admin.Do(ctx, "CLIENT", "KILL", "ID", id).Err(); err != nil {
				admin.Close()
				t.Fatal(err)
			}
			killed++
		}
		admin.Close()
	}
	return killed
}
