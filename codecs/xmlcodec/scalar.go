package xmlcodec

import (
	"strconv"
	"strings"
	"time"

	"legacygate/codecs"
)

// isXMLSpace reports the whitespace XmlConvert trims (XML S production).
func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func trimXML(s string) string {
	i, j := 0, len(s)
	for i < j && isXMLSpace(s[i]) {
		i++
	}
	for j > i && isXMLSpace(s[j-1]) {
		j--
	}
	return s[i:j]
}

// isNumSpace is the white space .NET number parsing skips (0x09-0x0D, 0x20).
func isNumSpace(c byte) bool { return c == ' ' || (c >= 0x09 && c <= 0x0D) }

func trimNum(s string) string {
	i, j := 0, len(s)
	for i < j && isNumSpace(s[i]) {
		i++
	}
	for j > i && isNumSpace(s[j-1]) {
		j--
	}
	return s[i:j]
}

// parseBool is XmlConvert.ToBoolean: trimmed "true"/"1"/"false"/"0".
func parseBool(s string) (bool, bool) {
	switch trimXML(s) {
	case "true", "1":
		return true, true
	case "false", "0":
		return false, true
	}
	return false, false
}

// parseInt is Int32/Int64.Parse with leading/trailing white space and a
// leading sign; it returns the canonical literal (which shares s when s is
// already canonical).
func parseInt(s string, bits int) (string, bool) {
	t := trimNum(s)
	neg := false
	body := t
	if body != "" && (body[0] == '+' || body[0] == '-') {
		neg = body[0] == '-'
		body = body[1:]
	}
	if body == "" {
		return "", false
	}
	for i := 0; i < len(body); i++ {
		if body[i] < '0' || body[i] > '9' {
			return "", false
		}
	}
	// Canonical fast path: no '+', no leading zero, not "-0".
	if t[0] != '+' && (body[0] != '0' || len(body) == 1) && !(neg && body == "0") {
		if _, err := strconv.ParseInt(t, 10, bits); err != nil {
			return "", false
		}
		return t, true
	}
	n, err := strconv.ParseInt(t, 10, bits)
	if err != nil {
		return "", false
	}
	return strconv.FormatInt(n, 10), true
}

// maxDecimal is decimal.MaxValue.
const maxDecimal = "79228162514264337593543950335"

// parseDecimal is Decimal.Parse(AllowLeadingSign|AllowDecimalPoint|white
// space): no exponent; "1." and ".5" are accepted. The canonical literal keeps
// the scale (trailing fraction zeros), as System.Decimal does.
func parseDecimal(s string) (string, bool) {
	t := trimNum(s)
	neg := false
	if t != "" && (t[0] == '+' || t[0] == '-') {
		neg = t[0] == '-'
		t = t[1:]
	}
	intPart, frac, hasDot := strings.Cut(t, ".")
	if intPart == "" && frac == "" {
		return "", false
	}
	for _, p := range [2]string{intPart, frac} {
		for i := 0; i < len(p); i++ {
			if p[i] < '0' || p[i] > '9' {
				return "", false
			}
		}
	}
	_ = hasDot
	intPart = strings.TrimLeft(intPart, "0")
	if len(intPart) > len(maxDecimal) || (len(intPart) == len(maxDecimal) && intPart > maxDecimal) {
		return "", false
	}
	if len(frac) > 28 {
		frac = frac[:28]
	}
	if intPart == "" {
		intPart = "0"
	}
	zero := intPart == "0" && strings.Trim(frac, "0") == ""
	var b strings.Builder
	if neg && !zero {
		b.WriteByte('-')
	}
	b.WriteString(intPart)
	if frac != "" {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String(), true
}

// parseDouble is XmlConvert.ToDouble: trimmed; "INF", "-INF" and "NaN"
// literals; otherwise a decimal number with optional exponent. The literal
// returned is the .NET Framework "R" form; non-finite values use the
// jsoncodec literals "Infinity", "-Infinity" and "NaN".
func parseDouble(s string) (string, bool) {
	t := trimXML(s)
	switch t {
	case "INF":
		return "Infinity", true
	case "-INF":
		return "-Infinity", true
	case "NaN":
		return "NaN", true
	}
	if !validFloat(t) {
		return "", false
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil {
		return "", false
	}
	if f == 0 && t[0] == '-' {
		return "-0", true
	}
	return codecs.FormatDouble(f), true
}

func validFloat(t string) bool {
	i := 0
	if i < len(t) && (t[i] == '+' || t[i] == '-') {
		i++
	}
	digits := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
		digits++
	}
	if i < len(t) && t[i] == '.' {
		i++
		for i < len(t) && t[i] >= '0' && t[i] <= '9' {
			i++
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(t) && (t[i] == 'e' || t[i] == 'E') {
		i++
		if i < len(t) && (t[i] == '+' || t[i] == '-') {
			i++
		}
		n := 0
		for i < len(t) && t[i] >= '0' && t[i] <= '9' {
			i++
			n++
		}
		if n == 0 {
			return false
		}
	}
	return i == len(t)
}

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// parseGuid accepts the Guid.Parse forms D, N, B and P (after trimming) and
// returns the lower-case D form.
func parseGuid(s string) (string, bool) {
	t := trimXML(s)
	if len(t) == 38 && ((t[0] == '{' && t[37] == '}') || (t[0] == '(' && t[37] == ')')) {
		t = t[1:37]
	}
	var raw [32]byte
	n := 0
	switch len(t) {
	case 36:
		for i := 0; i < 36; i++ {
			if i == 8 || i == 13 || i == 18 || i == 23 {
				if t[i] != '-' {
					return "", false
				}
				continue
			}
			if unhex(t[i]) < 0 {
				return "", false
			}
			raw[n] = t[i]
			n++
		}
	case 32:
		for i := 0; i < 32; i++ {
			if unhex(t[i]) < 0 {
				return "", false
			}
			raw[i] = t[i]
		}
	default:
		return "", false
	}
	canonical := len(t) == 36
	for i := range raw {
		if raw[i] >= 'A' && raw[i] <= 'F' {
			raw[i] += 'a' - 'A'
			canonical = false
		}
	}
	if canonical {
		return t, true
	}
	out := make([]byte, 0, 36)
	for i := 0; i < 32; i++ {
		if i == 8 || i == 12 || i == 16 || i == 20 {
			out = append(out, '-')
		}
		out = append(out, raw[i])
	}
	return string(out), true
}

// parseDateTime is XmlConvert.ToDateTime(s, RoundtripKind) for the xsd:dateTime
// and xsd:date forms: "Z" gives UTC, a numeric offset Local (the Time keeps
// that offset as a fixed zone), none Unspecified (wall clock in time.UTC).
// Fractions longer than seven digits are rounded to 100 ns.
func parseDateTime(s string) (time.Time, codecs.TimeKind, bool) {
	t := trimXML(s)
	num := func(p string) (int, bool) {
		n := 0
		for i := 0; i < len(p); i++ {
			if p[i] < '0' || p[i] > '9' {
				return 0, false
			}
			n = n*10 + int(p[i]-'0')
		}
		return n, p != ""
	}
	if len(t) < 10 || t[4] != '-' || t[7] != '-' {
		return time.Time{}, 0, false
	}
	year, ok1 := num(t[0:4])
	month, ok2 := num(t[5:7])
	day, ok3 := num(t[8:10])
	if !ok1 || !ok2 || !ok3 || year < 1 || month < 1 || month > 12 || day < 1 || day > 31 {
		return time.Time{}, 0, false
	}
	rest := t[10:]
	var hour, minute, sec, ticks int
	if rest != "" && rest[0] == 'T' {
		if len(rest) < 9 || rest[3] != ':' || rest[6] != ':' {
			return time.Time{}, 0, false
		}
		var ok4, ok5, ok6 bool
		hour, ok4 = num(rest[1:3])
		minute, ok5 = num(rest[4:6])
		sec, ok6 = num(rest[7:9])
		if !ok4 || !ok5 || !ok6 || hour > 23 || minute > 59 || sec > 59 {
			return time.Time{}, 0, false
		}
		rest = rest[9:]
		if rest != "" && rest[0] == '.' {
			i := 1
			for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
				i++
			}
			frac := rest[1:i]
			if frac == "" {
				return time.Time{}, 0, false
			}
			for k := 0; k < 7; k++ {
				ticks *= 10
				if k < len(frac) {
					ticks += int(frac[k] - '0')
				}
			}
			if len(frac) > 7 && frac[7] >= '5' {
				ticks++
			}
			rest = rest[i:]
		}
	}
	kind := codecs.Unspecified
	loc := time.UTC
	switch {
	case rest == "":
	case rest == "Z":
		kind = codecs.UTC
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		oh, ok7 := num(rest[1:3])
		om, ok8 := num(rest[4:6])
		if !ok7 || !ok8 || oh > 14 || om > 59 || (oh == 14 && om > 0) {
			return time.Time{}, 0, false
		}
		off := (oh*60 + om) * 60
		if rest[0] == '-' {
			off = -off
		}
		kind = codecs.Local
		loc = time.FixedZone("", off)
	default:
		return time.Time{}, 0, false
	}
	tm := time.Date(year, time.Month(month), day, hour, minute, sec, 0, loc)
	if tm.Day() != day {
		return time.Time{}, 0, false
	}
	tm = tm.Add(time.Duration(ticks) * 100)
	return tm, kind, true
}

// minTime is DateTime.MinValue.
var minTime = codecs.MinTime
