package xmlcodec

import (
	"strings"
	"testing"
	"time"

	"legacygate/codecs"
)

const rootAttrs = ` xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/Hub.Server.Models"`

var (
	tagsItemT = &codecs.Type{Name: "Tagged", Namespace: hubUsersNS, Shape: codecs.ObjectShape, Nullable: true,
		Fields: fields("Tags", listOf(tString), "Role", tIntN)}
	baseWithNameT = &codecs.Type{Name: "Base", Namespace: flsBaseNS, Shape: codecs.ObjectShape, Nullable: true,
		Fields: fields("Name", tString, "Id", tGuid)}
	writerT = &codecs.Type{Name: "W", Namespace: hubModelsNS, Shape: codecs.ObjectShape, Nullable: true, Base: baseWithNameT,
		Fields: append(fields("Phone", tString, "Count", tInt, "When", tDTON, "Items", listOf(tagsItemT), "Ratio", tDouble,
			"Money", tDecimal, "Born", tDate), codecs.Field{Name: "AFirst", Type: tString, Order: 1})}
)

func TestAppendRules(t *testing.T) {
	plus1 := time.FixedZone("", 3600)
	tests := []struct {
		name string
		v    codecs.Value
		want string // inner members after the base members, or full output when starting with '<'
	}{
		{"missing members: nil when nullable, else default", obj(),
			`<W` + rootAttrs + `><Id xmlns="` + flsBaseNS + `">00000000-0000-0000-0000-000000000000</Id><Name i:nil="true" xmlns="` + flsBaseNS + `" />` +
				`<Born>0001-01-01T00:00:00</Born><Count>0</Count><Items xmlns:d2p1="` + hubUsersNS + `" i:nil="true" /><Money>0</Money><Phone i:nil="true" /><Ratio>0</Ratio><When xmlns:d2p1="http://schemas.datacontract.org/2004/07/System" i:nil="true" /><AFirst i:nil="true" /></W>`},
		{"empty string, empty list, text escaping", obj(mem("Name", str("")), mem("Phone", str("a<b>&\"'\r\nc\nd\re\x01")), mem("Items", arr())),
			`<W` + rootAttrs + `><Id xmlns="` + flsBaseNS + `">00000000-0000-0000-0000-000000000000</Id><Name xmlns="` + flsBaseNS + `"></Name>` +
				`<Born>0001-01-01T00:00:00</Born><Count>0</Count><Items xmlns:d2p1="` + hubUsersNS + `" /><Money>0</Money><Phone>a&lt;b&gt;&amp;"'` + "\r\nc\r\nd\r\ne&#x1;</Phone><Ratio>0</Ratio><When xmlns:d2p1=\"http://schemas.datacontract.org/2004/07/System\" i:nil=\"true\" /><AFirst i:nil=\"true\" /></W>"},
		{"DateTimeOffset complex form, numbers, d4p1 in nested list",
			obj(mem("Name", str("n")), mem("Id", str("9F2E66D3077642C1910259B3BDA9FAAB")),
				mem("When", codecs.TimeV(time.Date(2026, 3, 21, 12, 24, 12, 916396700, plus1), codecs.Offset)),
				mem("Items", arr(obj(mem("Tags", arr(str("x"), null)), mem("Role", num("3"))), null)),
				mem("Ratio", num("-Infinity")), mem("Money", num("1.10")), mem("Count", num("-5")),
				mem("Born", codecs.TimeV(time.Date(2000, 1, 2, 3, 4, 5, 0, time.UTC), codecs.UTC)), mem("AFirst", str("z"))),
			`<W` + rootAttrs + `><Id xmlns="` + flsBaseNS + `">9f2e66d3-0776-42c1-9102-59b3bda9faab</Id><Name xmlns="` + flsBaseNS + `">n</Name>` +
				`<Born>2000-01-02T03:04:05Z</Born><Count>-5</Count>` +
				`<Items xmlns:d2p1="` + hubUsersNS + `"><d2p1:Tagged><d2p1:Role>3</d2p1:Role><d2p1:Tags xmlns:d4p1="` + arraysNS + `"><d4p1:string>x</d4p1:string><d4p1:string i:nil="true" /></d2p1:Tags></d2p1:Tagged><d2p1:Tagged i:nil="true" /></Items>` +
				`<Money>1.10</Money><Phone i:nil="true" /><Ratio>-INF</Ratio>` +
				`<When xmlns:d2p1="http://schemas.datacontract.org/2004/07/System"><d2p1:DateTime>2026-03-21T11:24:12.9163967Z</d2p1:DateTime><d2p1:OffsetMinutes>60</d2p1:OffsetMinutes></When>` +
				`<AFirst>z</AFirst></W>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustAppend(t, tt.v, writerT)
			if got != tt.want {
				t.Fatalf("\n got %s\nwant %s", got, tt.want)
			}
			// What we write, we read back (up to what XML cannot carry).
			back := mustDecode(t, got, writerT)
			if again := mustAppend(t, back, writerT); again != got {
				t.Fatalf("re-encode of decode differs:\n%s\n%s", again, got)
			}
		})
	}
}

func TestAppendRootForms(t *testing.T) {
	if got := mustAppend(t, null, registerT); got != `<RegisterBindingModel i:nil="true" xmlns="`+hubModelsNS+`" xmlns:i="`+xsiNS+`" />` {
		t.Errorf("null root: %s", got)
	}
	if got := mustAppend(t, obj(), &codecs.Type{Name: "Empty", Namespace: hubModelsNS, Shape: codecs.ObjectShape}); got != `<Empty`+rootAttrs+` />` {
		t.Errorf("empty object root: %s", got)
	}
	if got := mustAppend(t, str("a"), tString); got != `<string xmlns="`+serializationNS+`">a</string>` {
		t.Errorf("primitive root: %s", got)
	}
	if got := mustAppend(t, arr(num("1")), listOf(tInt)); got != `<ArrayOfint xmlns:i="`+xsiNS+`" xmlns="`+arraysNS+`"><int>1</int></ArrayOfint>` {
		t.Errorf("list root: %s", got)
	}
}

func TestAppendRejects(t *testing.T) {
	for _, c := range []struct {
		name string
		v    codecs.Value
	}{
		{"bad guid", obj(mem("Id", str("nope")))},
		{"bool as string", obj(mem("Count", yes))},
		{"bad literal", obj(mem("Count", num("1</Count>")))},
		{"array as object", arr()},
	} {
		if out, err := Append([]byte("keep"), c.v, writerT); err == nil || string(out) != "keep" {
			t.Errorf("%s: Append = %q, %v; want error and dst unchanged", c.name, out, err)
		}
	}
}

func TestAppendError(t *testing.T) {
	v := obj(mem("Message", str("The request is invalid.")),
		mem("ModelState", obj(
			mem("model.Password", arr(str("The Password field is required."), str("The Password must be at least 6 characters long."))),
			mem("model.UserRoleIds[0]", arr(str("a<b"))))),
		mem("StackTrace", null))
	got, err := AppendError(nil, v)
	if err != nil {
		t.Fatal(err)
	}
	want := `<Error><Message>The request is invalid.</Message><ModelState><model.Password>The Password field is required. The Password must be at least 6 characters long.</model.Password>` +
		`<model.UserRoleIds_x005B_0_x005D_>a&lt;b</model.UserRoleIds_x005B_0_x005D_></ModelState><StackTrace /></Error>`
	if string(got) != want {
		t.Fatalf("\n got %s\nwant %s", got, want)
	}
	if golden := string(readSample(t, "error_modelstate.xml")); strings.TrimSpace(golden) != want {
		t.Fatalf("golden differs: %s", golden)
	}
}

func TestEncodeLocalName(t *testing.T) {
	for in, want := range map[string]string{
		"Message":              "Message",
		"model.Password":       "model.Password",
		"model.UserRoleIds[0]": "model.UserRoleIds_x005B_0_x005D_",
		"a b":                  "a_x0020_b",
		"1st":                  "_x0031_st",
		"a:b":                  "a_x003A_b",
		"_x0041_":              "_x005F_x0041_",
		"x_y":                  "x_y",
		"😀":                    "_x0001F600_",
		"":                     "",
	} {
		if got := EncodeLocalName(in); got != want {
			t.Errorf("EncodeLocalName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAppendErrorPath(t *testing.T) {
	_, err := Append(nil, obj(mem("Id", yes)), writerT)
	if err == nil || err.Error() != "xmlcodec: W.Id: cannot write a bool value as guid" {
		t.Fatalf("error = %v", err)
	}
	_, err = Append(nil, obj(mem("Items", arr(null, obj(mem("Role", str("x")))))), writerT)
	if err == nil || err.Error() != `xmlcodec: W.Items[1].Role: invalid number literal "x"` {
		t.Fatalf("error = %v", err)
	}
}

// one holds a single member M of type mt, in ServiceStack's namespace.
func one(mt *codecs.Type) *codecs.Type {
	return &codecs.Type{Name: "One", Namespace: ssTypesNS, Shape: codecs.ObjectShape, Nullable: true, Fields: fields("M", mt)}
}

const oneOpen = `<One xmlns:i="` + xsiNS + `" xmlns="` + ssTypesNS + `">`

// TestAppendDictionaries: Dictionary<string, T> members as DCS writes them.
func TestAppendDictionaries(t *testing.T) {
	const d2 = ` xmlns:d2p1="` + arraysNS + `"`
	kv := func(item, key, value string) string {
		return `<d2p1:` + item + `>` + key + value + `</d2p1:` + item + `>`
	}
	plus1 := time.FixedZone("", 3600)
	tests := []struct {
		name string
		mt   *codecs.Type
		v    codecs.Value
		want string // the M element
	}{
		{"string to string (ServiceStack Meta)", metaT, obj(mem("k", str("v"))),
			`<M` + d2 + `>` + kv("KeyValueOfstringstring", `<d2p1:Key>k</d2p1:Key>`, `<d2p1:Value>v</d2p1:Value>`) + `</M>`},
		{"string to HashSet<string> (EMUN1 Tags): digest, items in the Arrays prefix", tagsT,
			obj(mem("t", arr(str("a"), str("b"))), mem("e", arr())),
			`<M` + d2 + `>` +
				kv("KeyValueOfstringArrayOfstringty7Ep6D1", `<d2p1:Key>t</d2p1:Key>`, `<d2p1:Value><d2p1:string>a</d2p1:string><d2p1:string>b</d2p1:string></d2p1:Value>`) +
				kv("KeyValueOfstringArrayOfstringty7Ep6D1", `<d2p1:Key>e</d2p1:Key>`, `<d2p1:Value />`) + `</M>`},
		{"empty dictionary keeps the declaration", metaT, obj(), `<M` + d2 + ` />`},
		{"null dictionary", metaT, null, `<M` + d2 + ` i:nil="true" />`},
		{"null and empty values", tagsT, obj(mem("n", null), mem("s", arr(null, str("")))),
			`<M` + d2 + `>` + kv("KeyValueOfstringArrayOfstringty7Ep6D1", `<d2p1:Key>n</d2p1:Key>`, `<d2p1:Value i:nil="true" />`) +
				kv("KeyValueOfstringArrayOfstringty7Ep6D1", `<d2p1:Key>s</d2p1:Key>`, `<d2p1:Value><d2p1:string i:nil="true" /><d2p1:string></d2p1:string></d2p1:Value>`) + `</M>`},
		{"escaping in keys, empty key", metaT, obj(mem("a<b>&\"'\x01", str("1")), mem("", str("")), mem("l\nm", null)),
			`<M` + d2 + `>` + kv("KeyValueOfstringstring", `<d2p1:Key>a&lt;b&gt;&amp;"'&#x1;</d2p1:Key>`, `<d2p1:Value>1</d2p1:Value>`) +
				kv("KeyValueOfstringstring", `<d2p1:Key></d2p1:Key>`, `<d2p1:Value></d2p1:Value>`) +
				kv("KeyValueOfstringstring", "<d2p1:Key>l\r\nm</d2p1:Key>", `<d2p1:Value i:nil="true" />`) + `</M>`},
		{"duplicate keys (also equal once written): first position, last value", metaT,
			obj(mem("a", str("1")), mem("x\r", str("2")), mem("a", str("3")), mem("x\n", str("4"))),
			`<M` + d2 + `>` + kv("KeyValueOfstringstring", `<d2p1:Key>a</d2p1:Key>`, `<d2p1:Value>3</d2p1:Value>`) +
				kv("KeyValueOfstringstring", "<d2p1:Key>x\r\n</d2p1:Key>", `<d2p1:Value>4</d2p1:Value>`) + `</M>`},
		{"value type values: null writes the default", countsT, obj(mem("a", null), mem("b", num("5"))),
			`<M` + d2 + `>` + kv("KeyValueOfstringint", `<d2p1:Key>a</d2p1:Key>`, `<d2p1:Value>0</d2p1:Value>`) +
				kv("KeyValueOfstringint", `<d2p1:Key>b</d2p1:Key>`, `<d2p1:Value>5</d2p1:Value>`) + `</M>`},
		{"class values of another namespace: digest, d4p1 on Value even when nil", rolesT,
			obj(mem("r", obj(mem("RoleID", num("1")), mem("PartnerID", num("2")))), mem("n", null)),
			`<M` + d2 + `>` + kv("KeyValueOfstringUserPartnerRolesqeATSXAp", `<d2p1:Key>r</d2p1:Key>`,
				`<d2p1:Value xmlns:d4p1="`+hubUsersNS+`"><d4p1:PartnerID>2</d4p1:PartnerID><d4p1:RoleID>1</d4p1:RoleID></d2p1:Value>`) +
				kv("KeyValueOfstringUserPartnerRolesqeATSXAp", `<d2p1:Key>n</d2p1:Key>`, `<d2p1:Value xmlns:d4p1="`+hubUsersNS+`" i:nil="true" />`) + `</M>`},
		{"DateTimeOffset values", stampsT, obj(mem("s", codecs.TimeV(time.Date(2026, 3, 21, 12, 0, 0, 0, plus1), codecs.Offset))),
			`<M` + d2 + `>` + kv("KeyValueOfstringDateTimeOffsetU6ho3Bhd", `<d2p1:Key>s</d2p1:Key>`,
				`<d2p1:Value xmlns:d4p1="http://schemas.datacontract.org/2004/07/System"><d4p1:DateTime>2026-03-21T11:00:00Z</d4p1:DateTime><d4p1:OffsetMinutes>60</d4p1:OffsetMinutes></d2p1:Value>`) + `</M>`},
		{"list of dictionaries", listOf(metaT), arr(obj(mem("k", str("v"))), obj(), null),
			`<M` + d2 + `><d2p1:ArrayOfKeyValueOfstringstring>` + kv("KeyValueOfstringstring", `<d2p1:Key>k</d2p1:Key>`, `<d2p1:Value>v</d2p1:Value>`) +
				`</d2p1:ArrayOfKeyValueOfstringstring><d2p1:ArrayOfKeyValueOfstringstring /><d2p1:ArrayOfKeyValueOfstringstring i:nil="true" /></M>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			typ := one(tt.mt)
			got := mustAppend(t, obj(mem("M", tt.v)), typ)
			if want := oneOpen + tt.want + `</One>`; got != want {
				t.Fatalf("\n got %s\nwant %s", got, want)
			}
			back := mustDecode(t, got, typ)
			if again := mustAppend(t, back, typ); again != got {
				t.Fatalf("re-encode of decode differs:\n%s\n%s", again, got)
			}
		})
	}
}

func TestAppendDictionaryRoots(t *testing.T) {
	for _, c := range []struct {
		name string
		typ  *codecs.Type
		v    codecs.Value
		want string
	}{
		{"Dictionary<string,string>", metaT, obj(mem("k", str("v")), mem("n", null)),
			`<ArrayOfKeyValueOfstringstring xmlns:i="` + xsiNS + `" xmlns="` + arraysNS + `"><KeyValueOfstringstring><Key>k</Key><Value>v</Value></KeyValueOfstringstring>` +
				`<KeyValueOfstringstring><Key>n</Key><Value i:nil="true" /></KeyValueOfstringstring></ArrayOfKeyValueOfstringstring>`},
		{"Dictionary<string,HashSet<string>> (digest in the root name too)", tagsT, obj(mem("k", arr(str("v")))),
			`<ArrayOfKeyValueOfstringArrayOfstringty7Ep6D1 xmlns:i="` + xsiNS + `" xmlns="` + arraysNS + `"><KeyValueOfstringArrayOfstringty7Ep6D1><Key>k</Key><Value><string>v</string></Value></KeyValueOfstringArrayOfstringty7Ep6D1></ArrayOfKeyValueOfstringArrayOfstringty7Ep6D1>`},
		{"empty", metaT, obj(), `<ArrayOfKeyValueOfstringstring xmlns:i="` + xsiNS + `" xmlns="` + arraysNS + `" />`},
		{"null", metaT, null, `<ArrayOfKeyValueOfstringstring i:nil="true" xmlns="` + arraysNS + `" xmlns:i="` + xsiNS + `" />`},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := mustAppend(t, c.v, c.typ)
			if got != c.want {
				t.Fatalf("\n got %s\nwant %s", got, c.want)
			}
			back := mustDecode(t, got, c.typ)
			if again := mustAppend(t, back, c.typ); again != got {
				t.Fatalf("re-encode of decode differs:\n%s\n%s", again, got)
			}
		})
	}
	if _, err := Append(nil, arr(), metaT); err == nil || err.Error() != "xmlcodec: ArrayOfKeyValueOfstringstring: cannot write a array value as dictionary" {
		t.Fatalf("array as dictionary: %v", err)
	}
	_, err := Append(nil, obj(mem("M", obj(mem("k", str("x"))))), one(countsT))
	if err == nil || err.Error() != `xmlcodec: One.M["k"]: invalid number literal "x"` {
		t.Fatalf("error path: %v", err)
	}
}

// The namespaces digest DCS appends to generic names: the one every
// Dictionary<string, List<…>> / HashSet<…> of primitives carries in WSDLs and
// help pages ("KeyValueOfstringArrayOfstringty7Ep6D1").
func TestNamespacesDigest(t *testing.T) {
	if got := namespacesDigest(" 2 " + xsdNS + " " + arraysNS); got != "ty7Ep6D1" {
		t.Fatalf("digest = %q, want ty7Ep6D1", got)
	}
	for _, c := range []struct {
		typ  *codecs.Type
		item string
	}{
		{metaT, "KeyValueOfstringstring"},
		{countsT, "KeyValueOfstringint"},
		{mapOf(tGuid), "KeyValueOfstringguid"},
		{tagsT, "KeyValueOfstringArrayOfstringty7Ep6D1"},
		{mapOf(listOf(tInt)), "KeyValueOfstringArrayOfintty7Ep6D1"},
		{mapOf(metaT), "KeyValueOfstringArrayOfKeyValueOfstringstringty7Ep6D1"},
	} {
		if got := dictFor(c.typ).item; got != c.item {
			t.Errorf("%s: item %q, want %q", c.typ.Name, got, c.item)
		}
	}
}
