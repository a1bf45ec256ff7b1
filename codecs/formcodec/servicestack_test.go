package formcodec

import (
	"errors"
	"testing"

	"legacygate/codecs"
	"legacygate/codecs/jsvcodec"
)

var ssReq = func() *codecs.Type {
	str := &codecs.Type{Name: "string", Shape: codecs.ScalarShape, Scalar: codecs.StringT, Nullable: true}
	i32 := &codecs.Type{Name: "int", Shape: codecs.ScalarShape, Scalar: codecs.Int32T}
	b := &codecs.Type{Name: "boolean", Shape: codecs.ScalarShape, Scalar: codecs.BoolT}
	list := &codecs.Type{Name: "ArrayOfstring", Shape: codecs.ListShape, Elem: str, Nullable: true}
	rep := &codecs.Type{Name: "Rep", Shape: codecs.ObjectShape, Nullable: true, Fields: []codecs.Field{{Name: "Id", Type: str, Order: -1}}}
	base := &codecs.Type{Name: "Base", Shape: codecs.ObjectShape, Nullable: true, Fields: []codecs.Field{{Name: "Inherited", Type: str, Order: -1}}}
	return &codecs.Type{Name: "Req", Shape: codecs.ObjectShape, Nullable: true, Base: base, Fields: []codecs.Field{
		{Name: "Name", Type: str, Order: -1}, {Name: "Age", Type: i32, Order: -1}, {Name: "Ok", Type: b, Order: -1},
		{Name: "Tags", Type: list, Order: -1}, {Name: "Rep", Type: rep, Order: -1}}}
}()

func TestReadServiceStack(t *testing.T) {
	pairs := func(kv ...string) []Pair {
		var out []Pair
		for i := 0; i < len(kv); i += 2 {
			out = append(out, Pair{kv[i], kv[i+1]})
		}
		return out
	}
	tests := []struct {
		name   string
		base   codecs.Value
		layers []Layer
		want   string // codecs.Value.String of the result
		errs   []string
	}{
		{"strings raw, others JSV, names folded", codecs.Obj(), []Layer{{Pairs: pairs("name", "{a:1}", "AGE", "42", "tags", "a,b", "rep", "{Id:x}", "inherited", "i"), Overwrite: true}},
			codecs.Obj(codecs.M("Name", codecs.Str("{a:1}")), codecs.M("Age", codecs.Num("42")), codecs.M("Tags", codecs.Arr(codecs.Str("a"), codecs.Str("b"))),
				codecs.M("Rep", codecs.Obj(codecs.M("Id", codecs.Str("x")))), codecs.M("Inherited", codecs.Str("i"))).String(), nil},
		{"bool takes the text before a comma (checkbox pair)", codecs.Obj(), []Layer{{Pairs: pairs("Ok", "true,false"), Overwrite: true}},
			codecs.Obj(codecs.M("Ok", codecs.BoolV(true))).String(), nil},
		{"unknown keys and empty values skipped", codecs.Obj(codecs.M("Name", codecs.Str("body"))), []Layer{{Pairs: pairs("Nope", "1", "Name", ""), Overwrite: true}},
			codecs.Obj(codecs.M("Name", codecs.Str("body"))).String(), nil},
		{"later layer wins; overlaid members go after the body's others", codecs.Obj(codecs.M("name", codecs.Str("body")), codecs.M("Age", codecs.Num("1"))),
			[]Layer{{Pairs: pairs("Name", "path"), Overwrite: true}, {Pairs: pairs("Name", "query"), Overwrite: true}},
			codecs.Obj(codecs.M("Age", codecs.Num("1")), codecs.M("Name", codecs.Str("query"))).String(), nil},
		{"without overwrite only defaults fill", codecs.Obj(codecs.M("Name", codecs.Str("body")), codecs.M("Age", codecs.Num("0"))),
			[]Layer{{Pairs: pairs("Name", "q", "Age", "7")}},
			codecs.Obj(codecs.M("Name", codecs.Str("body")), codecs.M("Age", codecs.Num("7"))).String(), nil},
		{"bad values are reported and left out", codecs.Obj(), []Layer{{Pairs: pairs("Age", "old", "Name", "n"), Overwrite: true}},
			codecs.Obj(codecs.M("Name", codecs.Str("n"))).String(), []string{"Age=old"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadServiceStack(tt.base, ssReq, tt.layers, jsvcodec.Release{})
			if got.String() != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			var fe FieldErrors
			errors.As(err, &fe)
			var errs []string
			for _, e := range fe {
				errs = append(errs, e.Member+"="+e.Raw)
			}
			if len(errs) != len(tt.errs) || len(errs) > 0 && errs[0] != tt.errs[0] {
				t.Errorf("errors %v, want %v", errs, tt.errs)
			}
		})
	}
}

// FuzzReadServiceStack: any form text reads, with or without errors,
// without a panic, and every member it yields is one the schema declares.
func FuzzReadServiceStack(f *testing.F) {
	for _, s := range []string{"Name=a&Age=1", "tags=[a,b]&rep={Id:x}", "Ok=true,false", "Age=%ZZ&rep={", "tags=[[[[", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		pairs, err := Parse(s, 1000)
		if err != nil {
			return
		}
		v, _ := ReadServiceStack(codecs.Obj(), ssReq, []Layer{{Pairs: pairs, Overwrite: true}}, jsvcodec.Release{})
		for _, m := range v.Members {
			if _, ok := ssReq.Field(m.Name); !ok {
				t.Fatalf("member %q is not declared", m.Name)
			}
		}
	})
}

// BenchmarkReadServiceStack: a custom route's path parameter and query laid
// over a decoded body, as every ServiceStack request does.
func BenchmarkReadServiceStack(b *testing.B) {
	base := codecs.Obj(codecs.M("Name", codecs.Str("body")), codecs.M("Tags", codecs.Arr(codecs.Str("a"))))
	layers := []Layer{{Pairs: []Pair{{"Name", "path"}}, Overwrite: true}, {Pairs: []Pair{{"age", "42"}, {"ok", "true,false"}}, Overwrite: true}}
	b.ReportAllocs()
	for b.Loop() {
		v := base
		v.Members = append(make([]codecs.Member, 0, 4), base.Members...)
		if _, err := ReadServiceStack(v, ssReq, layers, jsvcodec.Release{}); err != nil {
			b.Fatal(err)
		}
	}
}
