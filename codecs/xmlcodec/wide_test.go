package xmlcodec

import (
	"strings"
	"testing"

	"legacygate/codecs"
)

// The types added for issue 11, as DataContractSerializer (Mono) reads
// and writes them; dotnet/ compares the codec with DCS over generated
// values of the same types.
var (
	tByte  = scalarT(codecs.ByteT, false)
	tSByte = scalarT(codecs.SByteT, false)
	tShort = scalarT(codecs.Int16T, false)
	tUInt  = scalarT(codecs.UInt32T, false)
	tULong = scalarT(codecs.UInt64T, false)
	tSpan  = scalarT(codecs.TimeSpanT, false)
	tBytes = scalarT(codecs.BytesT, true)

	setOfString = &codecs.Type{Shape: codecs.ListShape, Nullable: true, Elem: tString, Set: true, Name: "ArrayOfstring", Namespace: arraysNS}
	gridT       = &codecs.Type{Shape: codecs.ListShape, Nullable: true, Elem: listOf(tString), Name: "ArrayOfArrayOfstring", Namespace: arraysNS}
	wideT       = &codecs.Type{Name: "T", Namespace: "urn:t", Shape: codecs.ObjectShape, Nullable: true,
		Fields: fields("B", tByte, "Bytes", tBytes, "LL", gridT, "S", tShort, "SB", tSByte, "Set", setOfString, "TS", tSpan, "UI", tUInt, "UL", tULong)}
)

// wideXML is what DCS wrote on Mono for the value below (T with byte 255,
// short -32768, sbyte -128, uint and ulong maxima, TimeSpan 1.02:03:04.5,
// byte[] {1,2,255}, a HashSet and a List<List<string>>), the members in
// DCS's alphabetical order.
const wideXML = `<T xmlns="urn:t" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><B>255</B><Bytes>AQL/</Bytes>` +
	`<LL xmlns:d2p1="http://schemas.microsoft.com/2003/10/Serialization/Arrays"><d2p1:ArrayOfstring><d2p1:string>a</d2p1:string><d2p1:string>b</d2p1:string></d2p1:ArrayOfstring><d2p1:ArrayOfstring><d2p1:string>c</d2p1:string></d2p1:ArrayOfstring></LL>` +
	`<S>-32768</S><SB>-128</SB>` +
	`<Set xmlns:d2p1="http://schemas.microsoft.com/2003/10/Serialization/Arrays"><d2p1:string>b</d2p1:string><d2p1:string>a</d2p1:string></Set>` +
	`<TS>P1DT2H3M4.5S</TS><UI>4294967295</UI><UL>18446744073709551615</UL></T>`

var wideValue = obj(mem("B", num("255")), mem("Bytes", str("AQL/")),
	mem("LL", arr(arr(str("a"), str("b")), arr(str("c")))), mem("S", num("-32768")), mem("SB", num("-128")),
	mem("Set", arr(str("b"), str("a"))), mem("TS", str("1.02:03:04.5000000")), mem("UI", num("4294967295")), mem("UL", num("18446744073709551615")))

// webAPIOrder moves xmlns:i first, as Web API's XmlMediaTypeFormatter
// has DCS write the root (DataContractSerializer.WriteObject on a bare
// stream writes it last; dotnet/ compares with the formatter's output).
func webAPIOrder(doc string) string {
	const i = ` xmlns:i="http://www.w3.org/2001/XMLSchema-instance"`
	if !strings.Contains(doc, i) {
		return doc
	}
	doc = strings.Replace(doc, i, "", 1)
	sp := strings.IndexByte(doc, ' ')
	return doc[:sp] + i + doc[sp:]
}

func TestWideTypesRoundTrip(t *testing.T) {
	wantValue(t, mustDecode(t, wideXML, wideT), wideValue)
	if got, want := mustAppend(t, wideValue, wideT), webAPIOrder(wideXML); got != want {
		t.Errorf("wrote\n%s\nwant\n%s", got, want)
	}
}

func TestWideScalars(t *testing.T) {
	const ser = `xmlns="http://schemas.microsoft.com/2003/10/Serialization/"`
	tests := []struct {
		typ  *codecs.Type
		in   string // element text
		want codecs.Value
		err  string // substring of the error; "" for none
	}{
		{tByte, "255", num("255"), ""},
		{tByte, " 25 ", num("25"), ""},
		{tByte, "+1", num("1"), ""},
		{tByte, "256", null, "The value '256' cannot be parsed as the type 'Byte'."},
		{tByte, "-1", null, "The value '-1' cannot be parsed as the type 'Byte'."},
		{tSByte, "-129", null, "type 'SByte'"},
		{tShort, "32768", null, "type 'Int16'"},
		{tUInt, "4294967296", null, "type 'UInt32'"},
		{tULong, "18446744073709551615", num("18446744073709551615"), ""},
		{tSpan, "P1DT2H", str("1.02:00:00"), ""},
		{tSpan, "PT1.5S", str("00:00:01.5000000"), ""},
		{tSpan, "P1Y", str("365.00:00:00"), ""},
		{tSpan, " PT1S ", str("00:00:01"), ""},
		{tSpan, "01:00:00", null, "The value '01:00:00' cannot be parsed as the type 'TimeSpan'."},
		{tBytes, "AQL/", str("AQL/"), ""},
		{tBytes, " AQ L/ ", str("AQL/"), ""},
		{tBytes, "", str(""), ""},
		{tBytes, "AQ", null, "The value 'AQ' cannot be parsed as the type 'byte[]'."},
	}
	for _, tt := range tests {
		doc := "<" + tt.typ.Name + " " + ser + ">" + tt.in + "</" + tt.typ.Name + ">"
		v, err := Decode([]byte(doc), tt.typ, DecodeOptions{})
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: error %v, want %q", doc, err, tt.err)
			}
			continue
		}
		if err != nil || !v.Equal(tt.want) {
			t.Errorf("%s: %v %v, want %v", doc, show(v), err, show(tt.want))
		}
	}
}

// TestWideTopLevel: DCS's root names for the new types and for nested
// collections (Mono: <duration>, <base64Binary />, ArrayOfArrayOfstring).
func TestWideTopLevel(t *testing.T) {
	tests := []struct {
		typ  *codecs.Type
		v    codecs.Value
		want string
	}{
		{tSpan, str("00:00:00"), `<duration xmlns="http://schemas.microsoft.com/2003/10/Serialization/">PT0S</duration>`},
		{tSpan, str("-10675199.02:48:05.4775808"), `<duration xmlns="http://schemas.microsoft.com/2003/10/Serialization/">-P10675199DT2H48M5.4775808S</duration>`},
		{tBytes, str(""), `<base64Binary xmlns="http://schemas.microsoft.com/2003/10/Serialization/" />`},
		{gridT, arr(arr(str("a"))), `<ArrayOfArrayOfstring xmlns="http://schemas.microsoft.com/2003/10/Serialization/Arrays" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><ArrayOfstring><string>a</string></ArrayOfstring></ArrayOfArrayOfstring>`},
		{setOfString, arr(str("a")), `<ArrayOfstring xmlns="http://schemas.microsoft.com/2003/10/Serialization/Arrays" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><string>a</string></ArrayOfstring>`},
	}
	for _, tt := range tests {
		if got := mustAppend(t, tt.v, tt.typ); got != webAPIOrder(tt.want) {
			t.Errorf("%s:\n got %s\nwant %s", show(tt.v), got, webAPIOrder(tt.want))
		}
		wantValue(t, mustDecode(t, tt.want, tt.typ), tt.v)
	}
}
