package pagetext_test

import (
	"reflect"
	"strings"
	"testing"

	"legacygate/routes/pagetext"
)

func TestReduce(t *testing.T) {
	page := `<!DOCTYPE html><html><head><title>x</title><style>p{}</style><script>var a="<p>"</script></head><body>
<h1>POST Account/Register</h1><p>Registers &amp; more</p>
<table><tr><th>Name</th><th>Type</th></tr><tr><td><b>Email</b></td><td><p>string</p><p>Required</p></td></tr></table>
<pre>{
	a: 1,
  "b": 2
}</pre></body></html>`
	for _, c := range []struct {
		cells, want string
	}{
		{"|", "POST Account/Register\nRegisters & more\n| Name | Type |\n| Email | string Required |\n{\n\ta: 1,\n  \"b\": 2\n}\n"},
		{"", "POST Account/Register\nRegisters & more\nNameType\nEmailstring Required\n{\n\ta: 1,\n  \"b\": 2\n}\n"},
	} {
		got, err := pagetext.Reduce(strings.NewReader(page), pagetext.Options{Cells: c.cells})
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("cells %q:\n%s\nwant\n%s", c.cells, got, c.want)
		}
	}
}

func TestTokens(t *testing.T) {
	got := pagetext.Tokens("RegisterBindingModel| Name | Type |\n|---|---|\n| Username |\nstring |")
	want := []string{"RegisterBindingModel", "Name", "Type", "Username", "string"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%q", got)
	}
}

func FuzzReduce(f *testing.F) {
	f.Add([]byte("<table><tr><td>a<pre>b\nc</pre></td></tr></table>"))
	f.Add([]byte("<p>x<br>y</p><script>z</script>"))
	f.Fuzz(func(t *testing.T, page []byte) {
		for _, cells := range []string{"", "|"} {
			out, err := pagetext.Reduce(strings.NewReader(string(page)), pagetext.Options{Cells: cells})
			if err == nil && len(out) > 4*len(page)+16 {
				t.Fatalf("output %d bytes for %d bytes of input", len(out), len(page))
			}
		}
	})
}
