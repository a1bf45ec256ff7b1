package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"strings"

	"legacygate/codecs"
	"legacygate/codecs/formcodec"
	"legacygate/codecs/jsoncodec"
	"legacygate/codecs/jsvcodec"
	"legacygate/codecs/xmlcodec"
	"legacygate/routes/contract"
	"legacygate/routes/hosts"
	"legacygate/routes/servicestack"
)

var convertFormats = []string{"json", "xml", "jsv", "form"}

// convertCmd: legacygate convert --from F --to G [--type HOST.TYPE]
// [--lenient] [--pretty] [--dialect newtonsoft|servicestack]. It reads
// stdin and writes stdout; bad input is reported with its offset on
// stderr (exit status 1).
func convertCmd(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("convert", flag.ContinueOnError)
	fs.SetOutput(stderr)
	from := fs.String("from", "", "input format: json, xml, jsv, form")
	to := fs.String("to", "", "output format: json, xml, jsv, form")
	typeName := fs.String("type", "", "contract type HOST.TYPE (host contract and type name): names, namespaces, dates; required for xml")
	lenient := fs.Bool("lenient", false, "read pretty-printed JSV as metadata pages show it")
	pretty := fs.Bool("pretty", false, "pretty-print JSV output as metadata pages do")
	dialect := fs.String("dialect", "", "JSON writer: newtonsoft (Web API) or servicestack; default from the type's host")
	setUsage(fs, "convert --from F --to G [--type HOST.TYPE] [flags] < input > output",
		"Convert a legacy payload between json, xml, jsv and form, typed by a contract type.")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if !contains(convertFormats, *from) || !contains(convertFormats, *to) {
		return usagef("--from and --to must each be one of %s", strings.Join(convertFormats, ", "))
	}
	var host *contract.Host
	var typ *contract.Type
	var schema *codecs.Type
	if *typeName != "" {
		var err error
		if host, typ, err = lookupType(*typeName); err != nil {
			return err
		}
		schema = typ.Schema
	}
	if schema == nil && (*from == "xml" || *to == "xml") {
		return usagef("xml needs --type HOST.TYPE: DataContract XML is named and ordered by its contract")
	}
	data, err := io.ReadAll(stdin)
	if err != nil {
		return err
	}
	var v codecs.Value
	switch *from {
	case "json":
		v, err = jsoncodec.Decode(data, jsoncodec.DecodeOptions{DotNet: true})
	case "xml":
		v, err = xmlcodec.Decode(data, schema, xmlcodec.DecodeOptions{})
	case "jsv":
		// The line break that ends a terminal line or a file is not part
		// of the value (strict JSV would read it as data).
		data = bytes.TrimRight(data, "\r\n")
		v, err = jsvcodec.Decode(data, schema, jsvcodec.DecodeOptions{Lenient: *lenient, Release: jsvRelease(host)})
	case "form":
		var pairs []formcodec.Pair
		if pairs, err = formcodec.Parse(strings.TrimRight(string(data), "\r\n"), 0); err == nil {
			if schema != nil {
				v, err = formcodec.DecodeWebAPI(pairs, schema)
			} else {
				v = codecs.Obj()
				for _, p := range pairs {
					v.Members = append(v.Members, codecs.M(p.Key, codecs.Str(p.Value)))
				}
			}
		}
	}
	if err != nil {
		return fmt.Errorf("%s input: %w", *from, err)
	}
	if typ != nil {
		bound, errs := contract.Bind(typ, v, contract.BindOptions{FoldOnly: host.Style == contract.ServiceStack})
		if len(errs) > 0 {
			msgs := make([]string, len(errs))
			for i, e := range errs {
				msgs[i] = e.Error()
			}
			return fmt.Errorf("%s input does not fit %s: %s", *from, *typeName, strings.Join(msgs, "; "))
		}
		v = bound
	}
	var out []byte
	switch *to {
	case "json":
		d := jsoncodec.NewtonsoftDialect
		if *dialect == "servicestack" || *dialect == "" && host != nil && host.Style == contract.ServiceStack {
			d = jsoncodec.ServiceStackDialect
		} else if *dialect != "" && *dialect != "newtonsoft" {
			return fmt.Errorf("--dialect %q is not newtonsoft or servicestack", *dialect)
		}
		if d == jsoncodec.ServiceStackDialect && host != nil && host.Naming == contract.CamelCase {
			// JsConfig's camelCase names govern ServiceStack.Text's JSON
			// as much as its JSV: the host wrote both in camelCase.
			v = servicestack.Camelize(v, schema)
		}
		out, err = jsoncodec.Append(nil, v, schema, d)
	case "xml":
		out, err = xmlcodec.Append(nil, v, schema)
	case "jsv":
		out, err = jsvcodec.Append(nil, v, schema, jsvcodec.Options{CamelCase: host != nil && host.Naming == contract.CamelCase, Release: jsvRelease(host)})
		if err == nil && *pretty {
			out = jsvcodec.PrettyRelease(nil, out, jsvRelease(host))
		}
	case "form":
		out = formcodec.Encode(nil, v)
	}
	if err != nil {
		return fmt.Errorf("%s output: %w", *to, err)
	}
	out = append(out, '\n')
	_, err = stdout.Write(out)
	return err
}

func lookupType(spec string) (*contract.Host, *contract.Type, error) {
	hostName, typeName, ok := strings.Cut(spec, ".")
	if !ok {
		return nil, nil, fmt.Errorf("--type %q is not HOST.TYPE", spec)
	}
	all, err := hosts.Load()
	if err != nil {
		return nil, nil, err
	}
	for _, h := range all {
		if h.Name != hostName {
			continue
		}
		if t, ok := h.Types[typeName]; ok && t.Enum == nil {
			return h, t, nil
		}
		return nil, nil, fmt.Errorf("host %s has no object type %q", hostName, typeName)
	}
	return nil, nil, fmt.Errorf("no host contract named %q", hostName)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// jsvRelease is the JSV reader and writer of the host's ServiceStack
// release line (the newest without a host).
func jsvRelease(host *contract.Host) jsvcodec.Release {
	if host == nil {
		return jsvcodec.Release{}
	}
	return host.JSV
}
