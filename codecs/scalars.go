package codecs

import (
	"encoding/base64"
	"math"
	"strconv"
	"strings"
)

// intBits is the width and signedness of an integer family.
func intBits(s Scalar) (bits int, signed bool) {
	switch s {
	case ByteT:
		return 8, false
	case SByteT:
		return 8, true
	case Int16T:
		return 16, true
	case UInt16T:
		return 16, false
	case Int32T:
		return 32, true
	case UInt32T:
		return 32, false
	case Int64T:
		return 64, true
	case UInt64T:
		return 64, false
	}
	return 0, false
}

// ParseInteger reads a decimal integer literal with an optional sign, as
// .NET's Byte.Parse … UInt64.Parse do under NumberStyles.Integer once the
// white space is trimmed, and reports whether it fits the integer family s
// (the range check that makes Json.NET say "Error converting value 256 to
// type 'System.Byte'" and DataContractSerializer "The value '256' cannot
// be parsed as the type 'Byte'"). The result is the canonical text: no
// '+', no leading zeros, "-0" as "0".
func ParseInteger(lit string, s Scalar) (string, bool) {
	bits, signed := intBits(s)
	if bits == 0 || lit == "" {
		return "", false
	}
	if signed {
		n, err := strconv.ParseInt(lit, 10, bits)
		if err != nil {
			return "", false
		}
		return strconv.FormatInt(n, 10), true
	}
	neg := false
	switch lit[0] {
	case '+':
		lit = lit[1:]
	case '-':
		lit, neg = lit[1:], true
	}
	if lit == "" || lit[0] == '+' || lit[0] == '-' {
		return "", false
	}
	n, err := strconv.ParseUint(lit, 10, bits)
	if err != nil || neg && n != 0 { // "-0" is 0 for an unsigned type
		return "", false
	}
	return strconv.FormatUint(n, 10), true
}

// IntegerFromFloat is Convert.ToByte(double) … Convert.ToUInt64(double):
// f rounded half to even, then range-checked (Json.NET converts a JSON
// number with a fraction or an exponent this way: 1.5 reads as 2 into a
// byte).
func IntegerFromFloat(f float64, s Scalar) (string, bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "", false
	}
	r := math.RoundToEven(f)
	bits, signed := intBits(s)
	if bits == 0 {
		return "", false
	}
	if signed {
		lo, hi := -math.Ldexp(1, bits-1), math.Ldexp(1, bits-1)
		if r < lo || r >= hi {
			return "", false
		}
		return strconv.FormatInt(int64(r), 10), true
	}
	if r < 0 || r >= math.Ldexp(1, bits) {
		return "", false
	}
	return strconv.FormatUint(uint64(r), 10), true
}

// ClrName is the .NET type name of a scalar family ("System.Byte"), as
// .NET's messages print it; "" for an enum or a non-scalar.
func (s Scalar) ClrName() string {
	switch s {
	case StringT:
		return "System.String"
	case BoolT:
		return "System.Boolean"
	case Int32T:
		return "System.Int32"
	case Int64T:
		return "System.Int64"
	case DecimalT:
		return "System.Decimal"
	case DoubleT:
		return "System.Double"
	case GuidT:
		return "System.Guid"
	case DateTimeT:
		return "System.DateTime"
	case DateTimeOffsetT:
		return "System.DateTimeOffset"
	case ByteT:
		return "System.Byte"
	case SByteT:
		return "System.SByte"
	case Int16T:
		return "System.Int16"
	case UInt16T:
		return "System.UInt16"
	case UInt32T:
		return "System.UInt32"
	case UInt64T:
		return "System.UInt64"
	case TimeSpanT:
		return "System.TimeSpan"
	case BytesT:
		return "System.Byte[]"
	}
	return ""
}

// CSharpName is the C# keyword or type name of a scalar family ("byte",
// "ushort", "TimeSpan", "byte[]"), for help pages and generated DTOs;
// "" for an enum or a non-scalar.
func (s Scalar) CSharpName() string {
	switch s {
	case StringT:
		return "string"
	case BoolT:
		return "bool"
	case Int32T:
		return "int"
	case Int64T:
		return "long"
	case DecimalT:
		return "decimal"
	case DoubleT:
		return "double"
	case GuidT:
		return "Guid"
	case DateTimeT:
		return "DateTime"
	case DateTimeOffsetT:
		return "DateTimeOffset"
	case ByteT:
		return "byte"
	case SByteT:
		return "sbyte"
	case Int16T:
		return "short"
	case UInt16T:
		return "ushort"
	case UInt32T:
		return "uint"
	case UInt64T:
		return "ulong"
	case TimeSpanT:
		return "TimeSpan"
	case BytesT:
		return "byte[]"
	}
	return ""
}

// ---- TimeSpan ----

// Ticks per unit of a TimeSpan (100 ns ticks).
const (
	TicksPerSecond = 10_000_000
	TicksPerMinute = 60 * TicksPerSecond
	TicksPerHour   = 60 * TicksPerMinute
	TicksPerDay    = 24 * TicksPerHour
)

// maxSpanDays is TimeSpan.MaxValue's whole days.
const maxSpanDays = 10675199

// FormatTimeSpan is TimeSpan.ToString() (the "c" format), what Json.NET
// writes: "[-][d.]hh:mm:ss[.fffffff]", the fraction seven digits when not
// zero ("1.02:03:04.5000000", "-00:00:00.0000015").
func FormatTimeSpan(ticks int64) string {
	return string(AppendTimeSpan(nil, ticks))
}

// AppendTimeSpan appends FormatTimeSpan(ticks).
func AppendTimeSpan(dst []byte, ticks int64) []byte {
	u := uint64(ticks)
	if ticks < 0 {
		dst = append(dst, '-')
		u = uint64(-(ticks + 1)) + 1 // MinValue has no positive int64
	}
	days := u / TicksPerDay
	rem := u % TicksPerDay
	if days > 0 {
		dst = strconv.AppendUint(dst, days, 10)
		dst = append(dst, '.')
	}
	dst = AppendDigits(dst, int(rem/TicksPerHour), 2)
	dst = append(dst, ':')
	dst = AppendDigits(dst, int(rem%TicksPerHour/TicksPerMinute), 2)
	dst = append(dst, ':')
	dst = AppendDigits(dst, int(rem%TicksPerMinute/TicksPerSecond), 2)
	if f := rem % TicksPerSecond; f != 0 {
		dst = append(dst, '.')
		dst = AppendDigits(dst, int(f), 7)
	}
	return dst
}

// ParseTimeSpan is TimeSpan.Parse under the invariant culture (Json.NET
// reads a TimeSpan with it, and Web API's model binder through
// TimeSpanConverter): white space around, an optional '-', then "d",
// "hh:mm", "hh:mm:ss", "d.hh:mm[:ss]", "d:hh:mm:ss", each "ss" with an
// optional fraction of at most seven digits. Hours are 0–23, minutes and
// seconds 0–59; three parts whose first is above 23 are read as
// "d:hh:mm" (TimeSpan.Parse("24:00:00") is 24 days). Checked against
// Mono's TimeSpan (see dotnet/).
func ParseTimeSpan(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	if s == "" {
		return 0, false
	}
	var days, h, m, sec, frac uint64
	parts := strings.Split(s, ":")
	var ok bool
	switch len(parts) {
	case 1: // "d"
		if days, ok = digits(parts[0]); !ok {
			return 0, false
		}
	case 2, 3:
		first := parts[0]
		if i := strings.IndexByte(first, '.'); i >= 0 {
			if days, ok = digits(first[:i]); !ok {
				return 0, false
			}
			first = first[i+1:]
		}
		if h, ok = digits(first); !ok {
			return 0, false
		}
		if m, ok = digits(parts[1]); !ok {
			return 0, false
		}
		if len(parts) == 3 {
			if sec, frac, ok = seconds(parts[2]); !ok {
				return 0, false
			}
			if h > 23 && days == 0 && !strings.Contains(parts[0], ".") && frac == 0 && !strings.Contains(parts[2], ".") {
				days, h, m, sec = h, m, sec, 0 // "d:hh:mm"
			}
		}
	case 4: // "d:hh:mm:ss"
		if days, ok = digits(parts[0]); !ok {
			return 0, false
		}
		if h, ok = digits(parts[1]); !ok {
			return 0, false
		}
		if m, ok = digits(parts[2]); !ok {
			return 0, false
		}
		if sec, frac, ok = seconds(parts[3]); !ok {
			return 0, false
		}
	default:
		return 0, false
	}
	if h > 23 || m > 59 || sec > 59 || days > maxSpanDays {
		return 0, false
	}
	t := days*TicksPerDay + h*TicksPerHour + m*TicksPerMinute + sec*TicksPerSecond + frac
	switch {
	case !neg && t <= math.MaxInt64:
		return int64(t), true
	case neg && t <= math.MaxInt64:
		return -int64(t), true
	case neg && t == math.MaxInt64+1:
		return math.MinInt64, true
	}
	return 0, false
}

// digits reads 1 to 8 ASCII digits.
func digits(s string) (uint64, bool) {
	if s == "" || len(s) > 8 {
		return 0, false
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	return n, true
}

// seconds reads "ss[.fffffff]" (at most seven fraction digits) as whole
// seconds and ticks.
func seconds(s string) (sec, frac uint64, ok bool) {
	whole, f, hasFrac := strings.Cut(s, ".")
	if sec, ok = digits(whole); !ok {
		return 0, 0, false
	}
	if hasFrac {
		if len(f) > 7 {
			return 0, 0, false
		}
		if frac, ok = digits(f); !ok {
			return 0, 0, false
		}
		for i := len(f); i < 7; i++ {
			frac *= 10
		}
	}
	return sec, frac, true
}

// FormatDuration is XmlConvert.ToString(TimeSpan), the xs:duration
// DataContractSerializer writes: "P1DT2H3M4.5S", "PT0S" for zero,
// "-P10675199DT2H48M5.4775808S" for TimeSpan.MinValue (checked against
// Mono).
func FormatDuration(ticks int64) string {
	return string(AppendDuration(nil, ticks))
}

// AppendDuration appends FormatDuration(ticks).
func AppendDuration(dst []byte, ticks int64) []byte {
	if ticks == 0 {
		return append(dst, "PT0S"...)
	}
	u := uint64(ticks)
	if ticks < 0 {
		dst = append(dst, '-')
		u = uint64(-(ticks + 1)) + 1
	}
	dst = append(dst, 'P')
	if d := u / TicksPerDay; d > 0 {
		dst = strconv.AppendUint(dst, d, 10)
		dst = append(dst, 'D')
	}
	rem := u % TicksPerDay
	if rem == 0 {
		return dst
	}
	dst = append(dst, 'T')
	if h := rem / TicksPerHour; h > 0 {
		dst = strconv.AppendUint(dst, h, 10)
		dst = append(dst, 'H')
	}
	if m := rem % TicksPerHour / TicksPerMinute; m > 0 {
		dst = strconv.AppendUint(dst, m, 10)
		dst = append(dst, 'M')
	}
	if sec := rem % TicksPerMinute; sec > 0 {
		dst = strconv.AppendUint(dst, sec/TicksPerSecond, 10)
		if f := sec % TicksPerSecond; f > 0 {
			n := 7
			for f%10 == 0 {
				f /= 10
				n--
			}
			dst = append(dst, '.')
			dst = AppendDigits(dst, int(f), n)
		}
		dst = append(dst, 'S')
	}
	return dst
}

// ParseDuration is XmlConvert.ToTimeSpan, how DataContractSerializer reads
// an xs:duration: white space around, "-"?"P" then years, months and days
// ("nY", "nM", "nD"), then "T" and hours, minutes and seconds ("nH",
// "nM", "n[.n]S"), each optional and in that order, at least one present,
// "T" never empty. A year is 365 days and a month 30 (XsdDuration's
// TimeSpan conversion); fraction digits beyond the seventh are dropped; a
// total beyond TimeSpan's range is an error. "01:00:00" is refused.
func ParseDuration(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	if !strings.HasPrefix(s, "P") {
		return 0, false
	}
	s = s[1:]
	const (
		stYear = iota
		stMonth
		stDay
		stHour
		stMinute
		stSecond
		stDone
	)
	var total float64 // in ticks; exactness is restored below for the common case
	var exact uint64
	next := stYear
	inTime, any := false, false
	for s != "" {
		if s[0] == 'T' {
			if inTime || len(s) == 1 {
				return 0, false
			}
			inTime, s = true, s[1:]
			if next < stHour {
				next = stHour
			}
			continue
		}
		i := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == 0 || i > 18 || i == len(s) {
			return 0, false
		}
		n, _ := strconv.ParseUint(s[:i], 10, 64)
		var frac uint64
		if s[i] == '.' {
			j := i + 1
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			if j == i+1 || j == len(s) || s[j] != 'S' || !inTime {
				return 0, false
			}
			f := s[i+1 : j]
			if len(f) > 7 {
				f = f[:7]
			}
			frac, _ = strconv.ParseUint(f, 10, 64)
			for k := len(f); k < 7; k++ {
				frac *= 10
			}
			i = j
		}
		unit := s[i]
		s = s[i+1:]
		var per uint64
		var st int
		switch {
		case !inTime && unit == 'Y':
			st, per = stYear, 365*TicksPerDay
		case !inTime && unit == 'M':
			st, per = stMonth, 30*TicksPerDay
		case !inTime && unit == 'D':
			st, per = stDay, TicksPerDay
		case inTime && unit == 'H':
			st, per = stHour, TicksPerHour
		case inTime && unit == 'M':
			st, per = stMinute, TicksPerMinute
		case inTime && unit == 'S':
			st, per = stSecond, TicksPerSecond
		default:
			return 0, false
		}
		if st < next {
			return 0, false
		}
		next = st + 1
		any = true
		total += float64(n)*float64(per) + float64(frac)
		exact += n*per + frac
	}
	if !any || total > math.MaxInt64+1.0 {
		return 0, false
	}
	switch {
	case exact <= math.MaxInt64 && !neg:
		return int64(exact), true
	case exact <= math.MaxInt64:
		return -int64(exact), true
	case neg && exact == math.MaxInt64+1:
		return math.MinInt64, true
	}
	return 0, false
}

// ParseBase64 is Convert.FromBase64String: standard Base64 with its
// padding, white space (space, tab, CR, LF) ignored anywhere. It returns
// the canonical text (padded, no white space).
func ParseBase64(s string) (string, bool) {
	if strings.ContainsAny(s, " \t\r\n") {
		s = strings.Map(func(r rune) rune {
			if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
				return -1
			}
			return r
		}, s)
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return "", false
	}
	return base64.StdEncoding.EncodeToString(b), true
}
