package redisstore

import (
	"context"
	"crypto/rand"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"
	"go.uber.org/zap"

	"legacygate/backend"
)

// ErrNotFound is returned by Get and FindByName when no user matches.
var ErrNotFound = errors.New("redisstore: user not found")

// Hasher hashes and verifies passwords. *passhash.Pool implements it; Hash
// must return [backend.ErrOverloaded] when it refuses work.
type Hasher interface {
	Hash(ctx context.Context, pw backend.Password) (string, error)
	Verify(ctx context.Context, pw backend.Password, phc string) (bool, error)
}

// Options configure a Store.
type Options struct {
	// Prefix starts every key, e.g. "lg:". It may be empty.
	Prefix string
	// Hasher hashes passwords; required (usually a *passhash.Pool).
	Hasher Hasher
	// Now is the clock for User.Created; nil means time.Now.
	Now func() time.Time
	// Logger receives debug and error messages; nil means no logging.
	Logger *zap.Logger
}

// Store is a [backend.Registrar] over Redis. It is safe for concurrent use.
type Store struct {
	client redis.UniversalClient
	prefix string
	hasher Hasher
	now    func() time.Time
	log    *zap.Logger
	dummy  atomic.Pointer[string] // PHC verified for unknown users
}

var _ backend.Registrar = (*Store)(nil)

// New returns a Store over client. It does not own client: closing it is
// the caller's job. New panics if opt.Hasher is nil.
func New(client redis.UniversalClient, opt Options) *Store {
	if client == nil {
		panic("redisstore: nil client")
	}
	if opt.Hasher == nil {
		panic("redisstore: Options.Hasher is nil")
	}
	s := &Store{client: client, prefix: opt.Prefix, hasher: opt.Hasher, now: opt.Now, log: opt.Logger}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = zap.NewNop()
	}
	return s
}

// Hash fields of a user record.
const (
	fID        = "id"
	fUUID      = "uuid"
	fRealm     = "realm"
	fUsername  = "username"
	fEmail     = "email"
	fPhone     = "phone"
	fFirstName = "first_name"
	fLastName  = "last_name"
	fPassword  = "password"
	fRoles     = "roles"
	fAttrs     = "attrs"
	fCreated   = "created"
	fActive    = "active"
	attrPrefix = "a:"
)

// tick is the precision of a .NET DateTime.
const tick = 100 * time.Nanosecond

func normalize(s string) string { return strings.ToUpper(s) }

func (s *Store) realmKey(realm string) string { return s.prefix + "{" + realm + "}:" }
func (s *Store) seqKey(realm string) string   { return s.realmKey(realm) + "seq" }
func (s *Store) nameKey(realm, username string) string {
	return s.realmKey(realm) + "name:" + normalize(username)
}
func (s *Store) emailKey(realm, email string) string {
	return s.realmKey(realm) + "email:" + normalize(email)
}
func (s *Store) userKey(realm, id string) string { return s.realmKey(realm) + "user:" + id }

func checkRealm(realm string) error {
	if realm == "" {
		return fmt.Errorf("redisstore: %w: empty realm", backend.ErrInvalidCommand)
	}
	if strings.ContainsAny(realm, "{}") {
		return fmt.Errorf("redisstore: %w: realm contains '{' or '}'", backend.ErrInvalidCommand)
	}
	return nil
}

func checkCommand(cmd *backend.RegisterCommand) error {
	if err := checkRealm(cmd.Realm); err != nil {
		return err
	}
	if cmd.Username == "" {
		return fmt.Errorf("redisstore: %w: empty username", backend.ErrInvalidCommand)
	}
	for _, r := range cmd.Roles {
		if !utf8.ValidString(r) {
			return fmt.Errorf("redisstore: %w: role is not valid UTF-8", backend.ErrInvalidCommand)
		}
	}
	seen := make(map[string]struct{}, len(cmd.Attributes))
	for _, a := range cmd.Attributes {
		if !utf8.ValidString(a.Name) {
			return fmt.Errorf("redisstore: %w: attribute name is not valid UTF-8", backend.ErrInvalidCommand)
		}
		if _, dup := seen[a.Name]; dup {
			return fmt.Errorf("redisstore: %w: duplicate attribute %q", backend.ErrInvalidCommand, a.Name)
		}
		seen[a.Name] = struct{}{}
	}
	return nil
}

//go:embed register.lua
var registerSrc string

var registerScript = redis.NewScript(registerSrc)

// Register creates a user atomically; see the package documentation.
func (s *Store) Register(ctx context.Context, cmd backend.RegisterCommand) (backend.User, error) {
	if err := checkCommand(&cmd); err != nil {
		return backend.User{}, err
	}
	// A name that is already taken is refused before paying for the hash
	// (tens of milliseconds of CPU): retries and scripted duplicate floods
	// then cost one round trip. The script below stays the authority.
	if c, err := s.precheck(ctx, &cmd); err != nil || c != nil {
		if c != nil {
			return backend.User{}, c
		}
		return backend.User{}, err
	}
	// Hash before the write: the expensive, refusable step happens outside
	// Redis, and the clear password goes no further.
	phc, err := s.hasher.Hash(ctx, cmd.Password)
	if err != nil {
		if errors.Is(err, backend.ErrOverloaded) {
			return backend.User{}, backend.ErrOverloaded
		}
		return backend.User{}, fmt.Errorf("redisstore: register: hashing: %w", err)
	}

	u := backend.User{
		UUID:       uuid.NewString(),
		Realm:      cmd.Realm,
		Username:   cmd.Username,
		Email:      cmd.Email,
		Phone:      cmd.Phone,
		FirstName:  cmd.FirstName,
		LastName:   cmd.LastName,
		Roles:      cloneOrNil(cmd.Roles),
		Attributes: cloneOrNil(cmd.Attributes),
		Active:     !cmd.Inactive,
		Created:    s.now().UTC().Truncate(tick),
	}

	keys := []string{
		s.seqKey(u.Realm),
		s.userKey(u.Realm, u.UUID),
		s.nameKey(u.Realm, u.Username),
	}
	if u.Email != "" {
		keys = append(keys, s.emailKey(u.Realm, u.Email))
	}
	args, err := userFields(u, phc)
	if err != nil {
		return backend.User{}, err
	}

	res, err := registerScript.Run(ctx, s.client, keys, args...).Result()
	if err != nil {
		return backend.User{}, s.wrap("register", err)
	}
	switch v := res.(type) {
	case int64:
		u.ID = v
	case string:
		c := &backend.ConflictError{Field: backend.FieldUsername, Value: cmd.Username}
		if v == string(backend.FieldEmail) {
			c = &backend.ConflictError{Field: backend.FieldEmail, Value: cmd.Email}
		} else if v != string(backend.FieldUsername) {
			return backend.User{}, s.unexpected("register", res)
		}
		s.log.Debug("redisstore: register conflict",
			zap.String("realm", u.Realm), zap.String("field", string(c.Field)))
		return backend.User{}, c
	default:
		return backend.User{}, s.unexpected("register", res)
	}
	s.log.Debug("redisstore: registered",
		zap.String("realm", u.Realm), zap.Int64("id", u.ID), zap.String("uuid", u.UUID))
	return u, nil
}

// precheck reports a username or email that is already taken, username
// first, as the script does.
func (s *Store) precheck(ctx context.Context, cmd *backend.RegisterCommand) (*backend.ConflictError, error) {
	keys := []string{s.nameKey(cmd.Realm, cmd.Username)}
	if cmd.Email != "" {
		keys = append(keys, s.emailKey(cmd.Realm, cmd.Email))
	}
	pipe := s.client.Pipeline()
	cmds := make([]*redis.IntCmd, len(keys))
	for i, k := range keys {
		cmds[i] = pipe.Exists(ctx, k)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, s.wrap("register", err)
	}
	if cmds[0].Val() > 0 {
		return &backend.ConflictError{Field: backend.FieldUsername, Value: cmd.Username}, nil
	}
	if len(cmds) > 1 && cmds[1].Val() > 0 {
		return &backend.ConflictError{Field: backend.FieldEmail, Value: cmd.Email}, nil
	}
	return nil, nil
}

// userFields returns the script's ARGV: the uuid, then the hash's
// field/value pairs except id.
func userFields(u backend.User, phc string) ([]any, error) {
	roles, err := json.Marshal(nonNil(u.Roles))
	if err != nil {
		return nil, fmt.Errorf("redisstore: register: encoding roles: %w", err)
	}
	names := make([]string, len(u.Attributes))
	for i, a := range u.Attributes {
		names[i] = a.Name
	}
	attrs, err := json.Marshal(names)
	if err != nil {
		return nil, fmt.Errorf("redisstore: register: encoding attributes: %w", err)
	}
	active := "0"
	if u.Active {
		active = "1"
	}
	args := make([]any, 0, 1+2*(13+len(u.Attributes)))
	args = append(args, u.UUID,
		fUUID, u.UUID,
		fRealm, u.Realm,
		fUsername, u.Username,
		fPassword, phc,
		fRoles, string(roles),
		fAttrs, string(attrs),
		fCreated, u.Created.Format(time.RFC3339Nano),
		fActive, active,
	)
	for _, f := range [...]struct{ name, value string }{
		{fEmail, u.Email}, {fPhone, u.Phone}, {fFirstName, u.FirstName}, {fLastName, u.LastName},
	} {
		if f.value != "" {
			args = append(args, f.name, f.value)
		}
	}
	for _, a := range u.Attributes {
		args = append(args, attrPrefix+a.Name, a.Value)
	}
	return args, nil
}

// Authenticate returns the user holding username (case-insensitive) in
// realm if password matches. An unknown user and a wrong password both
// return [backend.ErrInvalidCredentials], after the same hashing work. An
// inactive user is returned like any other: its Active field tells.
func (s *Store) Authenticate(ctx context.Context, realm, username string, password backend.Password) (backend.User, error) {
	if err := checkRealm(realm); err != nil {
		return backend.User{}, err
	}
	u, phc, err := s.findByName(ctx, "authenticate", realm, username)
	if errors.Is(err, ErrNotFound) {
		// Spend what a real check costs, so response time does not tell
		// whether the username exists.
		if err := s.burn(ctx, password); err != nil {
			return backend.User{}, err
		}
		return backend.User{}, backend.ErrInvalidCredentials
	}
	if err != nil {
		return backend.User{}, err
	}
	ok, err := s.hasher.Verify(ctx, password, phc)
	if err != nil {
		if errors.Is(err, backend.ErrOverloaded) {
			return backend.User{}, backend.ErrOverloaded
		}
		return backend.User{}, fmt.Errorf("redisstore: authenticate: verifying %s: %w", u.UUID, err)
	}
	if !ok {
		return backend.User{}, backend.ErrInvalidCredentials
	}
	return u, nil
}

// burn verifies password against a fixed hash made with the hasher's own
// parameters.
func (s *Store) burn(ctx context.Context, password backend.Password) error {
	phc := s.dummy.Load()
	if phc == nil {
		h, err := s.hasher.Hash(ctx, backend.Password(rand.Text()))
		if err != nil {
			return s.hashErr(err)
		}
		phc = &h
		s.dummy.Store(phc)
	}
	if _, err := s.hasher.Verify(ctx, password, *phc); err != nil {
		return s.hashErr(err)
	}
	return nil
}

func (s *Store) hashErr(err error) error {
	if errors.Is(err, backend.ErrOverloaded) {
		return backend.ErrOverloaded
	}
	return fmt.Errorf("redisstore: authenticate: %w", err)
}

// IsAvailable reports whether no user of realm holds username
// (case-insensitive).
func (s *Store) IsAvailable(ctx context.Context, realm, username string) (bool, error) {
	if err := checkRealm(realm); err != nil {
		return false, err
	}
	if username == "" {
		return false, fmt.Errorf("redisstore: %w: empty username", backend.ErrInvalidCommand)
	}
	n, err := s.client.Exists(ctx, s.nameKey(realm, username)).Result()
	if err != nil {
		return false, s.wrap("is available", err)
	}
	return n == 0, nil
}

// Ping reports whether Redis answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.client.Ping(ctx).Err(); err != nil {
		return s.wrap("ping", err)
	}
	return nil
}

// Get returns the user of realm with the given uuid (any case), or an error
// wrapping ErrNotFound.
func (s *Store) Get(ctx context.Context, realm, id string) (backend.User, error) {
	if err := checkRealm(realm); err != nil {
		return backend.User{}, err
	}
	u, _, err := s.get(ctx, "get", realm, id)
	return u, err
}

// FindByName returns the user of realm holding username (case-insensitive),
// or an error wrapping ErrNotFound.
func (s *Store) FindByName(ctx context.Context, realm, username string) (backend.User, error) {
	if err := checkRealm(realm); err != nil {
		return backend.User{}, err
	}
	u, _, err := s.findByName(ctx, "find by name", realm, username)
	return u, err
}

func (s *Store) findByName(ctx context.Context, op, realm, username string) (backend.User, string, error) {
	id, err := s.client.Get(ctx, s.nameKey(realm, username)).Result()
	if errors.Is(err, redis.Nil) {
		return backend.User{}, "", fmt.Errorf("redisstore: %s: %w", op, ErrNotFound)
	}
	if err != nil {
		return backend.User{}, "", s.wrap(op, err)
	}
	u, phc, err := s.get(ctx, op, realm, id)
	if errors.Is(err, ErrNotFound) {
		// Register writes the name key and the hash together; no code
		// deletes either. A dangling name key is damage worth reporting.
		s.log.Error("redisstore: name key points to a missing user",
			zap.String("realm", realm), zap.String("uuid", id))
	}
	return u, phc, err
}

// get reads and decodes a user hash, returning the user and its PHC string.
func (s *Store) get(ctx context.Context, op, realm, id string) (backend.User, string, error) {
	parsed, err := uuid.Parse(id)
	if err != nil {
		return backend.User{}, "", fmt.Errorf("redisstore: %s: %w", op, ErrNotFound)
	}
	m, err := s.client.HGetAll(ctx, s.userKey(realm, parsed.String())).Result()
	if err != nil {
		return backend.User{}, "", s.wrap(op, err)
	}
	if len(m) == 0 {
		return backend.User{}, "", fmt.Errorf("redisstore: %s: %w", op, ErrNotFound)
	}
	u, phc, err := decodeUser(m)
	if err != nil {
		s.log.Error("redisstore: corrupt user record",
			zap.String("realm", realm), zap.String("uuid", parsed.String()), zap.Error(err))
		return backend.User{}, "", fmt.Errorf("redisstore: %s: user %s: %w", op, parsed, err)
	}
	return u, phc, nil
}

// decodeUser is the inverse of userFields.
func decodeUser(m map[string]string) (backend.User, string, error) {
	for _, f := range [...]string{fID, fUUID, fRealm, fUsername, fPassword, fRoles, fAttrs, fCreated, fActive} {
		if _, ok := m[f]; !ok {
			return backend.User{}, "", fmt.Errorf("corrupt record: missing field %q", f)
		}
	}
	id, err := strconv.ParseInt(m[fID], 10, 64)
	if err != nil {
		return backend.User{}, "", fmt.Errorf("corrupt record: id: %w", err)
	}
	created, err := time.Parse(time.RFC3339Nano, m[fCreated])
	if err != nil {
		return backend.User{}, "", fmt.Errorf("corrupt record: created: %w", err)
	}
	var roles, names []string
	if err := json.Unmarshal([]byte(m[fRoles]), &roles); err != nil {
		return backend.User{}, "", fmt.Errorf("corrupt record: roles: %w", err)
	}
	if err := json.Unmarshal([]byte(m[fAttrs]), &names); err != nil {
		return backend.User{}, "", fmt.Errorf("corrupt record: attrs: %w", err)
	}
	var attrs []backend.Attribute
	if len(names) > 0 {
		attrs = make([]backend.Attribute, len(names))
		for i, n := range names {
			v, ok := m[attrPrefix+n]
			if !ok {
				return backend.User{}, "", fmt.Errorf("corrupt record: missing attribute %q", n)
			}
			attrs[i] = backend.Attribute{Name: n, Value: v}
		}
	}
	u := backend.User{
		ID:         id,
		UUID:       m[fUUID],
		Realm:      m[fRealm],
		Username:   m[fUsername],
		Email:      m[fEmail],
		Phone:      m[fPhone],
		FirstName:  m[fFirstName],
		LastName:   m[fLastName],
		Roles:      cloneOrNil(roles),
		Attributes: attrs,
		Active:     m[fActive] == "1",
		Created:    created.UTC(),
	}
	return u, m[fPassword], nil
}

// wrap prefixes err with the package and operation, and marks errors that
// mean Redis cannot serve us with backend.ErrUnavailable.
func (s *Store) wrap(op string, err error) error {
	if unavailable(err) {
		return fmt.Errorf("redisstore: %s: %w: %w", op, backend.ErrUnavailable, err)
	}
	return fmt.Errorf("redisstore: %s: %w", op, err)
}

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
	return redis.IsLoadingError(err) || redis.IsReadOnlyError(err) ||
		redis.IsClusterDownError(err) || redis.IsTryAgainError(err) ||
		redis.IsMasterDownError(err) || redis.IsMaxClientsError(err) ||
		redis.IsAuthError(err) || redis.IsPermissionError(err) ||
		redis.IsOOMError(err) || redis.IsNoReplicasError(err) ||
		redis.HasErrorPrefix(err, "BUSY")
}

func (s *Store) unexpected(op string, reply any) error {
	s.log.Error("redisstore: unexpected script reply", zap.String("op", op), zap.Any("reply", reply))
	return fmt.Errorf("redisstore: %s: unexpected script reply %T", op, reply)
}

func cloneOrNil[S ~[]E, E any](s S) S {
	if len(s) == 0 {
		return nil
	}
	return slices.Clone(s)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
