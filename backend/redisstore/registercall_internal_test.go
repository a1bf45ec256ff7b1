package redisstore

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"legacygate/backend"
	"legacygate/backend/redisstore/redistest"
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

// BenchmarkRegisterScript is one single-node registration (register.lua)
// against the test server, reporting the server's CPU per registration
// (INFO cpu) and the commands the script ran (INFO commandstats).
func BenchmarkRegisterScript(b *testing.B) {
	if redistest.CurrentTopology() != redistest.Single {
		b.Skip("needs a single node")
	}
	client, prefix := redistest.Client(b)
	s := New(client, Options{Prefix: prefix, Hasher: fakeHasher{}, Reservations: ReserveNever, WaitReplicas: -1})
	ctx := context.Background()
	if _, err := s.Register(ctx, backend.RegisterCommand{Realm: "hub", Username: "warm", Email: "warm@x.io", Password: "p"}); err != nil {
		b.Fatal(err)
	}
	cpu0, calls0 := redisCost(b, client)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		name := "u" + strconv.Itoa(i) + "@example.com"
		if _, err := s.Register(ctx, backend.RegisterCommand{Realm: "hub", Username: name, Email: name, Password: "p", FirstName: "Ann", LastName: "Lee",
			Attributes: []backend.Attribute{{Name: "PartnerID", Value: "8"}}}); err != nil {
			b.Fatal(err)
		}
	}
	cpu1, calls1 := redisCost(b, client)
	b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "redis-cpu-ns/op")
	b.ReportMetric(float64(calls1-calls0)/float64(b.N), "redis-calls/op")
}

// redisCost returns the server's CPU time and the number of commands it
// ran (scripts' commands included, EVALSHA and INFO not).
func redisCost(tb testing.TB, c redis.UniversalClient) (time.Duration, int64) {
	tb.Helper()
	ctx := context.Background()
	info, err := c.Info(ctx, "cpu", "commandstats").Result()
	if err != nil {
		tb.Fatal(err)
	}
	var cpu float64
	var calls int64
	for line := range strings.SplitSeq(info, "\r\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		switch {
		case k == "used_cpu_sys" || k == "used_cpu_user":
			f, _ := strconv.ParseFloat(v, 64)
			cpu += f
		case strings.HasPrefix(k, "cmdstat_") && k != "cmdstat_evalsha" && k != "cmdstat_info" && k != "cmdstat_eval":
			n, _, _ := strings.Cut(strings.TrimPrefix(v, "calls="), ",")
			x, _ := strconv.ParseInt(n, 10, 64)
			calls += x
		}
	}
	return time.Duration(cpu * float64(time.Second)), calls
}
