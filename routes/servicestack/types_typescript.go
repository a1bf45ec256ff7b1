package servicestack

import (
	"strings"

	"legacygate/codecs"
	"legacygate/routes/contract"
)

// TypeScript writes the host's DTOs as ServiceStack's TypeScript
// generator does: classes with a Partial<T> constructor, request DTOs
// implementing IReturn<Response> (getTypeName, getMethod, createResponse,
// which @servicestack/client's JsonServiceClient calls), enums as string
// enums, member names in the host's JSON casing.
func TypeScript(h *contract.Host, o RefOptions, date string) string {
	var b strings.Builder
	b.WriteString(header(h, o, date, []string{
		optLine("GlobalNamespace", o.GlobalNamespace, o.GlobalNamespace != ""),
		optLine("MakePropertiesOptional", titleBool(o.MakePropertiesOptional), !o.MakePropertiesOptional),
		"//AddServiceStackTypes: True",
		optLine("AddResponseStatus", titleBool(o.AddResponseStatus), o.AddResponseStatus),
		"//AddImplicitVersion: ",
		"//AddDescriptionAsComments: True",
		optLine("IncludeTypes", strings.Join(o.IncludeTypes, ","), len(o.IncludeTypes) > 0),
		optLine("ExcludeTypes", strings.Join(o.ExcludeTypes, ","), len(o.ExcludeTypes) > 0),
		"//DefaultImports: ",
	}))
	b.WriteString("\nexport interface IReturn<T>\n{\n    createResponse(): T;\n}\n\nexport interface IReturnVoid\n{\n    createResponse(): void;\n}\n")
	for _, t := range refTypes(h, o) {
		b.WriteString("\n")
		if t.Enum != nil {
			b.WriteString("export enum " + t.Name + "\n{\n")
			for _, e := range t.Enum {
				b.WriteString("    " + e + " = '" + e + "',\n")
			}
			b.WriteString("}\n")
			continue
		}
		op := opFor(h, t)
		writeRoutes(&b, op, "// @Route(", ")\n")
		decl := "export class " + t.Name
		if t.Base != nil {
			decl += " extends " + t.Base.Name
		}
		resp := ""
		if op != nil {
			switch {
			case op.Response == nil || op.Response.Void || op.Response.Primitive && op.Response.Schema() == nil:
				decl += " implements IReturnVoid"
			case op.Response.Ref != nil:
				resp = tsType(*op.Response.Ref)
				decl += " implements IReturn<" + resp + ">"
			case op.Response.Primitive:
				resp = tsScalar(op.Response.Schema().Scalar)
				decl += " implements IReturn<" + resp + ">"
			default:
				resp = op.Response.Name
				decl += " implements IReturn<" + resp + ">"
			}
		}
		b.WriteString(decl + "\n{\n")
		opt := "?"
		if !o.MakePropertiesOptional {
			opt = ""
		}
		for _, m := range t.Members {
			if m.Doc != "" {
				b.WriteString("    /** @description " + strings.ReplaceAll(m.Doc, "*/", "* /") + " */\n")
			}
			b.WriteString("    public " + jsonName(h, m.Name) + opt + ": " + tsType(m.Type) + ";\n")
		}
		b.WriteString("\n    public constructor(init?: Partial<" + t.Name + ">) { ")
		if t.Base != nil {
			b.WriteString("super(init); ")
		}
		b.WriteString("(Object as any).assign(this, init); }\n")
		if op != nil {
			method := "POST"
			if len(op.Routes) > 0 && op.Routes[0].Method != "*" {
				method = op.Routes[0].Method
			}
			b.WriteString("    public getTypeName() { return '" + t.Name + "'; }\n")
			b.WriteString("    public getMethod() { return '" + method + "'; }\n")
			switch {
			case resp == "":
				b.WriteString("    public createResponse() {}\n")
			case op.Response.Ref != nil && op.Response.Ref.Scalar == codecs.NotScalar:
				b.WriteString("    public createResponse() { return null; }\n")
			case op.Response.Primitive:
				b.WriteString("    public createResponse() { return " + tsZero(op.Response.Schema().Scalar) + "; }\n")
			default:
				b.WriteString("    public createResponse() { return new " + resp + "(); }\n")
			}
		}
		b.WriteString("}\n")
	}
	return b.String()
}

func tsType(r contract.TypeRef) string {
	switch {
	case r.Map():
		return "{ [index: string]: " + tsType(*r.Elem) + "; }"
	case r.List():
		return tsType(*r.Elem) + "[]"
	case r.Object != nil:
		return r.Object.Name
	case r.Enum != nil:
		return r.Enum.Name
	}
	return tsScalar(r.Scalar)
}

func tsScalar(s codecs.Scalar) string {
	switch s {
	case codecs.BoolT:
		return "boolean"
	}
	if s.IsNumber() {
		return "number" // ServiceStack's TypeScript generator: every numeric type
	}
	return "string" // string, Guid, dates, TimeSpan (an XSD duration), byte[] (Base64)
}

func tsZero(s codecs.Scalar) string {
	switch tsScalar(s) {
	case "boolean":
		return "false"
	case "number":
		return "0"
	}
	return "''"
}
