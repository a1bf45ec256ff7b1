package redisstore

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"legacygate/backend"
)

var sampleUser = backend.User{
	UUID: "5f0c1f4e-7c55-4d6e-9f55-3c1c1a1e2b3c", Realm: "hub", Username: "ann@example.com", Email: "ann@example.com",
	FirstName: "Ann", LastName: "Lee", Created: time.Date(2026, 12, 2, 16, 0, 0, 123456789, time.UTC),
	Attributes: []backend.Attribute{{Name: "PartnerID", Value: "8"}, {Name: "PhoneNumber", Value: ""}},
}

// BenchmarkRegisterCall is the keys and arguments of one single-node
// registration's script call.
func BenchmarkRegisterCall(b *testing.B) {
	s := &Store{prefix: "lg:"}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := s.registerCall(sampleUser, "$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA", nil, modeSingle, 0); err != nil {
			b.Fatal(err)
		}
	}
}

// TestJSONStrings: jsonStrings writes what encoding/json writes for a
// list of strings.
func TestJSONStrings(t *testing.T) {
	tests := [][]string{
		nil, {}, {"a"}, {"Admin", "User"}, {""}, {`q"uote`}, {`back\slash`}, {"<b>&</b>"},
		{"tab\there"}, {"ünïcode", "日本"}, {"\u2028\u2029"}, {"bad\xffutf8"}, {"ctl\x01"}, {"del\x7f"},
		{strings.Repeat("x", 300), "y"},
	}
	for _, give := range tests {
		want, err := json.Marshal(nonNil(give))
		if err != nil {
			t.Fatal(err)
		}
		got, err := jsonStrings(len(give), func(i int) string { return give[i] })
		if err != nil || got != string(want) {
			t.Errorf("jsonStrings(%q) = %s, want %s", give, got, want)
		}
	}
}
