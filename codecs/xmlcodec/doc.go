// Package xmlcodec reads and writes the DataContractSerializer XML that
// ASP.NET Web API 2's XmlMediaTypeFormatter speaks (application/xml,
// text/xml), using the neutral value tree [codecs.Value] and the schema
// [codecs.Type]. The rules are the project's notes
// docs/legacy/aspnet-webapi.md §1, §2 and §6, which name the .NET sources.
//
// # Decoding
//
// [Decode] reads a document whose root must be the contract t (name and
// namespace, else the .NET "Expecting element … Encountered …" error) and
// binds what DataContractSerializer would bind:
//
//   - Members are searched only after the last bound member (DCS's
//     GetMemberIndex), so an out-of-order or repeated member, an unknown
//     element and an element in another namespace are skipped (their
//     content is still checked for well-formedness). Inherited members must
//     carry the base class's namespace. The result holds the bound members,
//     named by the contract, in wire (= contract) order; a missing member is
//     absent.
//   - Scalars are typed by the schema: StringT and EnumT give String (the
//     text verbatim, "" for <X/> and <X></X>; an enum must name a member
//     when the schema lists them); GuidT gives the lower-case 36-character
//     form (formats D, N, B and P, trimmed); BoolT accepts true, false, 1, 0
//     (trimmed); Int32T/Int64T give the canonical integer literal,
//     DecimalT the literal with its scale kept ("1.10"), DoubleT the .NET
//     Framework "R" form (INF, -INF and NaN become the literals "Infinity",
//     "-Infinity" and "NaN", as in jsoncodec); DateTimeT gives a Time whose
//     TimeK follows the suffix (Z: UTC; an offset: Local, the Time keeping
//     that offset as a fixed zone; none: Unspecified, wall clock in UTC);
//     DateTimeOffsetT reads DCS's complex form (DateTime, OffsetMinutes) into
//     a Time of kind Offset in a fixed zone of that offset.
//   - i:nil="true" gives Null, or "ValueType 'System.Int32' cannot be null."
//     on a non-nullable value type. An i:type naming the declared contract
//     (or the XSD type of a primitive) is accepted, any other is refused as
//     DCS refuses an unknown type. A nil root decodes to the null Value.
//   - Lists give Array (items named by the item contract in the list's
//     namespace; other elements are skipped); nested objects give Object.
//   - Dictionaries (MapShape, Dictionary<string, T>) give an Object whose
//     member names are the keys in wire order, values typed by Elem. Items
//     are the KeyValue contract (see Encoding) in the dictionary's
//     namespace, other elements are skipped; in an item, Key then Value are
//     required ("'Element' 'Value' from namespace '…' is not expected.
//     Expecting element 'Key'."), anything else is skipped. A repeated key
//     keeps its first position and takes the later value (DCS itself would
//     throw "An item with the same key has already been added."); a nil Key
//     is "Value cannot be null.\r\nParameter name: key".
//
// The reader is XmlUTF8TextReader's dialect: a UTF-8 byte-order mark is
// skipped; the XML declaration is allowed only at the very start (its
// encoding name is not checked: the caller transcodes with codecs.ToUTF8
// first, as Web API does, so a utf-16 body still says encoding="utf-16");
// processing instructions are refused ("Processing instructions (other than
// the XML declaration) and DTDs are not supported."); "<!DOCTYPE" is refused
// before the root as .NET's reader refuses it ("CData elements not valid at
// top level of an XML document.") and inside as a malformed CDATA section.
// There is no DTD, so no entity can be declared: only the five predefined
// entities and numeric character references are recognised, any other
// reference is "Character reference not valid.". XXE and billion-laughs
// are therefore impossible. Text outside the root is refused; white space
// between elements is ignored; line ends in text become "\n"; comments are
// ignored; CDATA is text. Like DataContractSerializer.ReadObject, the reader
// parses exactly one node after the root's end tag: a second root element or
// text there is an error, anything after white space or a comment is never
// read. Depth is limited to [DecodeOptions.MaxDepth] (Web API's quota,
// 256). Memory is linear in the input (one string copy of it, which the
// returned strings share; at most a few dozen bytes per input byte for
// attribute-heavy input).
//
// Errors are [*Error] values carrying the byte offset, .NET's line and
// position (XmlUTF8TextReader counts bytes; the position is where .NET's
// reader stands, normally just after the node it read) and the message .NET
// raises: reader errors as "There was an error deserializing the object of
// type T. <XmlException text> Line L, position P.", conversion errors as
// "There was an error deserializing the object of type T. The value 'abc'
// cannot be parsed as the type 'Int32'.", serializer errors as "Error in
// line L position P. …". An empty or white-space body is [ErrEmpty].
//
// The reader is a hand-written pull tokenizer rather than etree: etree's
// ReadFromBytes builds a DOM through encoding/xml's tokenizer and costs
// about as much as encoding/xml's Unmarshal (see BenchmarkDecode), while the
// DCS rules need one forward pass with namespace scopes and no tree. It is
// several times faster than encoding/xml and allocates a fraction.
//
// # Encoding
//
// [Append] writes what XmlMediaTypeFormatter's XmlWriter (no declaration, no
// indentation, UTF-8 without BOM) writes for DataContractSerializer:
//
//   - The root is named t.Name in t.Namespace and carries xmlns:i then the
//     default xmlns (a primitive root has no xmlns:i).
//   - Members come most-base class first, each class sorted by Order (unset
//     first) then by ordinal name; v's member order does not matter (members
//     are looked up by name, a later duplicate winning). A member missing
//     from v, or null on a value type, is written as nil when the member is
//     nullable, else as the type's default (0, false, the empty Guid,
//     0001-01-01T00:00:00, the first enum name).
//   - Member elements are in the declaring class's namespace: an inherited
//     member of another namespace re-declares the default namespace after
//     its other attributes (<Name i:nil="true" xmlns="…" />). A member whose
//     type is a collection, a class of another namespace or DateTimeOffset
//     gets an explicit xmlns:dNpM declaration of that namespace (N the element
//     depth, root = 1; M one more than the attributes already written), unless
//     a prefix for it is in scope; items and members in that namespace use
//     the prefix. Primitive lists are in the Arrays namespace with item names
//     string, int, guid, ….
//   - A dictionary (MapShape) is a collection in the Arrays namespace (so a
//     member declares xmlns:d2p1 for it like a primitive list) of
//     KeyValueOf<key><value> items, each holding Key then Value in that
//     namespace: <Meta xmlns:d2p1="…/Arrays"><d2p1:KeyValueOfstringstring>
//     <d2p1:Key>k</d2p1:Key><d2p1:Value>v</d2p1:Value>…</Meta>. As DCS names
//     generic contracts, the item name gets the namespaces digest when the
//     value's contract is not in the XSD or Serialization namespace (lists,
//     classes, enums, DateTimeOffset): KeyValueOfstringArrayOfstringty7Ep6D1
//     for a HashSet<string> value, whose items then reuse d2p1. A compiled
//     name without the digest ("ArrayOfKeyValueOfstring"+elem) is completed
//     with it for a dictionary root or list item. A class value of another
//     namespace declares it on Value (xmlns:d4p1 for a member's
//     dictionary). Keys equal once written (line ends, ill-formed UTF-8)
//     are one item: first position, last value.
//   - null is i:nil="true"; an empty string or an element without content is
//     "<X />" (with the space XmlWriter writes). Times use
//     [codecs.AppendISOTime]; DateTimeOffset is the complex form (DateTime
//     in UTC with "Z", OffsetMinutes); guids are lower case; booleans true
//     or false; numbers are written from their literal ("Infinity" as INF).
//   - Text escapes '<', '>' and '&'; line ends become "\r\n" (NewLineHandling
//     Replace with the Windows NewLine); other control characters are
//     written as character references (CheckCharacters=false); attributes
//     also escape '"' and write \t \n \r as references.
//
// [AppendError] writes Web API's HttpError (<Error>, no namespace) with keys
// encoded by [EncodeLocalName]. [Compact] and [Indent], for tests and tools,
// use etree: they parse any XML (such as a help-page sample) into an etree
// document and write it back compact (the wire form) or indented as the help
// pages show it.
//
// The package knows nothing about hosts, HTTP routing or Echo.
package xmlcodec
