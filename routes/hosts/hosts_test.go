package hosts_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"legacygate/backend/mailer"
	"legacygate/routes/hosts"
)

func shipped(t *testing.T, host string) []byte {
	t.Helper()
	data, err := fs.ReadFile(hosts.Embedded(), host+"/contract.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func renamed(t *testing.T, model, host string) []byte {
	t.Helper()
	return []byte(strings.Replace(string(shipped(t, model)), "\nhost: "+model+"\n", "\nhost: "+host+"\n", 1))
}

// TestShippedBundles: every shipped bundle loads, and its mail templates
// parse and render (the mailer reads them as <host>/<lang>.txt).
func TestShippedBundles(t *testing.T) {
	set, err := hosts.Open("")
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Bundles) < 5 {
		t.Fatalf("%d bundles", len(set.Bundles))
	}
	mail := set.Mail()
	if err := mailer.CheckTemplates(mail); err != nil {
		t.Fatal(err)
	}
	for _, host := range []string{"fls", "rpost"} {
		for _, lang := range []string{"en", "de"} {
			if _, err := fs.Stat(mail, host+"/"+lang+".txt"); err != nil {
				t.Errorf("%s/%s.txt: %v", host, lang, err)
			}
		}
	}
	if err := fstest.TestFS(mail, "fls/en.txt", "rpost/de.txt"); err != nil {
		t.Fatal(err)
	}
}

// TestOverlay: a contracts_dir bundle of a shipped host's name replaces it;
// others are added; the shipped set is untouched otherwise.
func TestOverlay(t *testing.T) {
	dir := t.TempDir()
	hub := strings.Replace(string(shipped(t, "hub")), "\ntitle: ", "\ntitle: Replaced ", 1)
	if err := os.WriteFile(filepath.Join(dir, "my-hub.yaml"), []byte(hub), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "acme", "mail"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "acme", "contract.yaml"), renamed(t, "rpost", "acme"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "acme", "mail", "en.txt"), []byte("Subject: Welcome to Acme\n\nOpen {{.Link}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	set, err := hosts.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if b := set.Bundle("hub"); b == nil || b.Source != dir || !strings.HasPrefix(b.Host.Title, "Replaced ") {
		t.Fatalf("hub bundle %+v, want the contracts_dir's", b)
	}
	if b := set.Bundle("fls"); b == nil || b.Source != "embedded" {
		t.Fatalf("fls bundle %+v, want the shipped one", b)
	}
	if _, err := fs.Stat(set.Mail(), "acme/en.txt"); err != nil {
		t.Fatalf("acme's mail template: %v", err)
	}
	for i := 1; i < len(set.Bundles); i++ {
		if set.Bundles[i-1].Host.Name >= set.Bundles[i].Host.Name {
			t.Fatalf("bundles not sorted by host name: %s, %s", set.Bundles[i-1].Host.Name, set.Bundles[i].Host.Name)
		}
	}
}

// TestLayerErrors: every broken bundle of a layer is reported, with its
// path; none names a Go type.
func TestLayerErrors(t *testing.T) {
	layer := fstest.MapFS{
		"one.yaml":              {Data: renamed(t, "hub", "twin")},
		"two/contract.yaml":     {Data: renamed(t, "hub", "twin")},
		"empty/readme.txt":      {Data: []byte("x")},
		"odd/contract.yaml":     {Data: renamed(t, "fls", "odd")},
		"odd/notes.md":          {Data: []byte("x")},
		"mail/contract.yaml":    {Data: renamed(t, "rpost", "mailbad")},
		"mail/mail/en.txt":      {Data: []byte("Hello\n")},
		"fix/contract.yaml":     {Data: renamed(t, "emun1", "fix")},
		"fix/fixtures.yaml":     {Data: []byte("users: {username: x}\n")},
		"bad/contract.yaml":     {Data: []byte("host: bad\nstyle: webapi\nformats: [{format: json, media_types: [application/json]}]\ntypes:\n  T:\n    members:\n      - {name: A, type: string, rules: [{length: [2, 9.5]}]}\n")},
		"README.md":             {Data: []byte("not a bundle")},
		".hidden/contract.yaml": {Data: []byte("garbage: [")},
	}
	_, err := hosts.ReadLayer(layer, "/etc/legacygate/hosts")
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	for _, want := range []string{
		`/etc/legacygate/hosts/two: host "twin" is also declared by /etc/legacygate/hosts/one.yaml`,
		`/etc/legacygate/hosts/empty: folder has no contract.yaml`,
		`/etc/legacygate/hosts/odd: unknown bundle entry "notes.md"`,
		`/etc/legacygate/hosts/mail/mail: template en.txt: first line is not "Subject: …"`,
		`/etc/legacygate/hosts/fix/fixtures.yaml:1:1: users: found a mapping where a list is expected`,
		`/etc/legacygate/hosts/bad/contract.yaml:7:`,
		`types.T.members[0].rules[0]`,
		`max must be a whole number, found "9.5"`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("errors lack %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "hidden") || strings.Contains(msg, "README") {
		t.Errorf("hidden entries and other files are not bundles:\n%s", msg)
	}
	for _, goType := range []string{"hosts.", "contract.raw", "[]hosts", "struct {", "!!"} {
		if strings.Contains(msg, goType) {
			t.Errorf("errors name a Go type (%s):\n%s", goType, msg)
		}
	}
}

// TestPrelude: the ServiceStack built-ins come from the style's prelude,
// not from any host contract, and reach every host of the style.
func TestPrelude(t *testing.T) {
	builtins := []string{"ResponseStatus", "ResponseError", "UserAuth", "Authenticate", "AuthenticateResponse", "RegisterResponse"}
	err := fs.WalkDir(hosts.Embedded(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, "contract.yaml") {
			return err
		}
		data, err := fs.ReadFile(hosts.Embedded(), p)
		if err != nil {
			return err
		}
		for _, name := range []string{"ResponseStatus:", "ResponseError:", "AuthenticateResponse:", "RegisterResponse:", "  Authenticate:"} {
			if strings.Contains(string(data), "\n  "+strings.TrimSpace(name)+"\n") {
				t.Errorf("%s declares the built-in %s", p, name)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	set, err := hosts.Open("")
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range set.Bundles {
		if b.Host.Style != "servicestack" {
			if _, ok := b.Host.Types["ResponseStatus"]; ok {
				t.Errorf("%s (%s) got ServiceStack's prelude", b.Host.Name, b.Host.Style)
			}
			continue
		}
		for _, name := range builtins {
			if b.Host.Types[name] == nil {
				t.Errorf("%s: no %s from the prelude", b.Host.Name, name)
			}
		}
		if b.Host.Operation("Authenticate") == nil {
			t.Errorf("%s: no Authenticate operation", b.Host.Name)
		}
	}
	// digitaluapi adjusts UserAuth.RefId only; the other members stay.
	ua := set.Bundle("digitaluapi").Host.Types["UserAuth"]
	if m := ua.Member("RefId"); m == nil || m.From == nil || m.From.Text != "user.attr.PartnerUserID" {
		t.Errorf("digitaluapi UserAuth.RefId = %+v, want the host's mapping", m)
	}
	if ua.Member("Company") == nil || len(ua.Members) < 30 {
		t.Errorf("digitaluapi UserAuth lost the prelude's members: %d", len(ua.Members))
	}
}
