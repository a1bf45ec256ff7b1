package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"

	"legacygate/backend/redisstore"
)

// storeCmd: legacygate store migrate [--apply]. It moves the username and
// email index keys an older gateway wrote (before issue 16: under the
// realm's hash tag) to the current layout; see redisstore.Store.Migrate and
// docs/redis-cluster.md.
func storeCmd(ctx context.Context, args []string, stdout, stderr io.Writer, lookupEnv func(string) (string, bool)) error {
	fs := flag.NewFlagSet("store migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	setUsage(fs, "store migrate [--apply]",
		"Move the user store's username and email index keys from the layout of gateways before\n"+
			"issue 16 to the current one. Without --apply it only counts (writes nothing).",
		"Idempotent: rerun it until it reports nothing left. Stop gateways of the older version",
		"first. Exit status 1 when keys are left after --apply (conflicts, dangling keys).")
	if err := verb(fs, args, "migrate"); err != nil {
		return err
	}
	apply := fs.Bool("apply", false, "migrate (default: a dry run that only counts)")
	store, _, closeAll, err := adminStore(ctx, fs, args[1:], stderr, lookupEnv, func() error { return nil })
	if err != nil {
		return err
	}
	defer closeAll()
	rep, err := store.Migrate(ctx, *apply)
	if err != nil {
		return err
	}
	printMigration(stdout, rep)
	if rep.Applied && rep.Pending() > 0 {
		return errMigrationLeft
	}
	return nil
}

var errMigrationLeft = errors.New("old-layout keys are left (see above); resolve them and run again")

func printMigration(w io.Writer, rep *redisstore.MigrationReport) {
	realms := make([]string, 0, len(rep.Realms))
	for r := range rep.Realms {
		realms = append(realms, r)
	}
	slices.Sort(realms)
	moveWord, doneWord := "to move", "already moved (old key to remove)"
	if rep.Applied {
		moveWord, doneWord = "moved", "already moved (old key removed)"
	}
	var moved, done, old int
	for _, name := range realms {
		c := rep.Realms[name]
		fmt.Fprintf(w, "realm %s: %d users, %d session keys, %d API keys, %d activation codes (layout unchanged)\n",
			name, c.Users, c.Sessions, c.APIKeys, c.ActivationCodes)
		for _, k := range []redisstore.IndexKind{redisstore.IndexUsername, redisstore.IndexEmail} {
			if c.Old[k] == 0 {
				continue
			}
			fmt.Fprintf(w, "  %s keys in the old layout: %d: %d %s, %d %s, %d naming no user\n",
				k, c.Old[k], c.Moved[k], moveWord, c.Done[k], doneWord, c.Dangling[k])
			moved += c.Moved[k]
			done += c.Done[k]
			old += c.Old[k]
		}
	}
	for _, c := range rep.Conflicts {
		fmt.Fprintf(w, "conflict: realm %s %s %q: the old key names user %s, the new key %s (both left as they are)\n",
			c.Realm, c.Kind, c.Name, c.Old, c.New)
	}
	if !rep.Applied {
		fmt.Fprintf(w, "dry run: nothing written; %d old-layout index keys, %d to move. Run with --apply to migrate.\n", old, moved+done)
		return
	}
	fmt.Fprintf(w, "migrated: %d moved, %d already in place; %d old-layout keys left.\n", moved, done, rep.Pending())
}
