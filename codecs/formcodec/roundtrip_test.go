package formcodec

import (
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"legacygate/codecs"
)

func FuzzDecodeWebAPI(f *testing.F) {
	node := objT("Node", nil, fieldT("Name", stringT))
	node.Fields = append(node.Fields, fieldT("Child", node), fieldT("Kids", listT(node)),
		fieldT("Map", &codecs.Type{Shape: codecs.MapShape, Elem: node}))
	self := &codecs.Type{Name: "L", Shape: codecs.ListShape}
	self.Elem = self
	wide := objT("Wide", nil, fieldT("Blob", scalarT(codecs.BytesT)), fieldT("Grid", listT(listT(stringT))),
		fieldT("Tags", &codecs.Type{Shape: codecs.ListShape, Elem: stringT, Set: true}))
	schemas := []*codecs.Type{registerT, node, self, stringT, listT(addressT), wide, listT(listT(intT))}
	for _, s := range []string{
		"", "&", "=", "a", "Email=a%40b.c&Password=x", "IsActive=true&IsActive=false",
		"Address.City=P&Address[Zip]=1", "Tags[]=a&Tags[]=b", "Tags[0]=a&Tags[2]=c", "Tags.index=1&Tags[1]=x",
		"Addresses[0][City]=A", "Meta[0].Key=a&Meta[0].Value=b", "Matrix=1&Matrix[0][0]=2",
		"a[=1", "%5B=1", "a[b[c]]=1", "Name=r&Child.Child.Kids[0].Map[0].Key=k&Child.Child.Kids[0].Map[0].Value.Name=v",
		"=x&=y&[0]=z", "Kids=a&Kids.Name=b", "%zz=%E2%82&+=%u0041", "\xff=\xc3%a9",
		"Blob=1&Blob[1]=2&Grid[0][1]=x&Tags=a&Tags=a", "[0][0]=1&[1][0]=2",
	} {
		for i := range schemas {
			f.Add(s, uint8(i))
		}
	}
	f.Fuzz(func(t *testing.T, body string, which uint8) {
		schema := schemas[int(which)%len(schemas)]
		pairs, err := Parse(body, 1000)
		if err != nil {
			if !errors.Is(err, ErrTooManyKeys) {
				t.Fatalf("Parse(%q): %v", body, err)
			}
			return
		}
		for _, p := range pairs {
			if !utf8.ValidString(p.Key) || !utf8.ValidString(p.Value) {
				t.Fatalf("Parse(%q): ill-formed UTF-8 in %q", body, p)
			}
		}
		v, err := DecodeWebAPI(pairs, schema)
		if errors.Is(err, ErrTooComplex) {
			return
		}
		if err != nil {
			if !errors.Is(err, ErrMissingBracket) || !strings.Contains(body, "[") && !strings.Contains(body, "%5") {
				t.Fatalf("DecodeWebAPI(%q): unexpected error %v", body, err)
			}
			return
		}
		if len(pairs) == 0 && v.Kind != codecs.Null {
			t.Fatalf("DecodeWebAPI(%q) = %s, want null", body, show(v))
		}
		checkShape(t, body, v, schema, 0)
	})
}

// checkShape verifies that v fits schema t: member names are t's field
// names in t's order, scalars are strings or null.
func checkShape(t *testing.T, body string, v codecs.Value, s *codecs.Type, depth int) {
	t.Helper()
	if depth > maxBindDepth+2 {
		t.Fatalf("DecodeWebAPI(%q): value deeper than the bind limit", body)
	}
	if v.Kind == codecs.Null {
		return
	}
	switch {
	case s != nil && s.Shape == codecs.ScalarShape && s.Scalar == codecs.BytesT:
		checkShape(t, body, v, byteList, depth) // a byte[] binds as an array
	case s == nil || s.Shape == codecs.ScalarShape:
		if v.Kind != codecs.String || strings.TrimFunc(v.Str, unicode.IsSpace) == "" {
			t.Fatalf("DecodeWebAPI(%q): scalar %s", body, show(v))
		}
	case s.Shape == codecs.ObjectShape:
		fields := s.AllFields()
		j := 0
		for _, m := range v.Members {
			for j < len(fields) && fields[j].Name != m.Name {
				j++
			}
			if j == len(fields) {
				t.Fatalf("DecodeWebAPI(%q): member %q not in schema order", body, m.Name)
			}
			checkShape(t, body, m.Value, fields[j].Type, depth+1)
			j++
		}
	case s.Shape == codecs.ListShape:
		if v.Kind != codecs.Array {
			t.Fatalf("DecodeWebAPI(%q): list %s", body, show(v))
		}
		for _, it := range v.Items {
			checkShape(t, body, it, s.Elem, depth+1)
		}
	case s.Shape == codecs.MapShape:
		if v.Kind != codecs.Object {
			t.Fatalf("DecodeWebAPI(%q): map %s", body, show(v))
		}
		for _, m := range v.Members {
			checkShape(t, body, m.Value, s.Elem, depth+1)
		}
	}
}

// roundTripT is the schema of the round trip: strings, ints, bools, a
// nested object and a string list.
var roundTripT = objT("Profile", nil,
	fieldT("Name", stringT),
	fieldT("Age", intT),
	fieldT("Active", boolT),
	fieldT("Home", objT("Address", nil, fieldT("Street", stringT), fieldT("Number", intT), fieldT("Verified", boolT))),
	fieldT("Tags", listT(stringT)),
	fieldT("Note", stringT),
)

// pieces make up the generated strings: separators, escapes, '+',
// brackets, dots, white space and non-ASCII text.
var pieces = []string{"a", "Z", "0", " ", "  ", "\t", "&", "=", "+", "%", "%2", "%zz", "%41", "[", "]", "[0]", ".", "é", "€", "😀", "\u00a0", "a b", "x=y&z", ""}

func genString(r *rand.Rand) string {
	var b strings.Builder
	for range r.IntN(5) {
		b.WriteString(pieces[r.IntN(len(pieces))])
	}
	return b.String()
}

func genScalar(r *rand.Rand, s *codecs.Type) codecs.Value {
	if s.Nullable && r.IntN(6) == 0 {
		return null
	}
	switch s.Scalar {
	case codecs.Int32T:
		return codecs.Num(strconv.Itoa(r.IntN(2001) - 1000))
	case codecs.BoolT:
		return codecs.BoolV(r.IntN(2) == 0)
	}
	return str(genString(r))
}

// genValue generates a value of schema s with random member names casing
// and members left out at random.
func genValue(r *rand.Rand, s *codecs.Type) codecs.Value {
	switch s.Shape {
	case codecs.ObjectShape:
		v := obj()
		for _, f := range s.AllFields() {
			if r.IntN(4) == 0 {
				continue
			}
			name := f.Name
			if r.IntN(3) == 0 {
				name = strings.ToLower(name)
			}
			v.Members = append(v.Members, mem(name, genValue(r, f.Type)))
		}
		return v
	case codecs.ListShape:
		if r.IntN(6) == 0 {
			return null
		}
		items := make([]codecs.Value, r.IntN(5))
		for i := range items {
			items[i] = genValue(r, s.Elem)
		}
		return arr(items...)
	}
	return genScalar(r, s)
}

// afterRoundTrip is what DecodeWebAPI(Parse(Encode(v))) yields for a value
// of schema s: names become the schema's; nulls, empty lists and objects
// with nothing written vanish; blank strings become null; numbers and bools
// become their text. ok is false when nothing of v is written.
func afterRoundTrip(v codecs.Value, s *codecs.Type) (codecs.Value, bool) {
	switch v.Kind {
	case codecs.Null:
		return null, false
	case codecs.Object:
		out := obj()
		for _, f := range s.AllFields() {
			m, ok := v.GetFold(f.Name)
			if !ok {
				continue
			}
			if mv, ok := afterRoundTrip(m, f.Type); ok {
				out.Members = append(out.Members, mem(f.Name, mv))
			}
		}
		return out, len(out.Members) > 0
	case codecs.Array:
		items := make([]codecs.Value, len(v.Items))
		for i, it := range v.Items {
			items[i], _ = afterRoundTrip(it, s.Elem) // a null item is written as "a[i]="
		}
		return arr(items...), len(items) > 0
	case codecs.Bool:
		return str(strconv.FormatBool(v.Bool)), true
	case codecs.Number:
		return str(v.Str), true
	case codecs.String:
		return scalarValue(v.Str), true
	}
	return null, false
}

func TestRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 3000 {
		v := genValue(r, roundTripT)
		body := string(Encode(nil, v))
		pairs, err := Parse(body, 1000)
		if err != nil {
			t.Fatalf("#%d Parse(%q): %v", i, body, err)
		}
		got, err := DecodeWebAPI(pairs, roundTripT)
		if err != nil {
			t.Fatalf("#%d DecodeWebAPI(%q): %v", i, body, err)
		}
		want, ok := afterRoundTrip(v, roundTripT)
		if !ok && body == "" {
			want = null // no pairs at all
		}
		if !got.Equal(want) {
			t.Fatalf("#%d round trip of %s via %q\n got: %s\nwant: %s", i, show(v), body, show(got), show(want))
		}
	}
}

func TestEncode(t *testing.T) {
	ist := time.FixedZone("IST", 5*3600+30*60)
	at := time.Date(2026, 3, 21, 11, 24, 12, 916396700, ist)
	tests := []struct {
		name string
		give codecs.Value
		want string
	}{
		{"scalars", obj(mem("Name", str("Ann Lee")), mem("Age", codecs.Num("42")), mem("Active", codecs.BoolV(true)), mem("Off", codecs.BoolV(false))),
			"Name=Ann+Lee&Age=42&Active=true&Off=false"},
		{"escapes", obj(mem("E", str("a@b.c&x=y+z%/?é"))), "E=a%40b.c%26x%3dy%2bz%25%2f%3f%c3%a9"},
		{"safe characters kept", obj(mem("S", str("-_.!*()AZaz09"))), "S=-_.!*()AZaz09"},
		{"names escaped", obj(mem("a b&c", str("1"))), "a+b%26c=1"},
		{"nested with dots", obj(mem("Address", obj(mem("City", str("Paris")), mem("Zip", codecs.Num("75001"))))),
			"Address.City=Paris&Address.Zip=75001"},
		{"lists indexed", obj(mem("Tags", arr(str("a"), str("b")))), "Tags%5b0%5d=a&Tags%5b1%5d=b"},
		{"list of objects", obj(mem("L", arr(obj(mem("X", str("1"))), obj(mem("X", str("2")))))), "L%5b0%5d.X=1&L%5b1%5d.X=2"},
		{"nested lists", obj(mem("M", arr(arr(str("1")), arr(str("2"))))), "M%5b0%5d%5b0%5d=1&M%5b1%5d%5b0%5d=2"},
		{"null member omitted", obj(mem("A", null), mem("B", str("b"))), "B=b"},
		{"null item kept empty", obj(mem("T", arr(str("a"), null, str("c")))), "T%5b0%5d=a&T%5b1%5d=&T%5b2%5d=c"},
		{"empty string written", obj(mem("A", str(""))), "A="},
		{"empty list and object write nothing", obj(mem("A", arr()), mem("B", obj()), mem("C", str("c"))), "C=c"},
		{"time iso", obj(mem("At", codecs.TimeV(at, codecs.Offset)), mem("U", codecs.TimeV(at, codecs.UTC))),
			"At=2026-03-21T11%3a24%3a12.9163967%2b05%3a30&U=2026-03-21T05%3a54%3a12.9163967Z"},
		{"top-level scalar", str("v"), "=v"},
		{"top-level null", null, ""},
		{"top-level list", arr(str("a")), "%5b0%5d=a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(Encode([]byte("prefix:"), tt.give))
			if got != "prefix:"+tt.want {
				t.Errorf("Encode(%s)\n got: %s\nwant: prefix:%s", show(tt.give), got, tt.want)
			}
		})
	}
}
