package xmlcodec

import (
	"errors"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"legacygate/codecs"
)

// Append writes v as Web API's XmlMediaTypeFormatter with
// DataContractSerializer writes a value of contract t, appends it to dst and
// returns the extended buffer. See the package documentation for the exact
// byte rules.
func Append(dst []byte, v codecs.Value, t *codecs.Type) ([]byte, error) {
	if t == nil {
		return dst, errors.New("xmlcodec: no contract type given")
	}
	w := writer{buf: dst}
	name, ns := rootName(t)
	w.depth = 1
	prefix := w.bindElement(ns)
	w.buf = append(w.buf, '<')
	w.buf = append(w.buf, name...)
	if v.Kind == codecs.Null && !isValueType(t) {
		// WriteObject(null): i:nil is written before the implied
		// declarations of the element's namespace and of i.
		w.buf = append(w.buf, ` i:nil="true"`...)
		w.writeImplied(prefix, ns)
		w.buf = append(w.buf, ` xmlns:i="`+xsiNS+`" />`...)
		return w.buf, nil
	}
	if t.Shape != codecs.ScalarShape || t.Scalar == codecs.DateTimeOffsetT {
		// HandleGraphAtTopLevel: xmlns:i, explicitly, before the implied
		// default namespace.
		w.buf = append(w.buf, ` xmlns:i="`+xsiNS+`"`...)
		w.scope = append(w.scope, nsBind{"i", xsiNS})
	}
	w.writeImplied(prefix, ns)
	if err := w.content(v, t, "", name); err != nil {
		return dst, finishErr(err, name)
	}
	return w.buf, nil
}

// writer writes XmlWriter bytes while tracking namespace scopes the way
// XmlWellFormedWriter and DCS's XmlDictionaryWriter wrapper do.
type writer struct {
	buf   []byte
	scope []nsBind
	depth int
	// implied is the namespace pushed implicitly by the element being
	// started (written after its explicit attributes); "" when none.
	impliedNS  string
	hasImplied bool
}

// lookupPrefix returns the innermost prefix bound to uri that is not
// shadowed by a deeper binding of the same prefix.
func (w *writer) lookupPrefix(uri string) (string, bool) {
	for i := len(w.scope) - 1; i >= 0; i-- {
		if w.scope[i].uri != uri {
			continue
		}
		p := w.scope[i].prefix
		shadowed := false
		for j := i + 1; j < len(w.scope); j++ {
			if w.scope[j].prefix == p {
				shadowed = true
				break
			}
		}
		if !shadowed {
			return p, true
		}
	}
	if uri == "" {
		// The empty namespace is in scope unless a default namespace is.
		for i := len(w.scope) - 1; i >= 0; i-- {
			if w.scope[i].prefix == "" {
				return "", false
			}
		}
		return "", true
	}
	return "", false
}

// bindElement resolves the prefix of an element in namespace ns (prefix
// null in WriteStartElement): an existing binding is reused, otherwise the
// default namespace is redeclared (implied, written after the explicit
// attributes).
func (w *writer) bindElement(ns string) string {
	w.hasImplied = false
	if p, ok := w.lookupPrefix(ns); ok {
		return p
	}
	w.scope = append(w.scope, nsBind{"", ns})
	w.hasImplied, w.impliedNS = true, ns
	return ""
}

func (w *writer) writeImplied(prefix, ns string) {
	if w.hasImplied {
		w.buf = append(w.buf, ` xmlns="`...)
		w.buf = appendAttr(w.buf, ns)
		w.buf = append(w.buf, '"')
		w.hasImplied = false
	}
}

// start writes "<prefix:local" plus, for a member, the xmlns:dNpM
// declaration of declNS and i:nil, then the implied default namespace. It
// returns the qualified name and the scope mark to restore.
func (w *writer) start(local, ns, declNS string, isNil bool) (string, int) {
	mark := len(w.scope)
	w.depth++
	prefix := w.bindElement(ns)
	w.buf = append(w.buf, '<')
	if prefix != "" {
		w.buf = append(w.buf, prefix...)
		w.buf = append(w.buf, ':')
	}
	w.buf = append(w.buf, local...)
	attrs := 0
	if declNS != "" {
		if _, ok := w.lookupPrefix(declNS); !ok {
			p := "d" + strconv.Itoa(w.depth) + "p" + strconv.Itoa(attrs+1)
			w.buf = append(w.buf, " xmlns:"...)
			w.buf = append(w.buf, p...)
			w.buf = append(w.buf, `="`...)
			w.buf = appendAttr(w.buf, declNS)
			w.buf = append(w.buf, '"')
			w.scope = append(w.scope, nsBind{p, declNS})
			attrs++
		}
	}
	if isNil {
		ip, ok := w.lookupPrefix(xsiNS)
		if !ok || ip == "" {
			ip = "i"
		}
		w.buf = append(w.buf, ' ')
		w.buf = append(w.buf, ip...)
		w.buf = append(w.buf, `:nil="true"`...)
		if !ok {
			defer func() {
				w.buf = append(w.buf, ` xmlns:i="`+xsiNS+`"`...)
				w.scope = append(w.scope, nsBind{"i", xsiNS})
			}()
		}
	}
	w.writeImplied(prefix, ns)
	return prefix, mark
}

// finish closes an element whose start tag is still open: " />" when no
// content follows gt (the offset just past the '>'), else an end tag. A
// scalar always gets an end tag, even when its text is empty: DCS writes
// it with XmlWriter.WriteValue, and XmlUtf8RawTextWriter's
// WriteElementTextBlock clears the shortcut position (contentPos = 0) for
// any text, the empty string included (Microsoft's reference source as
// Mono ships it: mono/mono mcs/class/referencesource/System.Xml/System/
// Xml/Core/XmlUtf8RawTextWriter.cs), so "" is <X></X>, not <X />.
func (w *writer) finish(prefix, local string, gt, mark int, text bool) {
	if len(w.buf) == gt && !text {
		w.buf = append(w.buf[:gt-1], " />"...)
	} else {
		w.buf = append(w.buf, "</"...)
		if prefix != "" {
			w.buf = append(w.buf, prefix...)
			w.buf = append(w.buf, ':')
		}
		w.buf = append(w.buf, local...)
		w.buf = append(w.buf, '>')
	}
	w.scope = w.scope[:mark]
	w.depth--
}

// element writes one member or item element.
func (w *writer) element(local, ns string, declNS string, v codecs.Value, t *codecs.Type) error {
	isNil := v.Kind == codecs.Null && !isValueType(t)
	prefix, mark := w.start(local, ns, declNS, isNil)
	if isNil {
		w.buf = append(w.buf, " />"...)
		w.scope = w.scope[:mark]
		w.depth--
		return nil
	}
	if err := w.content(v, t, prefix, local); err != nil {
		return err
	}
	w.scope = w.scope[:mark]
	return nil
}

// content writes '>' (the start tag being open), the value and the end of
// the element qname, one level below w.depth.
func (w *writer) content(v codecs.Value, t *codecs.Type, prefix, local string) error {
	w.buf = append(w.buf, '>')
	gt := len(w.buf)
	mark := len(w.scope)
	var err error
	switch t.Shape {
	case codecs.ObjectShape:
		err = w.object(v, t)
	case codecs.ListShape:
		err = w.list(v, t)
	case codecs.MapShape:
		err = w.dict(v, t)
	default:
		err = w.scalar(v, t)
	}
	if err != nil {
		return err
	}
	// Text elements keep an end tag even when empty (<X></X>), except an
	// empty byte[]: XmlWriter.WriteBase64 with no bytes writes no text
	// node, so DCS closes the element (<X />), as found against Mono.
	w.finish(prefix, local, gt, mark, t.Shape == codecs.ScalarShape && t.Scalar != codecs.BytesT)
	return nil
}

func (w *writer) object(v codecs.Value, t *codecs.Type) error {
	if v.Kind != codecs.Object {
		return kindErr(v, "object")
	}
	p := planFor(t)
	for i := range p.members {
		m := &p.members[i]
		mv, ok := memberAt(v, i, m.name)
		if !ok || (mv.Kind == codecs.Null && isValueType(m.t)) {
			mv = defaultValue(m.t)
		}
		if err := w.element(m.name, m.ns, m.declNS, mv, m.t); err != nil {
			return wrapErr(err, m.name, -1)
		}
	}
	return nil
}

// memberAt finds member name, trying position i first (values built in
// contract order), then the last member of that name.
func memberAt(v codecs.Value, i int, name string) (codecs.Value, bool) {
	if i < len(v.Members) && v.Members[i].Name == name {
		// A later duplicate still wins.
		for j := len(v.Members) - 1; j > i; j-- {
			if v.Members[j].Name == name {
				return v.Members[j].Value, true
			}
		}
		return v.Members[i].Value, true
	}
	return v.Get(name)
}

// defaultValue is what a CLR member holds when the value does not say:
// null for reference and Nullable types, else the value type's default.
func defaultValue(t *codecs.Type) codecs.Value {
	if !isValueType(t) {
		return codecs.Value{}
	}
	return codecs.Default(t)
}

func (w *writer) list(v codecs.Value, t *codecs.Type) error {
	if v.Kind != codecs.Array {
		return kindErr(v, "array")
	}
	name, ns := itemName(t), listNS(t)
	elemT := t.Elem
	if elemT == nil {
		elemT = &codecs.Type{Shape: codecs.ScalarShape, Scalar: codecs.StringT, Nullable: true}
	}
	declNS := contractNS(elemT)
	if declNS == ns {
		declNS = ""
	}
	for i, it := range v.Items {
		if it.Kind == codecs.Null && isValueType(elemT) {
			it = defaultValue(elemT)
		}
		if err := w.element(name, ns, declNS, it, elemT); err != nil {
			return wrapErr(err, "", i)
		}
	}
	return nil
}

// spanTicks reads a TimeSpan value: the "c" format the binders produce,
// or an xs:duration.
func spanTicks(v codecs.Value) (int64, bool) {
	if v.Kind != codecs.String {
		return 0, false
	}
	if t, ok := codecs.ParseTimeSpan(v.Str); ok {
		return t, true
	}
	return codecs.ParseDuration(v.Str)
}

func kindErr(v codecs.Value, want string) error {
	return &encodeError{msg: "cannot write a " + v.Kind.String() + " value as " + want}
}

func (w *writer) scalar(v codecs.Value, t *codecs.Type) error {
	switch t.Scalar {
	case codecs.BoolT:
		if v.Kind != codecs.Bool {
			return kindErr(v, "boolean")
		}
		if v.Bool {
			w.buf = append(w.buf, "true"...)
		} else {
			w.buf = append(w.buf, "false"...)
		}
	case codecs.Int32T, codecs.Int64T, codecs.DecimalT, codecs.DoubleT:
		if v.Kind != codecs.Number && v.Kind != codecs.String {
			return kindErr(v, "number")
		}
		lit := v.Str
		if t.Scalar == codecs.DoubleT {
			switch lit {
			case "Infinity":
				lit = "INF"
			case "-Infinity":
				lit = "-INF"
			default:
				// XmlConvert.ToString(double) is Double.ToString("R"),
				// whatever literal the value arrived with ("1e5" is 100000).
				if validFloat(lit) {
					if f, err := strconv.ParseFloat(lit, 64); err == nil {
						lit = codecs.FormatDouble(f)
					}
				}
			}
		}
		if !numberLiteral(lit) {
			return &encodeError{msg: "invalid number literal " + strconv.Quote(v.Str)}
		}
		w.buf = append(w.buf, lit...)
	case codecs.ByteT, codecs.SByteT, codecs.Int16T, codecs.UInt16T, codecs.UInt32T, codecs.UInt64T:
		if v.Kind != codecs.Number && v.Kind != codecs.String {
			return kindErr(v, "number")
		}
		lit, ok := codecs.ParseInteger(v.Str, t.Scalar)
		if !ok {
			return &encodeError{msg: "invalid " + dcsName(t.Scalar) + " " + strconv.Quote(v.Str)}
		}
		w.buf = append(w.buf, lit...)
	case codecs.TimeSpanT:
		ticks, ok := spanTicks(v)
		if !ok {
			return &encodeError{msg: "invalid TimeSpan " + strconv.Quote(v.Str)}
		}
		w.buf = codecs.AppendDuration(w.buf, ticks)
	case codecs.BytesT:
		if v.Kind != codecs.String {
			return kindErr(v, "base64Binary")
		}
		b, ok := codecs.ParseBase64(v.Str)
		if !ok {
			return &encodeError{msg: "invalid Base64 " + strconv.Quote(v.Str)}
		}
		w.buf = append(w.buf, b...)
	case codecs.GuidT:
		if v.Kind != codecs.String {
			return kindErr(v, "guid")
		}
		g, ok := parseGuid(v.Str)
		if !ok {
			return &encodeError{msg: "invalid guid " + strconv.Quote(v.Str)}
		}
		w.buf = append(w.buf, g...)
	case codecs.DateTimeT:
		switch v.Kind {
		case codecs.Time:
			w.buf = codecs.AppendISOTime(w.buf, v.Time, v.TimeK)
		case codecs.String:
			w.buf = appendText(w.buf, v.Str)
		default:
			return kindErr(v, "dateTime")
		}
	case codecs.DateTimeOffsetT:
		if v.Kind != codecs.Time {
			return kindErr(v, "DateTimeOffset")
		}
		_, off := v.Time.Zone()
		if err := w.element("DateTime", systemNS, "", codecs.TimeV(v.Time, codecs.UTC), dtoDateTime); err != nil {
			return err
		}
		return w.element("OffsetMinutes", systemNS, "", codecs.Num(strconv.Itoa(off/60)), dtoMinutes)
	default: // strings, enums
		switch v.Kind {
		case codecs.String, codecs.Number:
			w.buf = appendEscaped(w.buf, v.Str)
		case codecs.Bool:
			w.buf = strconv.AppendBool(w.buf, v.Bool)
		case codecs.Time:
			w.buf = codecs.AppendISOTime(w.buf, v.Time, v.TimeK)
		default:
			return kindErr(v, "string")
		}
	}
	return nil
}

var (
	dtoDateTime = &codecs.Type{Name: "dateTime", Namespace: serializationNS, Shape: codecs.ScalarShape, Scalar: codecs.DateTimeT}
	dtoMinutes  = &codecs.Type{Name: "short", Namespace: serializationNS, Shape: codecs.ScalarShape, Scalar: codecs.Int32T}
)

// numberLiteral accepts decimal literals, "INF", "-INF" and "NaN": nothing
// that would need escaping or change the document's structure.
func numberLiteral(s string) bool {
	switch s {
	case "INF", "-INF", "NaN":
		return true
	}
	return s != "" && validFloat(s)
}

// appendEscaped escapes text content as XmlUtf8RawTextWriter does with
// NewLineHandling.Replace and CheckCharacters=false: '<' '>' '&' as
// entities; "\r\n", "\r" and "\n" as "\r\n" (Environment.NewLine on the
// Windows hosts); other characters below U+0020 except tab as "&#xN;";
// ill-formed UTF-8 as U+FFFD.
func appendEscaped(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < utf8.RuneSelf && c != '<' && c != '>' && c != '&' {
			j := i + 1
			for j < len(s) && s[j] >= 0x20 && s[j] < utf8.RuneSelf && s[j] != '<' && s[j] != '>' && s[j] != '&' {
				j++
			}
			dst = append(dst, s[i:j]...)
			i = j
			continue
		}
		switch {
		case c == '<':
			dst = append(dst, "&lt;"...)
		case c == '>':
			dst = append(dst, "&gt;"...)
		case c == '&':
			dst = append(dst, "&amp;"...)
		case c == '\t':
			dst = append(dst, '\t')
		case c == '\n':
			dst = append(dst, "\r\n"...)
		case c == '\r':
			dst = append(dst, "\r\n"...)
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
		case c < 0x20:
			dst = appendCharRef(dst, rune(c))
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == 0xFFFE || r == 0xFFFF {
				dst = appendCharRef(dst, r)
			} else {
				dst = utf8.AppendRune(dst, r)
			}
			i += n
			continue
		}
		i++
	}
	return dst
}

func appendCharRef(dst []byte, r rune) []byte {
	dst = append(dst, "&#x"...)
	dst = strconv.AppendInt(dst, int64(r), 16)
	n := len(dst)
	for k := n - 1; k >= 0 && dst[k] != 'x'; k-- {
		if dst[k] >= 'a' && dst[k] <= 'f' {
			dst[k] -= 'a' - 'A'
		}
	}
	return append(dst, ';')
}

// appendAttr escapes an attribute value as XmlUtf8RawTextWriter does:
// '<' '>' '&' '"' as entities, \t \n \r as character references.
func appendAttr(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		switch c {
		case '<':
			dst = append(dst, "&lt;"...)
		case '>':
			dst = append(dst, "&gt;"...)
		case '&':
			dst = append(dst, "&amp;"...)
		case '"':
			dst = append(dst, "&quot;"...)
		case '\t':
			dst = append(dst, "&#x9;"...)
		case '\n':
			dst = append(dst, "&#xA;"...)
		case '\r':
			dst = append(dst, "&#xD;"...)
		default:
			if c < 0x20 {
				dst = appendCharRef(dst, rune(c))
			} else if c >= utf8.RuneSelf {
				r, n := utf8.DecodeRuneInString(s[i:])
				dst = utf8.AppendRune(dst, r)
				i += n
				continue
			} else {
				dst = append(dst, c)
			}
		}
		i++
	}
	return dst
}

// AppendError writes a Web API HttpError as XML: root <Error> with no
// namespace, each member an element named XmlConvert.EncodeLocalName(name);
// nested objects (ModelState, InnerException) nest; an array is one text
// node of its items joined by single spaces; null is an empty element.
func AppendError(dst []byte, v codecs.Value) ([]byte, error) {
	if v.Kind != codecs.Object {
		return dst, finishErr(kindErr(v, "object"), "Error")
	}
	out := append(dst, "<Error>"...)
	gt := len(out)
	out, err := appendErrorMembers(out, v, 1)
	if err != nil {
		return dst, err
	}
	if len(out) == gt {
		return append(out[:gt-1], " />"...), nil
	}
	return append(out, "</Error>"...), nil
}

func appendErrorMembers(out []byte, v codecs.Value, depth int) ([]byte, error) {
	if depth > 64 {
		return out, errors.New("xmlcodec: HttpError nested too deeply")
	}
	for _, m := range v.Members {
		name := EncodeLocalName(m.Name)
		if name == "" {
			return out, errors.New("xmlcodec: HttpError key is empty")
		}
		out = append(out, '<')
		out = append(out, name...)
		out = append(out, '>')
		gt := len(out)
		var err error
		switch m.Value.Kind {
		case codecs.Object:
			out, err = appendErrorMembers(out, m.Value, depth+1)
			if err != nil {
				return out, err
			}
		case codecs.Array:
			for i, it := range m.Value.Items {
				if i > 0 {
					out = append(out, ' ')
				}
				out = appendErrorScalar(out, it)
			}
		default:
			out = appendErrorScalar(out, m.Value)
		}
		// A string or a list is written with XmlWriter.WriteValue, which
		// ends the element with an end tag even when the text is empty.
		if len(out) == gt && (m.Value.Kind == codecs.Object || m.Value.Kind == codecs.Null) {
			out = append(out[:gt-1], " />"...)
			continue
		}
		out = append(out, "</"...)
		out = append(out, name...)
		out = append(out, '>')
	}
	return out, nil
}

func appendErrorScalar(out []byte, v codecs.Value) []byte {
	switch v.Kind {
	case codecs.String, codecs.Number:
		return appendEscaped(out, v.Str)
	case codecs.Bool:
		return strconv.AppendBool(out, v.Bool)
	case codecs.Time:
		return codecs.AppendISOTime(out, v.Time, v.TimeK)
	}
	return out
}

// EncodeLocalName is XmlConvert.EncodeLocalName: characters that cannot
// appear in an XML local name (and ':') become _xHHHH_ (_xHHHHHHHH_ beyond
// the BMP, upper-case hex), and an underscore that would read as such an
// escape becomes _x005F_.
func EncodeLocalName(name string) string {
	var b strings.Builder
	changed := false
	for i, r := range name {
		ok := false
		if i == 0 {
			ok = isNameStart(r)
		} else {
			ok = isNameChar(r)
		}
		if r == '_' && looksEscaped(name[i:]) {
			ok = false
		}
		if ok {
			b.WriteRune(r)
			continue
		}
		changed = true
		if r > 0xFFFF {
			b.WriteString("_x")
			b.WriteString(hex8(uint32(r)))
			b.WriteByte('_')
			continue
		}
		b.WriteString("_x")
		b.WriteString(hex8(uint32(r))[4:])
		b.WriteByte('_')
	}
	if !changed {
		return name
	}
	return b.String()
}

func hex8(v uint32) string {
	const hex = "0123456789ABCDEF"
	var b [8]byte
	for i := 7; i >= 0; i-- {
		b[i] = hex[v&15]
		v >>= 4
	}
	return string(b[:])
}

// looksEscaped reports whether s starts with "_xHHHH_" or "_xHHHHHHHH_".
func looksEscaped(s string) bool {
	if len(s) < 7 || s[1] != 'x' && s[1] != 'X' {
		return false
	}
	n := 0
	for n < 8 && 2+n < len(s) && unhex(s[2+n]) >= 0 {
		n++
	}
	return (n >= 4 && 2+4 < len(s) && s[2+4] == '_') || (n == 8 && 2+8 < len(s) && s[2+8] == '_')
}

func isNameStart(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.Is(unicode.Nl, r)
}

func isNameChar(r rune) bool {
	return isNameStart(r) || r == '-' || r == '.' || unicode.IsDigit(r) ||
		unicode.In(r, unicode.Mn, unicode.Mc, unicode.Me, unicode.Lm, unicode.Nd) || r == 0xB7
}

// encodeError is a value Append cannot write; the path to it is collected
// while the writer unwinds, so that the success path builds none.
type encodeError struct {
	path []string // innermost first
	msg  string
}

func (e *encodeError) Error() string {
	var b strings.Builder
	b.WriteString("xmlcodec: ")
	for i := len(e.path) - 1; i >= 0; i-- {
		p := e.path[i]
		if i < len(e.path)-1 && p[0] != '[' {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	b.WriteString(": ")
	b.WriteString(e.msg)
	return b.String()
}

func wrapErr(err error, name string, index int) error {
	if e, ok := err.(*encodeError); ok {
		if index >= 0 {
			name = "[" + strconv.Itoa(index) + "]"
		}
		e.path = append(e.path, name)
	}
	return err
}

func finishErr(err error, root string) error { return wrapErr(err, root, -1) }
