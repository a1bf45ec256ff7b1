package settings

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

type inner struct {
	Read time.Duration `yaml:"read"`
	Max  int64         `yaml:"max_body_bytes"`
}

type item struct {
	Name   string `yaml:"name"`
	Listen string `yaml:"listen"`
	Sub    inner  `yaml:"sub"`
}

type conf struct {
	Listen  string            `yaml:"listen"`
	Debug   bool              `yaml:"debug_headers"`
	Par     uint8             `yaml:"parallelism"`
	Mem     uint32            `yaml:"memory_kib"`
	Inner   inner             `yaml:"timeouts"`
	Origins []string          `yaml:"origins"`
	Hosts   []item            `yaml:"hosts"`
	Labels  map[string]string `yaml:"labels"`
	Ptr     *inner            `yaml:"ptr"`
	skip    int
	Ignored int `yaml:"-"`
}

func defaults() conf {
	return conf{Listen: "127.0.0.1:8080", Par: 1, Mem: 19456, Inner: inner{Read: 15 * time.Second, Max: 1 << 20}}
}

func TestKeys(t *testing.T) {
	var got []string
	for _, k := range Keys(reflect.TypeFor[conf](), "LG_") {
		got = append(got, k.Path+"="+k.Env)
	}
	want := []string{"listen=LG_LISTEN", "debug_headers=LG_DEBUG_HEADERS", "parallelism=LG_PARALLELISM", "memory_kib=LG_MEMORY_KIB",
		"timeouts=", "timeouts.read=LG_TIMEOUTS_READ", "timeouts.max_body_bytes=LG_TIMEOUTS_MAX_BODY_BYTES",
		"origins=LG_ORIGINS", "hosts=LG_HOSTS", "hosts[].name=", "hosts[].listen=", "hosts[].sub=", "hosts[].sub.read=", "hosts[].sub.max_body_bytes=",
		"labels=LG_LABELS", "ptr=", "ptr.read=LG_PTR_READ", "ptr.max_body_bytes=LG_PTR_MAX_BODY_BYTES"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("keys\n got %v\nwant %v", got, want)
	}
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name    string
		give    string
		want    func(*conf)
		wantErr []string // substrings; every one must appear
	}{
		{"empty", "", func(*conf) {}, nil},
		{"scalars", "listen: ':1'\ndebug_headers: true\nparallelism: 4\ntimeouts:\n  read: 2m\n", func(c *conf) {
			c.Listen, c.Debug, c.Par, c.Inner.Read = ":1", true, 4, 2*time.Minute
		}, nil},
		{"null keeps the default", "listen:\ntimeouts:\n", func(*conf) {}, nil},
		{"lists and maps", "origins: [a, b]\nhosts:\n  - name: x\n    sub: {read: 1s}\nlabels: {a: b}\nptr: {read: 3s}\n", func(c *conf) {
			c.Origins = []string{"a", "b"}
			c.Hosts = []item{{Name: "x", Sub: inner{Read: time.Second}}}
			c.Labels = map[string]string{"a": "b"}
			c.Ptr = &inner{Read: 3 * time.Second}
		}, nil},
		{"bad duration", "timeouts:\n  read: soon\n", nil, []string{`c.yaml:2: timeouts.read: "soon" is not a duration such as 300ms, 15s, 2m or 1h30m`}},
		{"duration without unit", "timeouts:\n  read: 30\n", nil, []string{`timeouts.read: "30" is not a duration`}},
		{"zero duration", "timeouts:\n  read: 0\n", func(c *conf) { c.Inner.Read = 0 }, nil},
		{"out of range", "parallelism: 300\n", nil, []string{`c.yaml:1: parallelism: "300" is not a whole number from 0 to 255`}},
		{"negative uint", "memory_kib: -1\n", nil, []string{`memory_kib: "-1" is not a whole number from 0 to 4294967295`}},
		{"not a bool", "debug_headers: maybe\n", nil, []string{`debug_headers: "maybe" is not true or false`}},
		{"unknown key", "listne: x\n", nil, []string{"c.yaml:1: listne: unknown key (here the keys are listen, debug_headers"}},
		{"unknown nested key", "timeouts:\n  reed: 1s\n", nil, []string{"c.yaml:2: timeouts.reed: unknown key (under timeouts the keys are read, max_body_bytes)"}},
		{"mapping for a scalar", "listen: {a: b}\n", nil, []string{"listen: a mapping is not text"}},
		{"scalar for a mapping", "timeouts: 5s\n", nil, []string{"timeouts: a value is not a mapping with the keys read, max_body_bytes"}},
		{"scalar for a list", "hosts: hub\n", nil, []string{"hosts: a value is not a list of mappings with the keys name, listen, sub"}},
		{"list item error", "hosts:\n  - name: a\n  - nme: b\n", nil, []string{"c.yaml:3: hosts[1].nme: unknown key"}},
		{"empty key", "\"\": x\n", nil, []string{"unknown key"}},
		{"set twice", "listen: a\nlisten: b\n", nil, []string{"c.yaml:2: listen: set twice"}},
		{"every error at once", "listen: {}\nparallelism: x\n", nil, []string{"listen:", "parallelism:"}},
		{"not YAML", "listen: [\n", nil, []string{"c.yaml: "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := defaults()
			err := Decode([]byte(tt.give), "c.yaml", &c)
			if tt.wantErr != nil {
				if err == nil {
					t.Fatalf("no error, want %q", tt.wantErr)
				}
				for _, w := range tt.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error\n%v\nlacks %q", err, w)
					}
				}
				if strings.Contains(err.Error(), "settings.") || strings.Contains(err.Error(), "time.Duration") {
					t.Errorf("error names a Go type: %v", err)
				}
				return
			}
			wantConf(t, c, err, tt.want)
		})
	}
}

// wantConf checks a decode without error gave the defaults edited by edit.
func wantConf(t *testing.T, c conf, err error, edit func(*conf)) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	want := defaults()
	edit(&want)
	if !reflect.DeepEqual(c, want) {
		t.Errorf("got %+v\nwant %+v", c, want)
	}
}

func TestApplyEnv(t *testing.T) {
	aliases := map[string]string{"LG_OLD": "timeouts.read"}
	tests := []struct {
		name    string
		env     map[string]string
		want    func(*conf)
		wantErr string
	}{
		{"none", nil, func(*conf) {}, ""},
		{"scalars", map[string]string{"LG_LISTEN": ":9", "LG_DEBUG_HEADERS": "true", "LG_TIMEOUTS_MAX_BODY_BYTES": "10", "LG_PTR_READ": "1s"}, func(c *conf) {
			c.Listen, c.Debug, c.Inner.Max, c.Ptr = ":9", true, 10, &inner{Read: time.Second}
		}, ""},
		{"text verbatim", map[string]string{"LG_LISTEN": "redis://u:p@h:1/0#x: [y]"}, func(c *conf) { c.Listen = "redis://u:p@h:1/0#x: [y]" }, ""},
		{"empty text clears", map[string]string{"LG_LISTEN": ""}, func(c *conf) { c.Listen = "" }, ""},
		{"empty number is unset", map[string]string{"LG_PARALLELISM": ""}, func(*conf) {}, ""},
		{"lists as YAML", map[string]string{"LG_ORIGINS": "[a, 'b']", "LG_HOSTS": "[{name: x, listen: ':1'}]", "LG_LABELS": "{k: v}"}, func(c *conf) {
			c.Origins, c.Hosts, c.Labels = []string{"a", "b"}, []item{{Name: "x", Listen: ":1"}}, map[string]string{"k": "v"}
		}, ""},
		{"alias", map[string]string{"LG_OLD": "3s"}, func(c *conf) { c.Inner.Read = 3 * time.Second }, ""},
		{"derived beats alias", map[string]string{"LG_OLD": "3s", "LG_TIMEOUTS_READ": "4s"}, func(c *conf) { c.Inner.Read = 4 * time.Second }, ""},
		{"bad number", map[string]string{"LG_PARALLELISM": "many"}, nil, `LG_PARALLELISM: parallelism: "many" is not a whole number from 0 to 255`},
		{"bad list item", map[string]string{"LG_HOSTS": "[{nme: x}]"}, nil, "LG_HOSTS: hosts[0].nme: unknown key"},
		{"not YAML", map[string]string{"LG_HOSTS": "[{"}, nil, "LG_HOSTS: hosts: not YAML"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := defaults()
			err := ApplyEnv(&c, "LG_", func(k string) (string, bool) { v, ok := tt.env[k]; return v, ok }, aliases)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got %v, want %q", err, tt.wantErr)
				}
				var se *Error
				if !errors.As(err, &se) {
					t.Errorf("%T is not a *settings.Error", err)
				}
				return
			}
			wantConf(t, c, err, tt.want)
		})
	}
}

func TestUnknown(t *testing.T) {
	env := []string{"PATH=/bin", "LG_LISTEN=x", "LG_LISTNE=y", "LG_CONFIG=f", "LG_HOSTS=[]", "LG_TIMEOUTS=1"}
	got := Unknown(env, "LG_", reflect.TypeFor[conf](), "LG_CONFIG")
	if strings.Join(got, ",") != "LG_LISTNE,LG_TIMEOUTS" {
		t.Errorf("got %v", got)
	}
}

// FuzzDecode: any YAML either decodes or fails with a keyed error; it never
// panics.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{"listen: a\n", "hosts:\n  - name: x\n", "timeouts: {read: 1s}\n", "labels: {a: [b]}\n", "ptr: &a {read: 1s}\nhosts: [*a]\n", "parallelism: 0x10\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := defaults()
		if len(s) > 4096 {
			return
		}
		_ = Decode([]byte(s), "f.yaml", &c)
	})
}

func BenchmarkDecode(b *testing.B) {
	data := []byte("listen: ':1'\ntimeouts:\n  read: 2m\nhosts:\n  - name: x\n    listen: ':2'\n")
	for b.Loop() {
		c := defaults()
		if err := Decode(data, "c.yaml", &c); err != nil {
			b.Fatal(err)
		}
	}
}
