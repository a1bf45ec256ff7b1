package xmlcodec

import (
	"errors"
	"strconv"
	"strings"
)

// ErrEmpty is returned by [Decode] when the body is empty or holds only
// whitespace (after an optional UTF-8 byte-order mark). Web API treats such a
// body as absent (Content-Length: 0 never reaches the serializer), so callers
// should too.
var ErrEmpty = errors.New("xmlcodec: empty input")

// Error is every failure [Decode] reports.
type Error struct {
	// Offset is the byte offset in the input where the problem was found
	// (a skipped byte-order mark counts).
	Offset int
	// Line and Pos are 1-based and computed the way .NET's XmlUTF8TextReader
	// does (byte columns, the BOM not counted).
	Line, Pos int
	// Msg is the text of the exception .NET would raise, e.g.
	// "Error in line 1 position 26. Expecting element 'UserRegistrationDetails'
	// from namespace '…'.. Encountered 'Element'  with name …" or
	// "There was an error deserializing the object of type
	// Acme.Models.RegisterModel. The value 'abc' cannot be parsed
	// as the type 'Int32'." Web API logs it in ModelState when error detail
	// is on.
	Msg string
}

// Error returns "xmlcodec: " followed by Msg.
func (e *Error) Error() string { return "xmlcodec: " + e.Msg }

// .NET resource strings (System.Runtime.Serialization), see doc.go.
const (
	msgXmlLineInfo          = "Line %d, position %d."
	msgPINotSupported       = "Processing instructions (other than the XML declaration) and DTDs are not supported."
	msgDeclNotFirst         = "No characters can appear before the XML declaration."
	msgCDATATopLevel        = "CData elements not valid at top level of an XML document."
	msgInvalidRootData      = "The data at the root level is invalid."
	msgMultipleRoots        = "There are multiple root elements."
	msgInvalidCharRef       = "Character reference not valid."
	msgCloseCData           = "']]>' not valid in text node content."
	msgInvalidCommentChars  = "XML comments cannot contain '--' or end with '-'."
	msgSpaceBetweenAttrs    = "Whitespace must appear between attributes."
	msgUnexpectedEndElement = "No matching start tag for end element."
	msgEmptyNSPrefix        = "The empty namespace requires a null or empty prefix."
	msgInvalidFFFE          = "Characters with hexadecimal values 0xFFFE and 0xFFFF are not valid."
)

// errorf builds an *Error at byte offset off of the BOM-stripped document.
func (d *decoder) errAt(off int, msg string) *Error {
	line, pos := d.lineInfo(off)
	return &Error{Offset: off + d.bom, Line: line, Pos: pos, Msg: msg}
}

// xmlErr is an XmlException raised by the reader (XmlExceptionHelper adds
// "Line L, position P."), wrapped by DataContractSerializer.ReadObject in
// "There was an error deserializing the object of type T. ".
func (d *decoder) xmlErr(off int, msg string) *Error {
	line, pos := d.lineInfo(off)
	var b strings.Builder
	b.WriteString(d.deserializingPrefix())
	b.WriteString(msg)
	b.WriteString(" Line ")
	b.WriteString(strconv.Itoa(line))
	b.WriteString(", position ")
	b.WriteString(strconv.Itoa(pos))
	b.WriteByte('.')
	return &Error{Offset: off + d.bom, Line: line, Pos: pos, Msg: b.String()}
}

// convErr is an XmlException raised by XmlConverter (no line info), wrapped
// by ReadObject.
func (d *decoder) convErr(off int, value, typ string) *Error {
	e := d.errAt(off, "")
	e.Msg = d.deserializingPrefix() + "The value '" + value + "' cannot be parsed as the type '" + typ + "'."
	return e
}

// serErr is a SerializationException with reader details:
// "Error in line L position P. " + msg.
func (d *decoder) serErr(off int, msg string) *Error {
	e := d.errAt(off, "")
	e.Msg = "Error in line " + strconv.Itoa(e.Line) + " position " + strconv.Itoa(e.Pos) + ". " + msg
	return e
}

func (d *decoder) deserializingPrefix() string {
	return "There was an error deserializing the object of type " + d.rootCLR + ". "
}

// lineInfo mirrors XmlUTF8TextReader.GetPosition: rows start after each
// '\n'; the column is the byte distance from the row start plus one.
func (d *decoder) lineInfo(off int) (line, pos int) {
	if off > len(d.src) {
		off = len(d.src)
	}
	line = 1
	rowStart := 0
	for i := 0; i < off; i++ {
		if d.src[i] == '\n' && i+1 < off {
			line++
			rowStart = i + 1
		}
	}
	return line, off - rowStart + 1
}

func maxDepthMsg(n int) string {
	return "The maximum read depth (" + strconv.Itoa(n) + ") has been exceeded because XML data being read has more levels of nesting than is permitted by the quota. This quota may be increased by changing the MaxDepth property on the XmlDictionaryReaderQuotas object used when creating the XML reader."
}

func invalidByteMsg(b byte) string {
	const hex = "0123456789ABCDEF"
	return "The byte 0x" + string([]byte{hex[b>>4], hex[b&15]}) + " is not valid at this location."
}

func tokenExpectedMsg(expected, found string) string {
	return "The token '" + expected + "' was expected but found '" + found + "'."
}

func unexpectedEOFMsg(open string) string {
	return "Unexpected end of file. Following elements are not closed: " + open + "."
}
