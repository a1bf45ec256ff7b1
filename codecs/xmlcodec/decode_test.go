package xmlcodec

import (
	"errors"
	"strings"
	"testing"
	"time"

	"legacygate/codecs"
)

const (
	regOpen  = `<RegisterBindingModel xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/Hub.Server.Models">`
	regClose = `</RegisterBindingModel>`
	regCLR   = "Hub.Server.Models.RegisterBindingModel"
)

func reg(body string) string { return regOpen + body + regClose }

// scalarsT exercises every scalar family in one contract.
var scalarsT = &codecs.Type{Name: "Scalars", Namespace: hubModelsNS, Shape: codecs.ObjectShape, Nullable: true,
	Fields: fields("A", tBool, "B", tInt, "C", tLong, "D", tDecimal, "E", tDouble, "F", tGuid, "G", tDateN,
		"H", tDTON, "I", tString, "J", &codecs.Type{Name: "Color", Namespace: hubModelsNS, Shape: codecs.ScalarShape,
			Scalar: codecs.EnumT, Enum: []string{"Red", "Green"}})}

// dicts wraps members of dictsT (Counts, Meta, Pages, Roles, Stamps, Tags).
func dicts(body string) string {
	return `<Dicts xmlns:i="` + xsiNS + `" xmlns="` + ssTypesNS + `" xmlns:a="` + arraysNS + `">` + body + `</Dicts>`
}

func sc(body string) string {
	return `<Scalars xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="` + hubModelsNS + `">` + body + `</Scalars>`
}

// TestDecodeRules is docs/legacy/aspnet-webapi.md §2, one row per reader rule.
func TestDecodeRules(t *testing.T) {
	tests := []struct {
		name string
		typ  *codecs.Type
		in   string
		want codecs.Value
	}{
		{"members in contract order bind", registerT, reg(`<ConfirmPassword>c</ConfirmPassword><Email>e</Email><Password>p</Password>`),
			obj(mem("ConfirmPassword", str("c")), mem("Email", str("e")), mem("Password", str("p")))},
		{"out-of-order member dropped", registerT, reg(`<Password>p</Password><Email>e</Email>`),
			obj(mem("Password", str("p")))},
		{"repeated member dropped", registerT, reg(`<Email>a</Email><Email>b</Email>`), obj(mem("Email", str("a")))},
		{"unknown member skipped (with content)", registerT, reg(`<Nope><x><y/></x>text</Nope><Email>e</Email>`),
			obj(mem("Email", str("e")))},
		{"wrong namespace skipped", registerT, reg(`<Email xmlns="urn:other">e</Email><Name>n</Name>`),
			obj(mem("Name", str("n")))},
		{"no namespace skipped", registerT, reg(`<Email xmlns="">e</Email>`), obj()},
		{"prefixed member binds", registerT, `<m:RegisterBindingModel xmlns:m="` + hubModelsNS + `"><m:Email>e</m:Email></m:RegisterBindingModel>`,
			obj(mem("Email", str("e")))},
		{"inherited member needs base namespace", userDetailsT,
			`<UserDetails xmlns="` + flsUserNS + `"><Id>11111111-1111-1111-1111-111111111111</Id><CanUpdateRecord xmlns="` + flsBaseNS + `">true</CanUpdateRecord><AccountState>3</AccountState></UserDetails>`,
			obj(mem("CanUpdateRecord", yes), mem("AccountState", num("3")))},
		{"whitespace between elements ignored", registerT, reg("\n  <Email>e</Email>\r\n\t<Name>n</Name>\n"),
			obj(mem("Email", str("e")), mem("Name", str("n")))},
		{"strings verbatim", registerT, reg("<Email>  a b \n</Email>"), obj(mem("Email", str("  a b \n")))},
		{"empty element is empty string", registerT, reg(`<Email/><Name></Name>`), obj(mem("Email", str("")), mem("Name", str("")))},
		{"nil is null", registerT, reg(`<Email i:nil="true"/><PartnerID i:nil="true"></PartnerID>`),
			obj(mem("Email", null), mem("PartnerID", null))},
		{"nil=false reads content", registerT, reg(`<Email i:nil="false">x</Email>`), obj(mem("Email", str("x")))},
		{"nil content ignored", registerT, reg(`<Email i:nil="1">x</Email>`), obj(mem("Email", null))},
		{"entities and char refs", registerT, reg(`<Email>&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&#x1F600;</Email>`),
			obj(mem("Email", str(`<>&"'AB😀`)))},
		{"CDATA and comments concatenate", registerT, reg(`<Email>a<!-- c --><![CDATA[<b>]]>c</Email>`),
			obj(mem("Email", str("a<b>c")))},
		{"line ends normalized", registerT, reg("<Email>a\r\nb\rc</Email>"), obj(mem("Email", str("a\nb\nc")))},
		{"UTF-8 BOM stripped", registerT, "\xef\xbb\xbf" + reg(`<Email>e</Email>`), obj(mem("Email", str("e")))},
		{"XML declaration", registerT, `<?xml version="1.0" encoding="utf-8"?>` + reg(``), obj()},
		{"declaration naming utf-16 after transcoding", registerT, `<?xml version="1.0" encoding="utf-16" standalone="yes"?>` + "\r\n" + reg(``), obj()},
		{"comments around root", registerT, `<!-- a -->` + reg(`<!-- b --><Email>e</Email>`) + `<!-- c -->`, obj(mem("Email", str("e")))},
		{"only the node after the root is read", registerT, reg(``) + "  trailing <x>", obj()},
		{"root nil is null", registerT, `<RegisterBindingModel i:nil="true" xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="` + hubModelsNS + `"/>`, null},
		{"int trimmed, canonical", registerT, reg("<PartnerID> +007 </PartnerID>"), obj(mem("PartnerID", num("7")))},
		{"int -0", registerT, reg("<PartnerID>-0</PartnerID>"), obj(mem("PartnerID", num("0")))},
		{"bool spellings", scalarsT, sc("<A> 1 </A>"), obj(mem("A", yes))},
		{"bool 0", scalarsT, sc("<A>0</A>"), obj(mem("A", no))},
		{"bool false", scalarsT, sc("<A>\nfalse\t</A>"), obj(mem("A", no))},
		{"long", scalarsT, sc("<C>-9223372036854775808</C>"), obj(mem("C", num("-9223372036854775808")))},
		{"decimal keeps scale", scalarsT, sc("<D> 001.10 </D>"), obj(mem("D", num("1.10")))},
		{"decimal forms", scalarsT, sc("<D>.5</D>"), obj(mem("D", num("0.5")))},
		{"double R form", scalarsT, sc("<E>1e15</E>"), obj(mem("E", num("1E+15")))},
		{"double INF", scalarsT, sc("<E>-INF</E>"), obj(mem("E", num("-Infinity")))},
		{"double 0.1", scalarsT, sc("<E>0.10</E>"), obj(mem("E", num("0.1")))},
		{"guid trimmed and lower-cased", scalarsT, sc("<F>\n 9F2E66D3-0776-42C1-9102-59B3BDA9FAAB \n</F>"),
			obj(mem("F", str("9f2e66d3-0776-42c1-9102-59b3bda9faab")))},
		{"guid N and B forms", scalarsT, sc("<F>{9f2e66d3-0776-42c1-9102-59b3bda9faab}</F><G>2026-03-21</G>"),
			obj(mem("F", str("9f2e66d3-0776-42c1-9102-59b3bda9faab")), mem("G", tm("2026-03-21T00:00:00")))},
		{"guid N form", scalarsT, sc("<F>9f2e66d3077642c1910259b3bda9faab</F>"),
			obj(mem("F", str("9f2e66d3-0776-42c1-9102-59b3bda9faab")))},
		{"dateTime UTC", scalarsT, sc("<G>2026-03-21T11:24:12.9163967Z</G>"), obj(mem("G", tm("2026-03-21T11:24:12.9163967Z")))},
		{"dateTime offset is Local", scalarsT, sc("<G>2026-03-21T11:24:12+01:00</G>"), obj(mem("G", tm("2026-03-21T11:24:12+01:00")))},
		{"dateTime unspecified", scalarsT, sc("<G>2026-03-21T11:24:12.5</G>"), obj(mem("G", tm("2026-03-21T11:24:12.5")))},
		{"DateTimeOffset complex form", scalarsT,
			sc(`<H xmlns:d2p1="http://schemas.datacontract.org/2004/07/System"><d2p1:DateTime>2026-03-21T10:24:12Z</d2p1:DateTime><d2p1:OffsetMinutes>60</d2p1:OffsetMinutes></H>`),
			obj(mem("H", codecs.TimeV(mustTime("2026-03-21T11:24:12+01:00"), codecs.Offset)))},
		{"enum verbatim", scalarsT, sc("<J>Green</J>"), obj(mem("J", str("Green")))},
		{"lists: items, nil item, foreign items skipped", userRegistrationT,
			`<UserRegistrationDetails xmlns="` + flsUserNS + `"><UserRoleIds xmlns:a="` + arraysNS + `"><a:guid>b2b8f508-7323-4f23-a37c-b10564494080</a:guid><guid>x</guid><a:string>y</a:string></UserRoleIds></UserRegistrationDetails>`,
			obj(mem("UserRoleIds", arr(str("b2b8f508-7323-4f23-a37c-b10564494080"))))},
		{"empty and nil lists", userDetailsT,
			`<UserDetails xmlns:i="` + xsiNS + `" xmlns="` + flsUserNS + `"><UserRoleIds/></UserDetails>`,
			obj(mem("UserRoleIds", arr()))},
		{"nested objects", userDetailT,
			`<UserDetail xmlns="` + hubModelsNS + `"><ID>1</ID><UserRoles xmlns:u="` + hubUsersNS + `"><u:UserPartnerRoles><u:PartnerID>2</u:PartnerID><u:RoleID>1</u:RoleID></u:UserPartnerRoles><u:UserPartnerRoles/></UserRoles></UserDetail>`,
			obj(mem("ID", num("1")), mem("UserRoles", arr(obj(mem("PartnerID", num("2")), mem("RoleID", num("1"))), obj())))},
		{"dictionary: items in order, any prefix, nil value", dictsT,
			dicts(`<Meta><a:KeyValueOfstringstring><a:Key>k</a:Key><a:Value>v</a:Value></a:KeyValueOfstringstring>` +
				`<x:KeyValueOfstringstring xmlns:x="` + arraysNS + `"><x:Key>n</x:Key><x:Value i:nil="true"/></x:KeyValueOfstringstring></Meta>`),
			obj(mem("Meta", obj(mem("k", str("v")), mem("n", null))))},
		{"dictionary: duplicate key keeps its first position, later value wins", dictsT,
			dicts(`<Meta><a:KeyValueOfstringstring><a:Key>a</a:Key><a:Value>1</a:Value></a:KeyValueOfstringstring>` +
				`<a:KeyValueOfstringstring><a:Key>b</a:Key><a:Value>2</a:Value></a:KeyValueOfstringstring>` +
				`<a:KeyValueOfstringstring><a:Key>a</a:Key><a:Value i:nil="true"/></a:KeyValueOfstringstring></Meta>`),
			obj(mem("Meta", obj(mem("a", null), mem("b", str("2")))))},
		{"dictionary: wrong item names and namespaces skipped", dictsT,
			dicts(`<Meta><a:KeyValueOfstringint><a:Key>1</a:Key><a:Value>1</a:Value></a:KeyValueOfstringint>` +
				`<KeyValueOfstringstring xmlns="` + ssTypesNS + `"><Key>2</Key><Value>2</Value></KeyValueOfstringstring><a:string>x</a:string>` +
				`<a:KeyValueOfstringstring><a:Key>3</a:Key><a:Value>3</a:Value></a:KeyValueOfstringstring></Meta>`),
			obj(mem("Meta", obj(mem("3", str("3")))))},
		{"dictionary: HashSet values, the item name carries the digest", dictsT,
			dicts(`<Tags><a:KeyValueOfstringArrayOfstring><a:Key>no digest</a:Key><a:Value/></a:KeyValueOfstringArrayOfstring>` +
				`<a:KeyValueOfstringArrayOfstringty7Ep6D1><a:Key>t</a:Key><a:Value><a:string>x</a:string><a:string i:nil="true"/><string>skipped</string></a:Value></a:KeyValueOfstringArrayOfstringty7Ep6D1>` +
				`<a:KeyValueOfstringArrayOfstringty7Ep6D1><a:Key>e</a:Key><a:Value/></a:KeyValueOfstringArrayOfstringty7Ep6D1>` +
				`<a:KeyValueOfstringArrayOfstringty7Ep6D1><a:Key>n</a:Key><a:Value i:nil="true"/></a:KeyValueOfstringArrayOfstringty7Ep6D1></Tags>`),
			obj(mem("Tags", obj(mem("t", arr(str("x"), null)), mem("e", arr()), mem("n", null))))},
		{"dictionary: inside an item, unknown and late elements skipped", dictsT,
			dicts("<Meta>\n <a:KeyValueOfstringstring>\n  <a:Other/><Key>wrong ns</Key><a:Key>k</a:Key><!-- c --><a:Key>again</a:Key><a:Value>v</a:Value><a:Key>late</a:Key><a:Value>late</a:Value>\n </a:KeyValueOfstringstring>\n</Meta>"),
			obj(mem("Meta", obj(mem("k", str("v")))))},
		{"dictionary: keys are text, escaped or empty", dictsT,
			dicts(`<Meta><a:KeyValueOfstringstring><a:Key>a&lt;b&#x41;<![CDATA[&]]></a:Key><a:Value/></a:KeyValueOfstringstring>` +
				`<a:KeyValueOfstringstring><a:Key/><a:Value> </a:Value></a:KeyValueOfstringstring></Meta>`),
			obj(mem("Meta", obj(mem("a<bA&", str("")), mem("", str(" ")))))},
		{"dictionary: values typed by Elem", dictsT,
			dicts(`<Counts><a:KeyValueOfstringint><a:Key>c</a:Key><a:Value> 007 </a:Value></a:KeyValueOfstringint></Counts>` +
				`<Roles><a:KeyValueOfstringUserPartnerRolesqeATSXAp><a:Key>r</a:Key><a:Value xmlns:u="` + hubUsersNS + `"><u:RoleID>4</u:RoleID></a:Value></a:KeyValueOfstringUserPartnerRolesqeATSXAp></Roles>`),
			obj(mem("Counts", obj(mem("c", num("7")))), mem("Roles", obj(mem("r", obj(mem("RoleID", num("4")))))))},
		{"dictionary: empty and nil", dictsT, dicts(`<Meta/><Tags i:nil="true"/>`), obj(mem("Meta", obj()), mem("Tags", null))},
		{"dictionary root", metaT,
			`<ArrayOfKeyValueOfstringstring xmlns="` + arraysNS + `"><KeyValueOfstringstring><Key>k</Key><Value>v</Value></KeyValueOfstringstring></ArrayOfKeyValueOfstringstring>`,
			obj(mem("k", str("v")))},
		{"xsi:type naming the contract", registerT, reg(`<PartnerID i:type="x:int" xmlns:x="http://www.w3.org/2001/XMLSchema">5</PartnerID>`),
			obj(mem("PartnerID", num("5")))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := Decode([]byte(tt.in), tt.typ, DecodeOptions{})
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			wantValue(t, v, tt.want)
		})
	}
}

func mustTime(s string) time.Time {
	return tm(s).Time
}

// TestDecodeErrors: every refusal, with the .NET message (or its start).
func TestDecodeErrors(t *testing.T) {
	deser := "There was an error deserializing the object of type " + regCLR + ". "
	deep := strings.Repeat("<a>", 300)
	tests := []struct {
		name string
		typ  *codecs.Type
		in   string
		opt  DecodeOptions
		want string // exact Msg, or prefix when ending in "…"
		line int
		pos  int
	}{
		{"wrong root namespace", userRegistrationT, `<UserRegistrationDetails><UserName>x</UserName></UserRegistrationDetails>`, DecodeOptions{},
			"Error in line 1 position 26. Expecting element 'UserRegistrationDetails' from namespace 'http://schemas.datacontract.org/2004/07/FLS.Data.WebApi.User'.. Encountered 'Element'  with name 'UserRegistrationDetails', namespace ''. ", 1, 26},
		{"wrong root name", registerT, "\n<Register xmlns=\"" + hubModelsNS + "\"/>", DecodeOptions{},
			"Error in line 2 position 78. Expecting element 'RegisterBindingModel' from namespace '" + hubModelsNS + "'.. Encountered 'Element'  with name 'Register', namespace '" + hubModelsNS + "'. ", 2, 78},
		{"no root", registerT, `<!-- only a comment -->`, DecodeOptions{}, "Error in line 1 position 24. Expecting element 'RegisterBindingModel' from namespace '" + hubModelsNS + "'.. Encountered 'None'  with name '', namespace ''. ", 1, 24},
		{"DTD refused", registerT, `<!DOCTYPE r [<!ENTITY a "b">]>` + reg(``), DecodeOptions{}, deser + "CData elements not valid at top level of an XML document. Line 1, position 3.", 1, 3},
		{"DTD inside refused", registerT, reg(`<!DOCTYPE x>`), DecodeOptions{}, deser + "The token '[CDATA[' was expected but found 'DOCTYPE'.…", 0, 0},
		{"PI refused", registerT, `<?xml-stylesheet href="a"?>` + reg(``), DecodeOptions{}, deser + "Processing instructions (other than the XML declaration) and DTDs are not supported.…", 0, 0},
		{"PI inside refused", registerT, reg(`<?php x?>`), DecodeOptions{}, deser + "Processing instructions (other than the XML declaration) and DTDs are not supported.…", 0, 0},
		{"declaration not first", registerT, ` <?xml version="1.0"?>` + reg(``), DecodeOptions{}, deser + "No characters can appear before the XML declaration.…", 0, 0},
		{"undefined entity", registerT, reg(`<Email>&lol;</Email>`), DecodeOptions{}, deser + "Character reference not valid.…", 0, 0},
		{"billion laughs", registerT, `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>` + reg(`<Email>&lol2;</Email>`), DecodeOptions{}, deser + "CData elements not valid at top level…", 0, 0},
		{"nil on value type", userDetailsT, `<UserDetails xmlns:i="` + xsiNS + `" xmlns="` + flsUserNS + `"><AccountState i:nil="true"/></UserDetails>`, DecodeOptions{}, "ValueType 'System.Int32' cannot be null.", 0, 0},
		{"nil on guid item", userRegistrationT, `<UserRegistrationDetails xmlns:i="` + xsiNS + `" xmlns="` + flsUserNS + `"><UserRoleIds xmlns:a="` + arraysNS + `"><a:guid i:nil="true"/></UserRoleIds></UserRegistrationDetails>`, DecodeOptions{}, "ValueType 'System.Guid' cannot be null.", 0, 0},
		{"bad int", registerT, reg(`<PartnerID>abc</PartnerID>`), DecodeOptions{}, deser + "The value 'abc' cannot be parsed as the type 'Int32'.", 0, 0},
		{"int overflow", registerT, reg(`<PartnerID>2147483648</PartnerID>`), DecodeOptions{}, deser + "The value '2147483648' cannot be parsed as the type 'Int32'.", 0, 0},
		{"empty int", registerT, reg(`<PartnerID/>`), DecodeOptions{}, deser + "The value '' cannot be parsed as the type 'Int32'.", 0, 0},
		{"bad bool", scalarsT, sc(`<A>yes</A>`), DecodeOptions{}, "There was an error deserializing the object of type Hub.Server.Models.Scalars. The value 'yes' cannot be parsed as the type 'Boolean'.", 0, 0},
		{"bad guid", scalarsT, sc(`<F>not-a-guid</F>`), DecodeOptions{}, "There was an error deserializing the object of type Hub.Server.Models.Scalars. The value 'not-a-guid' cannot be parsed as the type 'Guid'.", 0, 0},
		{"bad date", scalarsT, sc(`<G>2026-02-30T00:00:00</G>`), DecodeOptions{}, "There was an error deserializing the object of type Hub.Server.Models.Scalars. The value '2026-02-30T00:00:00' cannot be parsed as the type 'DateTime'.", 0, 0},
		{"bad decimal exponent", scalarsT, sc(`<D>1e5</D>`), DecodeOptions{}, "There was an error deserializing the object of type Hub.Server.Models.Scalars. The value '1e5' cannot be parsed as the type 'Decimal'.", 0, 0},
		{"bad enum", scalarsT, sc(`<J>Blue</J>`), DecodeOptions{}, "Invalid enum value 'Blue' cannot be deserialized into type 'Hub.Server.Models.Color'.…", 0, 0},
		{"depth limit", registerT, regOpen + deep, DecodeOptions{}, deser + "The maximum read depth (256) has been exceeded…", 0, 0},
		{"depth limit option", registerT, reg(`<a><b/></a>`), DecodeOptions{MaxDepth: 2}, deser + "The maximum read depth (2) has been exceeded…", 0, 0},
		{"multiple roots", registerT, reg(``) + reg(``), DecodeOptions{}, deser + "There are multiple root elements.…", 0, 0},
		{"text after root", registerT, reg(``) + `junk`, DecodeOptions{}, deser + "The data at the root level is invalid.…", 0, 0},
		{"text before root", registerT, `junk` + reg(``), DecodeOptions{}, deser + "The data at the root level is invalid. Line 1, position 1.", 1, 1},
		{"text inside class", registerT, reg(`oops<Email/>`), DecodeOptions{}, "Error in line 1 position 145. Expecting state 'Element'.. Encountered 'Text'  with name '', namespace ''. ", 1, 145},
		{"element inside string", registerT, reg(`<Email>a<b/></Email>`), DecodeOptions{}, deser + "End element 'Email' from namespace '" + hubModelsNS + "' expected. Found element 'b' from namespace '" + hubModelsNS + "'.…", 0, 0},
		{"tag mismatch", registerT, reg(`<Email>a</Name>`), DecodeOptions{}, deser + "Start element 'Email' does not match end element 'Name'.…", 0, 0},
		{"unclosed", registerT, regOpen + `<Email>a`, DecodeOptions{}, deser + "Unexpected end of file. Following elements are not closed: Email, RegisterBindingModel.…", 0, 0},
		{"undefined prefix", registerT, reg(`<x:Email>a</x:Email>`), DecodeOptions{}, deser + "The prefix 'x' is not defined.…", 0, 0},
		{"duplicate attribute", registerT, reg(`<Email a="1" a="2"/>`), DecodeOptions{}, deser + "Duplicate attribute found.…", 0, 0},
		{"invalid control byte", registerT, reg("<Email>a\x01</Email>"), DecodeOptions{}, deser + "The byte 0x01 is not valid at this location.…", 0, 0},
		{"invalid UTF-8", registerT, reg("<Email>a\xff</Email>"), DecodeOptions{}, deser + "Invalid byte encoding.…", 0, 0},
		{"unknown reference", registerT, reg(`<Email>a &b; c</Email>`), DecodeOptions{}, deser + "Character reference not valid.…", 0, 0},
		{"lone ampersand reads to end of file", registerT, reg(`<Email>a & b</Email>`), DecodeOptions{}, deser + "Unexpected end of file.…", 0, 0},
		{"guid braces need hyphens", scalarsT, sc(`<F>{9f2e66d3077642c1910259b3bda9faab}</F>`), DecodeOptions{}, "There was an error deserializing the object of type Hub.Server.Models.Scalars. The value '{9f2e66d3077642c1910259b3bda9faab}' cannot be parsed as the type 'Guid'.", 0, 0},
		{"unknown xsi:type", registerT, reg(`<Email i:type="Other">a</Email>`), DecodeOptions{}, "Element '" + hubModelsNS + ":Email' contains data from a type that maps to the name '" + hubModelsNS + ":Other'.…", 0, 0},
		{"dictionary: Value before Key", dictsT, dicts(`<Meta><a:KeyValueOfstringstring><a:Value>v</a:Value></a:KeyValueOfstringstring></Meta>`), DecodeOptions{},
			"Error in line 1 position 215. 'Element' 'Value' from namespace '" + arraysNS + "' is not expected. Expecting element 'Key'.", 1, 215},
		{"dictionary: Value missing", dictsT, dicts(`<Meta><a:KeyValueOfstringstring><a:Key>k</a:Key></a:KeyValueOfstringstring></Meta>`), DecodeOptions{},
			"Error in line 1 position 249. 'EndElement' 'EndElement' from namespace '' is not expected. Expecting element 'Value'.", 1, 249},
		{"dictionary: empty item", dictsT, dicts(`<Meta><a:KeyValueOfstringstring/></Meta>`), DecodeOptions{},
			"Error in line 1 position 207. 'EndElement' 'EndElement' from namespace '' is not expected. Expecting element 'Key'.", 1, 207},
		{"dictionary: nil key", dictsT, dicts(`<Meta><a:KeyValueOfstringstring><a:Key i:nil="true"/><a:Value/></a:KeyValueOfstringstring></Meta>`), DecodeOptions{},
			"Value cannot be null.\r\nParameter name: key", 0, 0},
		{"dictionary: nil item", dictsT, dicts(`<Meta><a:KeyValueOfstringstring i:nil="true"/></Meta>`), DecodeOptions{},
			"ValueType 'System.Runtime.Serialization.KeyValue`2' cannot be null.", 0, 0},
		{"dictionary: nil on a value-type value", dictsT, dicts(`<Counts><a:KeyValueOfstringint><a:Key>k</a:Key><a:Value i:nil="true"/></a:KeyValueOfstringint></Counts>`), DecodeOptions{},
			"ValueType 'System.Int32' cannot be null.", 0, 0},
		{"dictionary: bad value", dictsT, dicts(`<Counts><a:KeyValueOfstringint><a:Key>k</a:Key><a:Value>x</a:Value></a:KeyValueOfstringint></Counts>`), DecodeOptions{},
			"There was an error deserializing the object of type Dicts. The value 'x' cannot be parsed as the type 'Int32'.", 0, 0},
		{"dictionary: text among items", dictsT, dicts(`<Meta>oops</Meta>`), DecodeOptions{},
			"Error in line 1 position 184. Expecting state 'Element'.. Encountered 'Text'  with name '', namespace ''. ", 1, 184},
		{"dictionary: text inside an item", dictsT, dicts(`<Meta><a:KeyValueOfstringstring>oops</a:KeyValueOfstringstring></Meta>`), DecodeOptions{},
			"Error in line 1 position 210. Expecting state 'Element'.. Encountered 'Text'  with name '', namespace ''. ", 1, 210},
		{"dictionary: unknown item xsi:type", dictsT, dicts(`<Meta><a:KeyValueOfstringstring i:type="a:Other"><a:Key>k</a:Key><a:Value/></a:KeyValueOfstringstring></Meta>`), DecodeOptions{},
			"Element '" + arraysNS + ":KeyValueOfstringstring' contains data from a type that maps to the name '" + arraysNS + ":Other'.…", 0, 0},
		{"name limit", registerT, reg(`<EmailEmailEmail/>`), DecodeOptions{MaxNameLen: 10}, deser + "The name is longer…", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode([]byte(tt.in), tt.typ, tt.opt)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Decode error = %v, want *Error", err)
			}
			if p, ok := strings.CutSuffix(tt.want, "…"); ok {
				if !strings.HasPrefix(e.Msg, p) {
					t.Fatalf("Msg = %q\nwant prefix %q", e.Msg, p)
				}
			} else if e.Msg != tt.want {
				t.Fatalf("Msg = %q\nwant        %q", e.Msg, tt.want)
			}
			if tt.line != 0 && (e.Line != tt.line || e.Pos != tt.pos) {
				t.Fatalf("line/pos = %d/%d, want %d/%d", e.Line, e.Pos, tt.line, tt.pos)
			}
			if e.Offset < 0 || e.Offset > len(tt.in) || e.Line < 1 || e.Pos < 1 {
				t.Fatalf("bad location %+v", *e)
			}
			if !strings.HasPrefix(e.Error(), "xmlcodec: ") {
				t.Fatalf("Error() = %q", e.Error())
			}
		})
	}
}

func TestDecodeEmpty(t *testing.T) {
	for _, in := range []string{"", " \r\n\t", "\xef\xbb\xbf", "\xef\xbb\xbf  "} {
		if _, err := Decode([]byte(in), registerT, DecodeOptions{}); !errors.Is(err, ErrEmpty) {
			t.Errorf("Decode(%q) = %v, want ErrEmpty", in, err)
		}
	}
}

// A UTF-16 body transcoded by the caller (codecs.ToUTF8) still declares
// encoding="utf-16"; it is accepted.
func TestDecodeUTF16Body(t *testing.T) {
	doc := `<?xml version="1.0" encoding="utf-16"?>` + reg(`<Email>é</Email>`)
	var u16 []byte
	u16 = append(u16, 0xFF, 0xFE)
	for _, r := range doc {
		u16 = append(u16, byte(r), byte(r>>8))
	}
	utf8Body, err := codecs.ToUTF8(u16, "utf-16")
	if err != nil {
		t.Fatal(err)
	}
	wantValue(t, mustDecode(t, string(utf8Body), registerT), obj(mem("Email", str("é"))))
}

func TestDecodeDoesNotAliasInput(t *testing.T) {
	in := []byte(reg(`<Email>abc</Email>`))
	v, err := Decode(in, registerT, DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range in {
		in[i] = 'x'
	}
	wantValue(t, v, obj(mem("Email", str("abc"))))
}

func TestDecodeDepthBoundary(t *testing.T) {
	// The root is depth 1: MaxDepth 2 admits a member, not its child.
	if _, err := Decode([]byte(reg(`<Nope/>`)), registerT, DecodeOptions{MaxDepth: 2}); err != nil {
		t.Fatalf("depth 2: %v", err)
	}
	in := regOpen + strings.Repeat("<a>", 255) + strings.Repeat("</a>", 255) + regClose
	if _, err := Decode([]byte(in), registerT, DecodeOptions{}); err != nil {
		t.Fatalf("depth 256: %v", err)
	}
	in = regOpen + strings.Repeat("<a>", 256) + strings.Repeat("</a>", 256) + regClose
	if _, err := Decode([]byte(in), registerT, DecodeOptions{}); err == nil {
		t.Fatal("depth 257 accepted")
	}
	// One node after the root is read: a comment, then anything.
	if _, err := Decode([]byte(reg(``)+`<!--c--><x/>`), registerT, DecodeOptions{}); err != nil {
		t.Fatalf("comment after root: %v", err)
	}
}
