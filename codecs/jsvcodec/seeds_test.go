package jsvcodec

import (
	"os"
	"testing"

	"legacygate/codecs"
)

// Schemas built from the metadata pages of seeds 003 (ClientRegister,
// PascalCase) and 004 (RegisterUser, camelCase).
var (
	tStringMap      = mapOf(tString)
	tResponseError  = object("ResponseError", "ErrorCode", tString, "FieldName", tString, "Message", tString, "Meta", tStringMap)
	tResponseStatus = object("ResponseStatus", "ErrorCode", tString, "Message", tString, "StackTrace", tString,
		"Errors", listOf("List<ResponseError>", tResponseError), "Meta", tStringMap)
	tClientRegister = object("ClientRegister", "EMail", tString, "FirstName", tString, "LastName", tString,
		"Password", tString, "ConfirmPassword", tString, "Company", tString, "PartnerUserID", tInt,
		"Roles", listOf("string[]", tString), "ResponseStatus", tResponseStatus)
	tUserAuth = object("UserAuth", "Id", tInt, "UserName", tString, "Email", tString, "PrimaryEmail", tString,
		"PhoneNumber", tString, "FirstName", tString, "LastName", tString, "DisplayName", tString, "Company", tString,
		"BirthDate", tDateN, "BirthDateRaw", tString, "Address", tString, "Address2", tString, "City", tString,
		"State", tString, "Country", tString, "Culture", tString, "FullName", tString, "Gender", tString,
		"Language", tString, "MailAddress", tString, "Nickname", tString, "PostalCode", tString, "TimeZone", tString,
		"Salt", tString, "PasswordHash", tString, "DigestHa1Hash", tString, "Roles", listOf("List<string>", tString),
		"Permissions", listOf("List<string>", tString), "CreatedDate", tDate, "ModifiedDate", tDate,
		"InvalidLoginAttempts", tInt, "LastLoginAttempt", tDateN, "LockedDate", tDateN, "RecoveryToken", tString,
		"RefId", tIntN, "RefIdStr", tString, "Meta", tStringMap)

	tSalesRep = object("SalesRep", "Id", tString, "Name", tString, "Email", tString, "Bio", tString,
		"RegionId", tString, "RepGroupId", tString, "CommissionGroup", tString, "Phone", tString, "Manager", tString,
		"Address", tString, "City", tString, "State", tString, "Zip", tString, "Country", tString, "IsActive", tBool,
		"CustomerServiceEmailAddress", tString)
	tPersonNameInfo = object("PersonNameInfo", "Salutation", tString, "First", tString, "Middle", tString,
		"Last", tString, "Suffix", tString, "Full", tString)
	tRoles    = enumOf("Roles", "Administrator", "Retailer", "SalesRep")
	tRegister = object("Register", "UserName", tString, "DisplayName", tString, "Email", tString,
		"Password", tString, "AutoLogin", tBoolN, "Continue", tString)
	tRegisterUser = func() *codecs.Type {
		t := object("RegisterUser", "ConfirmEmail", tString, "ConfirmPassword", tString, "Context", tString,
			"ForceResetPassword", tBool, "ContactId", tString, "RetailerId", tString, "BillingZip", tString,
			"SalesRepId", tString, "NewSalesRepId", tString, "SalesRep", tSalesRep, "Role", tRoles,
			"PrimaryEmail", tString, "Address", tString, "Address2", tString, "City", tString, "State", tString,
			"Zip", tString, "Country", tString, "ParentRepId", tString, "RegistrationStatus", tString,
			"Roles", listOf("List<string>", tString), "Permissions", listOf("List<string>", tString),
			"PersonName", tPersonNameInfo, "FullName", tString, "Name", tString, "FirstName", tString,
			"LastName", tString, "Shard", tString, "Meta", tStringMap,
			"Tags", mapOf(listOf("HashSet<String>", tString)))
		t.Base = tRegister
		return t
	}()
	tRegisterResponse = object("RegisterResponse", "UserId", tString, "SessionId", tString, "UserName", tString,
		"ReferrerUrl", tString, "ResponseStatus", tResponseStatus, "Meta", tStringMap)
)

var seedSamples = []struct {
	file  string
	t     *codecs.Type
	camel bool
	// patch replaces what the pretty printer made of a quoted string
	// value (see TestSeedSamples).
	patch func(v *codecs.Value)
}{
	{"003_clientregister_request.jsv", tClientRegister, false, nil},
	{"003_clientregister_response.jsv", tUserAuth, false, nil},
	{"004_registeruser_request.jsv", tRegisterUser, true, func(v *codecs.Value) {
		meta, _ := v.Get("Meta")
		tags, _ := meta.Get("Tags")
		if tags.Str != "{\n\t\t\tString: \n\t\t\t[\n\t\t\t\tString\n\t\t\t]\n\t\t}" {
			panic("unexpected Tags: " + show(tags))
		}
		meta.Set("Tags", str("{String:[String]}"))
		v.Set("Meta", meta)
	}},
	{"004_registeruser_response.jsv", tRegisterResponse, true, nil},
}

// TestSeedSamples (§2.1, §9, §10): every JSV sample of seeds 003 and 004
// decodes with Lenient and its schema, and Pretty(Append(decoded)) prints
// the sample byte for byte.
//
// The one exception is the Meta entry "Tags" of the RegisterUser request:
// the example DTO holds the string "{String:[String]}" there, which the
// writer quotes; JsvFormatter then re-formats the brackets inside the
// quotes, so the decoded string holds the formatter's line breaks and tabs.
// The formatter is not invertible inside strings (whitespace in JSV
// strings is data), so the test restores the compact string by hand before
// re-encoding.
func TestSeedSamples(t *testing.T) {
	for _, s := range seedSamples {
		t.Run(s.file, func(t *testing.T) {
			sample, err := os.ReadFile("testdata/" + s.file)
			if err != nil {
				t.Fatal(err)
			}
			v, err := Decode(sample, s.t, DecodeOptions{Lenient: true})
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if len(v.Members) != len(s.t.AllFields()) {
				t.Errorf("decoded %d members, want %d: %s", len(v.Members), len(s.t.AllFields()), show(v))
			}
			if s.patch != nil {
				s.patch(&v)
			}
			compact := mustAppend(t, v, s.t, Options{CamelCase: s.camel})
			got := Pretty(nil, []byte(compact))
			wantText(t, "Pretty(Append(Decode(sample)))", string(got), string(sample))
			// The compact form reads back strictly to the same value.
			back, err := Decode([]byte(compact), s.t, DecodeOptions{})
			if err != nil {
				t.Fatalf("Decode(compact): %v", err)
			}
			wantValue(t, "strict re-decode", back, v)
		})
	}
}

// TestSeedSampleValues (§7.1, §7.4, §7.6, §3.2) spot-checks decoded values.
func TestSeedSampleValues(t *testing.T) {
	sample, _ := os.ReadFile("testdata/004_registeruser_request.jsv")
	v, err := Decode(sample, tRegisterUser, DecodeOptions{Lenient: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		want codecs.Value
	}{
		{"ForceResetPassword", no},
		{"Role", str("Administrator")},
		{"FullName", str("String String")},
		{"Roles", arr(str("Administrator"))},
		{"Tags", obj(mem("String", arr(str("String"))))},
		{"PersonName", obj(mem("Salutation", str("")), mem("First", str("String")), mem("Middle", str("")),
			mem("Last", str("String")), mem("Suffix", str("")), mem("Full", str("String String")))},
		{"AutoLogin", no},
		{"Continue", str("String")},
	} {
		got, _ := v.Get(c.name)
		wantValue(t, c.name, got, c.want)
	}
	resp, _ := os.ReadFile("testdata/003_clientregister_response.jsv")
	u, err := Decode(resp, tUserAuth, DecodeOptions{Lenient: true})
	if err != nil {
		t.Fatal(err)
	}
	bd, _ := u.Get("BirthDate")
	if bd.Kind != codecs.Time || !bd.Time.Equal(minTime) {
		t.Errorf("BirthDate = %s", show(bd))
	}
	// Without Lenient the pretty sample does not read as ServiceStack
	// would read it either (§2.1): string values keep the leading space.
	strict, err := Decode(resp, tUserAuth, DecodeOptions{})
	if err == nil {
		un, _ := strict.Get("UserName")
		if un.Str == "String" {
			t.Errorf("strict decode trimmed a value: %s", show(un))
		}
	}
}
