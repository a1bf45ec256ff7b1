package redisstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"
)

// Key-layout migration. Until issue 16 every key of a realm carried the
// realm's hash tag, the username and email index keys included:
//
//	<prefix>{<realm>}:name:<USERNAME>    string  "<uuid>"
//	<prefix>{<realm>}:email:<EMAIL>      string  "<uuid>"
//
// Since then they carry a tag of their own (see the package documentation):
// <prefix>name:{<realm>:<USERNAME>} and <prefix>email:{<realm>:<EMAIL>}.
// Everything else (sequence, user hashes, sessions, API keys, activation
// codes, the outbox) kept its key and value, so a store written by an older
// gateway needs only its index keys moved; until they are, its users cannot
// sign in and their names look free. Migrate moves them.

// IndexKind names an index: "username" or "email".
type IndexKind string

// Index kinds.
const (
	IndexUsername IndexKind = "username"
	IndexEmail    IndexKind = "email"
)

// MigrationConflict is an old-layout index key whose new key names another
// user: a registration through a newer gateway took the name before the
// migration ran. Migrate leaves both keys as they are.
type MigrationConflict struct {
	Realm string
	Kind  IndexKind
	// Name is the normalised username or email.
	Name string
	// Old is the uuid the old key names; New the value of the new key
	// ("~<uuid>" for a reservation in progress).
	Old, New string
}

// RealmCounts are one realm's keys as Migrate found them.
type RealmCounts struct {
	// Users, Sessions, APIKeys and ActivationCodes count the keys whose
	// layout did not change (sessions and codes that have not expired).
	Users, Sessions, APIKeys, ActivationCodes int
	// Old counts old-layout index keys by kind; Moved those moved (or, in
	// a dry run, that would be); Done those whose new key already named
	// the same user (the old key is removed, or would be); Dangling those
	// naming no user hash (left alone: the old layout wrote both at once,
	// so one is damage to look at, not to carry over).
	Old, Moved, Done, Dangling map[IndexKind]int
}

// MigrationReport is what Migrate found and did.
type MigrationReport struct {
	// Applied is false for a dry run, which writes nothing.
	Applied bool
	// Realms by name.
	Realms    map[string]*RealmCounts
	Conflicts []MigrationConflict
}

// Pending is the number of old-layout index keys left after the run (all
// of them in a dry run): conflicts and dangling keys, and in a dry run the
// keys to move.
func (r *MigrationReport) Pending() int {
	n := 0
	for _, c := range r.Realms {
		for _, k := range []IndexKind{IndexUsername, IndexEmail} {
			n += c.Old[k]
			if r.Applied {
				n -= c.Moved[k] + c.Done[k]
			}
		}
	}
	return n
}

func (r *MigrationReport) realm(name string) *RealmCounts {
	c := r.Realms[name]
	if c == nil {
		c = &RealmCounts{Old: map[IndexKind]int{}, Moved: map[IndexKind]int{}, Done: map[IndexKind]int{}, Dangling: map[IndexKind]int{}}
		r.Realms[name] = c
	}
	return c
}

// Migrate finds every key under the store's prefix (on every master of a
// Cluster) and, when apply is set, moves each old-layout index key to its
// new key: it sets the new key to the same uuid only if it is absent (SET
// NX), then deletes the old key once the new one names that user. Without
// apply it writes nothing and reports what it would do.
//
// It is idempotent and safe to rerun or to interrupt: a key is deleted only
// after its copy is in place, and a rerun finds only what is left. Each
// step touches one key, so it works across a Cluster's slots. Old-layout
// gateways must be stopped first (a name one registers after the scan is
// left for the next run); newer gateways may keep serving: a name one of
// them registered meanwhile is reported as a conflict and left alone.
func (s *Store) Migrate(ctx context.Context, apply bool) (*MigrationReport, error) {
	rep := &MigrationReport{Applied: apply, Realms: map[string]*RealmCounts{}}
	var old []oldIndexKey
	err := s.scan(ctx, scanPattern(s.prefix)+"{*}:*", func(key string) {
		realm, rest, ok := s.splitRealmKey(key)
		if !ok {
			return
		}
		c := rep.realm(realm)
		kind, name, _ := strings.Cut(rest, ":")
		switch kind {
		case "user":
			c.Users++
		case "session":
			c.Sessions++
		case "apikey":
			c.APIKeys++
		case "activation":
			c.ActivationCodes++
		case "name":
			c.Old[IndexUsername]++
			old = append(old, oldIndexKey{key: key, realm: realm, kind: IndexUsername, name: name})
		case "email":
			c.Old[IndexEmail]++
			old = append(old, oldIndexKey{key: key, realm: realm, kind: IndexEmail, name: name})
		}
	})
	if err != nil {
		return rep, s.wrap("migrate: scan", err)
	}
	slices.SortFunc(old, func(a, b oldIndexKey) int { return strings.Compare(a.key, b.key) })
	for _, k := range old {
		if err := s.migrateKey(ctx, rep, k, apply); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

type oldIndexKey struct {
	key, realm string
	kind       IndexKind
	name       string // normalised, as in the key
}

// newIndexKey is the new layout's key for a normalised name: nameKey and
// emailKey without normalising again.
func (s *Store) newIndexKey(k oldIndexKey) string {
	tag := "name:{"
	if k.kind == IndexEmail {
		tag = "email:{"
	}
	return s.prefix + tag + k.realm + ":" + k.name + "}"
}

func (s *Store) migrateKey(ctx context.Context, rep *MigrationReport, k oldIndexKey, apply bool) error {
	c := rep.realm(k.realm)
	id, err := s.client.Get(ctx, k.key).Result()
	if errors.Is(err, redis.Nil) {
		c.Old[k.kind]-- // gone since the scan (another run)
		return nil
	}
	if err != nil {
		return s.wrap("migrate", err)
	}
	parsed, perr := uuid.Parse(id)
	exists := int64(0)
	if perr == nil {
		id = parsed.String()
		if exists, err = s.client.Exists(ctx, s.userKey(k.realm, id)).Result(); err != nil {
			return s.wrap("migrate", err)
		}
	}
	if exists == 0 {
		c.Dangling[k.kind]++
		return nil
	}
	newKey := s.newIndexKey(k)
	for attempt := 0; ; attempt++ {
		cur, err := s.client.Get(ctx, newKey).Result()
		switch {
		case errors.Is(err, redis.Nil):
			if !apply {
				c.Moved[k.kind]++
				return nil
			}
			set, err := s.client.SetNX(ctx, newKey, id, 0).Result()
			if err != nil {
				return s.wrap("migrate", err)
			}
			if !set && attempt == 0 {
				continue // taken in between: look again
			}
			if !set {
				return fmt.Errorf("redisstore: migrate: %s keeps changing", newKey)
			}
			if err := s.client.Del(ctx, k.key).Err(); err != nil {
				return s.wrap("migrate", err)
			}
			c.Moved[k.kind]++
			return nil
		case err != nil:
			return s.wrap("migrate", err)
		case cur == id || cur == "~"+id:
			if apply {
				if cur != id {
					if err := s.client.Set(ctx, newKey, id, 0).Err(); err != nil {
						return s.wrap("migrate", err)
					}
				}
				if err := s.client.Del(ctx, k.key).Err(); err != nil {
					return s.wrap("migrate", err)
				}
			}
			c.Done[k.kind]++
			return nil
		default:
			rep.Conflicts = append(rep.Conflicts, MigrationConflict{Realm: k.realm, Kind: k.kind, Name: k.name, Old: id, New: cur})
			return nil
		}
	}
}

// splitRealmKey splits "<prefix>{<realm>}:<rest>".
func (s *Store) splitRealmKey(key string) (realm, rest string, ok bool) {
	t, ok := strings.CutPrefix(key, s.prefix+"{")
	if !ok {
		return "", "", false
	}
	realm, rest, ok = strings.Cut(t, "}:")
	if !ok || strings.ContainsAny(realm, "{}") {
		return "", "", false
	}
	return realm, rest, true
}

// scan calls fn with every key matching pattern: on each master of a
// Cluster, on the one server otherwise.
func (s *Store) scan(ctx context.Context, pattern string, fn func(string)) error {
	var mu sync.Mutex
	one := func(ctx context.Context, n *redis.Client) error {
		var cursor uint64
		for {
			keys, next, err := n.Scan(ctx, cursor, pattern, 1000).Result()
			if err != nil {
				return err
			}
			mu.Lock()
			for _, k := range keys {
				fn(k)
			}
			mu.Unlock()
			if cursor = next; cursor == 0 {
				return nil
			}
		}
	}
	switch c := s.client.(type) {
	case *redis.ClusterClient:
		return c.ForEachMaster(ctx, one)
	case *redis.Client:
		return one(ctx, c)
	}
	return fmt.Errorf("redisstore: scan: unsupported client %T", s.client)
}

// scanPattern escapes the glob characters of a literal key prefix.
func scanPattern(literal string) string {
	var b strings.Builder
	for _, r := range literal {
		if strings.ContainsRune(`*?[]\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
