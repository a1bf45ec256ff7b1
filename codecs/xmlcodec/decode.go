package xmlcodec

import (
	"strings"
	"sync"
	"unicode/utf8"

	"legacygate/codecs"
)

// DefaultMaxDepth is Web API's XmlDictionaryReaderQuotas.MaxDepth
// (FormattingUtilities.DefaultMaxDepth), applied when
// [DecodeOptions.MaxDepth] is not positive.
const DefaultMaxDepth = 256

// DecodeOptions bound the reader. Zero values mean the defaults.
type DecodeOptions struct {
	// MaxDepth is the deepest element nesting accepted; the root element is
	// depth 1. Zero or negative means DefaultMaxDepth. The reader's only
	// recursion is bounded by it.
	MaxDepth int
	// MaxNameLen, when positive, rejects element and attribute names (prefix
	// included) longer than this many bytes. Web API has no such quota;
	// names cost the reader no memory (they are slices of the input), so the
	// default is no limit.
	MaxNameLen int
	// Charset is the encoding the body arrived in (the Content-Type's
	// charset, which Web API hands to the reader; empty means UTF-8). The
	// caller transcodes a UTF-16 body to UTF-8 first; an XML declaration
	// must name this encoding ("utf-8" or "utf-16").
	Charset string
}

// Decode reads a DataContract XML document whose root must be the contract t
// (normally an object contract; list and scalar roots work too). See the
// package documentation for what is bound and how values are typed. A root
// carrying i:nil="true" decodes to the null Value.
//
// Errors are *Error values, or ErrEmpty for an empty or whitespace-only body.
// The result does not share memory with data.
func Decode(data []byte, t *codecs.Type, opt DecodeOptions) (codecs.Value, error) {
	d := decoderPool.Get().(*decoder)
	v, err := d.run(data, t, opt)
	d.reset()
	decoderPool.Put(d)
	return v, err
}

var decoderPool = sync.Pool{New: func() any { return new(decoder) }}

// Token kinds returned by next.
const (
	tEOF = iota
	tStart
	tEnd
	tText
)

type nsBind struct{ prefix, uri string }

// attr is one attribute of the tag being read, as offsets into the source
// (24 bytes, so that attribute-heavy input stays cheap).
type attr struct {
	qa, colon, qb int32 // name; colon == qa-1 when unprefixed
	va, vb        int32 // raw value, between the quotes
	escaped       bool  // holds '&' or \t \n \r: needs decoding
}

func (a *attr) prefixIn(s string) string {
	if a.colon < a.qa {
		return ""
	}
	return s[a.qa:a.colon]
}

func (a *attr) localIn(s string) string { return s[a.colon+1 : a.qb] }

func (a *attr) valIn(s string) string { return s[a.va:a.vb] }

// elem is a parsed start tag.
type elem struct {
	qname, prefix, local, ns string
	empty                    bool
	nilAttr                  string // raw i:nil value, "" when absent
	hasNil                   bool
	typeAttr                 string // raw i:type value
	hasType                  bool
	nsMark                   int
	off, end                 int // '<' and just past '>'
}

// decoder is the state of one Decode call: a pull tokenizer over one string
// copy of the input (so that text values can be substrings of it) and the
// namespace scopes of the open elements.
type decoder struct {
	src      string
	bom      int
	pos      int
	maxDepth int
	maxName  int
	depth    int
	ns       []nsBind
	attrs    []attr
	open     []string // qualified names of the open elements
	buf      []byte
	rootCLR  string
	started  bool // a node has been read (declaration no longer allowed)

	// current token
	el        elem
	txtA      int // text token range
	txtB      int
	txtWS     bool // whitespace only
	txtPlain  bool // no reference, no CR: the raw bytes are the value
	txtCDATA  bool
	endQName  string
	endOffset int
	// utf8OK is set when the whole input is valid UTF-8 (the common case:
	// nothing to check per string).
	utf8OK  bool
	charset string
}

// checkUTF8 fails when s[a:b], which the reader is about to decode into a
// string, is not valid UTF-8.
func (d *decoder) checkUTF8(a, b int) error {
	if d.utf8OK || utf8.ValidString(d.src[a:b]) {
		return nil
	}
	off := a
	for off < b {
		r, n := utf8.DecodeRuneInString(d.src[off:b])
		if r == utf8.RuneError && n <= 1 {
			break
		}
		off += n
	}
	return d.xmlErr(off, "Invalid byte encoding.")
}

func (d *decoder) reset() {
	d.src = ""
	d.ns = d.ns[:0]
	d.attrs = d.attrs[:0]
	d.open = d.open[:0]
	if cap(d.buf) > 64<<10 {
		d.buf = nil
	}
	d.buf = d.buf[:0]
	d.el = elem{}
}

func (d *decoder) run(data []byte, t *codecs.Type, opt DecodeOptions) (codecs.Value, error) {
	d.bom = 0
	if len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
		data = data[3:]
		d.bom = 3
	}
	d.pos, d.depth, d.started = 0, 0, false
	d.maxDepth = opt.MaxDepth
	if d.maxDepth <= 0 {
		d.maxDepth = DefaultMaxDepth
	}
	d.maxName = opt.MaxNameLen
	d.rootCLR = clrTypeName(t)
	i := 0
	for i < len(data) && isXMLSpace(data[i]) {
		i++
	}
	if i == len(data) {
		return codecs.Value{}, ErrEmpty
	}
	if t == nil {
		return codecs.Value{}, &Error{Offset: d.bom, Line: 1, Pos: 1, Msg: "no contract type given"}
	}
	d.src = string(data)
	// Ill-formed UTF-8 is an error only where XmlUTF8TextReader decodes
	// the bytes into a string: names, namespace URIs, the declaration and
	// the text of bound members. Skipped content (unknown members, other
	// attributes, comments) is scanned byte-wise and never decoded, so
	// DataContractSerializer accepts it there.
	d.utf8OK = utf8.ValidString(d.src)
	d.charset = opt.Charset
	if strings.HasPrefix(d.src, "<?xml") && len(d.src) > 5 && isXMLSpace(d.src[5]) {
		if err := d.readDecl(); err != nil {
			return codecs.Value{}, err
		}
	}
	// Prolog: white space and comments, then the root element.
	for {
		k, err := d.next()
		if err != nil {
			return codecs.Value{}, err
		}
		switch k {
		case tText:
			continue // only white space gets here outside the root
		case tEnd:
			return codecs.Value{}, d.xmlErr(d.pos, msgUnexpectedEndElement)
		case tEOF:
			return codecs.Value{}, d.serErr(d.pos, expectingMsg(t)+".. Encountered 'None'  with name '', namespace ''. ")
		}
		break
	}
	e := d.el
	wantName, wantNS := rootName(t)
	if e.local != wantName || e.ns != wantNS {
		return codecs.Value{}, d.serErr(e.end, expectingMsg(t)+".. Encountered 'Element'  with name '"+e.local+"', namespace '"+e.ns+"'. ")
	}
	v, err := d.readValue(&e, t)
	if err != nil {
		return codecs.Value{}, err
	}
	// ReadObject consumes the root's end tag with XmlReader.Read, which
	// parses exactly one more node: a second element or text is an error
	// there, anything after a white-space or comment node is never read.
	if err := d.epilog(); err != nil {
		return codecs.Value{}, err
	}
	return v, nil
}

func rootName(t *codecs.Type) (string, string) {
	switch t.Shape {
	case codecs.ListShape:
		return t.Name, listNS(t)
	case codecs.MapShape:
		d := dictFor(t)
		return d.name, d.ns
	case codecs.ScalarShape:
		name, ns := t.Name, t.Namespace
		if name == "" {
			name = dcsName(t.Scalar)
		}
		if ns == "" {
			ns = serializationNS
			if t.Scalar == codecs.DateTimeOffsetT {
				ns = systemNS
			}
		}
		return name, ns
	}
	return t.Name, t.Namespace
}

func expectingMsg(t *codecs.Type) string {
	name, ns := rootName(t)
	return "Expecting element '" + name + "' from namespace '" + ns + "'"
}

func (d *decoder) epilog() error {
	if d.pos >= len(d.src) {
		return nil
	}
	c := d.src[d.pos]
	if isXMLSpace(c) {
		return nil // a white-space node is read; nothing after it is
	}
	if strings.HasPrefix(d.src[d.pos:], "<!--") {
		return d.comment() // likewise a comment node
	}
	k, err := d.next()
	if err != nil {
		return err
	}
	switch k {
	case tStart:
		return d.xmlErr(d.el.end, msgMultipleRoots)
	case tEnd:
		return d.xmlErr(d.pos, msgUnexpectedEndElement)
	}
	return nil
}

// readDecl reads "<?xml ... ?>" at offset 0.
func (d *decoder) readDecl() error {
	d.pos = 5
	if err := d.readAttrs(); err != nil {
		return err
	}
	if !strings.HasPrefix(d.src[d.pos:], "?>") {
		return d.xmlErr(d.pos, tokenExpectedMsg("?>", safeSlice(d.src, d.pos, 2)))
	}
	d.pos += 2
	d.started = true
	var version bool
	for _, a := range d.attrs {
		v := a.valIn(d.src)
		switch {
		case a.prefixIn(d.src) == "" && a.localIn(d.src) == "version":
			version = true
			if v != "1.0" {
				return d.xmlErr(d.pos, "XML version must be '1.0'.")
			}
		case a.prefixIn(d.src) == "" && a.localIn(d.src) == "standalone":
			if v != "yes" && v != "no" {
				return d.xmlErr(d.pos, "'standalone' value in declaration must be 'yes' or 'no'.")
			}
		case a.prefixIn(d.src) == "" && a.localIn(d.src) == "encoding":
			// XmlDictionaryReader.CreateTextReader is given the
			// Content-Type's encoding (Web API's effective encoding), and
			// EncodingStreamWrapper refuses a declaration naming another
			// one: only "utf-8" for a UTF-8 body (not "utf8"), "utf-16"
			// for a UTF-16 one, in any letter case.
			if want := declEncoding(d.charset); !strings.EqualFold(v, want) {
				return d.xmlErr(d.pos, "The encoding in the declaration '"+v+"' does not match the encoding of the document '"+want+"'.")
			}
		default:
			return d.xmlErr(d.pos, "Malformed XML declaration.")
		}
	}
	if !version {
		return d.xmlErr(d.pos, "Version not found in XML declaration.")
	}
	return nil
}

// declEncoding is the encoding name a declaration must carry for a body
// that arrived in charset (the Content-Type's; empty means UTF-8).
func declEncoding(charset string) string {
	switch strings.ToLower(strings.Trim(strings.TrimSpace(charset), `"`)) {
	case "utf-16", "utf-16le", "utf-16be", "unicode", "unicodefffe":
		return "utf-16"
	}
	return "utf-8"
}

func safeSlice(s string, i, n int) string {
	if i > len(s) {
		return ""
	}
	if i+n > len(s) {
		return s[i:]
	}
	return s[i : i+n]
}

// Character classes.
const (
	cName  = 1 << iota // may continue a name
	cFirst             // may start a name
	cText              // plain text byte
)

var charClass = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_', c >= 0x80:
			t[c] = cName | cFirst
		case c >= '0' && c <= '9', c == '.', c == '-':
			t[c] = cName
		}
		if c >= 0x20 && c != '<' && c != '&' && c != ']' && c != 0xEF {
			t[c] |= cText
		}
	}
	t['\t'] |= cText
	t['\n'] |= cText
	return t
}()

// next reads the next node. Comments are skipped. At the top level (outside
// the root) only white space is returned as text; anything else is an error.
func (d *decoder) next() (int, error) {
	for {
		if d.pos >= len(d.src) {
			return tEOF, nil
		}
		if d.src[d.pos] != '<' {
			return d.text()
		}
		if d.pos+1 >= len(d.src) {
			return 0, d.eofErr()
		}
		switch d.src[d.pos+1] {
		case '/':
			return tEnd, d.endTag()
		case '!':
			if d.pos+2 < len(d.src) && d.src[d.pos+2] == '-' {
				if err := d.comment(); err != nil {
					return 0, err
				}
				d.started = true
				continue
			}
			if d.depth == 0 {
				return 0, d.xmlErr(d.pos+2, msgCDATATopLevel)
			}
			return d.cdata()
		case '?':
			d.pos++
			if strings.HasPrefix(d.src[d.pos:], "?xml") && d.pos+4 < len(d.src) && isXMLSpace(d.src[d.pos+4]) {
				return 0, d.xmlErr(d.pos, msgDeclNotFirst)
			}
			return 0, d.xmlErr(d.pos, msgPINotSupported)
		}
		d.started = true
		return tStart, d.startTag()
	}
}

func (d *decoder) eofErr() error {
	if len(d.open) == 0 {
		return d.xmlErr(len(d.src), "Unexpected end of file.")
	}
	var b strings.Builder
	for i := len(d.open) - 1; i >= 0; i-- {
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString(d.open[i])
	}
	return d.xmlErr(len(d.src), unexpectedEOFMsg(b.String()))
}

// text reads a run of character data up to the next '<'.
func (d *decoder) text() (int, error) {
	s := d.src
	i := d.pos
	a := i
	ws, plain := true, true
	for i < len(s) {
		c := s[i]
		if charClass[c]&cText != 0 {
			if ws && c != ' ' && c != '\t' && c != '\n' {
				ws = false
			}
			i++
			continue
		}
		switch {
		case c == '<':
			goto done
		case c == '\r':
			plain = false
			i++
		case c == '&':
			ws, plain = false, false
			if d.depth == 0 {
				return 0, d.xmlErr(i, msgInvalidRootData)
			}
			_, n, err := d.charRef(i)
			if err != nil {
				return 0, err
			}
			i += n
		case c == ']':
			ws = false
			if strings.HasPrefix(s[i:], "]]>") {
				return 0, d.xmlErr(i, msgCloseCData)
			}
			i++
		case c == 0xEF:
			ws = false
			if i+2 < len(s) && s[i+1] == 0xBF && (s[i+2] == 0xBE || s[i+2] == 0xBF) {
				return 0, d.xmlErr(i, msgInvalidFFFE)
			}
			i++
		default:
			return 0, d.xmlErr(i, invalidByteMsg(c))
		}
		if !ws && d.depth == 0 {
			return 0, d.xmlErr(i-1, msgInvalidRootData)
		}
	}
done:
	if !ws && d.depth == 0 {
		return 0, d.xmlErr(a, msgInvalidRootData)
	}
	d.pos = i
	d.started = true
	d.txtA, d.txtB, d.txtWS, d.txtPlain, d.txtCDATA = a, i, ws, plain, false
	return tText, nil
}

// charRef decodes the reference at s[i] == '&' the way XmlBufferReader does:
// the five predefined entities and numeric references up to U+10FFFF.
func (d *decoder) charRef(i int) (rune, int, error) {
	s := d.src
	j := strings.IndexByte(s[i:], ';')
	if j < 0 {
		return 0, 0, d.eofErr()
	}
	ref := s[i+1 : i+j]
	n := j + 1
	bad := func() (rune, int, error) { return 0, 0, d.xmlErr(i+n, msgInvalidCharRef) }
	if len(ref) < 1 {
		return bad()
	}
	switch ref {
	case "lt":
		return '<', n, nil
	case "gt":
		return '>', n, nil
	case "amp":
		return '&', n, nil
	case "quot":
		return '"', n, nil
	case "apos":
		return '\'', n, nil
	}
	if ref[0] != '#' {
		return bad()
	}
	v := 0
	if len(ref) > 1 && ref[1] == 'x' {
		for k := 2; k < len(ref); k++ {
			h := unhex(ref[k])
			if h < 0 {
				return bad()
			}
			v = v*16 + h
			if v > utf8.MaxRune {
				return bad()
			}
		}
	} else {
		for k := 1; k < len(ref); k++ {
			if ref[k] < '0' || ref[k] > '9' {
				return bad()
			}
			v = v*10 + int(ref[k]-'0')
			if v > utf8.MaxRune {
				return bad()
			}
		}
	}
	return rune(v), n, nil
}

func (d *decoder) comment() error {
	s := d.src
	if !strings.HasPrefix(s[d.pos:], "<!--") {
		return d.xmlErr(d.pos+3, tokenExpectedMsg("--", safeSlice(s, d.pos+3, 1)))
	}
	i := d.pos + 4
	for {
		j := strings.Index(s[i:], "--")
		if j < 0 {
			d.pos = len(s)
			return d.eofErr()
		}
		i += j
		if i+2 < len(s) && s[i+2] == '>' {
			break
		}
		if i+2 >= len(s) {
			d.pos = len(s)
			return d.eofErr()
		}
		return d.xmlErr(i, msgInvalidCommentChars)
	}
	for k := d.pos + 4; k < i; k++ {
		if c := s[k]; c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return d.xmlErr(k, invalidByteMsg(c))
		}
	}
	d.pos = i + 3
	return nil
}

func (d *decoder) cdata() (int, error) {
	s := d.src
	if !strings.HasPrefix(s[d.pos+2:], "[CDATA[") {
		return 0, d.xmlErr(d.pos+2, tokenExpectedMsg("[CDATA[", safeSlice(s, d.pos+2, 7)))
	}
	a := d.pos + 9
	j := strings.Index(s[a:], "]]>")
	if j < 0 {
		d.pos = len(s)
		return 0, d.eofErr()
	}
	d.txtA, d.txtB, d.txtWS, d.txtPlain, d.txtCDATA = a, a+j, false, true, true
	d.pos = a + j + 3
	return tText, nil
}

// qname reads a qualified name at d.pos.
func (d *decoder) qname() (q, prefix, local string, err error) {
	s := d.src
	a := d.pos
	i := a
	colon := -1
	if i >= len(s) {
		return "", "", "", d.eofErr()
	}
	if charClass[s[i]]&cFirst == 0 {
		if s[i] == ':' {
			return "", "", "", d.xmlErr(i, "Name cannot begin with the ':' character, hexadecimal value 0x3A.")
		}
		r, _ := utf8.DecodeRuneInString(s[i:])
		return "", "", "", d.xmlErr(i, nameStartMsg(r))
	}
	i++
	for i < len(s) {
		c := s[i]
		if charClass[c]&cName != 0 {
			i++
			continue
		}
		if c == ':' && colon < 0 {
			colon = i
			i++
			if i >= len(s) || charClass[s[i]]&cFirst == 0 {
				r, _ := utf8.DecodeRuneInString(s[i:])
				return "", "", "", d.xmlErr(i, nameStartMsg(r))
			}
			continue
		}
		break
	}
	q = s[a:i]
	if d.maxName > 0 && len(q) > d.maxName {
		return "", "", "", d.xmlErr(a, "The name is longer than the reader's limit of "+itoa(d.maxName)+" bytes.")
	}
	d.pos = i
	if colon < 0 {
		return q, "", q, nil
	}
	return q, s[a:colon], s[colon+1 : i], nil
}

func nameStartMsg(r rune) string {
	if r == utf8.RuneError {
		return "Unexpected end of file."
	}
	const hex = "0123456789ABCDEF"
	h := []byte{hex[(r>>4)&15], hex[r&15]}
	if r > 0xFF {
		h = []byte{hex[(r>>12)&15], hex[(r>>8)&15], hex[(r>>4)&15], hex[r&15]}
	}
	return "Name cannot begin with the '" + string(r) + "' character, hexadecimal value 0x" + string(h) + "."
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for n >= 10 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	i--
	b[i] = byte('0' + n)
	return string(b[i:])
}

func (d *decoder) skipSpace() bool {
	a := d.pos
	for d.pos < len(d.src) && isXMLSpace(d.src[d.pos]) {
		d.pos++
	}
	return d.pos > a
}

// readAttrs reads attributes into d.attrs until '>', '/' or '?'.
func (d *decoder) readAttrs() error {
	s := d.src
	d.attrs = d.attrs[:0]
	space := d.skipSpace()
	for {
		if d.pos >= len(s) {
			return d.eofErr()
		}
		c := s[d.pos]
		if c == '>' || c == '/' || c == '?' {
			return nil
		}
		if !space {
			return d.xmlErr(d.pos, msgSpaceBetweenAttrs)
		}
		off := d.pos
		qn, prefix, _, err := d.qname()
		if err != nil {
			return err
		}
		d.skipSpace()
		if d.pos >= len(s) {
			return d.eofErr()
		}
		if s[d.pos] != '=' {
			return d.xmlErr(d.pos, tokenExpectedMsg("=", s[d.pos:d.pos+1]))
		}
		d.pos++
		d.skipSpace()
		if d.pos >= len(s) {
			return d.eofErr()
		}
		q := s[d.pos]
		if q != '"' && q != '\'' {
			return d.xmlErr(d.pos, tokenExpectedMsg("\"", s[d.pos:d.pos+1]))
		}
		d.pos++
		a := d.pos
		escaped := false
		for {
			if d.pos >= len(s) {
				return d.eofErr()
			}
			c := s[d.pos]
			if c == q {
				break
			}
			switch {
			case c == '&':
				_, n, err := d.charRef(d.pos)
				if err != nil {
					return err
				}
				escaped = true
				d.pos += n
				continue
			case c == '\t' || c == '\n' || c == '\r':
				escaped = true
			case c == '<' || c < 0x20:
				return d.xmlErr(d.pos, tokenExpectedMsg(string(q), s[d.pos:d.pos+1]))
			case c == 0xEF && d.pos+2 < len(s) && s[d.pos+1] == 0xBF && (s[d.pos+2] == 0xBE || s[d.pos+2] == 0xBF):
				return d.xmlErr(d.pos, msgInvalidFFFE)
			}
			d.pos++
		}
		colon := int32(off + len(prefix))
		if prefix == "" {
			colon = int32(off - 1)
		}
		d.attrs = append(d.attrs, attr{qa: int32(off), colon: colon, qb: int32(off + len(qn)), va: int32(a), vb: int32(d.pos), escaped: escaped})
		d.pos++
		space = d.skipSpace()
	}
}

// attrValue returns the normalized value of a: references decoded and
// \t \n \r (and "\r\n") turned into spaces.
func (d *decoder) attrValue(a *attr) string {
	if !a.escaped {
		return a.valIn(d.src)
	}
	var b []byte
	s := a.valIn(d.src)
	for i := 0; i < len(s); {
		switch c := s[i]; c {
		case '&':
			j := strings.IndexByte(s[i:], ';')
			r := refValue(s[i+1 : i+j])
			b = utf8.AppendRune(b, r)
			i += j + 1
		case '\r':
			b = append(b, ' ')
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			i++
		case '\t', '\n':
			b = append(b, ' ')
			i++
		default:
			b = append(b, c)
			i++
		}
	}
	return string(b)
}

// refValue decodes an already validated reference body ("amp", "#x41").
func refValue(ref string) rune {
	switch ref {
	case "lt":
		return '<'
	case "gt":
		return '>'
	case "amp":
		return '&'
	case "quot":
		return '"'
	case "apos":
		return '\''
	}
	v := 0
	if len(ref) > 1 && ref[1] == 'x' {
		for k := 2; k < len(ref); k++ {
			v = v*16 + unhex(ref[k])
		}
	} else {
		for k := 1; k < len(ref); k++ {
			v = v*10 + int(ref[k]-'0')
		}
	}
	if v >= 0xD800 && v <= 0xDFFF {
		return utf8.RuneError
	}
	return rune(v)
}

func (d *decoder) lookupNS(prefix string) (string, bool) {
	for i := len(d.ns) - 1; i >= 0; i-- {
		if d.ns[i].prefix == prefix {
			return d.ns[i].uri, true
		}
	}
	switch prefix {
	case "":
		return "", true
	case "xml":
		return xmlNS, true
	case "xmlns":
		return "http://www.w3.org/2000/xmlns/", true
	}
	return "", false
}

// startTag reads "<name attrs>" or "<name attrs/>" at d.pos.
func (d *decoder) startTag() error {
	lt := d.pos
	d.pos++
	q, prefix, local, err := d.qname()
	if err != nil {
		return err
	}
	if err := d.checkUTF8(lt+1, d.pos); err != nil {
		return err
	}
	if d.depth+1 > d.maxDepth {
		return d.xmlErr(d.pos, maxDepthMsg(d.maxDepth))
	}
	if d.depth == 0 && d.el.qname != "" {
		// a second top-level element
		return d.xmlErr(d.pos, msgMultipleRoots)
	}
	if err := d.readAttrs(); err != nil {
		return err
	}
	s := d.src
	empty := false
	if s[d.pos] == '/' {
		empty = true
		d.pos++
	}
	if d.pos >= len(s) {
		return d.eofErr()
	}
	if s[d.pos] != '>' {
		return d.xmlErr(d.pos, tokenExpectedMsg(">", s[d.pos:d.pos+1]))
	}
	d.pos++
	e := elem{qname: q, prefix: prefix, local: local, empty: empty, nsMark: len(d.ns), off: lt, end: d.pos}
	// Namespace declarations first.
	for i := range d.attrs {
		a := &d.attrs[i]
		switch {
		case a.prefixIn(d.src) == "" && a.localIn(d.src) == "xmlns":
			if err := d.checkUTF8(int(a.va), int(a.vb)); err != nil {
				return err
			}
			d.ns = append(d.ns, nsBind{"", d.attrValue(a)})
		case a.prefixIn(d.src) == "xmlns":
			if err := d.checkUTF8(int(a.qa), int(a.vb)); err != nil {
				return err
			}
			uri := d.attrValue(a)
			if uri == "" {
				return d.xmlErr(d.pos, msgEmptyNSPrefix)
			}
			d.ns = append(d.ns, nsBind{a.localIn(d.src), uri})
		}
	}
	ns, ok := d.lookupNS(prefix)
	if !ok {
		return d.xmlErr(d.pos, "The prefix '"+prefix+"' is not defined.")
	}
	e.ns = ns
	// Other attributes: xsi:nil and xsi:type matter; duplicates are errors.
	n := len(d.attrs)
	var seen map[[2]string]bool
	if n > 16 {
		seen = make(map[[2]string]bool) // grows only as far as the first duplicate
	}
	for i := range d.attrs {
		a := &d.attrs[i]
		if a.prefixIn(d.src) == "xmlns" || (a.prefixIn(d.src) == "" && a.localIn(d.src) == "xmlns") {
			if d.dupAttr(seen, i, a.prefixIn(d.src), a.localIn(d.src), "xmlns") {
				return d.xmlErr(d.pos, "Duplicate attribute found. Both '"+d.attrName(a)+"' and '"+d.attrName(a)+"' are from the namespace 'http://www.w3.org/2000/xmlns/'.")
			}
			continue
		}
		ans := ""
		if a.prefixIn(d.src) != "" {
			u, ok := d.lookupNS(a.prefixIn(d.src))
			if !ok {
				return d.xmlErr(d.pos, "The prefix '"+a.prefixIn(d.src)+"' is not defined.")
			}
			ans = u
		}
		if d.dupAttr(seen, i, ans, a.localIn(d.src), "") {
			return d.xmlErr(d.pos, "Duplicate attribute found. Both '"+d.attrName(a)+"' and '"+d.attrName(a)+"' are from the namespace '"+ans+"'.")
		}
		if ans == xsiNS {
			switch a.localIn(d.src) {
			case "nil":
				e.hasNil, e.nilAttr = true, d.attrValue(a)
			case "type":
				e.hasType, e.typeAttr = true, d.attrValue(a)
			}
		}
	}
	d.depth++
	if !empty {
		d.open = append(d.open, q)
	}
	d.el = e
	return nil
}

func (d *decoder) attrName(a *attr) string { return d.src[a.qa:a.qb] }

// dupAttr reports whether attribute i repeats an earlier (namespace, local)
// pair. Namespace declarations are keyed by their prefix.
func (d *decoder) dupAttr(seen map[[2]string]bool, i int, ns, local, kind string) bool {
	if kind == "xmlns" {
		ns = "\x00xmlns"
		if d.attrs[i].prefixIn(d.src) == "" {
			local = ""
		}
	}
	if seen != nil {
		k := [2]string{ns, local}
		if seen[k] {
			return true
		}
		seen[k] = true
		return false
	}
	for j := 0; j < i; j++ {
		b := &d.attrs[j]
		bns, blocal := "", b.localIn(d.src)
		if b.prefixIn(d.src) == "xmlns" || (b.prefixIn(d.src) == "" && b.localIn(d.src) == "xmlns") {
			bns = "\x00xmlns"
			if b.prefixIn(d.src) == "" {
				blocal = ""
			}
		} else if b.prefixIn(d.src) != "" {
			bns, _ = d.lookupNS(b.prefixIn(d.src))
		}
		if bns == ns && blocal == local {
			return true
		}
	}
	return false
}

// endTag reads "</name>" at d.pos and closes the innermost element.
func (d *decoder) endTag() error {
	s := d.src
	d.pos += 2
	if len(d.open) == 0 {
		return d.xmlErr(d.pos, msgUnexpectedEndElement)
	}
	want := d.open[len(d.open)-1]
	if !strings.HasPrefix(s[d.pos:], want) || (d.pos+len(want) < len(s) && charClass[s[d.pos+len(want)]]&cName != 0) || (d.pos+len(want) < len(s) && s[d.pos+len(want)] == ':') {
		q, _, _, err := d.qname()
		if err != nil {
			return err
		}
		return d.xmlErr(d.pos, "Start element '"+want+"' does not match end element '"+q+"'.")
	}
	d.pos += len(want)
	d.skipSpace()
	if d.pos >= len(s) {
		return d.eofErr()
	}
	if s[d.pos] != '>' {
		return d.xmlErr(d.pos, tokenExpectedMsg(">", s[d.pos:d.pos+1]))
	}
	d.pos++
	d.endQName = want
	d.endOffset = d.pos
	return nil
}

// closeElem pops the scopes of e after its end tag (or its empty tag).
func (d *decoder) closeElem(e *elem) {
	d.ns = d.ns[:e.nsMark]
	d.depth--
	if !e.empty {
		d.open = d.open[:len(d.open)-1]
	}
}

// skip consumes the content and end tag of e (an element no member wants),
// still checking well-formedness, namespaces and depth as .NET's reader does.
func (d *decoder) skip(e *elem) error {
	if e.empty {
		d.closeElem(e)
		return nil
	}
	stack := []elem{*e}
	for len(stack) > 0 {
		k, err := d.next()
		if err != nil {
			return err
		}
		switch k {
		case tEOF:
			return d.eofErr()
		case tStart:
			c := d.el
			if c.empty {
				d.closeElem(&c)
			} else {
				stack = append(stack, c)
			}
		case tEnd:
			top := &stack[len(stack)-1]
			d.closeElem(top)
			stack = stack[:len(stack)-1]
		}
	}
	return nil
}
