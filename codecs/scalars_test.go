package codecs

import (
	"math"
	"testing"
)

// The expectations below were taken from Mono's .NET (Byte.Parse,
// Convert.ToByte(double), TimeSpan.Parse, TimeSpan.ToString(),
// XmlConvert.ToString/ToTimeSpan, Convert.FromBase64String); dotnet/
// checks the codecs against the same runtime over generated values.

func TestParseInteger(t *testing.T) {
	tests := []struct {
		give string
		sc   Scalar
		want string // "" when refused
	}{
		{"255", ByteT, "255"},
		{"256", ByteT, ""},
		{"-1", ByteT, ""},
		{"-0", ByteT, "0"},
		{"+7", ByteT, "7"},
		{"007", ByteT, "7"},
		{"--1", ByteT, ""},
		{"+-1", UInt32T, ""},
		{"0x1", ByteT, ""},
		{"", ByteT, ""},
		{"-128", SByteT, "-128"},
		{"128", SByteT, ""},
		{"-129", SByteT, ""},
		{"-32768", Int16T, "-32768"},
		{"32768", Int16T, ""},
		{"65535", UInt16T, "65535"},
		{"65536", UInt16T, ""},
		{"4294967295", UInt32T, "4294967295"},
		{"4294967296", UInt32T, ""},
		{"18446744073709551615", UInt64T, "18446744073709551615"},
		{"18446744073709551616", UInt64T, ""},
		{"9223372036854775808", Int64T, ""},
		{"1", StringT, ""},
	}
	for _, tt := range tests {
		got, ok := ParseInteger(tt.give, tt.sc)
		if ok != (tt.want != "") || got != tt.want {
			t.Errorf("ParseInteger(%q, %v) = %q, %v; want %q", tt.give, tt.sc, got, ok, tt.want)
		}
	}
}

func TestIntegerFromFloat(t *testing.T) {
	tests := []struct {
		give float64
		sc   Scalar
		want string
	}{
		{1.5, ByteT, "2"}, // Convert.ToByte(1.5): half to even
		{2.5, ByteT, "2"},
		{255.4, ByteT, "255"},
		{255.5, ByteT, ""},
		{-0.4, ByteT, "0"},
		{-0.6, ByteT, ""},
		{100, ByteT, "100"},
		{-128.5, SByteT, "-128"},
		{127.6, SByteT, ""},
		{1.8446744073709552e19, UInt64T, ""},
		{math.NaN(), UInt32T, ""},
		{math.Inf(1), UInt64T, ""},
	}
	for _, tt := range tests {
		got, ok := IntegerFromFloat(tt.give, tt.sc)
		if ok != (tt.want != "") || got != tt.want {
			t.Errorf("IntegerFromFloat(%v, %v) = %q, %v; want %q", tt.give, tt.sc, got, ok, tt.want)
		}
	}
}

func TestTimeSpanText(t *testing.T) {
	tests := []struct {
		ticks    int64
		c, xsd   string
		parseXSD string // another xs:duration reading to ticks, "" for none
	}{
		{0, "00:00:00", "PT0S", "P0D"},
		{937845000000, "1.02:03:04.5000000", "P1DT2H3M4.5S", "P1DT2H3M4.50000009S"},
		{-15, "-00:00:00.0000015", "-PT0.0000015S", ""},
		{-1, "-00:00:00.0000001", "-PT0.0000001S", ""},
		{TicksPerDay, "1.00:00:00", "P1D", "PT24H"},
		{math.MaxInt64, "10675199.02:48:05.4775807", "P10675199DT2H48M5.4775807S", ""},
		{math.MinInt64, "-10675199.02:48:05.4775808", "-P10675199DT2H48M5.4775808S", ""},
		{365 * TicksPerDay, "365.00:00:00", "P365D", "P1Y"},
		{30 * TicksPerDay, "30.00:00:00", "P30D", "P1M"},
		{15000000, "00:00:01.5000000", "PT1.5S", " PT1.5S "},
		{425 * TicksPerDay, "425.00:00:00", "P425D", "P1Y2M"},
	}
	for _, tt := range tests {
		if got := FormatTimeSpan(tt.ticks); got != tt.c {
			t.Errorf("FormatTimeSpan(%d) = %q, want %q", tt.ticks, got, tt.c)
		}
		if got := FormatDuration(tt.ticks); got != tt.xsd {
			t.Errorf("FormatDuration(%d) = %q, want %q", tt.ticks, got, tt.xsd)
		}
		if got, ok := ParseTimeSpan(tt.c); !ok || got != tt.ticks {
			t.Errorf("ParseTimeSpan(%q) = %d, %v; want %d", tt.c, got, ok, tt.ticks)
		}
		if got, ok := ParseDuration(tt.xsd); !ok || got != tt.ticks {
			t.Errorf("ParseDuration(%q) = %d, %v; want %d", tt.xsd, got, ok, tt.ticks)
		}
		if tt.parseXSD != "" {
			if got, ok := ParseDuration(tt.parseXSD); !ok || got != tt.ticks {
				t.Errorf("ParseDuration(%q) = %d, %v; want %d", tt.parseXSD, got, ok, tt.ticks)
			}
		}
	}
}

func TestParseTimeSpanForms(t *testing.T) {
	const h, m, s = TicksPerHour, TicksPerMinute, TicksPerSecond
	tests := []struct {
		give string
		want int64
		ok   bool
	}{
		{"5", 5 * TicksPerDay, true},
		{"01:02", h + 2*m, true},
		{"1:2:3", h + 2*m + 3*s, true},
		{"1:02:03:04", TicksPerDay + 2*h + 3*m + 4*s, true},
		{"-00:00:01", -s, true},
		{" 01:02 ", h + 2*m, true},
		{"24:00:00", 24 * TicksPerDay, true}, // read as d:hh:mm
		{"00:60:00", 0, false},
		{"1.02:03:04.12345678", 0, false},
		{"10675199.02:48:05.4775807", math.MaxInt64, true},
		{"10675200.00:00:00", 0, false},
		{"P1D", 0, false},
		{"", 0, false},
		{"-", 0, false},
		{"1:2:3:4:5", 0, false},
		{"a:b", 0, false},
		{"1.2", 0, false},
		{"1.2:3", TicksPerDay + 2*h + 3*m, true},
		{"00:00:00.", 0, false},
		{"24:00", 0, false},
		{"23:59:60", 0, false},
		{"-1", -TicksPerDay, true},
		{"- 1", 0, false},
		{"\t1:00", h, true},
	}
	for _, tt := range tests {
		got, ok := ParseTimeSpan(tt.give)
		if ok != tt.ok || ok && got != tt.want {
			t.Errorf("ParseTimeSpan(%q) = %d, %v; want %d, %v", tt.give, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseDurationRefuses(t *testing.T) {
	for _, give := range []string{"01:00:00", "P", "PT", "P1H", "PT1D", "P1DT", "P1S", "PT1.5H", "P1D1Y", "PT1S1M", "1D", "P-1D", "P99999999999999999Y", ""} {
		if got, ok := ParseDuration(give); ok {
			t.Errorf("ParseDuration(%q) = %d, want an error", give, got)
		}
	}
}

func TestParseBase64(t *testing.T) {
	tests := []struct{ give, want string }{
		{"AQL/", "AQL/"},
		{" AQ L/ ", "AQL/"},
		{"AQ==", "AQ=="},
		{"", ""},
		{"AQ", "!"},
		{"!!", "!"},
		{"AQ=", "!"},
	}
	for _, tt := range tests {
		got, ok := ParseBase64(tt.give)
		if tt.want == "!" {
			if ok {
				t.Errorf("ParseBase64(%q) = %q, want an error", tt.give, got)
			}
			continue
		}
		if !ok || got != tt.want {
			t.Errorf("ParseBase64(%q) = %q, %v; want %q", tt.give, got, ok, tt.want)
		}
	}
}

func TestScalarNames(t *testing.T) {
	for _, name := range []string{"byte", "sbyte", "short", "ushort", "uint", "ulong", "timespan", "[]byte"} {
		sc, ok := ScalarByName(name)
		if !ok || sc.String() != name || sc.ClrName() == "" || sc.CSharpName() == "" {
			t.Errorf("scalar %q: %v %v clr %q cs %q", name, sc, ok, sc.ClrName(), sc.CSharpName())
		}
	}
	if Default(&Type{Scalar: TimeSpanT}).Str != "00:00:00" || Default(&Type{Scalar: UInt64T}).Str != "0" {
		t.Error("defaults of TimeSpan and ulong")
	}
}

func BenchmarkParseTimeSpan(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, ok := ParseTimeSpan("1.02:03:04.5000000"); !ok {
			b.Fatal("no")
		}
	}
}

func BenchmarkParseDuration(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, ok := ParseDuration("P1DT2H3M4.5S"); !ok {
			b.Fatal("no")
		}
	}
}
