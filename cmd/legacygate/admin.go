package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"go.uber.org/zap"

	"legacygate/backend"
	"legacygate/backend/passhash"
	"legacygate/backend/redisstore"
	"legacygate/routes/hosts"
)

// stringList is a repeatable flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(s string) error { *l = append(*l, s); return nil }

// adminStore opens the configured store for an administrative command. The
// embedded store lives only inside a running gateway, so these commands
// need a Redis URL.
// check, run after the flags are parsed, reports missing flags before any
// connection is made.
func adminStore(ctx context.Context, fs *flag.FlagSet, args []string, stderr io.Writer, lookupEnv func(string) (string, bool), check func() error) (*redisstore.Store, Config, func(), error) {
	cfg, err := parseConfigFlags(fs, args, stderr, lookupEnv)
	if err != nil {
		return nil, cfg, nil, err
	}
	if err := check(); err != nil {
		return nil, cfg, nil, err
	}
	if cfg.Redis.URL == "" {
		return nil, cfg, nil, errors.New("no Redis URL: the embedded store lives only inside a running gateway; pass --redis or set redis.url")
	}
	pool := passhash.New(passhash.Params{MemoryKiB: cfg.Password.MemoryKiB, Iterations: cfg.Password.Iterations,
		Parallelism: cfg.Password.Parallelism, SaltLen: 16, KeyLen: 32}, 1, 1)
	store, closeStore, err := redisstore.Open(ctx, cfg.Redis.URL, redisstore.Options{Prefix: cfg.Redis.Prefix, Hasher: pool, Logger: zap.NewNop()})
	if err != nil {
		pool.Close()
		return nil, cfg, nil, err
	}
	return store, cfg, func() { _ = closeStore(); pool.Close() }, nil
}

// parseConfigFlags adds --config and --redis to fs, parses args and
// resolves the configuration as serve does (flags > environment > file).
func parseConfigFlags(fs *flag.FlagSet, args []string, stderr io.Writer, lookupEnv func(string) (string, bool)) (Config, error) {
	cfgPath := fs.String("config", "", "config file (default ./config.yaml when present)")
	redisURL := fs.String("redis", "", "redis://… or cluster seeds (env LEGACYGATE_REDIS)")
	if err := parseFlags(fs, args); err != nil {
		return Config{}, err
	}
	var flags []string
	if *cfgPath != "" {
		flags = append(flags, "--config", *cfgPath)
	}
	if *redisURL != "" {
		flags = append(flags, "--redis", *redisURL)
	}
	return serveFlags(flags, stderr, lookupEnv)
}

// verb checks that args start with the sub-command's one verb; -h there
// prints fs's usage.
func verb(fs *flag.FlagSet, args []string, want string) error {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
		fs.Usage()
		return flag.ErrHelp
	}
	if len(args) == 0 || args[0] != want {
		return usagef("the only verb is %q", want)
	}
	return nil
}

// realmOf is the realm a host's users live in under cfg.
func realmOf(cfg Config, host string) (string, error) {
	all, err := hosts.Load()
	if err != nil {
		return "", err
	}
	known := false
	for _, h := range all {
		known = known || h.Name == host
	}
	if !known {
		return "", fmt.Errorf("no host contract named %q", host)
	}
	for _, hc := range cfg.Hosts {
		if hc.Name == host && hc.Realm != "" {
			return hc.Realm, nil
		}
	}
	return host, nil
}

// usersCmd: legacygate users add --host H --username U (--password P |
// --password-stdin) [--email E] [--role R]...
func usersCmd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, lookupEnv func(string) (string, bool)) error {
	fs := flag.NewFlagSet("users add", flag.ContinueOnError)
	fs.SetOutput(stderr)
	setUsage(fs, "users add --host H --username U (--password P | --password-stdin) [--email E] [--role R]...",
		"Create an account for a host that requires sign-in (needs a Redis URL).")
	if err := verb(fs, args, "add"); err != nil {
		return err
	}
	host := fs.String("host", "", "host contract name (a file name under routes/hosts, without .yaml)")
	username := fs.String("username", "", "user name")
	password := fs.String("password", "", "password (visible to ps; prefer --password-stdin)")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of stdin")
	email := fs.String("email", "", "email address")
	var roles stringList
	fs.Var(&roles, "role", "role to grant (repeatable), e.g. Partner")
	store, cfg, closeAll, err := adminStore(ctx, fs, args[1:], stderr, lookupEnv, func() error {
		if *host == "" || *username == "" {
			return usagef("--host and --username are required")
		}
		return nil
	})
	if err != nil {
		return err
	}
	defer closeAll()
	pw := *password
	if *fromStdin {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		pw = strings.TrimRight(line, "\r\n")
	}
	if pw == "" {
		return errors.New("a password is required (--password or --password-stdin)")
	}
	realm, err := realmOf(cfg, *host)
	if err != nil {
		return err
	}
	u, err := store.Register(ctx, backend.RegisterCommand{Realm: realm, Username: *username, Email: *email,
		Password: backend.Password(pw), Roles: roles})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "user %s (id %d, uuid %s) added to realm %s with roles %v\n", u.Username, u.ID, u.UUID, realm, u.Roles)
	return nil
}

// apikeysCmd: legacygate apikeys add --host H --username U. The key is
// printed once; only its digest is stored.
func apikeysCmd(ctx context.Context, args []string, stdout, stderr io.Writer, lookupEnv func(string) (string, bool)) error {
	fs := flag.NewFlagSet("apikeys add", flag.ContinueOnError)
	fs.SetOutput(stderr)
	setUsage(fs, "apikeys add --host H --username U",
		"Print a new API key for an existing account (shown once; only its digest is stored).")
	if err := verb(fs, args, "add"); err != nil {
		return err
	}
	host := fs.String("host", "", "host contract name (a file name under routes/hosts, without .yaml)")
	username := fs.String("username", "", "the user the key signs in as")
	store, cfg, closeAll, err := adminStore(ctx, fs, args[1:], stderr, lookupEnv, func() error {
		if *host == "" || *username == "" {
			return usagef("--host and --username are required")
		}
		return nil
	})
	if err != nil {
		return err
	}
	defer closeAll()
	realm, err := realmOf(cfg, *host)
	if err != nil {
		return err
	}
	u, err := store.FindByName(ctx, realm, *username)
	if err != nil {
		return err
	}
	key, err := store.CreateAPIKey(ctx, realm, u.UUID)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, key)
	return nil
}
