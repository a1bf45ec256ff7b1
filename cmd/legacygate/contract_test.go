package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"legacygate/routes/contract"
)

func TestContractImport(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "emun1_draft.yaml")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"contract", "import", "--out", out, "../../docs/legacy/seeds/004_f867dcb5c1524480.txt"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	y, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	h, err := contract.Load("emun1_draft.yaml", y)
	if err != nil {
		t.Fatal(err)
	}
	if h.Name != "host_004_f867dcb5c1524480" || h.Prefix != "/service" || h.Operations[0].Name != "RegisterUser" {
		t.Errorf("host %s prefix %s op %s", h.Name, h.Prefix, h.Operations[0].Name)
	}
	if !strings.Contains(stderr.String(), "to check: ") || !strings.Contains(string(y), "# - ") {
		t.Errorf("no report:\n%s", stderr.String())
	}
	// Not a documentation page: a clear error, exit 1, nothing written.
	bad := filepath.Join(dir, "notes.txt")
	os.WriteFile(bad, []byte("hello\n"), 0o600)
	stderr.Reset()
	if code := run([]string{"contract", "import", "--out", filepath.Join(dir, "x.yaml"), bad}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "neither a Web API help page") {
		t.Errorf("exit %d: %s", code, stderr.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "x.yaml")); err == nil {
		t.Error("a contract was written for a bad page")
	}
}
