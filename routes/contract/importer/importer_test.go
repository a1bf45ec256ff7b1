package importer_test

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"legacygate/routes/contract"
	"legacygate/routes/contract/importer"
	"legacygate/routes/helppage"
	"legacygate/routes/hosts"
	"legacygate/routes/servicestack"
	"legacygate/routes/webapi"
)

func TestImportSeedsCompile(t *testing.T) {
	files, _ := filepath.Glob("../../../docs/legacy/seeds/*.txt")
	if len(files) != 5 {
		t.Fatalf("%d seeds", len(files))
	}
	for _, f := range files {
		page, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		d, err := importer.Import(page, "imported", filepath.Base(f))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		y := d.YAML()
		if _, err := contract.Load(filepath.Base(f), y); err != nil {
			t.Errorf("%s: %v\n%s", f, err, y)
		}
		if testing.Verbose() {
			t.Logf("%s", y)
		}
	}
}

// TestImportGeneratedHTML reads the gateway's own pages as HTML: a Web API
// help page and a ServiceStack metadata page, and drafts contracts whose
// request types have the shipped members.
func TestImportGeneratedHTML(t *testing.T) {
	all, err := hosts.Load()
	if err != nil {
		t.Fatal(err)
	}
	var hub, emun *contract.Host
	for _, h := range all {
		switch h.Name {
		case "hub":
			hub = h
		case "emun1":
			emun = h
		}
	}
	p := &helppage.Pages{Mounts: []helppage.Mount{{Host: hub, Encoder: webapi.Style{}.Encoder}}}
	page, _ := p.Page("POST-Account-Register")
	md := &servicestack.Metadata{Host: emun, Prefix: "/service"}
	rec := httptest.NewRecorder()
	md.ServeHTTP(rec, httptest.NewRequest("GET", "/service/jsv/metadata?op=RegisterUser", nil), "jsv")
	for _, c := range []struct {
		page []byte
		want *contract.Type
	}{
		{page, hub.Operations[0].Request},
		{rec.Body.Bytes(), emun.Operations[0].Request},
	} {
		d, err := importer.Import(c.page, "x", "page.html")
		if err != nil {
			t.Fatal(err)
		}
		got, err := contract.Load("page.html", d.YAML())
		if err != nil {
			t.Fatalf("%v\n%s", err, d.YAML())
		}
		req := got.Operations[0].Request
		if len(req.Members) != len(c.want.Members) {
			t.Errorf("%s: %d members, shipped %d\n%s", req.Name, len(req.Members), len(c.want.Members), d.YAML())
			continue
		}
		for i, m := range req.Members {
			w := c.want.Members[i]
			if m.Name != w.Name || m.Type.Spec != w.Type.Spec && m.Type.Spec+"?" != w.Type.Spec {
				t.Errorf("%s member %d: %s %s, shipped %s %s", req.Name, i, m.Name, m.Type.Spec, w.Name, w.Type.Spec)
			}
		}
	}
}

func FuzzImport(f *testing.F) {
	files, _ := filepath.Glob("../../../docs/legacy/seeds/*.txt")
	for _, file := range files {
		b, _ := os.ReadFile(file)
		f.Add(b)
	}
	f.Add([]byte("<html><body><h1>POST a</h1><h2>Request Information</h2><h3>Body Parameters</h3><table><tr><td>x</td></tr></table></body></html>"))
	f.Fuzz(func(t *testing.T, page []byte) {
		d, err := importer.Import(page, "fuzz", "fuzz")
		if err != nil {
			return
		}
		_ = d.YAML()
	})
}

func BenchmarkImport(b *testing.B) {
	page, err := os.ReadFile("../../../docs/legacy/seeds/004_f867dcb5c1524480.txt")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := importer.Import(page, "x", "x"); err != nil {
			b.Fatal(err)
		}
	}
}
