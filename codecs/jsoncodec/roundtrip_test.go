package jsoncodec

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"legacygate/codecs"
)

// afterRoundTrip is what decoding the Newtonsoft encoding of v yields: times
// and non-finite numbers are written as strings, everything else is kept.
func afterRoundTrip(v codecs.Value) codecs.Value {
	switch v.Kind {
	case codecs.Time:
		return str(string(codecs.AppendISOTime(nil, v.Time, v.TimeK)))
	case codecs.Number:
		if isNonFinite(v.Str) {
			return str(v.Str)
		}
	case codecs.Object:
		ms := make([]codecs.Member, len(v.Members))
		for i, m := range v.Members {
			ms[i] = mem(m.Name, afterRoundTrip(m.Value))
		}
		return obj(ms...)
	case codecs.Array:
		items := make([]codecs.Value, len(v.Items))
		for i, it := range v.Items {
			items[i] = afterRoundTrip(it)
		}
		return arr(items...)
	}
	return v
}

// checkRoundTrip is the round-trip property: the Newtonsoft encoding of v
// is valid UTF-8 and strict JSON, decodes (strictly and leniently) to v up to
// afterRoundTrip, and re-encodes to the same bytes.
func checkRoundTrip(t *testing.T, v codecs.Value) {
	t.Helper()
	out, err := Append(nil, v, nil, NewtonsoftDialect)
	if err != nil {
		t.Fatalf("Append(%s): %v", show(v), err)
	}
	if !utf8.Valid(out) || !json.Valid(out) {
		t.Fatalf("Append(%s) = %q: not valid UTF-8 JSON", show(v), out)
	}
	want := afterRoundTrip(v)
	for _, opt := range []DecodeOptions{{MaxDepth: 1 << 20}, {MaxDepth: 1 << 20, DotNet: true}} {
		back, err := Decode(out, opt)
		if err != nil {
			t.Fatalf("Decode(%q, %+v): %v", out, opt, err)
		}
		if !back.Equal(want) {
			t.Fatalf("round trip of %s\n  via: %s\n  got: %s\n want: %s", show(v), out, show(back), show(want))
		}
		again, err := Append(nil, back, nil, NewtonsoftDialect)
		if err != nil || string(again) != string(out) {
			t.Fatalf("re-encoding %s = %q, %v; want %q", show(back), again, err, out)
		}
	}
}

// TestRoundTripProperty checks the round-trip property on random trees.
func TestRoundTripProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(20260321, 1))
	for range 20000 {
		checkRoundTrip(t, randomValue(rng, 0))
	}
}

// TestRoundTripCorpus checks decode → encode → decode on the fuzz seeds.
func TestRoundTripCorpus(t *testing.T) {
	for _, s := range fuzzSeeds {
		v, err := Decode([]byte(s), dotnet)
		if errors.Is(err, ErrEmpty) {
			continue
		}
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Decode(%q): error %T %v is not a *SyntaxError", s, err, err)
			}
			continue
		}
		checkRoundTrip(t, v)
	}
}

var (
	numberPool = []string{"0", "-0", "1", "-1", "8", "2147483647", "-9223372036854775808", "0.5", "1.0", "-0.0",
		"1e5", "1E+5", "1e-7", "6.02214076e23", "123456789012345678901234567890", "NaN", "Infinity", "-Infinity"}
	runePool = []rune{'a', 'Z', '0', ' ', '"', '\\', '/', '\'', '<', '>', '&', 0, '\b', '\t', '\n', '\f', '\r', 0x1f, 0x7f,
		0x80, 0x85, 0xa0, 'é', 0x2028, 0x2029, '€', 0xfeff, 0xfffd, 0xffff, '😀', 0x10ffff}
	namePool = []string{"ID", "UserName", "Email", "a", "a", "", "a.b", "it's", "名前", "\u2028"}
)

func randomValue(rng *rand.Rand, depth int) codecs.Value {
	n := 7
	if depth > 4 {
		n = 5 // scalars only
	}
	switch rng.IntN(n) {
	case 0:
		return null
	case 1:
		return codecs.BoolV(rng.IntN(2) == 0)
	case 2:
		if rng.IntN(2) == 0 {
			return num(numberPool[rng.IntN(len(numberPool))])
		}
		return num(strconv.FormatFloat(rng.NormFloat64()*1e6, 'g', -1, 64))
	case 3:
		return str(randomString(rng))
	case 4:
		kinds := []codecs.TimeKind{codecs.Unspecified, codecs.UTC, codecs.Local, codecs.Offset}
		zone := time.FixedZone("", (rng.IntN(28*4)-14*4)*15*60)
		// 0001-01-02 .. 9999-12-30 UTC, so that any zone stays in .NET range.
		const lo, hi = -62135596800 + 86400, 253402300799 - 86400
		t := time.Unix(lo+rng.Int64N(hi-lo), rng.Int64N(1e9)).In(zone)
		return codecs.TimeV(t, kinds[rng.IntN(len(kinds))])
	case 5:
		ms := make([]codecs.Member, rng.IntN(5))
		for i := range ms {
			name := namePool[rng.IntN(len(namePool))]
			if rng.IntN(4) == 0 {
				name = randomString(rng)
			}
			ms[i] = mem(name, randomValue(rng, depth+1))
		}
		return obj(ms...)
	default:
		items := make([]codecs.Value, rng.IntN(5))
		for i := range items {
			items[i] = randomValue(rng, depth+1)
		}
		return arr(items...)
	}
}

func randomString(rng *rand.Rand) string {
	var b strings.Builder
	for range rng.IntN(12) {
		b.WriteRune(runePool[rng.IntN(len(runePool))])
	}
	return b.String()
}
