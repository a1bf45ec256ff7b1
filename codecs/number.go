package codecs

import (
	"math"
	"strconv"
	"strings"
)

// FormatDouble formats f as .NET Framework's Double.ToString("R"): 15
// significant digits when they round-trip, else 17; scientific notation
// ("1E+15", "1.5E-05") when the decimal exponent is >= the precision or < -4.
// It is how DataContractSerializer writes a double (XmlConvert.ToString) and,
// with a decimal place ensured, Json.NET. f must be finite.
func FormatDouble(f float64) string {
	if f == 0 {
		if math.Signbit(f) {
			return "-0"
		}
		return "0"
	}
	prec := 15
	s := strconv.FormatFloat(f, 'e', prec-1, 64)
	if g, _ := strconv.ParseFloat(s, 64); g != f {
		prec = 17
		s = strconv.FormatFloat(f, 'e', prec-1, 64)
	}
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	mant, expS, _ := strings.Cut(s, "e")
	exp, _ := strconv.Atoi(expS)
	digits := strings.TrimRight(strings.Replace(mant, ".", "", 1), "0")
	if digits == "" {
		digits = "0"
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	switch {
	case exp >= prec || exp < -4:
		b.WriteByte(digits[0])
		if len(digits) > 1 {
			b.WriteByte('.')
			b.WriteString(digits[1:])
		}
		b.WriteByte('E')
		if exp < 0 {
			b.WriteByte('-')
			exp = -exp
		} else {
			b.WriteByte('+')
		}
		if exp < 10 {
			b.WriteByte('0')
		}
		b.WriteString(strconv.Itoa(exp))
	case exp >= 0:
		if len(digits) <= exp+1 {
			b.WriteString(digits)
			b.WriteString(strings.Repeat("0", exp+1-len(digits)))
		} else {
			b.WriteString(digits[:exp+1])
			b.WriteByte('.')
			b.WriteString(digits[exp+1:])
		}
	default:
		b.WriteString("0.")
		b.WriteString(strings.Repeat("0", -exp-1))
		b.WriteString(digits)
	}
	return b.String()
}
