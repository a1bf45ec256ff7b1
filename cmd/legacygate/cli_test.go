package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestCLI runs the command line as a user types it: help, version, and
// usage mistakes (stderr, exit 2).
func TestCLI(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantStatus int
		wantOut    []string // substrings of stdout
		wantErr    []string // substrings of stderr
	}{
		{"top-level -h lists every command", []string{"-h"}, 0, []string{"serve ", "convert ", "mailer ", "users ", "apikeys ", "store ", "version ", "--version"}, nil},
		{"--help", []string{"--help"}, 0, []string{"commands:"}, nil},
		{"help", []string{"help"}, 0, []string{"commands:"}, nil},
		{"version", []string{"version"}, 0, []string{"legacygate ", "commit ", "date ", "go "}, nil},
		{"--version", []string{"--version"}, 0, []string{"legacygate ", "commit "}, nil},
		{"version takes no arguments", []string{"version", "x"}, 2, nil, []string{"takes no arguments"}},
		{"serve -h lists its flags", []string{"serve", "-h"}, 0, nil, []string{"usage: legacygate serve", "-config", "-listen", "-redis", "LEGACYGATE_<PATH>"}},
		{"convert -h", []string{"convert", "-h"}, 0, nil, []string{"usage: legacygate convert", "-from", "-to", "-type"}},
		{"mailer -h", []string{"mailer", "-h"}, 0, nil, []string{"usage: legacygate mailer", "-redis"}},
		{"users -h", []string{"users", "-h"}, 0, nil, []string{"usage: legacygate users add", "-password-stdin", "-role"}},
		{"users add -h", []string{"users", "add", "-h"}, 0, nil, []string{"-username"}},
		{"apikeys -h", []string{"apikeys", "-h"}, 0, nil, []string{"usage: legacygate apikeys add", "-username"}},
		{"store -h", []string{"store", "-h"}, 0, nil, []string{"usage: legacygate store migrate", "-apply", "Idempotent"}},
		{"store without a verb", []string{"store"}, 2, nil, []string{`the only verb is "migrate"`}},
		{"unknown command", []string{"frobnicate"}, 2, nil, []string{`unknown command "frobnicate"`, "commands:"}},
		{"unknown flag", []string{"serve", "--nope"}, 2, nil, []string{"flag provided but not defined: -nope", "legacygate serve -h"}},
		{"unknown top-level flag goes to serve", []string{"--nope"}, 2, nil, []string{"-nope"}},
		{"stray argument", []string{"serve", "--listen", "127.0.0.1:0", "extra"}, 2, nil, []string{"unexpected arguments"}},
		{"users without a verb", []string{"users"}, 2, nil, []string{`the only verb is "add"`}},
		{"users add without host", []string{"users", "add", "--redis", "redis://127.0.0.1:1"}, 2, nil, []string{"--host and --username are required"}},
		{"convert without formats", []string{"convert"}, 2, nil, []string{"--from and --to"}},
		{"convert xml without type", []string{"convert", "--from", "json", "--to", "xml"}, 2, nil, []string{"xml needs --type"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			got := run(tt.args, &out, &errb)
			if got != tt.wantStatus {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", got, tt.wantStatus, out.String(), errb.String())
			}
			for _, s := range tt.wantOut {
				if !strings.Contains(out.String(), s) {
					t.Errorf("stdout lacks %q:\n%s", s, out.String())
				}
			}
			for _, s := range tt.wantErr {
				if !strings.Contains(errb.String(), s) {
					t.Errorf("stderr lacks %q:\n%s", s, errb.String())
				}
			}
			if tt.wantStatus != 0 && out.Len() > 0 {
				t.Errorf("an error wrote to stdout: %s", out.String())
			}
		})
	}
}
