// Command legacygate serves legacy ASP.NET and ServiceStack registration
// APIs from their contracts, on a Redis-backed user store.
//
//	legacygate [command] [flags]   (legacygate -h lists the commands)
//
// Flags beat the environment (LEGACYGATE_<PATH> for every configuration
// key), which beats the config file (./config.yaml by default).
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

	"legacygate/version"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches a sub-command and returns the exit status: 0, 1 when
// the command failed, 2 for a usage error.
func run(args []string, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 {
		switch a := args[0]; {
		case a == "-h" || a == "-help" || a == "--help" || a == "help":
			usage(stdout)
			return 0
		case a == "-version" || a == "--version" || a == "version":
			if len(args) > 1 {
				fmt.Fprintln(stderr, "legacygate version: takes no arguments")
				return 2
			}
			fmt.Fprint(stdout, version.Get())
			return 0
		case a != "" && a[0] != '-':
			cmd, args = a, args[1:]
		}
	}
	var err error
	switch cmd {
	case "serve":
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		err = serveCmd(ctx, args, stderr)
	case "convert":
		err = convertCmd(args, os.Stdin, stdout, stderr)
	case "mailer":
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		err = mailerCmd(ctx, args, stderr, os.LookupEnv)
	case "users", "apikeys":
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		if cmd == "users" {
			err = usersCmd(ctx, args, os.Stdin, stdout, stderr, os.LookupEnv)
		} else {
			err = apikeysCmd(ctx, args, stdout, stderr, os.LookupEnv)
		}
	case "store":
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		err = storeCmd(ctx, args, stdout, stderr, os.LookupEnv)
	case "replay":
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		return replayCmd(ctx, args, stdout, stderr)
	case "contract":
		err = contractCmd(args, stdout, stderr)
	default:
		fmt.Fprintf(stderr, "legacygate: unknown command %q\n\n", cmd)
		usage(stderr)
		return 2
	}
	return exitStatus(cmd, err, stderr)
}

// exitStatus reports err on stderr and maps it to the exit status.
func exitStatus(cmd string, err error, stderr io.Writer) int {
	var ue usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "legacygate %s: %v\nRun \"legacygate %s -h\" for usage.\n", cmd, err, cmd)
		return 2
	}
	fmt.Fprintf(stderr, "legacygate %s: %v\n", cmd, err)
	return 1
}
