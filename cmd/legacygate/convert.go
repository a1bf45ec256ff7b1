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
	"legacygate/routes"
	"legacygate/routes/contract"
	"legacygate/routes/hosts"
	"legacygate/routes/pipeline/bind"
	"legacygate/routes/servicestack"
)

var convertFormats = []string{"json", "xml", "jsv", "form"}

// convertCmd: legacygate convert --from F --to G [--type HOST.TYPE]
// [--lenient] [--pretty] [--dialect newtonsoft|servicestack]
// [--contracts-dir DIR] [--config FILE]. It reads stdin and writes
// stdout; bad input is reported with its offset on stderr (exit status
// 1). HOST is looked up in the shipped bundles overlaid by a contracts
// dir, as serve reads them: --contracts-dir, else the contracts_dir of
// the --config file.
func convertCmd(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("convert", flag.ContinueOnError)
	fs.SetOutput(stderr)
	from := fs.String("from", "", "input format: json, xml, jsv, form")
	to := fs.String("to", "", "output format: json, xml, jsv, form")
	typeName := fs.String("type", "", "contract type HOST.TYPE (host contract and type name): names, namespaces, dates; required for xml")
	lenient := fs.Bool("lenient", false, "read pretty-printed JSV as metadata pages show it")
	pretty := fs.Bool("pretty", false, "pretty-print JSV output as metadata pages do")
	dialect := fs.String("dialect", "", "JSON writer: newtonsoft (Web API) or servicestack; default from the type's host")
	contractsDir := fs.String("contracts-dir", "", "folder of host bundles overlaying the shipped ones, as serve's contracts_dir (beats --config's)")
	cfgPath := fs.String("config", "", "config file whose contracts_dir overlays the shipped host bundles")
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
		dir := *contractsDir
		if dir == "" && *cfgPath != "" {
			cfg, err := loadConfig(*cfgPath, true)
			if err != nil {
				return err
			}
			dir = cfg.ContractsDir
		}
		var err error
		if host, typ, err = lookupType(*typeName, dir); err != nil {
			return err
		}
		schema = typ.Schema()
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
		// The host's style binds as its stack did (ServiceStack folds
		// member names and keeps text spans; Web API does not).
		st, err := routes.StyleFor(host.Style)
		if err != nil {
			return err
		}
		bound, errs := bind.Request(typ, v, st.BindOptions())
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
		if *dialect == "" && host != nil {
			// Without --dialect the JSON is what the type's host wrote:
			// its style's writer (Json.NET or ServiceStack.Text, with the
			// host's naming and enum options).
			st, err := routes.StyleFor(host.Style)
			if err != nil {
				return err
			}
			if enc := st.Encoder(host, "json"); enc != nil {
				if out, err = enc.Append(nil, v, schema); err != nil {
					return fmt.Errorf("%s output: %w", *to, err)
				}
				break
			}
		}
		d := jsoncodec.NewtonsoftDialect
		if *dialect == "servicestack" {
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

// lookupType finds HOST.TYPE in the shipped bundles overlaid by dir
// (none when empty).
func lookupType(spec, dir string) (*contract.Host, *contract.Type, error) {
	hostName, typeName, ok := strings.Cut(spec, ".")
	if !ok {
		return nil, nil, fmt.Errorf("--type %q is not HOST.TYPE", spec)
	}
	set, err := hosts.Open(dir)
	if err != nil {
		return nil, nil, err
	}
	for _, h := range set.Hosts() {
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
