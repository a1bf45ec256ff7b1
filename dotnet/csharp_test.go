package dotnet

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"legacygate/codecs"
	"legacygate/routes/contract"
)

// TestCSharpShapes checks the generated declarations without Mono: POCOs
// where DataContractSerializer's default namespace fits, attributes where
// a namespace or member order needs them, across a whole inheritance chain.
func TestCSharpShapes(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "synthetic.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	h, err := contract.Load("synthetic.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	ordered := &codecs.Type{Name: "Ordered", Namespace: "http://example.org/types", Shape: codecs.ObjectShape,
		Fields: []codecs.Field{{Name: "B", Type: h.Types["Base"].Schema().Fields[1].Type, Order: 2}}}
	m, err := CSharp([]*codecs.Type{h.Types["Everything"].Schema(), ordered})
	if err != nil {
		t.Fatal(err)
	}
	src := string(m.Source)
	for _, want := range []string{
		"namespace Synthetic.Models\n{\n    public class @Everything : global::Synthetic.Base.Base\n",
		"public global::System.Collections.Generic.Dictionary<string, global::System.Collections.Generic.List<string>> @Groups { get; set; }",
		"public global::Synthetic.Enums.Level? @Level { get; set; }",
		"public global::System.DateTimeOffset? @MaybeStamp { get; set; }",
		"public decimal @Money { get; set; }",
		"[DataContract(Name = \"Ordered\", Namespace = \"http://example.org/types\")]\n    public class @Ordered",
		"[DataMember(Order = 2)]\n        public string @B { get; set; }",
		"public enum @Level\n    {\n        @Low,",
	} {
		if !strings.Contains(src, want) {
			t.Errorf("generated C# lacks %q:\n%s", want, src)
		}
	}
	if got := m.ClassName(h.Types["Child"].Schema()); got != "Synthetic.Children.Child" {
		t.Errorf("ClassName(Child) = %q", got)
	}
	if got := m.ClassName(ordered); !strings.HasPrefix(got, "LegacygateNs") || !strings.HasSuffix(got, ".Ordered") {
		t.Errorf("ClassName(Ordered) = %q", got)
	}
	// A derived attributed type drags its base into [DataContract].
	derived := &codecs.Type{Name: "Derived", Namespace: "http://example.org/other", Shape: codecs.ObjectShape, Base: h.Types["Base"].Schema()}
	m, err = CSharp([]*codecs.Type{derived})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(m.Source), "[DataContract(Name = \"Base\", Namespace = \"http://schemas.datacontract.org/2004/07/Synthetic.Base\")]") {
		t.Errorf("base of an attributed type is not attributed:\n%s", m.Source)
	}
}
