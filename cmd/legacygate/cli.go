package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// usageError is a mistake in the command line (unknown flag, stray
// argument, missing verb): it goes to stderr and exits 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

// parseFlags parses args with fs; a parse error is a usageError (the flag
// package has already printed it and the flags to fs's output), -h is
// flag.ErrHelp, and arguments left over are a usageError.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return usagef("unexpected arguments: %v", fs.Args())
	}
	return nil
}

// setUsage makes fs's -h print a synopsis, a one-line description, the
// flags and any notes.
func setUsage(fs *flag.FlagSet, synopsis, what string, notes ...string) {
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "usage: legacygate %s\n\n%s\n", synopsis, what)
		var n int
		fs.VisitAll(func(*flag.Flag) { n++ })
		if n > 0 {
			fmt.Fprintln(w, "\nflags:")
			fs.PrintDefaults()
		}
		if len(notes) > 0 {
			fmt.Fprintln(w)
			for _, s := range notes {
				fmt.Fprintln(w, s)
			}
		}
	}
}

// commandHelp is one line per sub-command, for `legacygate -h`.
var commandHelp = [][2]string{
	{"serve", "start the gateway (the default command)"},
	{"convert", "convert a legacy payload between json, xml, jsv and form (stdin to stdout)"},
	{"mailer", "send the outbox's activation emails without serving HTTP"},
	{"replay", "replay recorded exchanges (txtar, HAR) against a URL and compare the answers"},
	{"users", "users add: create an account for a host that requires sign-in"},
	{"apikeys", "apikeys add: print a new API key for an existing account"},
	{"store", "store migrate [--apply]: move an older gateway's Redis keys to the current layout"},
	{"contract", "contract import PAGE: draft a host contract from a saved help or metadata page; contract check DIR: validate host bundles"},
	{"version", "print the version, commit and build date"},
	{"help", "this text"},
}

func usage(w io.Writer) {
	var b strings.Builder
	b.WriteString("usage: legacygate [command] [flags]\n\nlegacygate serves legacy ASP.NET Web API and ServiceStack registration hosts\nfrom their contracts, on a Redis-backed user store.\n\ncommands:\n")
	for _, c := range commandHelp {
		fmt.Fprintf(&b, "  %-8s %s\n", c[0], c[1])
	}
	b.WriteString(`
flags:
  -h, --help     this text
  --version      the same as the version command

Run "legacygate <command> -h" for a command's flags. Every configuration
key can also be set as LEGACYGATE_<PATH> (docs/configuration.md).
`)
	fmt.Fprint(w, b.String())
}
