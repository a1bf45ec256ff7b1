package registry_test

import (
	"errors"
	"strings"
	"testing"

	"legacygate/codecs"
	"legacygate/codecs/registry"
)

var person = &codecs.Type{Name: "Person", Namespace: "http://schemas.datacontract.org/2004/07/T", Shape: codecs.ObjectShape, Nullable: true,
	Fields: []codecs.Field{
		{Name: "Name", Type: &codecs.Type{Name: "string", Shape: codecs.ScalarShape, Scalar: codecs.StringT, Nullable: true}, Order: -1},
		{Name: "Level", Type: &codecs.Type{Name: "Level", Shape: codecs.ScalarShape, Scalar: codecs.EnumT, Enum: []string{"Low", "High"}}, Order: -1},
	}}

// TestRoundTrip: every registered dialect's writer writes what its reader
// reads back, through the one reader and the one writer signature.
func TestRoundTrip(t *testing.T) {
	v := codecs.Obj(codecs.M("Name", codecs.Str("Ann")), codecs.M("Level", codecs.Str("High")))
	tests := []struct {
		format, dialect string
		want            string // substring of the written text
	}{
		{"json", registry.Newtonsoft, `"Level":1`},
		{"json", registry.NewtonsoftStringEnums, `"Level":"High"`},
		{"json", registry.ServiceStack, `"Level":"High"`},
		{"xml", registry.DataContract, `<Level>High</Level>`},
		{"form", registry.WebAPI, `Name=Ann`},
		{"form", registry.ServiceStack, `Level=High`},
		{"jsv", "latest", `Level:High`},
		{"jsv", "4.5", `Level:High`},
	}
	for _, tt := range tests {
		t.Run(tt.format+"/"+tt.dialect, func(t *testing.T) {
			c, ok := registry.Lookup(tt.format, tt.dialect)
			if !ok || c.Read == nil || c.Write == nil {
				t.Fatalf("not registered: %+v", c)
			}
			b, err := c.Write(nil, v, person, codecs.WriteOptions{})
			if err != nil || !strings.Contains(string(b), tt.want) {
				t.Fatalf("wrote %s (%v), want it to contain %s", b, err, tt.want)
			}
			got, err := c.Read(b, person, codecs.ReadOptions{Transcode: true})
			if err != nil {
				t.Fatalf("read %s: %v", b, err)
			}
			if n, _ := got.Get("Name"); n.Str != "Ann" {
				t.Errorf("read back %s", got)
			}
		})
	}
}

func TestLookup(t *testing.T) {
	for _, k := range [][2]string{{"json", "bogus"}, {"yaml", registry.Newtonsoft}, {"jsv", "0.1"}, {"jsv", "nope"}} {
		if _, ok := registry.Lookup(k[0], k[1]); ok {
			t.Errorf("%s/%s found", k[0], k[1])
		}
	}
	if len(registry.Dialects()) < 6 {
		t.Errorf("dialects: %v", registry.Dialects())
	}
	a, _ := registry.Lookup("jsv", "5.x")
	if a.Dialect != "5.x" {
		t.Errorf("jsv dialect %q", a.Dialect)
	}
}

// TestEmpty: an empty body is codecs.ErrEmpty in every dialect that has
// one, so a style needs no codec's own sentinel.
func TestEmpty(t *testing.T) {
	for _, k := range [][2]string{{"json", registry.Newtonsoft}, {"xml", registry.DataContract}, {"jsv", "latest"}} {
		c, _ := registry.Lookup(k[0], k[1])
		if _, err := c.Read(nil, person, codecs.ReadOptions{}); !errors.Is(err, codecs.ErrEmpty) {
			t.Errorf("%s/%s: %v", k[0], k[1], err)
		}
	}
}

// TestTranscode: with Transcode a UTF-16 body is read as text; the XML
// reader keeps UTF-8 bytes for its own decoding.
func TestTranscode(t *testing.T) {
	c, _ := registry.Lookup("json", registry.Newtonsoft)
	body := []byte{'{', 0, '"', 0, 'N', 0, 'a', 0, 'm', 0, 'e', 0, '"', 0, ':', 0, '"', 0, 'x', 0, '"', 0, '}', 0}
	v, err := c.Read(body, person, codecs.ReadOptions{Charset: "utf-16", Transcode: true})
	if n, _ := v.Get("Name"); err != nil || n.Str != "x" {
		t.Fatalf("utf-16: %s %v", v, err)
	}
	if _, err := c.Read(body, person, codecs.ReadOptions{Charset: "utf-16"}); err == nil {
		t.Error("read UTF-16 bytes as UTF-8 without transcoding")
	}
}
