package xmlcodec

import (
	"encoding/xml"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"

	"legacygate/codecs"
)

// checkStable is the round-trip property: x1 = Append(v) is well-formed XML
// whose root is the contract (checked independently with etree and
// encoding/xml); decoding it and encoding again gives the same bytes, twice.
func checkStable(t *testing.T, v codecs.Value, typ *codecs.Type) {
	t.Helper()
	b1, err := Append(nil, v, typ)
	if err != nil {
		t.Fatalf("Append(%s): %v", show(v), err)
	}
	// Characters XML 1.0 forbids (written as "&#xN;" by XmlWriter with
	// CheckCharacters=false, and read back by .NET) are beyond the strict
	// parsers used as independent checks.
	if !strings.Contains(string(b1), "&#x") {
		checkWellFormed(t, b1, typ)
	}
	v2, err := Decode(b1, typ, DecodeOptions{MaxDepth: 1 << 20})
	checkStableRest(t, v, typ, b1, v2, err)
}

// checkWellFormed parses b1 with etree and encoding/xml.
func checkWellFormed(t *testing.T, b1 []byte, typ *codecs.Type) {
	t.Helper()
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(b1); err != nil {
		t.Fatalf("etree cannot read %q: %v", b1, err)
	}
	r := doc.Root()
	if name, ns := rootName(typ); r == nil || r.Tag != name || r.NamespaceURI() != ns {
		t.Fatalf("etree root of %q is not %s in %s", b1, name, ns)
	}
	dec := xml.NewDecoder(strings.NewReader(string(b1)))
	for {
		if _, err := dec.Token(); err != nil {
			if err.Error() != "EOF" {
				t.Fatalf("encoding/xml rejects %q: %v", b1, err)
			}
			break
		}
	}
}

func checkStableRest(t *testing.T, v codecs.Value, typ *codecs.Type, b1 []byte, v2 codecs.Value, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("Decode(Append(%s)) = %v\n%s", show(v), err, b1)
	}
	b2, err := Append(nil, v2, typ)
	if err != nil {
		t.Fatalf("Append(Decode(x)): %v", err)
	}
	v3, err := Decode(b2, typ, DecodeOptions{MaxDepth: 1 << 20})
	if err != nil {
		t.Fatalf("Decode #2: %v", err)
	}
	b3, _ := Append(nil, v3, typ)
	if string(b1) != string(b2) || string(b2) != string(b3) {
		t.Fatalf("unstable:\n%s\n%s\n%s", b1, b2, b3)
	}
	if !v2.Equal(v3) {
		t.Fatalf("values differ: %s vs %s", show(v2), show(v3))
	}
}

var textAlphabet = []string{"a", "Z", " ", "  ", "\t", "\n", "\r", "\r\n", "<", ">", "&", "\"", "'", "]]>", "é", "😀", "\x01", "\x1f", "&amp;", "\uFFFD", "x"}

func genString(r *rand.Rand) string {
	var b strings.Builder
	for n := r.IntN(6); n > 0; n-- {
		b.WriteString(textAlphabet[r.IntN(len(textAlphabet))])
	}
	return b.String()
}

func genValue(r *rand.Rand, t *codecs.Type, depth int) codecs.Value {
	if !isValueType(t) && r.IntN(6) == 0 {
		return null
	}
	switch t.Shape {
	case codecs.ObjectShape:
		p := planFor(t)
		var ms []codecs.Member
		for _, m := range p.members {
			if r.IntN(5) > 0 {
				ms = append(ms, mem(m.name, genValue(r, m.t, depth+1)))
			}
		}
		r.Shuffle(len(ms), func(i, j int) { ms[i], ms[j] = ms[j], ms[i] })
		return obj(ms...)
	case codecs.ListShape:
		var items []codecs.Value
		if depth < 4 {
			for n := r.IntN(4); n > 0; n-- {
				items = append(items, genValue(r, t.Elem, depth+1))
			}
		}
		return arr(items...)
	case codecs.MapShape:
		// Keys from the text alphabet: empty, repeated, escaped, and
		// different keys that read back equal ("\r" and "\n").
		var ms []codecs.Member
		if depth < 4 {
			for n := r.IntN(5); n > 0; n-- {
				ms = append(ms, mem(genString(r), genValue(r, t.Elem, depth+1)))
			}
		}
		return obj(ms...)
	}
	switch t.Scalar {
	case codecs.BoolT:
		return codecs.BoolV(r.IntN(2) == 0)
	case codecs.Int32T:
		return num(strconv.Itoa(int(r.Int32()) - math.MaxInt32/2))
	case codecs.Int64T:
		return num(strconv.FormatInt(r.Int64()-math.MaxInt64/2, 10))
	case codecs.DecimalT:
		return num(fmt.Sprintf("%d.%0*d", r.IntN(1e6)-5e5, r.IntN(4)+1, r.IntN(1000)))
	case codecs.DoubleT:
		switch r.IntN(8) {
		case 0:
			return num("NaN")
		case 1:
			return num("-Infinity")
		}
		return num(codecs.FormatDouble(r.NormFloat64() * math.Pow(10, float64(r.IntN(40)-20))))
	case codecs.GuidT:
		return str(fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", r.Uint32(), r.IntN(1<<16), r.IntN(1<<16), r.IntN(1<<16), r.Int64N(1<<48)))
	case codecs.DateTimeT, codecs.DateTimeOffsetT:
		sec := r.Int64N(250000000000) - 62000000000
		tt := time.Unix(sec, int64(r.IntN(1e7))*100)
		zones := []*time.Location{time.UTC, time.FixedZone("", 3600), time.FixedZone("", -(5*3600 + 30*60))}
		tt = tt.In(zones[r.IntN(len(zones))])
		if t.Scalar == codecs.DateTimeOffsetT {
			return codecs.TimeV(tt, codecs.Offset)
		}
		return codecs.TimeV(tt, codecs.TimeKind(r.IntN(3)))
	}
	return str(genString(r))
}

func TestRoundTripProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	types := []*codecs.Type{registerT, userDetailT, userRegistrationT, userDetailsT, scalarsT, writerT}
	for i := 0; i < 1500; i++ {
		typ := types[i%len(types)]
		v := genValue(r, typ, 0)
		if typ == scalarsT {
			// the enum accepts only its names
			v.Set("J", str([]string{"Red", "Green"}[r.IntN(2)]))
		}
		checkStable(t, v, typ)
	}
}

// Dictionaries, as members (ServiceStack Meta, EMUN1 Tags, value-type,
// class and DateTimeOffset values, a list of them) and as roots.
func TestRoundTripPropertyDictionaries(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	types := []*codecs.Type{dictsT, metaT, tagsT, rolesT, listOf(tagsT)}
	for i := 0; i < 1500; i++ {
		typ := types[i%len(types)]
		checkStable(t, genValue(r, typ, 0), typ)
	}
}
