package netregex_test

import (
	"strings"
	"testing"
	"time"

	"legacygate/routes/netregex"
)

func TestMatch(t *testing.T) {
	tests := []struct {
		pattern string
		opt     netregex.Options
		give    string
		full    bool
		found   bool
	}{
		{"a|ab", netregex.None, "ab", false, true},      // first match "a" does not span "ab"
		{"a|ab", netregex.None, "a", true, true},        // whole value
		{"(?<=x)b", netregex.None, "xb", false, true},   // lookbehind, match not at 0
		{"(?i)abc", netregex.None, "ABC", true, true},   // inline option
		{"abc", netregex.IgnoreCase, "aBc", true, true}, // option
		{"日本", netregex.None, "日本", true, true},         // length in runes, not bytes
		{"x", netregex.None, "", false, false},
	}
	for _, tt := range tests {
		re, err := netregex.Compile(tt.pattern, tt.opt)
		if err != nil {
			t.Fatalf("%q: %v", tt.pattern, err)
		}
		if got := re.FullMatch(tt.give); got != tt.full {
			t.Errorf("%q FullMatch(%q) = %v, want %v", tt.pattern, tt.give, got, tt.full)
		}
		if got := re.Found(tt.give); got != tt.found {
			t.Errorf("%q Found(%q) = %v, want %v", tt.pattern, tt.give, got, tt.found)
		}
	}
	if _, err := netregex.Compile("(?<=a", netregex.None); err == nil {
		t.Error("a broken pattern compiled")
	}
}

// TestBoundedTime: a catastrophically backtracking pattern fails the match
// once its time is up instead of running on.
func TestBoundedTime(t *testing.T) {
	re := netregex.MustCompile(`^(a+)+$`, netregex.None)
	start := time.Now()
	if re.FullMatch(strings.Repeat("a", 40) + "!") {
		t.Fatal("matched")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("took %v", d)
	}
}
