// Package registry finds a codec by format and dialect. Every reader has one
// signature ([codecs.Reader]) and every writer one ([codecs.Writer]), so a
// host style names the dialects its stack spoke and never switches on
// format names or calls a codec package itself. It imports the codec
// packages; they import nothing of it, and nothing here knows a host.
package registry

import (
	"errors"
	"sync"

	"legacygate/codecs"
	"legacygate/codecs/formcodec"
	"legacygate/codecs/jsoncodec"
	"legacygate/codecs/jsvcodec"
	"legacygate/codecs/xmlcodec"
)

// The dialects. A JSV dialect is a ServiceStack.Text release line ("4.5",
// "5.x", "latest", see jsvcodec.ParseRelease).
const (
	Newtonsoft            = "newtonsoft"              // json: Json.NET as Web API configures it
	NewtonsoftStringEnums = "newtonsoft-string-enums" // json: plus StringEnumConverter
	ServiceStack          = "servicestack"            // json: ServiceStack.Text; form: its request overlay
	DataContract          = "datacontract"            // xml: DataContractSerializer
	WebAPI                = "webapi"                  // form: Web API's MVC-style form binding
)

type key struct{ format, dialect string }

var (
	fixed = map[key]codecs.Codec{}
	jsv   sync.Map // dialect → codecs.Codec, built on first use
)

func add(c codecs.Codec) { fixed[key{c.Format, c.Dialect}] = c }

func init() {
	readJSON := func(body []byte, _ *codecs.Type, opt codecs.ReadOptions) (codecs.Value, error) {
		body, err := transcode(body, opt, false)
		if err != nil {
			return codecs.Value{}, err
		}
		v, err := jsoncodec.Decode(body, jsoncodec.DecodeOptions{DotNet: true})
		return v, empty(err, jsoncodec.ErrEmpty)
	}
	writeJSON := func(d jsoncodec.Dialect) codecs.Writer {
		return func(dst []byte, v codecs.Value, t *codecs.Type, _ codecs.WriteOptions) ([]byte, error) {
			return jsoncodec.Append(dst, v, t, d)
		}
	}
	add(codecs.Codec{Format: "json", Dialect: Newtonsoft, Read: readJSON, Write: writeJSON(jsoncodec.NewtonsoftDialect)})
	add(codecs.Codec{Format: "json", Dialect: NewtonsoftStringEnums, Read: readJSON, Write: writeJSON(jsoncodec.NewtonsoftStringEnumsDialect)})
	add(codecs.Codec{Format: "json", Dialect: ServiceStack, Read: readJSON, Write: writeJSON(jsoncodec.ServiceStackDialect)})
	add(codecs.Codec{Format: "xml", Dialect: DataContract,
		Read: func(body []byte, t *codecs.Type, opt codecs.ReadOptions) (codecs.Value, error) {
			body, err := transcode(body, opt, true)
			if err != nil {
				return codecs.Value{}, err
			}
			v, err := xmlcodec.Decode(body, t, xmlcodec.DecodeOptions{Charset: opt.Charset})
			return v, empty(err, xmlcodec.ErrEmpty)
		},
		Write: func(dst []byte, v codecs.Value, t *codecs.Type, _ codecs.WriteOptions) ([]byte, error) {
			return xmlcodec.Append(dst, v, t)
		}})
	add(codecs.Codec{Format: "form", Dialect: WebAPI,
		Read: func(body []byte, t *codecs.Type, opt codecs.ReadOptions) (codecs.Value, error) {
			body, err := transcode(body, opt, false)
			if err != nil {
				return codecs.Value{}, err
			}
			pairs, err := formcodec.Parse(string(body), opt.MaxKeys)
			if err != nil {
				return codecs.Value{}, err
			}
			return formcodec.DecodeWebAPI(pairs, t)
		},
		Write: func(dst []byte, v codecs.Value, _ *codecs.Type, _ codecs.WriteOptions) ([]byte, error) {
			return formcodec.Encode(dst, v), nil
		}})
	add(codecs.Codec{Format: "form", Dialect: ServiceStack, Read: readServiceStackForm,
		Write: func(dst []byte, v codecs.Value, _ *codecs.Type, _ codecs.WriteOptions) ([]byte, error) {
			return formcodec.Encode(dst, v), nil
		}})
}

// transcode applies opt.Transcode; keepUTF8 leaves a UTF-8 body's bytes
// as they are (the XML reader's own decoding).
func transcode(body []byte, opt codecs.ReadOptions, keepUTF8 bool) ([]byte, error) {
	if !opt.Transcode || keepUTF8 && codecs.IsUTF8Charset(opt.Charset) {
		return body, nil
	}
	return codecs.ToUTF8(body, opt.Charset)
}

// readServiceStackForm reads a form body alone as ServiceStack binds it
// (formcodec.ReadServiceStack over an empty request).
func readServiceStackForm(body []byte, t *codecs.Type, opt codecs.ReadOptions) (codecs.Value, error) {
	rel, err := jsvcodec.ParseRelease(opt.Release)
	if err != nil {
		return codecs.Value{}, err
	}
	pairs, err := formcodec.Parse(string(body), opt.MaxKeys)
	if err != nil {
		return codecs.Value{}, err
	}
	return formcodec.ReadServiceStack(codecs.Obj(), t, []formcodec.Layer{{Pairs: pairs, Overwrite: true}}, rel)
}

// empty turns a codec's own empty-input error into codecs.ErrEmpty.
func empty(err, own error) error {
	if errors.Is(err, own) {
		return codecs.ErrEmpty
	}
	return err
}

// Lookup returns the codec of format in dialect; ok is false when there is
// none (a JSV dialect that is not a release line).
func Lookup(format, dialect string) (codecs.Codec, bool) {
	if c, ok := fixed[key{format, dialect}]; ok {
		return c, true
	}
	if format != "jsv" {
		return codecs.Codec{}, false
	}
	if c, ok := jsv.Load(dialect); ok {
		return c.(codecs.Codec), true
	}
	rel, err := jsvcodec.ParseRelease(dialect)
	if err != nil {
		return codecs.Codec{}, false
	}
	c := jsvCodec(dialect, rel)
	jsv.Store(dialect, c)
	return c, true
}

// jsvCodec is ServiceStack.Text's JSV reader and writer of one release.
func jsvCodec(dialect string, rel jsvcodec.Release) codecs.Codec {
	return codecs.Codec{Format: "jsv", Dialect: dialect,
		Read: func(body []byte, t *codecs.Type, _ codecs.ReadOptions) (codecs.Value, error) {
			v, err := jsvcodec.Decode(body, t, jsvcodec.DecodeOptions{Release: rel})
			return v, empty(err, jsvcodec.ErrEmpty)
		},
		Write: func(dst []byte, v codecs.Value, t *codecs.Type, opt codecs.WriteOptions) ([]byte, error) {
			return jsvcodec.Append(dst, v, t, jsvcodec.Options{CamelCase: opt.CamelCase, Release: rel})
		}}
}

// Dialects lists the registered fixed dialects as format/dialect, for docs
// and tests (JSV dialects are every release line).
func Dialects() []string {
	out := make([]string, 0, len(fixed))
	for k := range fixed {
		out = append(out, k.format+"/"+k.dialect)
	}
	return out
}
