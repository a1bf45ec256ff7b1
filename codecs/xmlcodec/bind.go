package xmlcodec

import (
	"strings"
	"time"
	"unicode/utf8"

	"legacygate/codecs"
)

// readValue binds the element e (its start tag just read) to t and consumes
// it through its end tag.
func (d *decoder) readValue(e *elem, t *codecs.Type) (codecs.Value, error) {
	if e.hasNil {
		isNil, ok := parseBool(e.nilAttr)
		if !ok {
			return codecs.Value{}, d.convErr(e.end, e.nilAttr, "Boolean")
		}
		if isNil {
			if isValueType(t) {
				return codecs.Value{}, d.errAt(e.end, "ValueType '"+clrName(t)+"' cannot be null.")
			}
			return codecs.Value{}, d.skip(e)
		}
	}
	if e.hasType {
		if err := d.checkType(e, t); err != nil {
			return codecs.Value{}, err
		}
	}
	switch t.Shape {
	case codecs.ObjectShape:
		return d.readObject(e, t)
	case codecs.ListShape:
		return d.readList(e, t)
	case codecs.MapShape:
		return d.readMap(e, t)
	}
	if t.Scalar == codecs.DateTimeOffsetT {
		return d.readDTO(e)
	}
	off := e.end
	s, err := d.readText(e)
	if err != nil {
		return codecs.Value{}, err
	}
	return d.scalar(off, s, t)
}

// scalar converts element text to the typed value of scalar type t.
func (d *decoder) scalar(off int, s string, t *codecs.Type) (codecs.Value, error) {
	switch t.Scalar {
	case codecs.BoolT:
		b, ok := parseBool(s)
		if !ok {
			return codecs.Value{}, d.convErr(off, s, "Boolean")
		}
		return codecs.BoolV(b), nil
	case codecs.Int32T, codecs.Int64T:
		bits := 32
		if t.Scalar == codecs.Int64T {
			bits = 64
		}
		lit, ok := parseInt(s, bits)
		if !ok {
			return codecs.Value{}, d.convErr(off, s, convName(t.Scalar))
		}
		return codecs.Num(lit), nil
	case codecs.ByteT, codecs.SByteT, codecs.Int16T, codecs.UInt16T, codecs.UInt32T, codecs.UInt64T:
		// XmlConverter.ToByte … ToUInt64: the number style of Int32
		// (trimmed, signed), range-checked ("The value '256' cannot be
		// parsed as the type 'Byte'", as Mono's DCS says).
		lit, ok := codecs.ParseInteger(trimNum(s), t.Scalar)
		if !ok {
			return codecs.Value{}, d.convErr(off, s, convName(t.Scalar))
		}
		return codecs.Num(lit), nil
	case codecs.TimeSpanT:
		ticks, ok := codecs.ParseDuration(s)
		if !ok {
			return codecs.Value{}, d.convErr(off, s, convName(t.Scalar))
		}
		return codecs.Str(codecs.FormatTimeSpan(ticks)), nil
	case codecs.BytesT:
		b, ok := codecs.ParseBase64(s)
		if !ok {
			return codecs.Value{}, d.convErr(off, s, convName(t.Scalar))
		}
		return codecs.Str(b), nil
	case codecs.DecimalT:
		lit, ok := parseDecimal(s)
		if !ok {
			return codecs.Value{}, d.convErr(off, s, "Decimal")
		}
		return codecs.Num(lit), nil
	case codecs.DoubleT:
		lit, ok := parseDouble(s)
		if !ok {
			return codecs.Value{}, d.convErr(off, s, "Double")
		}
		return codecs.Num(lit), nil
	case codecs.GuidT:
		g, ok := parseGuid(s)
		if !ok {
			return codecs.Value{}, d.convErr(off, s, "Guid")
		}
		return codecs.Str(g), nil
	case codecs.DateTimeT:
		tm, k, ok := parseDateTime(s)
		if !ok {
			return codecs.Value{}, d.convErr(off, s, "DateTime")
		}
		return codecs.TimeV(tm, k), nil
	case codecs.EnumT:
		if len(t.Enum) > 0 && !validEnum(s, t.Enum) {
			return codecs.Value{}, d.errAt(off, "Invalid enum value '"+s+"' cannot be deserialized into type '"+clrTypeName(t)+"'. Ensure that the necessary enum values are present and are marked with EnumMemberAttribute attribute if the type has DataContractAttribute attribute.")
		}
		return codecs.Str(s), nil
	}
	return codecs.Str(s), nil
}

// validEnum accepts a member name, or (flags) several separated by spaces.
func validEnum(s string, names []string) bool {
	fields := strings.Fields(s)
	if len(fields) == 0 {
		return false
	}
	for _, f := range fields {
		found := false
		for _, n := range names {
			if n == f {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// checkType accepts an xsi:type naming the declared contract itself (or the
// XSD type of a primitive); DCS would need a known type for anything else.
func (d *decoder) checkType(e *elem, t *codecs.Type) error {
	local, ns, err := d.typeAttrName(e)
	if err != nil {
		return err
	}
	name, cns := rootName(t)
	if t.Shape == codecs.ScalarShape && t.Scalar == codecs.EnumT {
		name, cns = t.Name, t.Namespace
	}
	if local == name && ns == cns {
		return nil
	}
	if t.Shape == codecs.ScalarShape && ns == xsdNS {
		switch {
		case local == "string" && (t.Scalar == codecs.StringT),
			local == "int" && t.Scalar == codecs.Int32T,
			local == "long" && t.Scalar == codecs.Int64T,
			local == "boolean" && t.Scalar == codecs.BoolT,
			local == "decimal" && t.Scalar == codecs.DecimalT,
			local == "double" && t.Scalar == codecs.DoubleT,
			local == "dateTime" && t.Scalar == codecs.DateTimeT:
			return nil
		case t.Scalar != codecs.StringT && t.Scalar != codecs.EnumT && local == dcsName(t.Scalar):
			// unsignedByte, short, duration, base64Binary, ...
			return nil
		}
	}
	return d.unknownTypeErr(e, local, ns)
}

// checkTypeName accepts an xsi:type naming exactly the contract name in cns.
func (d *decoder) checkTypeName(e *elem, name, cns string) error {
	local, ns, err := d.typeAttrName(e)
	if err != nil {
		return err
	}
	if local == name && ns == cns {
		return nil
	}
	return d.unknownTypeErr(e, local, ns)
}

// typeAttrName resolves the element's xsi:type value.
func (d *decoder) typeAttrName(e *elem) (local, ns string, err error) {
	v := trimXML(e.typeAttr)
	prefix, local, found := strings.Cut(v, ":")
	if !found {
		prefix, local = "", v
	}
	ns, ok := d.lookupNS(prefix)
	if !ok {
		return "", "", d.xmlErr(e.end, "The prefix '"+prefix+"' is not defined.")
	}
	return local, ns, nil
}

func (d *decoder) unknownTypeErr(e *elem, local, ns string) error {
	return d.errAt(e.end, "Element '"+e.ns+":"+e.local+"' contains data from a type that maps to the name '"+ns+":"+local+"'. The deserializer has no knowledge of any type that maps to this name. Consider using a DataContractResolver or add the type corresponding to '"+local+"' to the list of known types - for example, by using the KnownTypeAttribute attribute or by adding it to the list of known types passed to DataContractSerializer.")
}

// unexpectedContent is the error DCS raises when a class or collection
// holds character data where it expects elements.
func (d *decoder) unexpectedContent() error {
	node := "Text"
	if d.txtCDATA {
		node = "CDATA"
	}
	return d.serErr(d.pos, "Expecting state 'Element'.. Encountered '"+node+"'  with name '', namespace ''. ")
}

// readObject binds the members of class contract t. A child element binds
// only to a member after the last bound one (GetMemberIndex); everything
// else is skipped.
func (d *decoder) readObject(e *elem, t *codecs.Type) (codecs.Value, error) {
	p := planFor(t)
	var members []codecs.Member
	last := -1
	var err error
	for d.nextChild(e, &err) {
		c := d.el
		j := last + 1
		for ; j < len(p.members); j++ {
			if p.members[j].name == c.local && p.members[j].ns == c.ns {
				break
			}
		}
		if j == len(p.members) {
			if err = d.skip(&c); err != nil {
				break
			}
			continue
		}
		var v codecs.Value
		if v, err = d.readValue(&c, p.members[j].t); err != nil {
			break
		}
		if members == nil {
			members = make([]codecs.Member, 0, len(p.members)-j)
		}
		members = append(members, codecs.Member{Name: p.members[j].name, Value: v})
		last = j
	}
	if err != nil {
		return codecs.Value{}, err
	}
	if members == nil {
		members = []codecs.Member{}
	}
	return codecs.Value{Kind: codecs.Object, Members: members}, nil
}

// nextChild advances to the next child element of e and reports true with
// it in d.el; the caller must read or skip it. At e's end tag (consumed,
// as an empty element is at once) or on an error (stored in *err) it
// reports false. White space between children is ignored, other text is
// an error. Every contract reader (objects, collections, dictionaries and
// their items, DateTimeOffset) walks its element with it.
func (d *decoder) nextChild(e *elem, err *error) bool {
	if *err != nil {
		return false
	}
	if e.empty {
		d.closeElem(e)
		return false
	}
	for {
		k, nerr := d.next()
		if nerr != nil {
			*err = nerr
			return false
		}
		switch k {
		case tEOF:
			*err = d.eofErr()
			return false
		case tEnd:
			d.closeElem(e)
			return false
		case tText:
			if !d.txtWS {
				*err = d.unexpectedContent()
				return false
			}
		case tStart:
			return true
		}
	}
}

// readList binds the items of collection contract t; other elements are
// skipped.
func (d *decoder) readList(e *elem, t *codecs.Type) (codecs.Value, error) {
	items := []codecs.Value{}
	name, ns := itemName(t), listNS(t)
	elemT := t.Elem
	if elemT == nil {
		elemT = &codecs.Type{Shape: codecs.ScalarShape, Scalar: codecs.StringT, Nullable: true}
	}
	var err error
	for d.nextChild(e, &err) {
		c := d.el
		if c.local != name || c.ns != ns {
			if err = d.skip(&c); err != nil {
				break
			}
			continue
		}
		var v codecs.Value
		if v, err = d.readValue(&c, elemT); err != nil {
			break
		}
		items = append(items, v)
	}
	if err != nil {
		return codecs.Value{}, err
	}
	return codecs.Value{Kind: codecs.Array, Items: items}, nil
}

// readText returns the character content of a simple element
// (ReadElementContentAsString): text and CDATA concatenated, comments
// dropped, line ends normalized; a child element is an error.
func (d *decoder) readText(e *elem) (string, error) {
	if e.empty {
		d.closeElem(e)
		return "", nil
	}
	pieces := 0
	var single string
	d.buf = d.buf[:0]
	for {
		k, err := d.next()
		if err != nil {
			return "", err
		}
		switch k {
		case tEOF:
			return "", d.eofErr()
		case tText:
			if err := d.checkUTF8(d.txtA, d.txtB); err != nil {
				return "", err
			}
			if pieces == 0 && d.txtPlain {
				single = d.src[d.txtA:d.txtB]
				pieces = 1
				continue
			}
			if pieces == 1 {
				d.buf = append(d.buf, single...)
			}
			pieces = 2
			if d.txtCDATA {
				d.buf = append(d.buf, d.src[d.txtA:d.txtB]...)
			} else {
				d.buf = appendText(d.buf, d.src[d.txtA:d.txtB])
			}
		case tEnd:
			d.closeElem(e)
			switch pieces {
			case 0:
				return "", nil
			case 1:
				return single, nil
			}
			return string(d.buf), nil
		case tStart:
			c := d.el
			found := "element '" + c.qname + "' from namespace '" + c.ns + "'"
			return "", d.xmlErr(c.end, "End element '"+e.local+"' from namespace '"+e.ns+"' expected. Found "+found+".")
		}
	}
}

// appendText decodes validated character data: references and line ends.
func appendText(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		switch c {
		case '&':
			j := strings.IndexByte(s[i:], ';')
			dst = utf8.AppendRune(dst, refValue(s[i+1:i+j]))
			i += j + 1
		case '\r':
			dst = append(dst, '\n')
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			i++
		default:
			j := i + 1
			for j < len(s) && s[j] != '&' && s[j] != '\r' {
				j++
			}
			dst = append(dst, s[i:j]...)
			i = j
		}
	}
	return dst
}

// readDTO reads the DateTimeOffset contract: DateTime (the UTC instant) then
// OffsetMinutes, both required, in the System namespace. The result is a
// Time of kind Offset in a fixed zone of that offset.
func (d *decoder) readDTO(e *elem) (codecs.Value, error) {
	var (
		have    int
		instant time.Time
		minutes int
	)
	names := [2]string{"DateTime", "OffsetMinutes"}
	missing := func() error {
		found := "'EndElement' 'EndElement' from namespace ''"
		return d.serErr(d.pos, found+" is not expected. Expecting element '"+names[have]+"'.")
	}
	var err error
	for d.nextChild(e, &err) {
		c := d.el
		if have == 2 || c.local != names[have] || c.ns != systemNS {
			if have < 2 {
				return codecs.Value{}, d.serErr(c.end, "'Element' '"+c.local+"' from namespace '"+c.ns+"' is not expected. Expecting element '"+names[have]+"'.")
			}
			if err = d.skip(&c); err != nil {
				break
			}
			continue
		}
		off := c.end
		s, err := d.readText(&c)
		if err != nil {
			return codecs.Value{}, err
		}
		if have == 0 {
			tm, kind, ok := parseDateTime(s)
			if !ok {
				return codecs.Value{}, d.convErr(off, s, "DateTime")
			}
			if kind == codecs.Unspecified {
				tm = time.Date(tm.Year(), tm.Month(), tm.Day(), tm.Hour(), tm.Minute(), tm.Second(), tm.Nanosecond(), time.UTC)
			}
			instant = tm.UTC()
		} else {
			lit, ok := parseInt(s, 16)
			if !ok {
				return codecs.Value{}, d.convErr(off, s, "Int16")
			}
			minutes = atoi(lit)
			if minutes < -840 || minutes > 840 {
				return codecs.Value{}, d.errAt(off, "Offset must be within plus or minus 14 hours.\r\nParameter name: offset")
			}
		}
		have++
	}
	if err != nil {
		return codecs.Value{}, err
	}
	if have < 2 {
		return codecs.Value{}, missing()
	}
	zone := time.FixedZone("", minutes*60)
	return codecs.TimeV(instant.In(zone), codecs.Offset), nil
}

func atoi(s string) int {
	n, neg := 0, false
	for i := 0; i < len(s); i++ {
		if s[i] == '-' {
			neg = true
			continue
		}
		n = n*10 + int(s[i]-'0')
	}
	if neg {
		return -n
	}
	return n
}
