package pipeline

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHasKeyFold(t *testing.T) {
	q := map[string][]string{"UserName": {"a"}, "a@b": {"x"}}
	tests := []struct {
		give string
		want bool
	}{
		{"username", true},
		{"USERNAME", true},
		{"user", false},
		{"A@B", true},
		{"a`b", false}, // '@' and '`' differ only in bit 0x20 and are not letters
	}
	for _, tt := range tests {
		if got := hasKeyFold(q, tt.give); got != tt.want {
			t.Errorf("hasKeyFold(%q) = %v, want %v", tt.give, got, tt.want)
		}
	}
}

// onlyReader hides the concrete type so the request has no known length.
type onlyReader struct{ io.Reader }

func TestReadBody(t *testing.T) {
	tests := []struct {
		name     string
		give     io.Reader
		max      int64
		want     string
		wantKind Kind
	}{
		{"fits", strings.NewReader("12345"), 5, "12345", 0},
		{"declared too large", strings.NewReader("123456"), 5, "", TooLarge},
		{"chunked fits exactly", onlyReader{strings.NewReader("12345")}, 5, "12345", 0},
		{"chunked one byte over", onlyReader{strings.NewReader("123456")}, 5, "", TooLarge},
		{"empty", http.NoBody, 5, "", 0},
		{"no limit", onlyReader{strings.NewReader(strings.Repeat("x", 100))}, 0, strings.Repeat("x", 100), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/", tt.give)
			got, p := ReadBody(r, tt.max)
			var kind Kind
			if p != nil {
				kind = p.Kind
			}
			if string(got) != tt.want || kind != tt.wantKind {
				t.Errorf("got %q, problem kind %d; want %q, %d", got, kind, tt.want, tt.wantKind)
			}
		})
	}
}
