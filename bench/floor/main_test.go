package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"legacygate/backend/redisstore/redistest"
)

func TestMain(m *testing.M) { redistest.Main(m) }

// The floor must do the work it stands for: decode, validate, hash, one
// script that refuses a taken name or email. A floor that skipped any of it
// would flatter every ratio the benchmark reports.
func TestFloorRegisters(t *testing.T) {
	client, prefix := redistest.Client(t)
	srv := httptest.NewServer(newServer(client, prefix, hashParams{on: true, memoryKiB: 8, iterations: 1, parallelism: 1}))
	defer srv.Close()
	post := func(body string) int {
		t.Helper()
		res, err := http.Post(srv.URL+"/Account/Register", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	body := func(name, email string) string {
		return fmt.Sprintf(`{"Username":%q,"Email":%q,"Password":"pass1234","ConfirmPassword":"pass1234","PartnerID":8}`, name, email)
	}
	tests := []struct {
		name, give string
		want       int
	}{
		{"new user", body("a@x.y", "a@x.y"), 200},
		{"same name other case", body("A@X.Y", "b@x.y"), 400},
		{"same email", body("c@x.y", "A@x.y"), 400},
		{"short password", `{"Username":"d","Email":"d","Password":"p","ConfirmPassword":"p"}`, 400},
		{"malformed", `{"Username":`, 400},
	}
	for _, tt := range tests {
		if got := post(tt.give); got != tt.want {
			t.Errorf("%s: status %d, want %d", tt.name, got, tt.want)
		}
	}
	uid, err := client.Get(t.Context(), prefix+"name:A@X.Y").Result()
	if err != nil {
		t.Fatal(err)
	}
	hash, err := client.HGet(t.Context(), prefix+"user:"+uid, "password").Result()
	if err != nil || !strings.HasPrefix(hash, "$argon2id$v=19$m=8,t=1,p=1$") {
		t.Fatalf("stored hash %q, %v", hash, err)
	}
}
