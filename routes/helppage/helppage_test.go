package helppage_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"legacygate/routes/contract"
	"legacygate/routes/helppage"
	"legacygate/routes/hosts"
	"legacygate/routes/webapi"
)

func pages(t testing.TB) *helppage.Pages {
	t.Helper()
	all, err := hosts.Load()
	if err != nil {
		t.Fatal(err)
	}
	p := &helppage.Pages{
		Now:     func() time.Time { return time.Date(2026, 3, 21, 11, 24, 12, 916396700, time.UTC) },
		NewGUID: func() string { return "281a7011-fcfa-460c-9843-19d6e936da2a" },
	}
	for _, h := range all {
		if h.Style == contract.WebAPI {
			p.Mounts = append(p.Mounts, helppage.Mount{Host: h, Prefix: h.Prefix, Encoder: webapi.Style{}.Encoder})
		}
	}
	return p
}

func TestFriendlyID(t *testing.T) {
	for _, c := range []struct{ method, path, want string }{
		{"POST", "Account/Register", "POST-Account-Register"},
		{"GET", "Account/IsUserAvailable?username={username}", "GET-Account-IsUserAvailable_username"},
		{"GET", "api/{id}/x?a={a}&b={b}", "GET-api-id-x_a_b"},
	} {
		if got := helppage.FriendlyID(c.method, c.path); got != c.want {
			t.Errorf("FriendlyID(%s %s) = %s, want %s", c.method, c.path, got, c.want)
		}
	}
}

// TestIndexListsEveryOperation: /Help links every route of every mounted
// Web API operation, and every link resolves.
func TestIndexListsEveryOperation(t *testing.T) {
	p := pages(t)
	srv := httptest.NewServer(p)
	defer srv.Close()
	index := string(p.Index())
	n := 0
	for _, m := range p.Mounts {
		for _, op := range m.Host.Operations {
			n += len(op.Routes)
		}
	}
	apis := p.APIs()
	if len(apis) != n || n < 9 {
		t.Fatalf("%d APIs for %d routes", len(apis), n)
	}
	for _, a := range apis {
		if !strings.Contains(index, `href="/Help/Api/`+a.ID+`"`) {
			t.Errorf("index lacks %s", a.ID)
		}
		res, err := http.Get(srv.URL + "/help/api/" + strings.ToLower(a.ID))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/html; charset=utf-8" {
			t.Errorf("%s: %d %s", a.ID, res.StatusCode, res.Header.Get("Content-Type"))
		}
	}
	res, err := http.Get(srv.URL + "/Help/Api/GET-nothing%3Cscript%3E")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 404 {
		t.Errorf("unknown id: %d", res.StatusCode)
	}
}

// TestPageTables covers the parts the seeds do not show: URI parameters of
// a query-bound action, a primitive response, a lookup's list.
func TestPageTables(t *testing.T) {
	p := pages(t)
	for _, c := range []struct {
		id   string
		want []string
	}{
		{"GET-Account-IsUserAvailable_username", []string{"<h1>GET Account/IsUserAvailable?username={username}</h1>", `<td class="parameter-name">username</td>`, "<h3>Body Parameters</h3>\n<p>None.</p>", "<p>boolean</p>", "<pre class=\"wrapped\">true</pre>"}},
		{"GET-api-v1-Lookup-Language", []string{"<p>Collection of LookupItem</p>", "&#34;Code&#34;: &#34;sample string 1&#34;"}},
		{"POST-api-v1-users", []string{"<h4>text/html</h4>", "<h4>application/x-www-form-urlencoded</h4>", "Sample not available.", "Collection of globally unique identifier", "String length: inclusive between 0 and 100", "2026-03-21T11:24:12.9163967+00:00"}},
		{"POST-Account-Register", []string{"Collection of UserPartnerRoles", "&lt;d2p1:RoleID&gt;1&lt;/d2p1:RoleID&gt;", "Required</p><p>String length: inclusive between 4 and 100"}},
	} {
		page, ok := p.Page(c.id)
		if !ok {
			t.Fatalf("no page %s", c.id)
		}
		for _, w := range c.want {
			if !strings.Contains(string(page), w) {
				t.Errorf("%s lacks %q", c.id, w)
			}
		}
	}
}

// TestResourceModel: every model link of every page resolves, and an
// unknown model is a 404.
func TestResourceModel(t *testing.T) {
	p := pages(t)
	srv := httptest.NewServer(p)
	defer srv.Close()
	links := map[string]bool{}
	for _, a := range p.APIs() {
		page, _ := p.Page(a.ID)
		for _, part := range strings.Split(string(page), `href="/Help/ResourceModel?modelName=`)[1:] {
			links[part[:strings.IndexByte(part, '"')]] = true
		}
	}
	if len(links) < 8 {
		t.Fatalf("only %d model links", len(links))
	}
	for name := range links {
		res, err := http.Get(srv.URL + "/Help/ResourceModel?modelName=" + name)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Errorf("%s: %d", name, res.StatusCode)
		}
	}
	page, _ := p.ResourceModel("userdetail")
	if !strings.Contains(string(page), "<h1>UserDetail</h1>") || !strings.Contains(string(page), "Collection of UserPartnerRoles") {
		t.Errorf("UserDetail page:\n%s", page)
	}
	res, err := http.Get(srv.URL + "/Help/ResourceModel?modelName=%3Cb%3E")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 404 {
		t.Errorf("unknown model: %d", res.StatusCode)
	}
}

func BenchmarkPage(b *testing.B) {
	p := pages(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := p.Page("POST-api-v1-users"); !ok {
			b.Fatal("no page")
		}
	}
}
