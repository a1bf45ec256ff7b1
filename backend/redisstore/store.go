package redisstore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
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

// Admit implements [backend.Admitter] when the Hasher does (a
// *passhash.Pool): it asks the hasher whether a hash submitted now would be
// admitted. A Hasher that cannot tell admits everything here and decides
// when the hash is submitted.
func (s *Store) Admit() error {
	if a, ok := s.hasher.(backend.Admitter); ok {
		return a.Admit()
	}
	return nil
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
	// OutboxMaxLen caps each realm's outbox stream (XADD MAXLEN ~): older
	// entries are trimmed, delivered or not. 0 means DefaultOutboxMaxLen;
	// a negative value means no cap.
	OutboxMaxLen int64
	// Reservations selects the registration protocol: ReserveAuto (the
	// zero value) reserves index keys across slots when the client is a
	// *redis.ClusterClient and runs one script otherwise; ReserveAlways
	// and ReserveNever force one or the other (see the package
	// documentation).
	Reservations Reservations
	// OnUnavailable, when set, is told the kind (see ErrorKind) of each
	// Redis failure that makes an operation report ErrUnavailable; for
	// metrics. It must not block.
	OnUnavailable func(kind string)
	// WaitReplicas is how many replicas must hold a registration before
	// it is acknowledged (WAIT after the commit, in the same round trip):
	// 0 means 1 on a Redis Cluster and on Sentinel (Open knows) and none on
	// a plain single node; a negative value never waits. WaitTimeout bounds
	// the wait (0: DefaultWaitTimeout); when it passes, the registration is
	// acknowledged all the same and a warning logged.
	WaitReplicas int
	WaitTimeout  time.Duration
	// Realms are swept from the start by the sweeper Open starts on a
	// Cluster (besides every realm the store serves), so a restarted
	// gateway finishes what its previous run left before its first request.
	Realms []string
	// OnSwept, when set, is told how many registrations each sweep
	// finished (see Store.Sweep); for metrics.
	OnSwept func(n int)
	// ReservationTTL is the lifetime of an index key reservation; 0 means
	// DefaultReservationTTL. A registration commits only in the first two
	// thirds of it.
	ReservationTTL time.Duration
	// Lockout locks an account after failed sign-ins; the zero value
	// disables it.
	Lockout Lockout
}

// DefaultOutboxMaxLen is the approximate cap of an outbox stream when
// Options.OutboxMaxLen is 0.
const DefaultOutboxMaxLen = 100000

// Store is a [backend.Registrar] over Redis. It is safe for concurrent use.
type Store struct {
	client  redis.UniversalClient
	prefix  string
	hasher  Hasher
	now     func() time.Time
	log     *zap.Logger
	maxlen  int64                  // outbox cap; 0: none
	dummy   atomic.Pointer[string] // PHC verified for unknown users
	lockout Lockout

	reserve bool                   // cross-slot reservation protocol (Cluster)
	ttl     time.Duration          // reservation TTL
	realms  sync.Map               // realm → struct{}: realms this store has served, for Sweep
	crash   func(step string) bool // tests: true stops Register after step, as a crash would
	onDown  func(kind string)
	onSwept func(n int)
	waitN   int           // replicas to WAIT for after a commit; 0: none
	waitT   time.Duration // WAIT timeout
}

var (
	_ backend.Registrar = (*Store)(nil)
	_ backend.Activator = (*Store)(nil)
)

// New returns a Store over client. It does not own client: closing it is
// the caller's job. New panics if opt.Hasher is nil.
func New(client redis.UniversalClient, opt Options) *Store {
	if client == nil {
		panic("redisstore: nil client")
	}
	if opt.Hasher == nil {
		panic("redisstore: Options.Hasher is nil")
	}
	s := &Store{client: client, prefix: opt.Prefix, hasher: opt.Hasher, now: opt.Now, log: opt.Logger, lockout: opt.Lockout}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = zap.NewNop()
	}
	switch {
	case opt.OutboxMaxLen == 0:
		s.maxlen = DefaultOutboxMaxLen
	case opt.OutboxMaxLen > 0:
		s.maxlen = opt.OutboxMaxLen
	}
	_, cluster := client.(*redis.ClusterClient)
	s.reserve = opt.Reservations == ReserveAlways || (opt.Reservations == ReserveAuto && cluster)
	s.onDown, s.onSwept = opt.OnUnavailable, opt.OnSwept
	s.waitN, s.waitT = opt.WaitReplicas, opt.WaitTimeout
	if s.waitN == 0 && cluster {
		s.waitN = 1
	}
	if s.waitT <= 0 {
		s.waitT = DefaultWaitTimeout
	}
	s.ttl = opt.ReservationTTL
	if s.ttl <= 0 {
		s.ttl = DefaultReservationTTL
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

// nameKey and emailKey carry their own hash tag, so that a realm's index
// keys spread over every slot of a Cluster.
func (s *Store) nameKey(realm, username string) string {
	return s.prefix + "name:{" + realm + ":" + normalize(username) + "}"
}
func (s *Store) emailKey(realm, email string) string {
	return s.prefix + "email:{" + realm + ":" + normalize(email) + "}"
}
func (s *Store) unindexedKey(realm string) string { return s.realmKey(realm) + "unindexed" }
func (s *Store) userKey(realm, id string) string  { return s.realmKey(realm) + "user:" + id }
func (s *Store) activationKey(realm, code string) string {
	sum := sha256.Sum256([]byte(code))
	return s.realmKey(realm) + "activation:" + hex.EncodeToString(sum[:])
}

// OutboxKey returns the key of realm's outbox stream under prefix:
// "<prefix>{<realm>}:outbox". Package mailer reads it.
func OutboxKey(prefix, realm string) string { return prefix + "{" + realm + "}:outbox" }

// Fields of an outbox entry, in this order, before the Activation's Event
// fields.
const (
	OutboxEvent     = "event"      // backend.EventUserRegistered
	OutboxRealm     = "realm"      // the realm
	OutboxUser      = "user"       // the user's uuid
	OutboxID        = "id"         // the user's per-realm id
	OutboxUsername  = "username"   // as registered
	OutboxEmail     = "email"      // may be empty
	OutboxFirstName = "first_name" // may be empty
	OutboxLastName  = "last_name"  // may be empty
	OutboxCode      = "code"       // the activation code, in clear
)

// reservedEvent lists the fixed outbox fields an Event must not repeat.
var reservedEvent = []string{OutboxEvent, OutboxRealm, OutboxUser, OutboxID, OutboxUsername,
	OutboxEmail, OutboxFirstName, OutboxLastName, OutboxCode}

// maxEventFields bounds Activation.Event: the script passes the whole
// entry to one XADD, whose arguments share Lua's C stack (8000 slots).
const maxEventFields = 1000

// maxCodeLen bounds the codes Activate looks up: a generated code has 43
// characters.
const maxCodeLen = 256

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
	if cmd.Activation != nil {
		return checkActivation(cmd)
	}
	return nil
}

func checkActivation(cmd *backend.RegisterCommand) error {
	act := cmd.Activation
	if act.TTL < time.Millisecond {
		return fmt.Errorf("redisstore: %w: activation TTL must be at least 1ms", backend.ErrInvalidCommand)
	}
	if len(act.Event) > maxEventFields {
		return fmt.Errorf("redisstore: %w: more than %d activation event fields", backend.ErrInvalidCommand, maxEventFields)
	}
	seen := make(map[string]struct{}, len(act.Event))
	recipient := cmd.Email != ""
	for _, a := range act.Event {
		if a.Name == "" || !utf8.ValidString(a.Name) {
			return fmt.Errorf("redisstore: %w: activation event field name is empty or not UTF-8", backend.ErrInvalidCommand)
		}
		if slices.Contains(reservedEvent, a.Name) {
			return fmt.Errorf("redisstore: %w: activation event field %q is reserved", backend.ErrInvalidCommand, a.Name)
		}
		if _, dup := seen[a.Name]; dup {
			return fmt.Errorf("redisstore: %w: duplicate activation event field %q", backend.ErrInvalidCommand, a.Name)
		}
		seen[a.Name] = struct{}{}
		if a.Name == "to" && a.Value != "" {
			recipient = true
		}
	}
	if !recipient {
		return fmt.Errorf("redisstore: %w: activation without an email or a \"to\" event field", backend.ErrInvalidCommand)
	}
	return nil
}

// newCode returns a fresh activation code: 256 random bits, base64url
// without padding (43 characters, safe in a URL query or path).
func newCode() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand, Go ≥ 1.24)
	return base64.RawURLEncoding.EncodeToString(b[:])
}

//go:embed register.lua
var registerSrc string

var registerScript = redis.NewScript(registerSrc)

// Register creates a user atomically; see the package documentation.
func (s *Store) Register(ctx context.Context, cmd backend.RegisterCommand) (backend.User, error) {
	if err := checkCommand(&cmd); err != nil {
		return backend.User{}, err
	}
	s.seen(cmd.Realm)
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
		Active:     !cmd.Inactive && cmd.Activation == nil,
		Created:    s.now().UTC().Truncate(tick),
	}
	if cmd.Activation != nil {
		u.ActivationCode = newCode()
	}
	var err error
	if s.reserve {
		u.ID, err = s.registerReserved(ctx, &cmd, u)
	} else {
		u.ID, err = s.registerSingle(ctx, &cmd, u)
	}
	if err != nil {
		return backend.User{}, err
	}
	if ce := s.log.Check(zap.DebugLevel, "redisstore: registered"); ce != nil {
		ce.Write(zap.String("realm", u.Realm), zap.Int64("id", u.ID), zap.String("uuid", u.UUID),
			zap.Bool("activation", cmd.Activation != nil))
	}
	return u, nil
}

// seen records a realm this store served, for the sweeper. A registration
// finds its realm already there: Load does not allocate, Store does.
func (s *Store) seen(realm string) {
	if _, ok := s.realms.Load(realm); !ok {
		s.realms.Store(realm, struct{}{})
	}
}

// hash hashes cmd's password. An account registered without a password
// (FLS mails a link to set one) stores no hash and cannot sign in.
func (s *Store) hash(ctx context.Context, cmd *backend.RegisterCommand) (string, error) {
	if cmd.Password == "" {
		return "", nil
	}
	phc, err := s.hasher.Hash(ctx, cmd.Password)
	if err != nil {
		if errors.Is(err, backend.ErrOverloaded) {
			return "", err // with its Retry-After, unwrapped
		}
		return "", fmt.Errorf("redisstore: register: hashing: %w", err)
	}
	return phc, nil
}

// registerSingle is the whole protocol in one script run: every key lives
// on one node (a standalone server or a Sentinel-managed master), so the
// checks and writes of the index keys, the user, its code and its event are
// one atomic step and one round trip.
func (s *Store) registerSingle(ctx context.Context, cmd *backend.RegisterCommand, u backend.User) (int64, error) {
	// Hash before the write: the expensive, refusable step happens outside
	// Redis, and the clear password goes no further.
	phc, err := s.hash(ctx, cmd)
	if err != nil {
		return 0, err
	}
	keys, args, err := s.registerCall(u, phc, cmd.Activation, modeSingle, 0)
	if err != nil {
		return 0, err
	}
	res, err := s.commit(ctx, keys, args...)
	if err != nil {
		return 0, s.wrap("register", err)
	}
	switch v := res.(type) {
	case int64:
		return v, nil
	case string:
		switch backend.Field(v) {
		case backend.FieldUsername:
			return 0, s.conflict(cmd, backend.FieldUsername)
		case backend.FieldEmail:
			return 0, s.conflict(cmd, backend.FieldEmail)
		}
	}
	return 0, s.unexpected("register", res)
}

func (s *Store) conflict(cmd *backend.RegisterCommand, f backend.Field) *backend.ConflictError {
	c := &backend.ConflictError{Field: f, Value: cmd.Username}
	if f == backend.FieldEmail {
		c.Value = cmd.Email
	}
	s.log.Debug("redisstore: register conflict", zap.String("realm", cmd.Realm), zap.String("field", string(f)))
	return c
}

// registerCall returns the KEYS and ARGV of the register script (see
// register.lua) for u, whose ActivationCode is set when act is not nil.
// mode is modeSingle or modeCommit; fence is the commit mode's deadline
// (Redis TIME, milliseconds).
func (s *Store) registerCall(u backend.User, phc string, act *backend.Activation, mode string, fence int64) ([]string, []any, error) {
	keys := []string{
		s.seqKey(u.Realm),
		s.userKey(u.Realm, u.UUID),
		s.unindexedKey(u.Realm),
	}
	if mode == modeSingle {
		keys = append(keys, s.nameKey(u.Realm, u.Username))
		if u.Email != "" {
			keys = append(keys, s.emailKey(u.Realm, u.Email))
		}
	}
	if act != nil {
		keys = append(keys, s.activationKey(u.Realm, u.ActivationCode), OutboxKey(s.prefix, u.Realm))
	}
	nf := userFieldCount(u)
	args := make([]any, 0, 6+nf+9+2*(8+len(activationEvent(act))))
	args = append(args, u.UUID, stringArg(mode), flagArg(u.Email != ""), flagArg(act != nil), fence, nf)
	args, err := userFields(args, u, phc)
	if err != nil {
		return nil, nil, err
	}
	if len(args) != 6+nf {
		return nil, nil, fmt.Errorf("redisstore: register: %d user fields, counted %d", len(args)-6, nf)
	}
	if act == nil {
		return keys, args, nil
	}
	ttl := (act.TTL + time.Millisecond - 1) / time.Millisecond // round up: never 0
	head := []any{OutboxEvent, backend.EventUserRegistered, OutboxRealm, u.Realm, OutboxUser, u.UUID}
	args = append(args, int64(ttl), s.maxlen, len(head))
	args = append(args, head...)
	args = append(args,
		OutboxUsername, u.Username,
		OutboxEmail, u.Email,
		OutboxFirstName, u.FirstName,
		OutboxLastName, u.LastName,
		OutboxCode, u.ActivationCode,
	)
	for _, a := range activationEvent(act) {
		v := strings.ReplaceAll(a.Value, backend.CodePlaceholder, u.ActivationCode)
		args = append(args, a.Name, strings.ReplaceAll(v, backend.UserPlaceholder, u.UUID))
	}
	return keys, args, nil
}

func activationEvent(act *backend.Activation) []backend.Attribute {
	if act == nil {
		return nil
	}
	return act.Event
}

// userFields appends the user hash's field/value pairs except id to args.
func userFields(args []any, u backend.User, phc string) ([]any, error) {
	roles, err := jsonStrings(len(u.Roles), func(i int) string { return u.Roles[i] })
	if err != nil {
		return nil, fmt.Errorf("redisstore: register: encoding roles: %w", err)
	}
	attrs, err := jsonStrings(len(u.Attributes), func(i int) string { return u.Attributes[i].Name })
	if err != nil {
		return nil, fmt.Errorf("redisstore: register: encoding attributes: %w", err)
	}
	args = append(args,
		fUUID, u.UUID,
		fRealm, u.Realm,
		fUsername, u.Username,
		fPassword, phc,
		fRoles, roles,
		fAttrs, attrs,
		fCreated, u.Created.Format(time.RFC3339Nano),
		fActive, flagArg(u.Active),
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

// Script arguments that are one of a few constants, converted to any once
// (a string variable converted to any allocates on every call).
var (
	argZero, argOne          any = "0", "1"
	argSingle, argCommitMode any = modeSingle, modeCommit
)

// flagArg is "1" or "0".
func flagArg(b bool) any {
	if b {
		return argOne
	}
	return argZero
}

// stringArg is s as an argument, preconverted when it is a mode.
func stringArg(s string) any {
	switch s {
	case modeSingle:
		return argSingle
	case modeCommit:
		return argCommitMode
	}
	return s
}

// userFieldCount is how many arguments userFields appends for u.
func userFieldCount(u backend.User) int {
	n := 2 * (8 + len(u.Attributes))
	for _, v := range [...]string{u.Email, u.Phone, u.FirstName, u.LastName} {
		if v != "" {
			n += 2
		}
	}
	return n
}

// jsonStrings returns the JSON array of the n strings at(0…n-1), byte for
// byte what encoding/json's Marshal writes for them (the roles and attrs
// fields are read back with json.Unmarshal). Strings of printable ASCII
// that Marshal writes as they are (no quote, backslash or HTML character)
// are written directly, in one allocation; any other goes to Marshal.
func jsonStrings(n int, at func(int) string) (string, error) {
	if n == 0 {
		return "[]", nil
	}
	size := 1 + n*3 // [ and ] plus quotes and commas
	for i := range n {
		s := at(i)
		for j := 0; j < len(s); j++ {
			if c := s[j]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
				all := make([]string, n)
				for k := range all {
					all[k] = at(k)
				}
				b, err := json.Marshal(all)
				return string(b), err
			}
		}
		size += len(s)
	}
	var b strings.Builder
	b.Grow(size)
	b.WriteByte('[')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		b.WriteString(at(i))
		b.WriteByte('"')
	}
	b.WriteByte(']')
	return b.String(), nil
}

// authenticate checks the password (Authenticate, in guard.go, adds the
// lockout).
func (s *Store) authenticate(ctx context.Context, realm, username string, password backend.Password) (backend.User, error) {
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
	if phc == "" {
		// No password was ever set: nothing can match.
		if err := s.burn(ctx, password); err != nil {
			return backend.User{}, err
		}
		return backend.User{}, backend.ErrInvalidCredentials
	}
	ok, err := s.hasher.Verify(ctx, password, phc)
	if err != nil {
		if errors.Is(err, backend.ErrOverloaded) {
			return backend.User{}, err
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
		return err
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
	id, err := s.resolveIndex(ctx, "is available", realm, s.nameKey(realm, username))
	if err != nil {
		return false, err
	}
	return id == "", nil
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
	s.seen(realm)
	id, err := s.resolveIndex(ctx, op, realm, s.nameKey(realm, username))
	if err != nil {
		return backend.User{}, "", err
	}
	if id == "" {
		return backend.User{}, "", fmt.Errorf("redisstore: %s: %w", op, ErrNotFound)
	}
	u, phc, err := s.get(ctx, op, realm, id)
	if errors.Is(err, ErrNotFound) {
		// A final index key is written only after its user (in one script
		// on a single node, by the commit-then-finish order on a Cluster);
		// no code deletes either. A dangling one is damage worth reporting.
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
		if s.onDown != nil {
			s.onDown(ErrorKind(err))
		}
		if cc, ok := s.client.(*redis.ClusterClient); ok {
			// go-redis refreshes its slot map on MOVED and ASK, but not when
			// a master stops answering; until its periodic reload it would
			// keep sending that master's slots to the dead address. Ask for
			// a reload now (go-redis coalesces them), so that requests
			// resume as soon as the Cluster has promoted a replica.
			cc.ReloadState(context.Background())
		}
		return fmt.Errorf("redisstore: %s: %w: %w", op, backend.ErrUnavailable, err)
	}
	return fmt.Errorf("redisstore: %s: %w", op, err)
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

//go:embed activate.lua
var activateSrc string

var activateScript = redis.NewScript(activateSrc)

// Activate consumes code, which Register returned as User.ActivationCode,
// and marks its user active. It returns the activated user. An unknown,
// expired or already used code returns [backend.ErrInvalidActivation]
// itself; of two concurrent calls with one code, exactly one succeeds.
func (s *Store) Activate(ctx context.Context, realm, code string) (backend.User, error) {
	return s.ActivateFor(ctx, realm, code, "")
}

// ActivateFor is Activate for a code that must belong to the user with
// UUID user (any user when empty). A code of another user is refused as
// invalid and stays unused.
func (s *Store) ActivateFor(ctx context.Context, realm, code, user string) (backend.User, error) {
	if err := checkRealm(realm); err != nil {
		return backend.User{}, err
	}
	if code == "" || len(code) > maxCodeLen {
		return backend.User{}, backend.ErrInvalidActivation
	}
	key := s.activationKey(realm, code)
	// The user's key is read first so that the script declares every key
	// it touches (see the package documentation); the script then checks
	// that the code still names that user.
	id, err := s.client.Get(ctx, key).Result()
	if errors.Is(err, redis.Nil) {
		return backend.User{}, backend.ErrInvalidActivation
	}
	if err != nil {
		return backend.User{}, s.wrap("activate", err)
	}
	parsed, err := uuid.Parse(id)
	if err != nil {
		s.log.Error("redisstore: activation key holds no uuid", zap.String("realm", realm))
		return backend.User{}, backend.ErrInvalidActivation
	}
	id = parsed.String()
	if user != "" {
		if want, err := uuid.Parse(user); err != nil || want.String() != id {
			return backend.User{}, backend.ErrInvalidActivation
		}
	}
	res, err := activateScript.Run(ctx, s.client, []string{key, s.userKey(realm, id)}, id).Result()
	if errors.Is(err, redis.Nil) {
		return backend.User{}, backend.ErrInvalidActivation
	}
	if err != nil {
		return backend.User{}, s.wrap("activate", err)
	}
	var flat []any
	switch v := res.(type) {
	case []any:
		flat = v
	case string:
		if v != "missing" {
			return backend.User{}, s.unexpected("activate", res)
		}
		s.log.Error("redisstore: activation code names a missing user",
			zap.String("realm", realm), zap.String("uuid", id))
		return backend.User{}, backend.ErrInvalidActivation
	default:
		return backend.User{}, s.unexpected("activate", res)
	}
	if len(flat)%2 != 0 {
		return backend.User{}, s.unexpected("activate", "odd HGETALL reply")
	}
	m := make(map[string]string, len(flat)/2)
	for i := 0; i < len(flat); i += 2 {
		k, ok1 := flat[i].(string)
		v, ok2 := flat[i+1].(string)
		if !ok1 || !ok2 {
			return backend.User{}, s.unexpected("activate", res)
		}
		m[k] = v
	}
	u, _, err := decodeUser(m)
	if err != nil {
		s.log.Error("redisstore: corrupt user record",
			zap.String("realm", realm), zap.String("uuid", id), zap.Error(err))
		return backend.User{}, fmt.Errorf("redisstore: activate: user %s: %w", id, err)
	}
	s.log.Debug("redisstore: activated", zap.String("realm", realm), zap.String("uuid", id))
	return u, nil
}

// Client returns the store's Redis client (the mailer reads the outbox
// streams through it); the store does not own it.
func (s *Store) Client() redis.UniversalClient { return s.client }

// Prefix returns the store's key prefix.
func (s *Store) Prefix() string { return s.prefix }
