package main

import (
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"legacygate/internal/settings"
)

// sampleEnv makes a value for a key of type t that differs from cur, as
// text for its environment variable, and the value it must decode to.
func sampleEnv(t *testing.T, typ reflect.Type, cur reflect.Value) (string, reflect.Value) {
	want := reflect.New(typ).Elem()
	switch {
	case typ == reflect.TypeFor[time.Duration]():
		d := time.Duration(cur.Int()) + 7*time.Second
		want.SetInt(int64(d))
		return d.String(), want
	case typ.Kind() == reflect.String:
		want.SetString(cur.String() + "-from-env")
		return want.String(), want
	case typ.Kind() == reflect.Bool:
		want.SetBool(!cur.Bool())
		return fmt.Sprint(want.Bool()), want
	case typ.Kind() >= reflect.Int && typ.Kind() <= reflect.Int64:
		want.SetInt(cur.Int() + 1)
		return fmt.Sprint(want.Int()), want
	case typ.Kind() >= reflect.Uint && typ.Kind() <= reflect.Uint64:
		want.SetUint(cur.Uint() + 1)
		return fmt.Sprint(want.Uint()), want
	case typ.Kind() == reflect.Slice && typ.Elem().Kind() == reflect.String:
		want.Set(reflect.ValueOf([]string{"a", "b"}).Convert(typ))
		return "[a, b]", want
	case typ.Kind() == reflect.Slice && typ.Elem().Kind() == reflect.Struct:
		// One item whose first text key is set.
		elem := reflect.New(typ.Elem()).Elem()
		for i := range elem.NumField() {
			f := typ.Elem().Field(i)
			if f.Type.Kind() == reflect.String {
				elem.Field(i).SetString("x")
				name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
				want.Set(reflect.Append(want, elem))
				return "[{" + name + ": x}]", want
			}
		}
	case typ.Kind() == reflect.Map && typ.Key().Kind() == reflect.String && typ.Elem().Kind() == reflect.String:
		want.Set(reflect.MakeMap(typ))
		want.SetMapIndex(reflect.ValueOf("k").Convert(typ.Key()), reflect.ValueOf("v").Convert(typ.Elem()))
		return "{k: v}", want
	case typ.Kind() == reflect.Map && typ.Key().Kind() == reflect.String && typ.Elem().Kind() == reflect.Struct:
		// One entry whose first text key is set.
		elem := reflect.New(typ.Elem()).Elem()
		for i := range elem.NumField() {
			f := typ.Elem().Field(i)
			if f.Type.Kind() == reflect.String {
				elem.Field(i).SetString("x")
				name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
				want.Set(reflect.MakeMap(typ))
				want.SetMapIndex(reflect.ValueOf("k").Convert(typ.Key()), elem)
				return "{k: {" + name + ": x}}", want
			}
		}
	}
	t.Fatalf("no sample value for %s: teach sampleEnv this type", typ)
	return "", want
}

// TestEnvEveryKey walks every configuration key (derived from Config, so a
// key added later is covered), sets its LEGACYGATE_ variable alone and
// checks the key, and only it, changed.
func TestEnvEveryKey(t *testing.T) {
	keys := settings.Keys(reflect.TypeFor[Config](), envPrefix)
	seen := map[string]string{}
	n := 0
	for _, k := range keys {
		if k.Env == "" {
			continue
		}
		if other, dup := seen[k.Env]; dup {
			t.Errorf("%s and %s share the variable %s", other, k.Path, k.Env)
		}
		seen[k.Env] = k.Path
		n++
		t.Run(k.Path, func(t *testing.T) {
			base := defaults()
			text, want := sampleEnv(t, k.Type, settings.Field(reflect.ValueOf(&base).Elem(), k))
			cfg := defaults()
			if err := cfg.applyEnv(env(map[string]string{k.Env: text})); err != nil {
				t.Fatalf("%s=%s: %v", k.Env, text, err)
			}
			got := settings.Field(reflect.ValueOf(&cfg).Elem(), k)
			if !reflect.DeepEqual(got.Interface(), want.Interface()) {
				t.Errorf("%s=%s set %s to %v, want %v", k.Env, text, k.Path, got.Interface(), want.Interface())
			}
			settings.Field(reflect.ValueOf(&cfg).Elem(), k).Set(settings.Field(reflect.ValueOf(&base).Elem(), k))
			if !reflect.DeepEqual(cfg, base) {
				t.Errorf("%s changed other keys too", k.Env)
			}
		})
	}
	for _, must := range []string{"LEGACYGATE_LISTEN", "LEGACYGATE_REDIS_URL", "LEGACYGATE_SMTP_PASSWORD", "LEGACYGATE_LIMITS_MAX_BODY_BYTES", "LEGACYGATE_PASSWORD_MEMORY_KIB", "LEGACYGATE_HOSTS"} {
		if _, ok := seen[must]; !ok {
			t.Errorf("no key is set by %s", must)
		}
	}
	t.Logf("%d keys settable from the environment", n)
}

// TestEnvThroughServeFlags: precedence flags > environment > file for a
// key that has no flag, and environment errors name the variable.
func TestEnvThroughServeFlags(t *testing.T) {
	file := t.TempDir() + "/c.yaml"
	writeFile(t, file, "limits:\n  max_body_bytes: 100\npassword:\n  memory_kib: 64\n")
	cfg, err := serveFlags([]string{"--config", file}, io.Discard, env(map[string]string{"LEGACYGATE_LIMITS_MAX_BODY_BYTES": "200"}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Limits.MaxBodyBytes != 200 || cfg.Password.MemoryKiB != 64 {
		t.Errorf("got %+v %+v", cfg.Limits, cfg.Password)
	}
	_, err = serveFlags([]string{"--config", file}, io.Discard, env(map[string]string{"LEGACYGATE_TIMEOUTS_READ": "soon"}))
	if err == nil || !strings.Contains(err.Error(), `LEGACYGATE_TIMEOUTS_READ: timeouts.read: "soon" is not a duration`) {
		t.Errorf("got %v", err)
	}
	cfg, err = serveFlags([]string{"--listen", "127.0.0.1:3"}, io.Discard, env(map[string]string{"LEGACYGATE_LISTEN": "127.0.0.1:2", "LEGACYGATE_HOSTS": "[{name: hub, prefix: /x}]"}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Listen != "127.0.0.1:3" || len(cfg.Hosts) != 1 || cfg.Hosts[0].Prefix != "/x" {
		t.Errorf("got %q %+v", cfg.Listen, cfg.Hosts)
	}
}

func writeFile(t *testing.T, name, data string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
}
