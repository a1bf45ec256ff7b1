// Package docs holds the project's documentation; its test checks that
// what the code, contracts and documents cite can be opened in the
// repository.
package docs

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// trackedFiles lists the repository's text files of interest.
func trackedFiles(t *testing.T) []string {
	out, err := exec.Command("git", "-C", "..", "ls-files", "*.go", "*.yaml", "*.md", "*.sh").Output()
	if err != nil {
		t.Skipf("NOTICE: not a git checkout (%v); citations not checked", err)
	}
	return strings.Fields(string(out))
}

var (
	// A note and section: "docs/legacy/jsv.md §7.6", or "jsv.md §7.6"
	// (the notes are only under docs/legacy).
	sectionRef = regexp.MustCompile(`(?:docs/legacy/)?((?:jsv|servicestack|aspnet-webapi)\.md)((?:,? ?§\d+(?:\.\d+)?)+)`)
	sectionNum = regexp.MustCompile(`§(\d+(?:\.\d+)?)`)
	// A repository path: docs/…, testdata/…, routes/…
	pathRef = regexp.MustCompile(`(?:^|[\s("'` + "`" + `])((?:\.\./)*(?:[a-z]+/)*(?:docs|testdata)/[A-Za-z0-9_./-]+\.(?:md|txt|jsv|yaml))\b`)
	// Places outside the repository that notes must not point at.
	outside = regexp.MustCompile(`(?:^|[\s(` + "`" + `])(?:spec/[a-z-]+\.md|/work/|shared/(?:spec|seeds)/)`)
)

// TestCitations: every cited note section exists as a heading, every cited
// repository file exists, and nothing cites the research folders that are
// not part of the repository.
func TestCitations(t *testing.T) {
	headings := map[string]map[string]bool{}
	for _, f := range []string{"jsv.md", "servicestack.md", "aspnet-webapi.md"} {
		b, err := os.ReadFile(filepath.Join("legacy", f))
		if err != nil {
			t.Fatal(err)
		}
		hs := map[string]bool{}
		for _, m := range regexp.MustCompile(`(?m)^#{2,3} (\d+(?:\.\d+)?)\.? `).FindAllStringSubmatch(string(b), -1) {
			hs[m[1]] = true
		}
		headings[f] = hs
	}
	n := 0
	for _, file := range trackedFiles(t) {
		if file == "docs/citations_test.go" {
			continue
		}
		b, err := os.ReadFile(filepath.Join("..", file))
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		for _, m := range sectionRef.FindAllStringSubmatch(text, -1) {
			for _, s := range sectionNum.FindAllStringSubmatch(m[2], -1) {
				n++
				if !headings[m[1]][s[1]] {
					t.Errorf("%s cites %s §%s, which docs/legacy/%s has no heading for", file, m[1], s[1], m[1])
				}
			}
		}
		for _, m := range pathRef.FindAllStringSubmatch(text, -1) {
			p := strings.TrimRight(m[1], ".")
			if strings.ContainsAny(p, "*<>") {
				continue
			}
			// From the repository root, or from the citing file's folder.
			_, err1 := os.Stat(filepath.Join("..", p))
			_, err2 := os.Stat(filepath.Join("..", filepath.Dir(file), p))
			if err1 != nil && err2 != nil {
				t.Errorf("%s cites %s, which is not in the repository", file, p)
			}
		}
		if loc := outside.FindStringIndex(text); loc != nil {
			t.Errorf("%s cites %q, which is outside the repository", file, strings.TrimSpace(text[loc[0]:min(loc[1]+20, len(text))]))
		}
	}
	if n < 20 {
		t.Errorf("only %d section citations found; is the pattern broken?", n)
	}
}
