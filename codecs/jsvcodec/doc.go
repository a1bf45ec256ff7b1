// Package jsvcodec reads, writes and pretty-prints ServiceStack's JSV
// (TypeSerializer) format with the neutral value tree [codecs.Value]
// (the project's notes on JSV: docs/legacy/jsv.md; section numbers below refer
// to them).
//
// # Decoding
//
// [Decode] mirrors ServiceStack.Text's readers token for token: values are
// cut by JsvTypeSerializer.EatValue (§2), property names are trimmed and
// matched case-insensitively against the schema (base chain included) and
// emitted with the contract name, unknown properties are ignored, a value
// that does not convert is dropped (the property keeps its default) unless
// [DecodeOptions.Strict], and what .NET throws (no leading '{', a member
// without ':', trailing characters, ...) is a [*SyntaxError] with the byte
// offset (§8). Lists follow the reader of their .NET type, chosen from the
// schema: List<string> (element type string), List<int> (non-nullable int,
// not an array), T[] / HashSet<T> (Type.Name ending in "[]" or starting with
// "HashSet"), otherwise List<T> (§5.1). Maps have string keys; a map
// without an element type is Dictionary<string,object> and keeps values as
// text (§5.3). Scalars become Kind Number (canonical .NET text), Bool, Time
// (Local kind for what .NET makes local, expressed in UTC: the gateway
// stands for a UTC server), or String (Guids in the lower-case dashed form,
// enums as the member name).
//
// TimeSpan and byte[] are the scalar families codecs.TimeSpanT and
// codecs.BytesT (or, in schemas built by hand, Type.Name "TimeSpan" and
// "byte[]"): the decoder yields a String holding the XSD duration
// ServiceStack writes ("PT1H30M") or standard Base64; the encoder also
// accepts the "c" form the contract binder produces ("01:30:00"). A
// HashSet is Type.Set (or a name starting "HashSet"). The small and
// unsigned integers (codecs.ByteT … UInt64T) are read like int and
// range-checked for their type.
//
// [DecodeOptions.Lenient] additionally reads JsvFormatter output (metadata
// samples) by skipping whitespace around tokens and trimming scalars; plain
// ServiceStack does not (§2.1).
//
// [DecodeValue] binds one query-string or form value (§11).
//
// # Encoding
//
// [Append] writes compact JSV as TypeSerializer does: strings quoted only
// when they hold one of " : , { } [ ] CR LF (§3.1), True/False, nulls
// omitted, Guids as 32 hex digits, DateTime in the shortest XSD form,
// DateTimeOffset in the "o" form, TimeSpan as an XSD duration, doubles in
// .NET Core's shortest round-trip text (§7). [Options.CamelCase] applies
// TextCase.CamelCase to property names (§10).
//
// # Pretty printing
//
// [Pretty] is JsvFormatter.Format, character for character (§9).
package jsvcodec
