package dotnet

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"legacygate/codecs"
)

// valuesPerType is how many generated values each differential test
// compares per contract type: a CI-sized default, or
// LEGACYGATE_DOTNET_CAMPAIGN for a longer campaign.
func valuesPerType(def int) int {
	if n, err := strconv.Atoi(os.Getenv("LEGACYGATE_DOTNET_CAMPAIGN")); err == nil && n > 0 {
		return n
	}
	return def
}

// gen makes values of a schema: nulls, empty and non-ASCII strings,
// control characters, XML and JSON specials, extreme numbers and dates,
// empty and long lists, dictionaries. Objects hold every member in
// AllFields order (the order the gateway's response mapping builds).
type gen struct {
	r *rand.Rand
	// enumNumbers writes enums as their index (Json.NET's default), else
	// by name (DataContractSerializer); decimals then carry a decimal place.
	enumNumbers bool
	// omit sometimes leaves a member out (the XML writer writes its
	// default or nil).
	omit bool
}

var specialStrings = []string{
	"", " ", "  padded  ", "a", "Ann", "ann@example.com", "é", "Ünïcödé", "日本語", "😀", "a😀b",
	"\t", "\n", "\r\n", "\r", "line1\nline2", "a\x01b", "\x00", "\x1f", "\x7f", "\u0085", "\u2028", "\u2029",
	"\ufffd", "\ufffe", "\uffff", "\U0010ffff", `<>&"'`, "]]>", "&amp;", "&#x41;", "<X/>", "d2p1:x", "xmlns",
	"i:nil", `{"a":1}`, `\u0041`, "\\", "/", "0001-01-01T00:00:00", "2026-03-21T11:24:12.9163967+00:00", "00000000-0000-0000-0000-000000000000",
	"true", "null", "1e400", "\u00a0", "\u200b", "\u0301e",
}

var runeClasses = [][]rune{
	[]rune("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .-_@"),
	[]rune("<>&\"'/\\;=:[]{}#%+"),
	[]rune("\t\n\r\x01\x02\x08\x0b\x0c\x1b\x1f\x7f\u0085"),
	[]rune("éüßøåçñÆŒ¡¿€£¥"),
	[]rune("日本語中文한국어עבריתالعربية"),
	[]rune("😀🎉𝄞\U0010ffff"),
	[]rune("\u00a0\u2028\u2029\u200b\ufeff\ufffd\ufffe\uffff"),
}

func (g *gen) str() string {
	switch g.r.IntN(4) {
	case 0:
		return specialStrings[g.r.IntN(len(specialStrings))]
	case 1:
		if g.r.IntN(10) == 0 {
			return g.runes(1000 + g.r.IntN(4000))
		}
	}
	return g.runes(g.r.IntN(24))
}

func (g *gen) runes(n int) string {
	var b strings.Builder
	cls := runeClasses[g.r.IntN(len(runeClasses))]
	for i := 0; i < n; i++ {
		if g.r.IntN(8) == 0 {
			cls = runeClasses[g.r.IntN(len(runeClasses))]
		}
		b.WriteRune(cls[g.r.IntN(len(cls))])
	}
	return b.String()
}

var maxTime = time.Date(9999, 12, 31, 23, 59, 59, 999999900, time.UTC)

func (g *gen) time() time.Time {
	switch g.r.IntN(8) {
	case 0:
		return codecs.MinTime
	case 1:
		return maxTime
	case 2:
		return time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	case 3: // whole seconds: no fraction is written
		return time.Unix(g.r.Int64N(1<<36)-1<<35, 0).UTC()
	}
	span := maxTime.Unix() - codecs.MinTime.Unix()
	return time.Unix(codecs.MinTime.Unix()+g.r.Int64N(span), int64(g.r.IntN(10_000_000))*100).UTC()
}

func (g *gen) number(t *codecs.Type) string {
	switch t.Scalar {
	case codecs.Int32T:
		return strconv.Itoa(int([]int32{0, 1, -1, math.MaxInt32, math.MinInt32, g.r.Int32(), -g.r.Int32N(1000)}[g.r.IntN(7)]))
	case codecs.Int64T:
		return strconv.FormatInt([]int64{0, 1, -1, math.MaxInt64, math.MinInt64, g.r.Int64(), -g.r.Int64N(1 << 40)}[g.r.IntN(7)], 10)
	case codecs.DecimalT:
		d := []string{"0", "1", "-1", "1.10", "0.0000000000000000000000000001", "79228162514264337593543950335",
			"-79228162514264337593543950335", strconv.Itoa(g.r.IntN(1e6)) + "." + strconv.Itoa(g.r.IntN(1000))}[g.r.IntN(8)]
		if g.enumNumbers && !strings.Contains(d, ".") && len(strings.TrimPrefix(d, "-")) < 29 {
			// Json.NET writes a decimal with a decimal place and reads
			// the scale back ("0.0" is 0.0m); the bytes comparison
			// checks the ".0", the value comparison starts from it. A
			// 29-digit decimal has no room for the scale: Json.NET reads
			// "79228162514264337593543950335.0" back with scale 0.
			d += ".0"
		}
		return d
	}
	f := []float64{0, 1, -1.5, math.MaxFloat64, math.SmallestNonzeroFloat64, math.Inf(1), math.Inf(-1), math.NaN(), g.r.NormFloat64() * 1e10}[g.r.IntN(9)]
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	// The literal the gateway holds for a double (xmlcodec and the binders
	// normalise to .NET's "R" text).
	return codecs.FormatDouble(f)
}

func (g *gen) guid() string {
	if g.r.IntN(10) == 0 {
		return "00000000-0000-0000-0000-000000000000"
	}
	var b [16]byte
	for i := range b {
		b[i] = byte(g.r.IntN(256))
	}
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

func (g *gen) value(t *codecs.Type, depth int) codecs.Value {
	if t.Nullable && g.r.IntN(6) == 0 {
		return codecs.Value{}
	}
	switch t.Shape {
	case codecs.ObjectShape:
		if depth > 4 {
			return codecs.Value{}
		}
		v := codecs.Obj()
		for _, f := range t.AllFields() {
			if g.omit && g.r.IntN(10) == 0 {
				continue
			}
			v.Members = append(v.Members, codecs.M(f.Name, g.value(f.Type, depth+1)))
		}
		return v
	case codecs.ListShape:
		v := codecs.Arr()
		seen := map[string]bool{}
		for i, n := 0, g.length(depth); i < n; i++ {
			it := g.value(t.Elem, depth+1)
			if t.Set {
				// A set holds each value once (the binders collapse
				// duplicates as HashSet.Add does; a value the gateway
				// writes came through them).
				k := neutralKey(it, t.Elem)
				if seen[k] {
					continue
				}
				seen[k] = true
			}
			v.Items = append(v.Items, it)
		}
		return v
	case codecs.MapShape:
		v := codecs.Obj()
		seen := map[string]bool{}
		for i, n := 0, g.length(depth); i < n; i++ {
			k := g.str()
			// A key is one dictionary entry once it is written and read
			// back: XML turns line ends into \n.
			nk := strings.ReplaceAll(strings.ReplaceAll(k, "\r\n", "\n"), "\r", "\n")
			if seen[nk] {
				continue
			}
			seen[nk] = true
			v.Members = append(v.Members, codecs.M(k, g.value(t.Elem, depth+1)))
		}
		return v
	}
	switch t.Scalar {
	case codecs.StringT:
		return codecs.Str(g.str())
	case codecs.BoolT:
		return codecs.BoolV(g.r.IntN(2) == 0)
	case codecs.Int32T, codecs.Int64T, codecs.DecimalT, codecs.DoubleT:
		return codecs.Num(g.number(t))
	case codecs.GuidT:
		return codecs.Str(g.guid())
	case codecs.DateTimeT:
		return codecs.TimeV(g.time(), []codecs.TimeKind{codecs.UTC, codecs.Local, codecs.Unspecified}[g.r.IntN(3)])
	case codecs.DateTimeOffsetT:
		off := time.Duration(g.r.IntN(28*60)-14*60) * time.Minute
		tt := g.time()
		if tt.Equal(codecs.MinTime) || tt.Equal(maxTime) {
			off = 0
		}
		return codecs.TimeV(tt.In(time.FixedZone("", int(off.Seconds()))), codecs.Offset)
	case codecs.EnumT:
		i := g.r.IntN(len(t.Enum))
		if g.enumNumbers {
			return codecs.Num(strconv.Itoa(i))
		}
		return codecs.Str(t.Enum[i])
	case codecs.ByteT, codecs.SByteT, codecs.Int16T, codecs.UInt16T, codecs.UInt32T, codecs.UInt64T:
		if g.enumNumbers && t.Scalar == codecs.UInt64T && t.Nullable {
			// Json.NET 6 cannot read a ulong? above long.MaxValue (it
			// reads the number as a BigInteger and fails to convert it:
			// "Error converting value 18446744073709551615 to type
			// 'System.Nullable`1[System.UInt64]'"), so such a value never
			// round-trips through a Web API host; the binder refuses it too
			// (routes/contract tests).
			return codecs.Num(strconv.FormatUint(g.r.Uint64N(math.MaxInt64), 10))
		}
		return codecs.Num(g.smallInt(t.Scalar))
	case codecs.TimeSpanT:
		spans := []int64{0, 1, -1, math.MaxInt64, math.MinInt64, codecs.TicksPerDay, 937845000000, -15,
			g.r.Int64N(1000 * codecs.TicksPerDay), -g.r.Int64N(codecs.TicksPerDay), g.r.Int64N(100) * codecs.TicksPerSecond, g.r.Int64()}
		return codecs.Str(codecs.FormatTimeSpan(spans[g.r.IntN(len(spans))]))
	case codecs.BytesT:
		b := make([]byte, []int{0, 1, 2, 3, 16, 100}[g.r.IntN(6)])
		for i := range b {
			b[i] = byte(g.r.IntN(256))
		}
		return codecs.Str(base64.StdEncoding.EncodeToString(b))
	}
	panic("gen: unknown scalar " + t.Scalar.String())
}

// smallInt is a value of a small or unsigned integer family: its bounds,
// zero, one, or a random value in range.
func (g *gen) smallInt(s codecs.Scalar) string {
	var lo int64
	var hi uint64
	switch s {
	case codecs.ByteT:
		hi = math.MaxUint8
	case codecs.SByteT:
		lo, hi = math.MinInt8, math.MaxInt8
	case codecs.Int16T:
		lo, hi = math.MinInt16, math.MaxInt16
	case codecs.UInt16T:
		hi = math.MaxUint16
	case codecs.UInt32T:
		hi = math.MaxUint32
	case codecs.UInt64T:
		hi = math.MaxUint64
	}
	switch g.r.IntN(5) {
	case 0:
		return strconv.FormatInt(lo, 10)
	case 1:
		return strconv.FormatUint(hi, 10)
	case 2:
		return "0"
	case 3:
		return "1"
	}
	if lo < 0 {
		return strconv.FormatInt(lo+g.r.Int64N(int64(hi)-lo+1), 10)
	}
	return strconv.FormatUint(g.r.Uint64N(hi)+1, 10)
}

// neutralKey identifies a scalar value as the .NET side sees it (for
// sets), after XML's line-end normalisation ("\r" and "\n" are one item
// once read from XML).
func neutralKey(v codecs.Value, t *codecs.Type) string {
	b, _ := json.Marshal(neutral(v, t, true))
	return string(b)
}

// length is a list or dictionary size: sometimes empty, sometimes long
// (only near the root, so that nested collections stay small).
func (g *gen) length(depth int) int {
	switch g.r.IntN(10) {
	case 0:
		return 0
	case 1:
		if depth <= 1 {
			return 50 + g.r.IntN(150)
		}
	}
	return 1 + g.r.IntN(3)
}

// ticks is t as .NET DateTime ticks (100 ns since 0001-01-01).
func ticks(t time.Time) int64 {
	return (t.Unix()-codecs.MinTime.Unix())*10_000_000 + int64(t.Nanosecond()/100)
}

// neutral renders v, typed by t, in the transport form the C# programs
// read and write (cs/Neutral.cs). A missing member is its CLR default.
// xmlText applies XML's line-end normalisation to strings (what any XML
// reader returns for text written with \r).
func neutral(v codecs.Value, t *codecs.Type, xmlText bool) any {
	if v.Kind == codecs.Null {
		return nil
	}
	switch t.Shape {
	case codecs.ObjectShape:
		out := map[string]any{}
		for _, f := range t.AllFields() {
			mv, ok := v.Get(f.Name)
			if !ok {
				mv = codecs.Default(f.Type)
			}
			out[f.Name] = neutral(mv, f.Type, xmlText)
		}
		return out
	case codecs.ListShape:
		out := []any{}
		for _, it := range v.Items {
			out = append(out, neutral(it, t.Elem, xmlText))
		}
		return out
	case codecs.MapShape:
		out := []any{}
		for _, m := range v.Members {
			k := m.Name
			if xmlText {
				k = xmlLineEnds(k)
			}
			out = append(out, []any{k, neutral(m.Value, t.Elem, xmlText)})
		}
		return out
	}
	switch t.Scalar {
	case codecs.StringT:
		if xmlText {
			return xmlLineEnds(v.Str)
		}
		return v.Str
	case codecs.BoolT:
		return v.Bool
	case codecs.DoubleT:
		f, err := strconv.ParseFloat(strings.TrimPrefix(v.Str, "+"), 64)
		if err != nil && !math.IsInf(f, 0) {
			return "unparsable " + v.Str
		}
		if math.IsNaN(f) {
			return "NaN" // one NaN: the transport does not carry payloads
		}
		return strconv.FormatInt(int64(math.Float64bits(f)), 10)
	case codecs.GuidT:
		return strings.ToLower(v.Str)
	case codecs.EnumT:
		if v.Kind == codecs.Number {
			if i, err := strconv.Atoi(v.Str); err == nil && i >= 0 && i < len(t.Enum) {
				return t.Enum[i]
			}
		}
		return v.Str
	case codecs.DateTimeT:
		if v.Kind != codecs.Time {
			return "not a time: " + v.String()
		}
		switch v.TimeK {
		case codecs.UTC:
			return strconv.FormatInt(ticks(v.Time.UTC()), 10) + "|Utc"
		case codecs.Local:
			return strconv.FormatInt(ticks(v.Time.UTC()), 10) + "|Local"
		}
		y, mo, d := v.Time.Date()
		h, mi, s := v.Time.Clock()
		return strconv.FormatInt(ticks(time.Date(y, mo, d, h, mi, s, v.Time.Nanosecond(), time.UTC)), 10) + "|Unspecified"
	case codecs.DateTimeOffsetT:
		_, off := v.Time.Zone()
		return strconv.FormatInt(ticks(v.Time.UTC()), 10) + "|" + strconv.Itoa(off/60)
	case codecs.TimeSpanT:
		n, ok := codecs.ParseTimeSpan(v.Str)
		if !ok {
			if n, ok = codecs.ParseDuration(v.Str); !ok {
				return "not a TimeSpan: " + v.Str
			}
		}
		return strconv.FormatInt(n, 10)
	case codecs.BytesT:
		b, ok := codecs.ParseBase64(v.Str)
		if !ok {
			return "not Base64: " + v.Str
		}
		return b
	}
	return v.Str // integers and decimals: the literal
}

func xmlLineEnds(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// same compares two neutral trees (map[string]any, []any, string, bool,
// nil: what neutral builds and what encoding/json decodes the helper's
// answers into).
func same(a, b any) bool { return reflect.DeepEqual(a, b) }

// sameRaw compares the helper's JSON with a neutral tree.
func sameRaw(raw json.RawMessage, want any) bool {
	var x any
	if err := json.Unmarshal(raw, &x); err != nil {
		return false
	}
	return same(x, want)
}

// canon renders a neutral tree or the helper's JSON in one comparable
// form, for messages.
func canon(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "unmarshalable: " + err.Error()
	}
	var x any
	_ = json.Unmarshal(b, &x)
	b, _ = json.Marshal(x)
	return string(b)
}

func canonRaw(raw json.RawMessage) string {
	var x any
	if err := json.Unmarshal(raw, &x); err != nil {
		return "bad json: " + err.Error()
	}
	b, _ := json.Marshal(x)
	return string(b)
}

// clip shortens long test output.
func clip(b []byte) string {
	const max = 400
	if len(b) <= max {
		return string(b)
	}
	return string(b[:max]) + "…(" + strconv.Itoa(len(b)) + " bytes)"
}

// streamPairs sends reqs (two per value: a write, then a read) to the
// helper and calls check with each value's two answers as soon as they
// arrive, so that checking overlaps with the helper's work.
func streamPairs(t *testing.T, p *Helper, reqs []any, check func(i int, w, r Response)) {
	t.Helper()
	var first Response
	err := p.Stream(reqs, func(i int, line []byte) {
		var a Response
		if err := json.Unmarshal(line, &a); err != nil {
			a = Response{Error: "unreadable answer: " + err.Error()}
		}
		if i%2 == 0 {
			first = a
			return
		}
		check(i/2, first, a)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// diffAt shows where a and b first differ, with some context.
func diffAt(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-80)
	return "at byte " + strconv.Itoa(i) + "\nours:   …" + string(a[from:min(len(a), i+80)]) + "\ntheirs: …" + string(b[from:min(len(b), i+80)])
}

// diffText is diffAt for two renderings.
func diffText(a, b string) string { return diffAt([]byte(a), []byte(b)) }
