package jsoncodec

import (
	"strconv"
	"sync"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"legacygate/codecs"
)

// DefaultMaxDepth is the nesting limit [Decode] applies when
// [DecodeOptions.MaxDepth] is not positive.
const DefaultMaxDepth = 128

// DecodeOptions tune [Decode]. The zero value is strict RFC 8259 with the
// default depth limit.
type DecodeOptions struct {
	// MaxDepth is the deepest nesting of objects and arrays accepted; the
	// top-level container is depth 1. Zero or negative means
	// DefaultMaxDepth. The parser is iterative, so no limit can overflow the
	// stack; the limit bounds work and memory.
	MaxDepth int
	// DotNet accepts Json.NET's reader leniencies (comments, single quotes,
	// unquoted property names, NaN and Infinity, ...): see the package
	// documentation for the exact list.
	DotNet bool
	// IgnoreTrailing stops after the first top-level value without looking
	// at what follows. Web API reads bodies this way (Json.NET's
	// JsonSerializer has CheckAdditionalContent off), so `{"a":1} junk`
	// binds there. When false, anything but whitespace (and, with DotNet,
	// comments) after the value is an error.
	IgnoreTrailing bool
}

// Decode parses one JSON value from data. Empty input yields [ErrEmpty];
// malformed input or input beyond a limit yields a [*SyntaxError].
//
// The returned value is independent of data (data may be reused); its
// strings that needed no unescaping are slices of one copy of data.
func Decode(data []byte, opt DecodeOptions) (codecs.Value, error) {
	d := decoderPool.Get().(*decoder)
	d.init(data, opt)
	v, err := d.decode()
	d.release()
	decoderPool.Put(d)
	return v, err
}

var decoderPool = sync.Pool{New: func() any { return new(decoder) }}

// frame is one open container.
type frame struct {
	obj bool
	// hasName: the object has read a member name (Json.NET: the reader is
	// past ObjectStart); name is the last one read.
	hasName bool
	name    string
	// index is Json.NET's array position: -1 before the first item, then
	// the index of the item being read or last completed.
	index int
	// start is where this container's members (or items) begin in the
	// decoder's scratch stack.
	start int
}

// decoder holds the state of one Decode call. Children of open containers
// accumulate on shared scratch stacks (members, items) and are copied into
// one exactly sized slice when their container closes, so each container
// costs one allocation. Decoders are pooled with their scratch space.
type decoder struct {
	data           []byte
	src            string // one copy of data; unescaped strings are slices of it
	pos            int
	dotnet         bool
	ignoreTrailing bool
	maxDepth       int
	frames         []frame
	members        []codecs.Member
	items          []codecs.Value
	buf            []byte // unescaping scratch
	highMembers    int    // high-water marks of the scratch stacks, to clear them
	highItems      int
}

// Limits on what a pooled decoder keeps, so that one huge document does not
// pin memory for the process lifetime.
const (
	maxPooledStack = 4096
	maxPooledBuf   = 64 << 10
)

func (d *decoder) init(data []byte, opt DecodeOptions) {
	d.data = data
	d.src = string(data)
	d.pos = 0
	d.dotnet = opt.DotNet
	d.ignoreTrailing = opt.IgnoreTrailing
	d.maxDepth = opt.MaxDepth
	if d.maxDepth <= 0 {
		d.maxDepth = DefaultMaxDepth
	}
}

func (d *decoder) release() {
	d.data, d.src = nil, ""
	clear(d.frames)
	d.frames = d.frames[:0]
	clear(d.members[:max(d.highMembers, len(d.members))])
	clear(d.items[:max(d.highItems, len(d.items))])
	d.members, d.items = d.members[:0], d.items[:0]
	d.highMembers, d.highItems = 0, 0
	if cap(d.members) > maxPooledStack {
		d.members = nil
	}
	if cap(d.items) > maxPooledStack {
		d.items = nil
	}
	if cap(d.frames) > maxPooledStack {
		d.frames = nil
	}
	if cap(d.buf) > maxPooledBuf {
		d.buf = nil
	}
}

func (d *decoder) decode() (codecs.Value, error) {
	if hasBOM(d.data) {
		d.pos = len(bom)
	}
	if err := d.skipSpace(true); err != nil {
		return codecs.Value{}, err
	}
	if d.pos >= len(d.data) {
		return codecs.Value{}, ErrEmpty
	}
	v, err := d.value()
	if err != nil {
		return codecs.Value{}, err
	}
	if d.ignoreTrailing {
		return v, nil
	}
	if err := d.skipSpace(true); err != nil {
		return codecs.Value{}, err
	}
	if d.pos < len(d.data) {
		return codecs.Value{}, d.errInvalid(d.pos, "after top-level value")
	}
	return v, nil
}

// value parses the value starting at d.pos (whitespace already skipped),
// containers included, without recursion.
func (d *decoder) value() (codecs.Value, error) {
	var (
		v   codecs.Value
		err error
	)
next:
	for {
		// d.pos is at the first byte of a value.
		if d.pos >= len(d.data) {
			return v, d.errEOF()
		}
		closed := false // v is a container that was just closed
		switch c := d.data[d.pos]; c {
		case '{':
			if err = d.push(true); err != nil {
				return v, err
			}
			if err = d.skipSpace(true); err != nil {
				return v, err
			}
			if d.pos < len(d.data) && d.data[d.pos] == '}' {
				d.pos++
				v, closed = d.closeObject(), true
				break
			}
			if err = d.memberName(); err != nil {
				return v, err
			}
			continue next
		case '[':
			if err = d.push(false); err != nil {
				return v, err
			}
			if err = d.skipSpace(true); err != nil {
				return v, err
			}
			if d.pos < len(d.data) && d.data[d.pos] == ']' {
				d.pos++
				v, closed = d.closeArray(), true
				break
			}
			continue next
		case '"':
			v, err = d.strValue('"')
		case 't':
			v, err = d.literal("true", codecs.Value{Kind: codecs.Bool, Bool: true})
		case 'f':
			v, err = d.literal("false", codecs.Value{Kind: codecs.Bool})
		case 'n':
			v, err = d.literal("null", codecs.Value{})
		case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
			v, err = d.number()
		case '\'':
			if !d.dotnet {
				return v, d.errInvalid(d.pos, "looking for beginning of value")
			}
			v, err = d.strValue('\'')
		case 'N':
			if !d.dotnet {
				return v, d.errInvalid(d.pos, "looking for beginning of value")
			}
			v, err = d.literal(litNaN, codecs.Num(litNaN))
		case 'I':
			if !d.dotnet {
				return v, d.errInvalid(d.pos, "looking for beginning of value")
			}
			v, err = d.literal(litInfinity, codecs.Num(litInfinity))
		default:
			return v, d.errInvalid(d.pos, "looking for beginning of value")
		}
		if err != nil {
			return v, err
		}

		// Attach v to its container, then read what follows it: a
		// separator (continue with the next value) or a closing bracket
		// (v becomes the closed container, attach again).
		for {
			n := len(d.frames)
			if n == 0 {
				return v, nil
			}
			f := &d.frames[n-1]
			if f.obj {
				d.members = append(d.members, codecs.Member{Name: f.name, Value: v})
			} else {
				if !closed {
					f.index++
				}
				d.items = append(d.items, v)
			}
			if err = d.skipSpace(true); err != nil {
				return v, err
			}
			if d.pos >= len(d.data) {
				return v, d.errEOF()
			}
			c := d.data[d.pos]
			if c == ',' {
				d.pos++
				if err = d.skipSpace(true); err != nil {
					return v, err
				}
				if d.dotnet && d.pos < len(d.data) && d.data[d.pos] == closer(f.obj) {
					c = d.data[d.pos] // trailing comma: close below
				} else {
					if f.obj {
						if err = d.memberName(); err != nil {
							return v, err
						}
					}
					continue next
				}
			}
			switch {
			case f.obj && c == '}':
				d.pos++
				v, closed = d.closeObject(), true
			case !f.obj && c == ']':
				d.pos++
				v, closed = d.closeArray(), true
			case f.obj:
				return v, d.errInvalid(d.pos, "after object key:value pair")
			default:
				return v, d.errInvalid(d.pos, "after array element")
			}
		}
	}
}

func closer(obj bool) byte {
	if obj {
		return '}'
	}
	return ']'
}

// push opens the container whose bracket is at d.pos.
func (d *decoder) push(obj bool) error {
	n := len(d.frames)
	if n > 0 && !d.frames[n-1].obj {
		d.frames[n-1].index++ // Json.NET counts a container item when it starts
	}
	if n >= d.maxDepth {
		return d.fail(d.pos, "exceeded max depth of "+strconv.Itoa(d.maxDepth))
	}
	start := len(d.items)
	if obj {
		start = len(d.members)
	}
	d.frames = append(d.frames, frame{obj: obj, index: -1, start: start})
	d.pos++
	return nil
}

func (d *decoder) closeObject() codecs.Value {
	n := len(d.frames) - 1
	start := d.frames[n].start
	d.highMembers = max(d.highMembers, len(d.members))
	ms := make([]codecs.Member, len(d.members)-start)
	copy(ms, d.members[start:])
	d.members = d.members[:start]
	d.frames[n] = frame{}
	d.frames = d.frames[:n]
	return codecs.Value{Kind: codecs.Object, Members: ms}
}

func (d *decoder) closeArray() codecs.Value {
	n := len(d.frames) - 1
	start := d.frames[n].start
	d.highItems = max(d.highItems, len(d.items))
	items := make([]codecs.Value, len(d.items)-start)
	copy(items, d.items[start:])
	d.items = d.items[:start]
	d.frames = d.frames[:n]
	return codecs.Value{Kind: codecs.Array, Items: items}
}

// memberName reads a member name at d.pos and the colon after it, leaving
// d.pos at the member's value.
func (d *decoder) memberName() error {
	if d.pos >= len(d.data) {
		return d.errEOF()
	}
	var (
		name string
		err  error
	)
	switch c := d.data[d.pos]; {
	case c == '"':
		name, err = d.str('"')
	case d.dotnet && c == '\'':
		name, err = d.str('\'')
	case d.dotnet && d.identAt(d.pos) > 0:
		name, err = d.ident()
	default:
		return d.errInvalid(d.pos, "looking for beginning of object key string")
	}
	if err != nil {
		return err
	}
	// Json.NET allows no comment between a name and its colon.
	if err = d.skipSpace(false); err != nil {
		return err
	}
	if d.pos >= len(d.data) {
		return d.errEOF()
	}
	if d.data[d.pos] != ':' {
		return d.errInvalid(d.pos, "after object key")
	}
	d.pos++
	f := &d.frames[len(d.frames)-1]
	f.name, f.hasName = name, true
	return d.skipSpace(true)
}

// identAt returns the byte length of the identifier character at off
// (Json.NET's ValidIdentifierChar: char.IsLetterOrDigit, '_' or '$'), or 0.
func (d *decoder) identAt(off int) int {
	c := d.data[off]
	if c < utf8.RuneSelf {
		if c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			return 1
		}
		return 0
	}
	r, size := utf8.DecodeRune(d.data[off:])
	// A .NET char is a UTF-16 unit: supplementary letters are surrogates,
	// which are not letters.
	if r <= 0xFFFF && r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
		return size
	}
	return 0
}

// ident reads an unquoted property name, which Json.NET ends at whitespace or
// a colon.
func (d *decoder) ident() (string, error) {
	start := d.pos
	i := start
	for i < len(d.data) {
		if n := d.identAt(i); n > 0 {
			i += n
			continue
		}
		if d.data[i] == ':' || d.spaceAt(i) > 0 {
			d.pos = i
			return d.src[start:i], nil
		}
		return "", d.errInvalid(i, "in unquoted property name")
	}
	return "", d.errEOF()
}

// strSafe marks the bytes a string can hold verbatim in the fast path.
var strSafe = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\'' && c != '\\'
	}
	return t
}()

func (d *decoder) strValue(q byte) (codecs.Value, error) {
	s, err := d.str(q)
	return codecs.Value{Kind: codecs.String, Str: s}, err
}

// str reads a string whose opening quote q is at d.pos. Strings without
// escapes, control characters or ill-formed UTF-8 are slices of d.src.
func (d *decoder) str(q byte) (string, error) {
	data := d.data
	start := d.pos + 1
	i := start
	for i < len(data) {
		c := data[i]
		if strSafe[c] {
			i++
			continue
		}
		if c == q {
			d.pos = i + 1
			return d.src[start:i], nil
		}
		if c == '"' || c == '\'' {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			if r, size := utf8.DecodeRune(data[i:]); r != utf8.RuneError || size > 1 {
				i += size
				continue
			}
		}
		return d.strSlow(q, start, i)
	}
	return "", d.errEOF()
}

// strSlow continues str at data[i], the first byte that needs work,
// building the string in d.buf.
func (d *decoder) strSlow(q byte, start, i int) (string, error) {
	data := d.data
	buf := append(d.buf[:0], data[start:i]...)
	defer func() { d.buf = buf }()
	for i < len(data) {
		c := data[i]
		switch {
		case c == q:
			d.pos = i + 1
			return string(buf), nil
		case c == '\\':
			if i+1 >= len(data) {
				return "", d.errEOF()
			}
			e := data[i+1]
			switch e {
			case '"', '\\', '/':
				buf = append(buf, e)
			case '\'':
				if !d.dotnet {
					return "", d.errInvalid(i+1, "in string escape code")
				}
				buf = append(buf, e)
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				r, err := d.hex4(i + 2)
				if err != nil {
					return "", err
				}
				i += 6
				if utf16.IsSurrogate(r) {
					if r, err = d.lowSurrogate(r, &i); err != nil {
						return "", err
					}
				}
				buf = utf8.AppendRune(buf, r)
				continue
			default:
				return "", d.errInvalid(i+1, "in string escape code")
			}
			i += 2
		case c < 0x20:
			if !d.dotnet {
				return "", d.errInvalid(i, "in string literal")
			}
			buf = append(buf, c)
			i++
		case c < utf8.RuneSelf:
			buf = append(buf, c)
			i++
		default:
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size <= 1 {
				buf = append(buf, replacementChar...)
				i += codecs.IllFormedLen(data[i:])
				continue
			}
			buf = append(buf, data[i:i+size]...)
			i += size
		}
	}
	return "", d.errEOF()
}

// lowSurrogate completes the surrogate r decoded from a \u escape that ended
// at *i: a high surrogate immediately followed by a \u escape of a low one
// forms a pair; anything else leaves U+FFFD (and the following escape, if
// any, to be read on its own), as Json.NET does. A malformed second escape
// is an error, as in Json.NET.
func (d *decoder) lowSurrogate(r rune, i *int) (rune, error) {
	data := d.data
	j := *i
	if r >= 0xDC00 || j+1 >= len(data) || data[j] != '\\' || data[j+1] != 'u' {
		return utf8.RuneError, nil
	}
	r2, err := d.hex4(j + 2)
	if err != nil {
		return 0, err
	}
	if r2 < 0xDC00 || r2 > 0xDFFF {
		return utf8.RuneError, nil
	}
	*i = j + 6
	return utf16.DecodeRune(r, r2), nil
}

// hex4 decodes the four hex digits of a \u escape starting at off.
func (d *decoder) hex4(off int) (rune, error) {
	var r rune
	for k := off; k < off+4; k++ {
		if k >= len(d.data) {
			return 0, d.errEOF()
		}
		c := d.data[k]
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, d.errInvalid(k, `in \u hexadecimal character escape`)
		}
		r = r<<4 | rune(c)
	}
	return r, nil
}

// literal matches lit at d.pos and returns v.
func (d *decoder) literal(lit string, v codecs.Value) (codecs.Value, error) {
	for k := 0; k < len(lit); k++ {
		p := d.pos + k
		if p >= len(d.data) {
			return codecs.Value{}, d.errEOF()
		}
		if d.data[p] != lit[k] {
			return codecs.Value{}, d.errInvalid(p, "in literal "+lit+" (expecting "+strconv.QuoteRune(rune(lit[k]))+")")
		}
	}
	d.pos += len(lit)
	return v, nil
}

// number reads a number by the RFC 8259 grammar (and, with DotNet,
// -Infinity), keeping its literal text.
func (d *decoder) number() (codecs.Value, error) {
	data := d.data
	start := d.pos
	i := start
	if data[i] == '-' {
		i++
		if d.dotnet && i < len(data) && data[i] == 'I' {
			return d.literal(litNegInfinity, codecs.Num(litNegInfinity))
		}
	}
	if i >= len(data) {
		return codecs.Value{}, d.errEOF()
	}
	switch c := data[i]; {
	case c == '0':
		i++
		if i < len(data) && data[i] >= '0' && data[i] <= '9' {
			return codecs.Value{}, d.errInvalid(i, "after leading zero in numeric literal")
		}
	case c >= '1' && c <= '9':
		i = skipDigits(data, i+1)
	default:
		return codecs.Value{}, d.errInvalid(i, "in numeric literal")
	}
	if i < len(data) && data[i] == '.' {
		i++
		if i >= len(data) {
			return codecs.Value{}, d.errEOF()
		}
		if data[i] < '0' || data[i] > '9' {
			return codecs.Value{}, d.errInvalid(i, "after decimal point in numeric literal")
		}
		i = skipDigits(data, i+1)
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if i >= len(data) {
			return codecs.Value{}, d.errEOF()
		}
		if data[i] < '0' || data[i] > '9' {
			return codecs.Value{}, d.errInvalid(i, "in exponent of numeric literal")
		}
		i = skipDigits(data, i+1)
	}
	d.pos = i
	return codecs.Value{Kind: codecs.Number, Str: d.src[start:i]}, nil
}

// skipSpace skips whitespace and, in DotNet mode, .NET whitespace and (when
// comments is set) comments.
func (d *decoder) skipSpace(comments bool) error {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
			continue
		case '/':
			if !d.dotnet || !comments {
				return nil
			}
			if err := d.comment(); err != nil {
				return err
			}
			continue
		}
		n := d.spaceAt(d.pos)
		if n == 0 {
			return nil
		}
		d.pos += n
	}
	return nil
}

// spaceAt returns the byte length of the whitespace character at off, or 0:
// RFC 8259 whitespace, and in DotNet mode anything char.IsWhiteSpace accepts.
func (d *decoder) spaceAt(off int) int {
	switch c := d.data[off]; {
	case c == ' ' || c == '\t' || c == '\n' || c == '\r':
		return 1
	case !d.dotnet:
		return 0
	case c == '\v' || c == '\f':
		return 1
	case c < utf8.RuneSelf:
		return 0
	}
	r, size := utf8.DecodeRune(d.data[off:])
	if r != utf8.RuneError && unicode.IsSpace(r) {
		return size
	}
	return 0
}

// comment skips the comment starting with the '/' at d.pos. A line comment
// ends before its line break.
func (d *decoder) comment() error {
	data := d.data
	i := d.pos + 1
	if i >= len(data) {
		return d.errEOF()
	}
	switch data[i] {
	case '/':
		for i++; i < len(data) && data[i] != '\n' && data[i] != '\r'; i++ {
		}
		d.pos = i
		return nil
	case '*':
		for i++; i+1 < len(data); i++ {
			if data[i] == '*' && data[i+1] == '/' {
				d.pos = i + 2
				return nil
			}
		}
		return d.errEOF()
	}
	return d.errInvalid(i, "in comment (expecting '/' or '*')")
}

// Errors.

func (d *decoder) errEOF() error {
	return d.fail(len(d.data), "unexpected end of JSON input")
}

func (d *decoder) errInvalid(off int, context string) error {
	return d.fail(off, "invalid character "+quoteAt(d.data, off)+" "+context)
}

func (d *decoder) fail(off int, msg string) error {
	line, col := lineCol(d.data, off)
	return &SyntaxError{Offset: off, Line: line, Col: col, Msg: msg, Path: d.path()}
}

// path renders the open containers as Json.NET's JsonReader.Path would at
// this point: the innermost container is left out while it has not read
// anything yet (ObjectStart/ArrayStart state).
func (d *decoder) path() string {
	var b []byte
	for i, f := range d.frames {
		if i == len(d.frames)-1 && (f.obj && !f.hasName || !f.obj && f.index < 0) {
			break
		}
		if f.obj {
			b = appendPathName(b, f.name)
			continue
		}
		b = append(b, '[')
		b = strconv.AppendInt(b, int64(f.index), 10)
		b = append(b, ']')
	}
	return string(b)
}

// appendPathName appends a property name to a Json.NET path: ".name", or
// "['na.me']" (escaped for single quotes) when the name holds one of
// JsonPosition.SpecialCharacters (Json.NET 6.0.6 and later).
func appendPathName(b []byte, name string) []byte {
	for i := 0; i < len(name); i++ {
		if pathSpecial(name, i) {
			b = append(b, '[')
			b = appendQuoted(b, name, '\'', true)
			return append(b, ']')
		}
	}
	if len(b) > 0 {
		b = append(b, '.')
	}
	return append(b, name...)
}

func pathSpecial(s string, i int) bool {
	switch s[i] {
	case '.', ' ', '\'', '/', '"', '[', ']', '(', ')', '\t', '\n', '\r', '\f', '\b', '\\':
		return true
	case 0xC2: // U+0085
		return i+1 < len(s) && s[i+1] == 0x85
	case 0xE2: // U+2028, U+2029
		return i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0xA8 || s[i+2] == 0xA9)
	}
	return false
}
