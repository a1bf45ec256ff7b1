package jsvcodec

import (
	"encoding/base64"
	"math"
	"strconv"
	"strings"

	"legacygate/codecs"
)

const zeroGuid = "00000000-0000-0000-0000-000000000000"

// minTime is DateTime.MinValue.
var minTime = codecs.MinTime

func (d *decoder) scalarErr(s int, t *codecs.Type, what string) error {
	return d.errAt(s, "cannot convert "+strconv.Quote(what)+" to "+t.Name)
}

// parseScalar converts a scalar token (jsv.md §7).
func (d *decoder) parseScalar(s, e int, t *codecs.Type) (codecs.Value, error) {
	tok := d.src[s:e]
	if d.old != 0 && tok != "" {
		if v, done, err := d.legacyScalar(s, e, t); done {
			return v, err
		}
	}
	if isSpan(t) {
		if tok == "" {
			return nullOr(t, codecs.Str("PT0S"), d, s)
		}
		ticks, ok := parseTimeSpan(d.unescapeStr(s, e))
		if !ok {
			return codecs.Value{}, d.scalarErr(s, t, tok)
		}
		return codecs.Str(string(appendXsdDuration(nil, ticks))), nil
	}
	switch t.Scalar {
	case codecs.StringT, codecs.NotScalar:
		return d.unescape(s, e), nil
	case codecs.BoolT:
		if tok == "" {
			if t.Nullable {
				return codecs.Value{}, nil
			}
			return codecs.BoolV(false), nil
		}
		b, ok := parseBool(tok)
		if !ok {
			return codecs.Value{}, d.scalarErr(s, t, tok)
		}
		return codecs.BoolV(b), nil
	case codecs.Int32T, codecs.Int64T:
		if tok == "" && t.Nullable {
			return codecs.Value{}, nil
		}
		lit, ok := canonInt(tok, t.Scalar == codecs.Int32T)
		if !ok {
			return codecs.Value{}, d.scalarErr(s, t, tok)
		}
		return codecs.Num(lit), nil
	case codecs.ByteT, codecs.SByteT, codecs.Int16T, codecs.UInt16T, codecs.UInt32T, codecs.UInt64T:
		if tok == "" && t.Nullable {
			return codecs.Value{}, nil
		}
		lit, ok := canonSized(tok, t.Scalar)
		if !ok {
			return codecs.Value{}, d.scalarErr(s, t, tok)
		}
		return codecs.Num(lit), nil
	case codecs.DecimalT:
		if tok == "" && t.Nullable {
			return codecs.Value{}, nil
		}
		lit, ok := canonDecimal(tok)
		if !ok {
			return codecs.Value{}, d.scalarErr(s, t, tok)
		}
		return codecs.Num(lit), nil
	case codecs.DoubleT:
		if tok == "" && t.Nullable {
			return codecs.Value{}, nil
		}
		f, ok := parseDouble(tok)
		if !ok {
			return codecs.Value{}, d.scalarErr(s, t, tok)
		}
		return codecs.Num(string(appendDouble(nil, f))), nil
	case codecs.GuidT:
		if tok == "" {
			return nullOr(t, codecs.Value{}, d, s)
		}
		g, ok := parseGuid(strings.TrimSpace(d.unescapeStr(s, e)))
		if !ok {
			return codecs.Value{}, d.scalarErr(s, t, tok)
		}
		return codecs.Str(g), nil
	case codecs.DateTimeT:
		if tok == "" {
			if t.Nullable {
				return codecs.Value{}, nil
			}
			return codecs.TimeV(minTime, codecs.Unspecified), nil
		}
		tm, k, ok := parseDateTime(d.unescapeStr(s, e))
		if !ok {
			return codecs.Value{}, d.scalarErr(s, t, tok)
		}
		return codecs.TimeV(tm, k), nil
	case codecs.DateTimeOffsetT:
		if tok == "" {
			return nullOr(t, codecs.Value{}, d, s)
		}
		tm, ok := parseDateTimeOffset(d.unescapeStr(s, e))
		if !ok {
			return codecs.Value{}, d.scalarErr(s, t, tok)
		}
		return codecs.TimeV(tm, codecs.Offset), nil
	case codecs.EnumT:
		if tok == "" {
			return nullOr(t, codecs.Value{}, d, s)
		}
		v, ok := parseEnum(strings.TrimSpace(d.unescapeStr(s, e)), t)
		if !ok {
			return codecs.Value{}, d.scalarErr(s, t, tok)
		}
		return v, nil
	}
	return d.unescape(s, e), nil
}

// nullOr: an empty token is null for a nullable type and an error otherwise
// (or def when def is not null).
func nullOr(t *codecs.Type, def codecs.Value, d *decoder, s int) (codecs.Value, error) {
	if t.Nullable {
		return codecs.Value{}, nil
	}
	if def.Kind != codecs.Null {
		return def, nil
	}
	return codecs.Value{}, d.scalarErr(s, t, "")
}

// parseBytes reads byte[] (DeserializeArray.ParseByteArray): a list of byte
// numbers, or Base64. The value is the standard padded Base64 text.
func (d *decoder) parseBytes(s, e int) (codecs.Value, error) {
	if s == e {
		return codecs.Value{}, nil
	}
	isArr := e-s > 1 && d.src[s] == '['
	if isArr && d.old&oldNoByteList != 0 {
		// Before v4.5.8 ParseByteArray knew only Base64; a list of
		// numbers left the member null (docs/legacy/jsv-versions.md).
		return codecs.Value{}, nil
	}
	s0 := s
	s, e, ok, err := d.stripList(s, e)
	if err != nil || !ok {
		return codecs.Value{}, err
	}
	if s == e {
		return codecs.Str(""), nil
	}
	txt := d.unescapeStr(s, e)
	if !isArr {
		b, err := base64.StdEncoding.DecodeString(txt)
		if err != nil {
			return codecs.Value{}, d.errAt(s0, "invalid Base64 for byte[]")
		}
		if len(b) == 0 {
			return codecs.Str(""), nil
		}
		return codecs.Str(base64.StdEncoding.EncodeToString(b)), nil
	}
	var out []byte
	for _, p := range strings.Split(txt, ",") {
		n, ok := canonInt(p, true)
		if !ok {
			return codecs.Value{}, d.errAt(s0, "invalid byte in byte[] list")
		}
		x, _ := strconv.Atoi(n)
		if x < 0 || x > 255 {
			return codecs.Value{}, d.errAt(s0, "byte out of range in byte[] list")
		}
		out = append(out, byte(x))
	}
	return codecs.Str(base64.StdEncoding.EncodeToString(out)), nil
}

// ---- booleans (StringSpanExtensions.ParseBoolean, bool.Parse) ----

func parseBool(s string) (bool, bool) {
	switch len(s) {
	case 1:
		switch s[0] {
		case '1', 't', 'T', 'y', 'Y':
			return true, true
		case '0', 'f', 'F', 'n', 'N':
			return false, true
		}
	case 2:
		if s == "on" {
			return true, true
		}
	case 3:
		if s[0] == 'o' && s[1] == 'f' {
			return false, true
		}
	}
	switch t := strings.TrimSpace(s); {
	case strings.EqualFold(t, "true"):
		return true, true
	case strings.EqualFold(t, "false"):
		return false, true
	}
	return false, false
}

// ---- integers (DefaultMemory.ParseInt64) ----

func isJSONSpace(c byte) bool { return c == ' ' || (c >= '\t' && c <= '\r') }

// trimJSONSpace trims ASCII whitespace and U+00A0, U+0085, U+200B.
func trimJSONSpace(s string) string {
	for {
		switch {
		case s == "":
			return s
		case isJSONSpace(s[0]):
			s = s[1:]
		case strings.HasPrefix(s, "\u00a0"), strings.HasPrefix(s, "\u0085"):
			s = s[2:]
		case strings.HasPrefix(s, "\u200b"):
			s = s[3:]
		case isJSONSpace(s[len(s)-1]):
			s = s[:len(s)-1]
		case strings.HasSuffix(s, "\u00a0"), strings.HasSuffix(s, "\u0085"):
			s = s[:len(s)-2]
		case strings.HasSuffix(s, "\u200b"):
			s = s[:len(s)-3]
		default:
			return s
		}
	}
}

// canonInt validates an integer token and returns its canonical text
// (no whitespace, no leading zeros, no "-0"). The token itself is returned
// when it is already canonical, so no memory is allocated.
func canonInt(tok string, is32 bool) (string, bool) {
	s := tok
	if s == "" {
		return "", false
	}
	if isJSONSpace(s[0]) || isJSONSpace(s[len(s)-1]) || s[0] >= 0x80 || s[len(s)-1] >= 0x80 {
		s = trimJSONSpace(s)
	}
	neg := false
	digits := s
	if strings.HasPrefix(digits, "-") {
		neg = true
		digits = digits[1:]
	}
	if digits == "" {
		return "", false
	}
	var n uint64
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		if c < '0' || c > '9' {
			return "", false
		}
		if n > (math.MaxUint64-9)/10 {
			return "", false
		}
		n = n*10 + uint64(c-'0')
	}
	limit := uint64(math.MaxInt64)
	if is32 {
		limit = math.MaxInt32
	}
	if neg {
		limit++
	}
	if n > limit {
		return "", false
	}
	if len(s) == len(tok) && (digits[0] != '0' || len(digits) == 1) && !(neg && n == 0) {
		return tok, true
	}
	if neg && n != 0 {
		return "-" + strconv.FormatUint(n, 10), true
	}
	return strconv.FormatUint(n, 10), true
}

// canonSized is canonInt for byte, sbyte, short, ushort, uint and ulong
// (ServiceStack.Text's ParseByte … ParseUInt64: the same digits-only
// parser as int, range-checked for the type; a '+' is refused).
func canonSized(tok string, sc codecs.Scalar) (string, bool) {
	s := trimJSONSpace(tok)
	if s == "" || s[0] == '+' {
		return "", false
	}
	return codecs.ParseInteger(s, sc)
}

// ---- decimal (decimal.Parse, NumberStyles.Float|AllowThousands) ----

// canonDecimal returns decimal.ToString() of the parsed token: the scale
// (digits after the point) is kept, an exponent shifts the point.
func canonDecimal(tok string) (string, bool) {
	s := trimJSONSpace(tok)
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	var intPart, frac []byte
	i := 0
	sawDigit := false
	for ; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			intPart = append(intPart, c)
			sawDigit = true
		} else if c == ',' && sawDigit {
			continue
		} else {
			break
		}
	}
	if i < len(s) && s[i] == '.' {
		for i++; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			frac = append(frac, s[i])
			sawDigit = true
		}
	}
	if !sawDigit {
		return "", false
	}
	exp := 0
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		eneg := false
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			eneg = s[i] == '-'
			i++
		}
		st := i
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			if exp < 1000 {
				exp = exp*10 + int(s[i]-'0')
			}
		}
		if i == st {
			return "", false
		}
		if eneg {
			exp = -exp
		}
	}
	if i != len(s) {
		return "", false
	}
	digits := append(intPart, frac...)
	scale := len(frac) - exp
	if scale < 0 {
		for ; scale < 0; scale++ {
			digits = append(digits, '0')
		}
	}
	if scale > 28 {
		// decimal keeps at most 28 fraction digits: round half to even
		// is beyond the gateway's needs; truncate extra zeros only.
		for scale > 28 && len(digits) > 0 && digits[len(digits)-1] == '0' {
			digits = digits[:len(digits)-1]
			scale--
		}
		if scale > 28 {
			return "", false
		}
	}
	for len(digits) < scale+1 {
		digits = append([]byte{'0'}, digits...)
	}
	ip := digits[:len(digits)-scale]
	fp := digits[len(digits)-scale:]
	for len(ip) > 1 && ip[0] == '0' {
		ip = ip[1:]
	}
	if len(ip) > 29 {
		return "", false
	}
	zero := true
	for _, c := range digits {
		if c != '0' {
			zero = false
			break
		}
	}
	out := make([]byte, 0, len(ip)+len(fp)+2)
	if neg && !zero {
		out = append(out, '-')
	}
	out = append(out, ip...)
	if len(fp) > 0 {
		out = append(out, '.')
		out = append(out, fp...)
	}
	return string(out), true
}

// ---- double (double.Parse / ToString on .NET Core 3.0+) ----

func parseDouble(tok string) (float64, bool) {
	s := trimJSONSpace(tok)
	switch s {
	case "NaN":
		return math.NaN(), true
	case "Infinity", "+Infinity", "∞", "+∞":
		return math.Inf(1), true
	case "-Infinity", "-∞":
		return math.Inf(-1), true
	}
	// Validate the plain decimal grammar (ParseFloat also takes hex,
	// underscores and "inf").
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for ; i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == ','); i++ {
		if s[i] != ',' {
			digits++
		} else if digits == 0 {
			return 0, false
		}
	}
	if i < len(s) && s[i] == '.' {
		for i++; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			digits++
		}
	}
	if digits == 0 {
		return 0, false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		st := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if st == i {
			return 0, false
		}
	}
	if i != len(s) {
		return 0, false
	}
	if strings.IndexByte(s, ',') >= 0 {
		s = strings.ReplaceAll(s, ",", "")
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, true // overflow gives ±Infinity, underflow 0
		}
		return 0, false
	}
	return f, true
}

// appendDouble writes f as .NET Core 3.0+ double.ToString(Invariant): the
// shortest round-trip digits, scientific notation ("E+XX", at least two
// exponent digits) when the decimal exponent is above max(15, digits) or
// below -4.
func appendDouble(dst []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "NaN"...)
	case math.IsInf(f, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(f, -1):
		return append(dst, "-Infinity"...)
	case f == 0:
		if math.Signbit(f) {
			return append(dst, "-0"...)
		}
		return append(dst, '0')
	}
	var buf [32]byte
	e := strconv.AppendFloat(buf[:0], f, 'e', -1, 64)
	neg := e[0] == '-'
	if neg {
		e = e[1:]
		dst = append(dst, '-')
	}
	ep := 0
	for ep < len(e) && e[ep] != 'e' {
		ep++
	}
	mant := e[:ep]
	exp, _ := strconv.Atoi(string(e[ep+1:]))
	var digs [24]byte
	nd := 0
	for _, c := range mant {
		if c != '.' {
			digs[nd] = c
			nd++
		}
	}
	digits := digs[:nd]
	scale := exp + 1
	if scale > max(nd, 15) || scale < -3 {
		dst = append(dst, digits[0])
		if nd > 1 {
			dst = append(dst, '.')
			dst = append(dst, digits[1:]...)
		}
		dst = append(dst, 'E')
		x := scale - 1
		if x < 0 {
			dst = append(dst, '-')
			x = -x
		} else {
			dst = append(dst, '+')
		}
		if x < 10 {
			dst = append(dst, '0')
		}
		return strconv.AppendInt(dst, int64(x), 10)
	}
	switch {
	case scale <= 0:
		dst = append(dst, '0', '.')
		for ; scale < 0; scale++ {
			dst = append(dst, '0')
		}
		dst = append(dst, digits...)
	case scale >= nd:
		dst = append(dst, digits...)
		for ; scale > nd; scale-- {
			dst = append(dst, '0')
		}
	default:
		dst = append(dst, digits[:scale]...)
		dst = append(dst, '.')
		dst = append(dst, digits[scale:]...)
	}
	return dst
}

// ---- Guid (Guid.Parse: N, D, B, P forms) ----

func hexVal(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// guidHex returns the 32 lower-case hex digits of a Guid in any of the N, D,
// B or P forms.
func guidHex(s string) ([32]byte, bool) {
	var h [32]byte
	switch len(s) {
	case 38:
		if !(s[0] == '{' && s[37] == '}' || s[0] == '(' && s[37] == ')') {
			return h, false
		}
		s = s[1:37]
		fallthrough
	case 36:
		if s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
			return h, false
		}
		s = s[:8] + s[9:13] + s[14:18] + s[19:23] + s[24:]
	case 32:
	default:
		return h, false
	}
	for i := 0; i < 32; i++ {
		v, ok := hexVal(s[i])
		if !ok {
			return h, false
		}
		h[i] = "0123456789abcdef"[v]
	}
	return h, true
}

// parseGuid returns the lower-case dashed (D) form.
func parseGuid(s string) (string, bool) {
	h, ok := guidHex(s)
	if !ok {
		return "", false
	}
	var out [36]byte
	copy(out[0:8], h[0:8])
	out[8] = '-'
	copy(out[9:13], h[8:12])
	out[13] = '-'
	copy(out[14:18], h[12:16])
	out[18] = '-'
	copy(out[19:23], h[16:20])
	out[23] = '-'
	copy(out[24:], h[20:])
	return string(out[:]), true
}

// ---- enums ----

func parseEnum(s string, t *codecs.Type) (codecs.Value, bool) {
	if s == "" {
		return codecs.Value{}, false
	}
	for _, n := range t.Enum {
		if n == s {
			return codecs.Str(n), true
		}
	}
	for _, n := range t.Enum {
		if foldEq(n, s) {
			return codecs.Str(n), true
		}
	}
	if lit, ok := canonInt(s, false); ok {
		if i, err := strconv.ParseInt(lit, 10, 64); err == nil {
			if name, ok := t.EnumName(i); ok {
				return codecs.Str(name), true
			}
		}
		return codecs.Num(lit), true
	}
	if len(t.Enum) == 0 {
		return codecs.Str(s), true
	}
	return codecs.Value{}, false
}
