package codecs

import "errors"

// ErrEmpty is what a [Reader] returns for a body with nothing in it (no
// value at all, only white space); hosts answer it differently (Web API
// binds null, ServiceStack an empty request).
var ErrEmpty = errors.New("codecs: empty body")

// ReadOptions are what a reader may need beyond the body and the schema.
type ReadOptions struct {
	// Charset is the body's declared charset.
	Charset string
	// Transcode converts the body from Charset to UTF-8 before reading, as
	// a .NET formatter does with its SupportedEncodings (ill-formed UTF-8
	// becomes U+FFFD, a BOM is dropped); the XML reader keeps UTF-8 bytes
	// as they are, since XmlUTF8TextReader decodes them itself and refuses
	// ill-formed ones. Without it the bytes are read as they came.
	Transcode bool
	// MaxKeys bounds the key/value pairs of a form body (0: unbounded).
	MaxKeys int
	// Release is the ServiceStack.Text release line ("4.5", "latest")
	// whose JSV rules read a ServiceStack form's values ("" is the newest).
	Release string
}

// WriteOptions are what a writer may need beyond the value and the schema.
type WriteOptions struct {
	// CamelCase writes member names in ServiceStack's camelCase (JsConfig
	// EmitCamelCaseNames); dialects that have no such setting ignore it.
	CamelCase bool
}

// Reader reads a whole body into a value, guided by t (nil: no schema).
type Reader func(body []byte, t *Type, opt ReadOptions) (Value, error)

// Writer appends v, written as schema t says (nil: no schema), to dst.
type Writer func(dst []byte, v Value, t *Type, opt WriteOptions) ([]byte, error)

// Codec is one wire format in one dialect: its reader and its writer (nil
// when the dialect is only ever read or only ever written).
type Codec struct {
	Format  string // json, xml, form, jsv
	Dialect string // newtonsoft, servicestack, datacontract, webapi, a ServiceStack release…
	Read    Reader
	Write   Writer
}
