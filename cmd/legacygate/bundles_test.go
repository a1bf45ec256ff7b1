package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/zap"
)

// dropInDir writes a contracts_dir holding a new Web API host (a copy of
// hub named acme, under /acme) and returns it.
func dropInDir(t *testing.T) string {
	t.Helper()
	src, err := os.ReadFile("../../routes/hosts/hub/contract.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c := strings.Replace(string(src), "\nhost: hub\n", "\nhost: acme\nprefix: /acme\n", 1)
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "acme"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "acme", "contract.yaml"), []byte(c), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestContractCheck: the command accepts good bundles and prints every
// error of bad ones with file, line and YAML path.
func TestContractCheck(t *testing.T) {
	good := dropInDir(t)
	code, out, errOut := runBinary(t, "", "contract", "check", good, filepath.Join(good, "acme"), filepath.Join(good, "acme", "contract.yaml"), "../../routes/hosts")
	if code != 0 || strings.Count(out, ": ok") != 4 {
		t.Fatalf("good bundles: %d\n%s%s", code, out, errOut)
	}
	bad := t.TempDir()
	files := map[string]string{
		"x/contract.yaml": "host: x\nstyle: webapi\nformats: [{format: json, media_types: [application/json]}]\ntypes:\n  T:\n    members:\n      - {name: A, type: string, rules: [{length: {min: 2, max: 9.5}}]}\n      - {name: B, type: nope}\n",
		"y.yaml":          "host: y\nstyl: webapi\n",
	}
	for name, data := range files {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(bad, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(bad, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errOut = runBinary(t, "", "contract", "check", bad)
	if code != 1 {
		t.Fatalf("bad bundles: status %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{
		filepath.ToSlash(bad) + "/x/contract.yaml:7:",
		"types.T.members[0].rules[0]",
		`max must be a whole number, found "9.5"`,
		filepath.ToSlash(bad) + "/x/contract.yaml:8:",
		`unknown type "nope"`,
		filepath.ToSlash(bad) + "/y.yaml:2:1: styl: unknown key",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if code, _, errOut := runBinary(t, "", "contract", "lint", bad); code != 2 {
		t.Errorf("unknown verb: status %d %s", code, errOut)
	}
}

// TestServeContractsDir: a host bundle in contracts_dir is served by the
// unchanged binary's serve, beside the shipped hosts.
func TestServeContractsDir(t *testing.T) {
	cfg := testConfig()
	cfg.ContractsDir = dropInDir(t)
	cfg.Hosts = []HostConfig{{Name: "acme"}, {Name: "hub"}}
	g := startServe(t, cfg, nil)
	addr := g.addr(cfg.Listen)
	body := `{"Username":"new@example.com","Email":"new@example.com","Password":"Secret-123","ConfirmPassword":"Secret-123"}`
	for _, path := range []string{"/acme/Account/Register", "/Account/Register"} {
		res, err := http.Post("http://"+addr+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || !strings.Contains(string(b), `"UserName":"new@example.com"`) {
			t.Fatalf("%s: %d %s", path, res.StatusCode, b)
		}
	}
	// Both hosts are Web API: an unclaimed path gets the first host's 404.
	res, err := http.Get("http://" + addr + "/nowhere")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound || !strings.Contains(string(b), "No HTTP resource was found") {
		t.Fatalf("unclaimed path: %d %s", res.StatusCode, b)
	}
	if err := g.Stop(); err != nil {
		t.Fatal(err)
	}
	cfg.FallbackHost = "rpost"
	if err := serve(context.Background(), cfg, zap.NewNop(), nil); err == nil || !strings.Contains(err.Error(), `fallback_host "rpost" is not a mounted host`) {
		t.Fatalf("fallback_host of an unmounted host: %v", err)
	}
}
