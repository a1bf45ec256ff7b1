package mailer

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/redis/go-redis/v9"
)

func testMailer(t *testing.T, override fs.FS) *Mailer {
	t.Helper()
	m, err := New(redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"}), Config{
		Realms:    []string{"shop"},
		SMTP:      SMTPConfig{Host: "127.0.0.1", Port: 25, From: "Gateway <noreply@gw.example>", Security: SecurityNone},
		Templates: override,
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestCandidates(t *testing.T) {
	tests := []struct {
		key, lang string
		want      []string
	}{
		{"shop", "en-us", []string{"shop/en-us.txt", "shop/en.txt", "shop/default.txt",
			"default/en-us.txt", "default/en.txt", "default/default.txt"}},
		{"Shop", "DE_de", []string{"shop/de-de.txt", "shop/de.txt", "shop/default.txt", "shop/en.txt",
			"default/de-de.txt", "default/de.txt", "default/default.txt", "default/en.txt"}},
		{"", "fr", []string{"default/fr.txt", "default/default.txt", "default/en.txt"}},
		{"../etc", "../../x", []string{"default/default.txt", "default/en.txt"}},
		{"shop", "", []string{"shop/default.txt", "shop/en.txt", "default/default.txt", "default/en.txt"}},
	}
	for _, tt := range tests {
		if got := candidates(tt.key, tt.lang); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("candidates(%q, %q) =\n%q\nwant\n%q", tt.key, tt.lang, got, tt.want)
		}
	}
}

// Every embedded template renders a subject and a body with the link, in
// its language, and is what the fallback chain picks for its own key and
// language.
func TestEmbeddedTemplates(t *testing.T) {
	m := testMailer(t, nil)
	dirs, err := fs.ReadDir(DefaultTemplates(), ".")
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) != 1 || dirs[0].Name() != GenericTemplate {
		t.Fatalf("embedded template sets %v, want only the generic one (hosts' come with their bundles)", dirs)
	}
	const link = "https://gw.example/activate?code=abc"
	for _, d := range dirs {
		for _, lang := range []string{"en", "de"} {
			p := d.Name() + "/" + lang + ".txt"
			if _, err := fs.Stat(DefaultTemplates(), p); err != nil {
				t.Errorf("%s is missing", p)
				continue
			}
			tpl, err := m.tmpl.lookup(d.Name(), lang+"-xx")
			if err != nil || tpl.path != p {
				t.Fatalf("lookup(%s, %s-xx) = %v, %v; want %s", d.Name(), lang, tpl, err, p)
			}
			subject, body, err := render(tpl, map[string]string{"Link": link, "Name": "Ann Lee", "email": "ann@example.com"})
			if err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			if subject == "" || !strings.Contains(body, link) || !strings.Contains(body, "Ann Lee") {
				t.Errorf("%s: subject %q, body %q", p, subject, body)
			}
			if lang == "de" && !strings.ContainsAny(body, "äöüß") {
				t.Errorf("%s does not look German", p)
			}
		}
	}
}

func TestComposeFallbackAndOverride(t *testing.T) {
	override := fstest.MapFS{
		"shop/en.txt":      {Data: []byte("Subject: Shop {{.Name}}\n\nShop body {{.Link}}\n.hidden line\n")},
		"shop/default.txt": {Data: []byte("Subject: Shop default\nDefault body\n")},
		"default/fr.txt":   {Data: []byte("Subject: Activez votre compte\n\nBonjour {{.Name}}, {{.Link}}\n")},
	}
	m := testMailer(t, override)
	base := map[string]string{
		"event": "user.registered", "realm": "shop", "user": "0b7a3c1e-5a55-4b1e-9d3e-0a6c1f2e3d4c", "id": "3",
		"username": "ann", "email": "ann@example.com", "first_name": "Ann", "last_name": "Lee", "code": "C0DE",
		"link": "https://gw.example/a?code=C0DE",
	}
	with := func(kv ...string) map[string]string {
		f := map[string]string{}
		for k, v := range base {
			f[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			f[kv[i]] = kv[i+1]
		}
		return f
	}
	tests := []struct {
		name        string
		fields      map[string]string
		wantSubject string
		wantBody    string
	}{
		{"override, primary language", with("template", "shop", "language", "en-GB"), "Shop Ann Lee", "Shop body https://gw.example/a?code=C0DE\r\n.hidden line"},
		{"override, set default", with("template", "shop", "language", "it"), "Shop default", "Default body"},
		{"generic in the language", with("template", "unknown", "language", "fr-ca"), "Activez votre compte", "Bonjour Ann Lee"},
		{"generic English", with("language", "xx"), "Please activate your account", "https://gw.example/a?code=C0DE"},
		{"generic German, RFC 2047 subject", with("language", "de-AT"), "Bitte aktivieren Sie Ihr Konto", "für Ihre Registrierung"},
		{"no link: the code", with("link", ""), "Please activate your account", "Your activation code: C0DE"},
		{"username when no name", with("first_name", "", "last_name", ""), "Please activate your account", "Hello ann,"},
	}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg, err := m.compose(tt.fields, "1700000000000-0", now)
			if err != nil {
				t.Fatal(err)
			}
			subject, body, hdr := parse(t, msg.data)
			if subject != tt.wantSubject {
				t.Errorf("subject = %q, want %q", subject, tt.wantSubject)
			}
			if !strings.Contains(body, tt.wantBody) {
				t.Errorf("body %q lacks %q", body, tt.wantBody)
			}
			if msg.from != "noreply@gw.example" || msg.to != "ann@example.com" {
				t.Errorf("envelope %s → %s", msg.from, msg.to)
			}
			if got := hdr.Get("Message-Id"); got != "<1700000000000-0.0b7a3c1e-5a55-4b1e-9d3e-0a6c1f2e3d4c@gw.example>" {
				t.Errorf("Message-ID = %q", got)
			}
			if got := hdr.Get("Date"); got != "Fri, 02 Jan 2026 03:04:05 +0000" {
				t.Errorf("Date = %q", got)
			}
		})
	}
}

// parse checks the wire form (CRLF only, ASCII headers) and returns the
// decoded subject and body and the header.
func parse(t *testing.T, data []byte) (string, string, mail.Header) {
	t.Helper()
	if bytes.Contains(bytes.ReplaceAll(data, []byte("\r\n"), nil), []byte("\n")) {
		t.Fatalf("bare LF in message:\n%q", data)
	}
	head, _, _ := bytes.Cut(data, []byte("\r\n\r\n"))
	for _, b := range head {
		if b >= 0x80 {
			t.Fatalf("non-ASCII byte in header:\n%s", head)
		}
	}
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{
		"Mime-Version": "1.0", "Content-Type": "text/plain; charset=utf-8",
		"Content-Transfer-Encoding": "quoted-printable", "From": `"Gateway" <noreply@gw.example>`,
	} {
		if got := msg.Header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil {
		t.Fatal(err)
	}
	return subject, string(body), msg.Header
}

func TestComposeHeaders(t *testing.T) {
	m := testMailer(t, fstest.MapFS{
		"x/en.txt": {Data: []byte("Subject: Grüße {{.first_name}} – {{.last_name}}\n\nBody\n")},
	})
	fields := map[string]string{
		"event": "user.registered", "user": "u-1", "email": "ann@example.com", "template": "x",
		"first_name": "Jürgen", "last_name": "Evil\r\nBcc: victim@example.com",
	}
	msg, err := m.compose(fields, "5-1", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(msg.data), "\r\nBcc:") {
		t.Fatalf("header injection:\n%s", msg.data)
	}
	subject, _, hdr := parse(t, msg.data)
	if subject != "Grüße Jürgen – Evil Bcc: victim@example.com" {
		t.Errorf("subject = %q", subject)
	}
	if !strings.HasPrefix(hdr.Get("Subject"), "=?utf-8?q?") {
		t.Errorf("raw Subject %q is not RFC 2047", hdr.Get("Subject"))
	}
	to, err := hdr.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Address != "ann@example.com" || to[0].Name != "Jürgen Evil Bcc: victim@example.com" {
		t.Errorf("To = %v, %v", to, err)
	}
}

func TestLongSubjectIsFolded(t *testing.T) {
	long := strings.Repeat("Grüße ", 30)
	m := testMailer(t, fstest.MapFS{"x/en.txt": {Data: []byte("Subject: " + long + "\nBody\n")}})
	msg, err := m.compose(map[string]string{"event": "user.registered", "email": "a@example.com", "template": "x"}, "1-1", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	head, _, _ := strings.Cut(string(msg.data), "\r\n\r\n")
	for _, line := range strings.Split(head, "\r\n") {
		if len(line) > 78 {
			t.Errorf("header line of %d characters: %q", len(line), line)
		}
	}
	subject, _, _ := parse(t, msg.data)
	if subject != strings.TrimSpace(long) {
		t.Errorf("subject = %q", subject)
	}
}

func TestComposePermanentErrors(t *testing.T) {
	m := testMailer(t, nil)
	for name, fields := range map[string]map[string]string{
		"unknown event":     {"event": "user.deleted", "email": "a@example.com"},
		"no recipient":      {"event": "user.registered"},
		"bad recipient":     {"event": "user.registered", "email": "not an address"},
		"named recipient":   {"event": "user.registered", "email": "Ann <a@example.com>"},
		"injected address":  {"event": "user.registered", "email": "a@example.com\r\nBcc: b@example.com"},
		"bad to overriding": {"event": "user.registered", "email": "a@example.com", "to": "x"},
	} {
		_, err := m.compose(fields, "1-1", time.Now())
		var perm permanentError
		if !errors.As(err, &perm) {
			t.Errorf("%s: compose = %v, want a permanent error", name, err)
		}
	}
	// "to" wins over email.
	msg, err := m.compose(map[string]string{"event": "user.registered", "email": "a@example.com", "to": "n@example.com"}, "1-1", time.Now())
	if err != nil || msg.to != "n@example.com" {
		t.Fatalf("compose with to = %+v, %v", msg, err)
	}
}

func TestBrokenOverrideFailsNew(t *testing.T) {
	for name, src := range map[string]string{
		"syntax":     "Subject: {{.x\nbody",
		"no subject": "Hello\nbody",
	} {
		_, err := New(redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"}), Config{
			Realms:    []string{"shop"},
			SMTP:      SMTPConfig{Host: "h", Port: 25, From: "a@b.example", Security: SecurityNone},
			Templates: fstest.MapFS{"x/en.txt": {Data: []byte(src)}},
		}, nil)
		if err == nil {
			t.Errorf("%s: New accepted a broken template", name)
		}
	}
}

func TestBackoff(t *testing.T) {
	m := &Mailer{cfg: Config{BackoffBase: time.Second, BackoffMax: 5 * time.Minute}}
	want := []time.Duration{time.Second, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second}
	for n, w := range want {
		if got := m.backoff(int64(n)); got != w {
			t.Errorf("backoff(%d) = %v, want %v", n, got, w)
		}
	}
	if got := m.backoff(40); got != 5*time.Minute {
		t.Errorf("backoff(40) = %v", got)
	}
}

func TestNewValidates(t *testing.T) {
	ok := Config{Realms: []string{"shop"}, SMTP: SMTPConfig{Host: "h", Port: 587, From: "a@b.example"}}
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	m, err := New(client, ok, nil)
	if err != nil {
		t.Fatal(err)
	}
	if m.cfg.SMTP.Security != SecurityStartTLS || m.cfg.Group != "mailer" || m.cfg.Consumer == "" ||
		m.cfg.MaxAttempts != 8 || m.cfg.BackoffBase != time.Second || m.cfg.BackoffMax != 5*time.Minute ||
		m.cfg.StaleAfter != time.Minute || m.tlsConfig.ServerName != "h" {
		t.Errorf("defaults: %+v", m.cfg)
	}
	for name, mutate := range map[string]func(*Config){
		"no realms":            func(c *Config) { c.Realms = nil },
		"realm with brace":     func(c *Config) { c.Realms = []string{"a{b"} },
		"no host":              func(c *Config) { c.SMTP.Host = "" },
		"bad port":             func(c *Config) { c.SMTP.Port = 70000 },
		"bad from":             func(c *Config) { c.SMTP.From = "nobody" },
		"bad security":         func(c *Config) { c.SMTP.Security = "ssl" },
		"auth without TLS":     func(c *Config) { c.SMTP.Security, c.SMTP.Username = SecurityNone, "u" },
		"stale before attempt": func(c *Config) { c.SMTP.Timeout, c.StaleAfter = time.Minute, time.Second },
		"sent TTL below age":   func(c *Config) { c.MaxAge, c.SentTTL = 48*time.Hour, time.Hour },
	} {
		c := ok
		c.SMTP.TLSConfig = nil
		mutate(&c)
		if _, err := New(client, c, nil); err == nil {
			t.Errorf("%s: New accepted %+v", name, c)
		}
	}
	if _, err := New(nil, ok, nil); err == nil {
		t.Error("New accepted a nil client")
	}
	c := ok
	c.SMTP.Password = "hunter2-secret"
	if s := c.SMTP.String(); strings.Contains(s, "hunter2") {
		t.Errorf("SMTPConfig.String shows the password: %s", s)
	}
}
