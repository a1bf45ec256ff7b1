// Command legacygate serves legacy ASP.NET and ServiceStack registration
// APIs from their contracts, on a Redis-backed user store.
//
//	legacygate [serve] [--config FILE] [--listen ADDR] [--redis URL]
//
// Flags beat the environment (LEGACYGATE_LISTEN, LEGACYGATE_REDIS), which
// beats the config file (./config.yaml by default).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches a sub-command and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		if err := serveCmd(ctx, args, stderr); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			fmt.Fprintln(stderr, "legacygate:", err)
			return 1
		}
		return 0
	case "convert":
		if err := convertCmd(args, os.Stdin, stdout, stderr); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			fmt.Fprintln(stderr, "legacygate convert:", err)
			return 1
		}
		return 0
	case "mailer":
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		if err := mailerCmd(ctx, args, stderr, os.LookupEnv); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			fmt.Fprintln(stderr, "legacygate mailer:", err)
			return 1
		}
		return 0
	case "users", "apikeys":
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		var err error
		if cmd == "users" {
			err = usersCmd(ctx, args, os.Stdin, stdout, stderr, os.LookupEnv)
		} else {
			err = apikeysCmd(ctx, args, stdout, stderr, os.LookupEnv)
		}
		if err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			fmt.Fprintln(stderr, "legacygate:", err)
			return 1
		}
		return 0
	case "replay":
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		return replayCmd(ctx, args, stdout, stderr)
	case "contract":
		if err := contractCmd(args, stdout, stderr); err != nil && !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stderr, "legacygate contract:", err)
			return 1
		}
		return 0
	case "help", "-h", "--help":
		usage(stdout)
		return 0
	}
	fmt.Fprintf(stderr, "legacygate: unknown command %q\n", cmd)
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprint(w, `usage: legacygate [command] [flags]

commands:
  serve    start the gateway (the default)
  convert  convert --from json|xml|jsv|form --to json|xml|jsv|form [--type HOST.TYPE] [--lenient]
  mailer   send the outbox's activation emails (without serving HTTP)
  replay   replay --target URL PATH...  (txtar cases, folders, HAR files; exit 1 on a difference)
  users    users add --host H --username U --password-stdin [--role R]...
  apikeys  apikeys add --host H --username U   (prints a new API key)
  contract contract import [--host NAME] PAGE  (a starter contract from a saved help/metadata page)
  help     this text

run "legacygate serve -h" for the flags.
`)
}
