package servicestack

import (
	"strconv"
	"strings"

	"legacygate/routes/contract"
)

// CSharp writes the host's DTOs as ServiceStack's C# generator does:
// partial classes with virtual auto-properties, [Route] attributes,
// IReturn<Response> on request DTOs, and [DataContract]/[DataMember] with
// the contract's XML namespace and member order so that XML clients
// serialize what the host reads.
func CSharp(h *contract.Host, o RefOptions, date string) string {
	ns := clrNamespace(h, o)
	var b strings.Builder
	b.WriteString(header(h, o, date, []string{
		optLine("GlobalNamespace", ns, o.GlobalNamespace != ""),
		"//MakePartial: True",
		"//MakeVirtual: True",
		"//MakeDataContractsExtensible: False",
		"//AddReturnMarker: True",
		"//AddDescriptionAsComments: True",
		"//AddDataContractAttributes: True",
		"//AddIndexesToDataMembers: False",
		"//AddGeneratedCodeAttributes: False",
		optLine("AddResponseStatus", titleBool(o.AddResponseStatus), o.AddResponseStatus),
		"//AddImplicitVersion: ",
		"//InitializeCollections: True",
		"//ExportValueTypes: False",
		optLine("IncludeTypes", strings.Join(o.IncludeTypes, ","), len(o.IncludeTypes) > 0),
		optLine("ExcludeTypes", strings.Join(o.ExcludeTypes, ","), len(o.ExcludeTypes) > 0),
		"//AddNamespaces: ",
		"//AddDefaultXmlNamespace: http://schemas.servicestack.net/types",
	}))
	b.WriteString("using System;\nusing System.Collections;\nusing System.Collections.Generic;\nusing System.Runtime.Serialization;\nusing ServiceStack;\n\n")
	b.WriteString("namespace " + ns + "\n{\n")
	for i, t := range refTypes(h, o) {
		if i > 0 {
			b.WriteString("\n")
		}
		xmlNS := ""
		if t.Schema() != nil {
			xmlNS = t.Schema().Namespace
		}
		if t.Enum != nil {
			b.WriteString("    [DataContract(Namespace=\"" + xmlNS + "\")]\n    public enum " + t.Name + "\n    {\n")
			for _, e := range t.Enum {
				b.WriteString("        [EnumMember]\n        " + e + ",\n")
			}
			b.WriteString("    }\n")
			continue
		}
		op := opFor(h, t)
		writeRoutes(&b, op, "    [Route(", ")]\n")
		b.WriteString("    [DataContract(Name=\"" + t.Name + "\", Namespace=\"" + xmlNS + "\")]\n")
		decl := "    public partial class " + t.Name
		var parents []string
		if t.Base != nil {
			parents = append(parents, t.Base.Name)
		}
		if op != nil {
			switch {
			case op.Response == nil || op.Response.Void:
				parents = append(parents, "IReturnVoid")
			case op.Response.Ref != nil:
				parents = append(parents, "IReturn<"+DotNetRef(*op.Response.Ref)+">")
			case op.Response.Primitive && op.Response.Schema() != nil:
				parents = append(parents, "IReturn<"+DotNetRef(contract.TypeRef{Type: op.Response.Schema()})+">")
			case op.Response.Primitive:
				parents = append(parents, "IReturnVoid")
			default:
				parents = append(parents, "IReturn<"+op.Response.Name+">")
			}
		}
		if len(parents) > 0 {
			decl += "\n        : " + strings.Join(parents, ", ")
		}
		b.WriteString(decl + "\n    {\n")
		var inits []string
		for _, m := range t.Members {
			if m.Type.List() || m.Type.Map() {
				inits = append(inits, "            "+m.Name+" = new "+DotNetName(m)+"{};")
			}
		}
		if len(inits) > 0 {
			b.WriteString("        public " + t.Name + "()\n        {\n" + strings.Join(inits, "\n") + "\n        }\n\n")
		}
		for _, m := range t.Members {
			if m.Doc != "" {
				b.WriteString("        ///<summary>\n        ///" + escapeXMLDoc(m.Doc) + "\n        ///</summary>\n")
			}
			dm := "        [DataMember"
			if m.Order >= 0 {
				dm += "(Order=" + strconv.Itoa(m.Order) + ")"
			}
			b.WriteString(dm + "]\n")
			b.WriteString("        public virtual " + csMemberType(m) + " " + m.Name + " { get; set; }\n")
		}
		b.WriteString("    }\n")
	}
	b.WriteString("}\n\n")
	return b.String()
}

// csMemberType is the member's C# type; string[] and HashSet<String>
// collections initialise as the legacy DTOs declared them.
func csMemberType(m *contract.Member) string {
	return DotNetName(m)
}

func escapeXMLDoc(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\n", " ").Replace(s)
}
