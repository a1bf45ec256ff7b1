package xmlcodec

import (
	"testing"

	"legacygate/codecs"
)

// Hand-built schemas, shaped as routes/contract compiles them.
const (
	hubModelsNS = "http://schemas.datacontract.org/2004/07/Hub.Server.Models"
	hubUsersNS  = "http://schemas.datacontract.org/2004/07/Hub.Server.Entities.Users"
	flsUserNS   = "http://schemas.datacontract.org/2004/07/FLS.Data.WebApi.User"
	flsBaseNS   = "http://schemas.datacontract.org/2004/07/FLS.Data.WebApi"
)

func scalarT(s codecs.Scalar, nullable bool) *codecs.Type {
	return &codecs.Type{Name: dcsName(s), Namespace: serializationNS, Shape: codecs.ScalarShape, Scalar: s,
		Nullable: nullable || s == codecs.StringT}
}

func listOf(elem *codecs.Type) *codecs.Type {
	ns := elem.Namespace
	if elem.Shape == codecs.ScalarShape {
		ns = arraysNS
	}
	return &codecs.Type{Shape: codecs.ListShape, Nullable: true, Elem: elem, Name: "ArrayOf" + elem.Name, Namespace: ns}
}

// mapOf is a Dictionary<string, elem> as routes/contract compiles it (its
// Name without DCS's namespaces digest).
func mapOf(elem *codecs.Type) *codecs.Type {
	return &codecs.Type{Shape: codecs.MapShape, Nullable: true, Elem: elem, Name: "ArrayOfKeyValueOfstring" + elem.Name, Namespace: arraysNS}
}

func fields(spec ...any) []codecs.Field {
	var fs []codecs.Field
	for i := 0; i < len(spec); i += 2 {
		fs = append(fs, codecs.Field{Name: spec[i].(string), Type: spec[i+1].(*codecs.Type), Order: -1})
	}
	return fs
}

var (
	tString  = scalarT(codecs.StringT, true)
	tInt     = scalarT(codecs.Int32T, false)
	tIntN    = scalarT(codecs.Int32T, true)
	tLong    = scalarT(codecs.Int64T, false)
	tBool    = scalarT(codecs.BoolT, false)
	tGuid    = scalarT(codecs.GuidT, false)
	tGuidN   = scalarT(codecs.GuidT, true)
	tDate    = scalarT(codecs.DateTimeT, false)
	tDateN   = scalarT(codecs.DateTimeT, true)
	tDecimal = scalarT(codecs.DecimalT, false)
	tDouble  = scalarT(codecs.DoubleT, false)
	tDTO     = scalarT(codecs.DateTimeOffsetT, false)
	tDTON    = scalarT(codecs.DateTimeOffsetT, true)

	registerT = &codecs.Type{Name: "RegisterBindingModel", Namespace: hubModelsNS, Shape: codecs.ObjectShape, Nullable: true,
		Fields: fields("Username", tString, "Email", tString, "PhoneNumber", tString, "Password", tString,
			"ConfirmPassword", tString, "Name", tString, "Surname", tString, "PartnerID", tIntN)}

	userPartnerRolesT = &codecs.Type{Name: "UserPartnerRoles", Namespace: hubUsersNS, Shape: codecs.ObjectShape, Nullable: true,
		Fields: fields("RoleID", tInt, "PartnerID", tInt)}

	userDetailT = &codecs.Type{Name: "UserDetail", Namespace: hubModelsNS, Shape: codecs.ObjectShape, Nullable: true,
		Fields: fields("ID", tInt, "UserName", tString, "Email", tString, "Name", tString, "Surname", tString,
			"Description", tString, "PartnerID", tIntN, "PhoneNumber", tString, "IsSuperUser", tBool,
			"IsStravaLinked", tBool, "ImageURL", tString, "GenderID", tIntN, "Gender", tString,
			"DateOfBirth", tDateN, "UnitsOfMeasureID", tIntN, "TechnicianID", tIntN, "Locale", tString,
			"TwoFactorEnabled", tBool, "GDPRMarketingConsent", tBool, "GDPRMarketingConsentDate", tDateN,
			"UserRoles", listOf(userPartnerRolesT))}

	userRegistrationT = &codecs.Type{Name: "UserRegistrationDetails", Namespace: flsUserNS, Shape: codecs.ObjectShape, Nullable: true,
		Fields: fields("FriendlyName", tString, "NotificationEmail", tString, "PersonId", tGuidN, "Remarks", tString,
			"UserName", tString, "UserRoleIds", listOf(tGuid), "EmailConfirmationLink", tString)}

	flsBaseT = &codecs.Type{Name: "FLSBaseDetails", Namespace: flsBaseNS, Shape: codecs.ObjectShape, Nullable: true,
		Fields: fields("Id", tGuid, "CanUpdateRecord", tBool, "CanDeleteRecord", tBool)}

	userDetailsT = &codecs.Type{Name: "UserDetails", Namespace: flsUserNS, Shape: codecs.ObjectShape, Nullable: true, Base: flsBaseT,
		Fields: fields("UserId", tGuid, "ClubId", tGuid, "FriendlyName", tString, "NotificationEmail", tString,
			"PersonId", tGuidN, "Remarks", tString, "UserName", tString, "UserRoleIds", listOf(tGuid),
			"AccountState", tInt, "LastPasswordChangeOn", tDateN, "ForcePasswordChangeNextLogon", tBool,
			"EmailConfirmed", tBool, "LanguageId", tInt)}
)

// Dictionaries: ServiceStack's Meta (Dictionary<string,string>), EMUN1's
// Tags (Dictionary<string, HashSet<string>>) and value types DCS names with
// the namespaces digest.
const ssTypesNS = "http://schemas.servicestack.net/types"

var (
	metaT   = mapOf(tString)
	tagsT   = mapOf(listOf(tString))
	countsT = mapOf(tInt)
	rolesT  = mapOf(userPartnerRolesT)
	stampsT = mapOf(tDTON)
	dictsT  = &codecs.Type{Name: "Dicts", Namespace: ssTypesNS, Shape: codecs.ObjectShape, Nullable: true,
		Fields: fields("Meta", metaT, "Tags", tagsT, "Counts", countsT, "Roles", rolesT, "Stamps", stampsT,
			"Pages", listOf(metaT))}
)

// Shorthands for expected trees.
var (
	str  = codecs.Str
	num  = codecs.Num
	obj  = codecs.Obj
	arr  = codecs.Arr
	mem  = codecs.M
	null = codecs.Value{}
	yes  = codecs.BoolV(true)
	no   = codecs.BoolV(false)
)

func tm(s string) codecs.Value {
	t, k, ok := parseDateTime(s)
	if !ok {
		panic("bad time " + s)
	}
	return codecs.TimeV(t, k)
}

// show renders a value with its kinds, for failure messages.
func show(v codecs.Value) string { return v.String() }

func wantValue(t *testing.T, got, want codecs.Value) {
	t.Helper()
	if !got.Equal(want) {
		t.Fatalf("value mismatch\n got %s\nwant %s", show(got), show(want))
	}
}

func mustDecode(t testing.TB, body string, typ *codecs.Type) codecs.Value {
	t.Helper()
	v, err := Decode([]byte(body), typ, DecodeOptions{})
	if err != nil {
		t.Fatalf("Decode(%.80q): %v", body, err)
	}
	return v
}

func mustAppend(t testing.TB, v codecs.Value, typ *codecs.Type) string {
	t.Helper()
	out, err := Append(nil, v, typ)
	if err != nil {
		t.Fatalf("Append(%s): %v", show(v), err)
	}
	return string(out)
}
