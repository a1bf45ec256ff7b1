package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"time"

	"legacygate/routes/exchange/diff"
	"legacygate/routes/exchange/replay"
)

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// replayCmd runs `legacygate replay` and returns the exit status: 0 when
// every case matched, 1 on any difference or a case that could not run, 2
// on bad usage.
func replayCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, `usage: legacygate replay --target URL [flags] PATH...

Replays recorded exchanges (txtar cases, folders of them, HAR 1.2 files)
against URL and compares the answers by format. Exit status 1 on any
difference.

`)
		fs.PrintDefaults()
	}
	target := fs.String("target", "", "base URL to send the requests to (required)")
	targetHost := fs.Bool("target-host", false, "send the target's Host header instead of the recorded one")
	junit := fs.String("junit", "", "also write a JUnit XML report to `FILE`")
	asJSON := fs.Bool("json", false, "write the report as JSON (for tools) instead of text")
	record := fs.String("record", "", "store the target's answers as new txtar cases under `DIR` (no comparison)")
	update := fs.Bool("update", false, "rewrite the expectations of txtar cases that differ (after review)")
	learn := fs.String("learn-noise", "", "send every case twice and write the paths that differ as ignore rules to `FILE`")
	second := fs.String("second", "", "with --learn-noise: send the second run to this `URL` (a second reference) instead")
	rulesFile := fs.String("rules", "", "ignore rules `FILE` (YAML: ignore: [...], cases: {NAME: {ignore: [...]}})")
	prefixes := fs.Bool("prefixes", false, "also compare XML namespace prefixes and declarations")
	ignoreOrder := fs.Bool("ignore-order", false, "ignore JSON/JSV member order")
	verbose := fs.Bool("v", false, "list passing cases too")
	colorMode := fs.String("color", "auto", "colour the text report: auto (on a terminal), always, never")
	timeout := fs.Duration("timeout", 30*time.Second, "per-request timeout")
	var fresh stringList
	fs.Var(&fresh, "fresh", "a literal `STRING` that must be fresh per run (prefixed with a unique token wherever it occurs); repeatable")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "legacygate replay: "+format+"\n", a...)
		return 2
	}
	u, err := url.Parse(*target)
	if *target == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return usageErr("--target must be an http(s) base URL, e.g. http://127.0.0.1:8080")
	}
	if fs.NArg() == 0 {
		return usageErr("name at least one case file or folder")
	}
	modes := 0
	for _, on := range []bool{*record != "", *update, *learn != ""} {
		if on {
			modes++
		}
	}
	if modes > 1 {
		return usageErr("--record, --update and --learn-noise exclude each other")
	}
	var secondURL *url.URL
	if *second != "" {
		if secondURL, err = url.Parse(*second); err != nil || secondURL.Host == "" {
			return usageErr("--second must be an http(s) base URL")
		}
	}
	color := *colorMode == "always" || (*colorMode == "auto" && isTerminal(stdout) && os.Getenv("NO_COLOR") == "")
	cases, err := replay.Load(fs.Args(), fresh)
	if err != nil {
		fmt.Fprintln(stderr, "legacygate", err)
		return 1
	}
	if *update {
		for _, c := range cases {
			if c.HAR() {
				return usageErr("%s: %v", c.Path, replay.ErrHARUpdate)
			}
		}
	}
	opt := replay.Options{Target: u, TargetHost: *targetHost, Client: &http.Client{Timeout: *timeout},
		Diff: diff.Options{Prefixes: *prefixes, IgnoreOrder: *ignoreOrder}}
	if *rulesFile != "" {
		l, err := replay.LoadRules(*rulesFile)
		if err != nil {
			fmt.Fprintln(stderr, "legacygate", err)
			return 1
		}
		opt.Diff.Rules = l.Ignore
		l.Apply(cases)
	}
	progress := func(int, string) {}
	if isTerminal(stderr) && len(cases) > 1 {
		progress = func(i int, name string) {
			fmt.Fprintf(stderr, "\r\x1b[K[%d/%d] %s", i+1, len(cases), name)
		}
		defer fmt.Fprint(stderr, "\r\x1b[K")
	}

	if *learn != "" {
		l := &replay.Learned{Cases: map[string]replay.CaseRules{}}
		failed := 0
		for i, c := range cases {
			progress(i, c.Name)
			rules, err := replay.LearnNoise(ctx, c, opt, secondURL)
			if err != nil {
				fmt.Fprintf(stderr, "legacygate replay: %s: %v\n", c.Name, err)
				failed++
				continue
			}
			if len(rules) > 0 {
				l.Cases[c.Name] = replay.CaseRules{Ignore: rules}
			}
		}
		against := u.String()
		if secondURL != nil {
			against += " and " + secondURL.String()
		}
		head := fmt.Sprintf("Learned by legacygate replay --learn-noise on %s: every case was sent twice to\n%s; each path below differed between the two answers.\nReview before use (--rules FILE): a rule hides every difference at its path.", time.Now().UTC().Format(time.RFC3339), against)
		if err := replay.WriteLearned(*learn, head, l); err != nil {
			fmt.Fprintln(stderr, "legacygate replay:", err)
			return 1
		}
		fmt.Fprintf(stdout, "%d of %d cases have volatile members; rules written to %s\n", len(l.Cases), len(cases), *learn)
		if failed > 0 {
			return 1
		}
		return 0
	}

	start := time.Now()
	results := make([]*replay.Result, 0, len(cases))
	for i, c := range cases {
		progress(i, c.Name)
		results = append(results, replay.Run(ctx, c, opt))
		if ctx.Err() != nil {
			break
		}
	}
	sum := replay.Summarize(results, time.Since(start))
	progress = func(int, string) {}

	if *record != "" {
		failed := 0
		for _, r := range results {
			path, err := replay.Record(*record, u.String(), r)
			if err != nil {
				fmt.Fprintln(stderr, "legacygate", err)
				failed++
				continue
			}
			fmt.Fprintf(stdout, "recorded %s\n", path)
		}
		if failed > 0 {
			return 1
		}
		return 0
	}
	if *update {
		n, failed := 0, 0
		for _, r := range results {
			if r.Passed() {
				continue
			}
			changed, err := replay.Update(r)
			if err != nil {
				fmt.Fprintln(stderr, "legacygate", err)
				failed++
			} else if changed {
				n++
				fmt.Fprintf(stdout, "updated %s\n", r.Case.Path)
			}
		}
		fmt.Fprintf(stdout, "%d cases updated\n", n)
		if failed > 0 {
			return 1
		}
		return 0
	}

	if *junit != "" {
		f, err := os.Create(*junit)
		if err == nil {
			err = replay.WriteJUnit(f, u.String(), results, sum)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			fmt.Fprintln(stderr, "legacygate replay: --junit:", err)
			return 1
		}
	}
	if *asJSON {
		if err := replay.WriteJSON(stdout, u.String(), results, sum); err != nil {
			fmt.Fprintln(stderr, "legacygate replay:", err)
			return 1
		}
	} else {
		replay.WriteText(stdout, results, sum, color, *verbose)
	}
	if sum.Failed+sum.Errors > 0 {
		return 1
	}
	return 0
}
