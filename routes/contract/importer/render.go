package importer

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// q quotes a YAML scalar when it needs quoting.
func q(s string) string {
	out, err := yaml.Marshal(s)
	if err != nil {
		return `""`
	}
	return strings.TrimSuffix(string(out), "\n")
}

// YAML renders the draft as a contract file, the report as comments at
// the top.
func (d *Draft) YAML() []byte {
	var b strings.Builder
	w := func(s ...string) {
		for _, x := range s {
			b.WriteString(x)
		}
		b.WriteString("\n")
	}
	w("# ", d.Title, " — drafted by `legacygate contract import` from ", d.Source, ".")
	w("# What the page could not say, or what was guessed (review every line):")
	for _, r := range d.Report {
		w("# - ", strings.ReplaceAll(r, "\n", " "))
	}
	w("host: ", q(d.Host))
	w("title: ", q(d.Title))
	w("style: ", d.Style)
	if d.Source != "" {
		w("source: ", q(d.Source))
	}
	w("time_kind: local")
	if d.Style == "servicestack" {
		w("naming: ", d.Naming)
	}
	if d.Prefix != "" {
		w("prefix: ", q(d.Prefix))
	}
	if d.Op.Authenticate {
		w("\nauth:\n  providers: [credentials]")
	}
	w("\nformats:")
	for _, f := range d.Formats {
		w("  - format: ", f.Name)
		w("    media_types: [", strings.Join(f.MediaTypes, ", "), "]")
		if !f.Write {
			w("    write: false")
		}
	}
	w("\noperations:")
	op := d.Op
	w("  - name: ", op.Name)
	if op.Summary != "" {
		w("    summary: ", q(op.Summary))
	}
	w("    action: ", op.Action)
	w("    routes:")
	for _, r := range op.Routes {
		w("      - {method: ", strconv.Quote(r.Method), ", path: ", strconv.Quote(r.Path), "}")
	}
	if op.Authenticate && len(op.Roles) > 0 {
		w("    auth: {roles: [", strings.Join(op.Roles, ", "), "]}")
	}
	if op.Request != "" {
		w("    request: ", op.Request)
	}
	if op.Bind != "" {
		w("    bind: ", op.Bind)
	}
	if op.Response != "" {
		w("    response: ", q(op.Response))
	}
	if len(op.Command) > 0 {
		w("    command:")
		for _, kv := range op.Command {
			w("      ", kv[0], ": ", kv[1])
		}
	}
	w("\ntypes:")
	for _, t := range d.Types {
		w("  ", t.Name, ":")
		if t.Enum != nil {
			w("    enum: [", strings.Join(t.Enum, ", "), "]")
			continue
		}
		if t.Namespace != "" {
			w("    namespace: ", q(t.Namespace))
		}
		if t.Base != "" {
			w("    base: ", t.Base)
		}
		if len(t.Members) == 0 {
			w("    members: []")
			continue
		}
		w("    members:")
		for _, m := range t.Members {
			w("      - name: ", m.Name)
			w("        type: ", q(m.Type))
			if m.CLRType != "" {
				w("        clr_type: ", q(m.CLRType))
			}
			if m.Secret {
				w("        secret: true")
			}
			if m.From != "" {
				w("        from: ", m.From)
			}
			if m.Doc != "" {
				w("        doc: ", q(m.Doc))
			}
			if len(m.Rules) > 0 {
				w("        rules: [", strings.Join(m.Rules, ", "), "]")
			}
		}
	}
	return []byte(b.String())
}
