package xmlcodec

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"legacygate/codecs"
)

// The help-page samples of the two endpoints (seeds 000 and 002), as the
// pages render them (pretty-printed); testdata/*.xml hold the same samples.
func readSample(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var seedSamples = []struct {
	file string
	typ  *codecs.Type
}{
	{"register_binding_model.xml", registerT},
	{"user_detail.xml", userDetailT},
	{"user_registration_details.xml", userRegistrationT},
	{"user_details.xml", userDetailsT},
}

// Each sample, compacted, decodes and re-encodes to the same bytes, and
// Compact/Indent agree with each other.
func TestSeedSamplesRoundTrip(t *testing.T) {
	for _, s := range seedSamples {
		t.Run(s.file, func(t *testing.T) {
			pretty := readSample(t, s.file)
			compact, err := Compact(pretty)
			if err != nil {
				t.Fatal(err)
			}
			golden := readSample(t, s.file[:len(s.file)-4]+".compact.xml")
			if string(compact) != string(golden) {
				t.Fatalf("Compact(sample) =\n%s\nwant golden\n%s", compact, golden)
			}
			v := mustDecode(t, string(compact), s.typ)
			if got := mustAppend(t, v, s.typ); got != string(compact) {
				t.Fatalf("re-encoded\n got %s\nwant %s", got, compact)
			}
			// The pretty form decodes to the same value.
			wantValue(t, mustDecode(t, string(pretty), s.typ), v)
			// Indent(compact) compacts back to the same bytes.
			ind, err := Indent(compact)
			if err != nil {
				t.Fatal(err)
			}
			again, err := Compact(ind)
			if err != nil || string(again) != string(compact) {
				t.Fatalf("Compact(Indent(x)) = %s, %v", again, err)
			}
		})
	}
}

// The response values, as the pipeline hands them to the encoder (dates as
// Local-kind times of the host), write exactly the compacted samples.
func TestSeedResponseValuesEncode(t *testing.T) {
	utc := time.UTC
	plus1 := time.FixedZone("", 3600)
	dob := codecs.TimeV(time.Date(2026, 3, 21, 11, 24, 12, 916396700, utc), codecs.Local)
	role := obj(mem("RoleID", num("1")), mem("PartnerID", num("2")))
	userDetail := obj( // JSON (reflection) order on purpose: the writer sorts.
		mem("ID", num("1")), mem("UserName", str("sample string 2")), mem("Email", str("sample string 3")),
		mem("Name", str("sample string 4")), mem("Surname", str("sample string 5")),
		mem("Description", str("sample string 6")), mem("PartnerID", num("7")),
		mem("PhoneNumber", str("sample string 8")), mem("IsSuperUser", yes), mem("IsStravaLinked", yes),
		mem("ImageURL", str("sample string 11")), mem("GenderID", num("12")), mem("Gender", str("sample string 13")),
		mem("DateOfBirth", dob), mem("UnitsOfMeasureID", num("14")), mem("TechnicianID", num("15")),
		mem("Locale", str("sample string 16")), mem("TwoFactorEnabled", yes), mem("GDPRMarketingConsent", yes),
		mem("GDPRMarketingConsentDate", dob), mem("UserRoles", arr(role, role)))
	userDetails := obj(
		mem("UserId", str("60C14E44-CA37-4A21-B36D-E02B1284AC99")), // upper case in: lower case out
		mem("ClubId", str("00027669-b3b5-4faa-8419-bf2a60a8bdac")),
		mem("FriendlyName", str("sample string 3")), mem("NotificationEmail", str("sample string 4")),
		mem("PersonId", str("3ce60824-4468-4d92-aa2d-c1fbce5f2cd3")), mem("Remarks", str("sample string 5")),
		mem("UserName", str("sample string 6")),
		mem("UserRoleIds", arr(str("f8842bde-59cf-49f2-9e62-3203e390e296"), str("ca557774-b33c-4839-a7ff-a7f0eb5ba069"))),
		mem("AccountState", num("7")),
		mem("LastPasswordChangeOn", codecs.TimeV(time.Date(2025, 12, 1, 5, 24, 26, 860025900, plus1), codecs.Local)),
		mem("ForcePasswordChangeNextLogon", yes), mem("EmailConfirmed", yes), mem("LanguageId", num("10")),
		mem("Id", str("60c14e44-ca37-4a21-b36d-e02b1284ac99")), mem("CanUpdateRecord", yes), mem("CanDeleteRecord", yes))
	for _, c := range []struct {
		golden string
		v      codecs.Value
		typ    *codecs.Type
	}{
		{"user_detail.compact.xml", userDetail, userDetailT},
		{"user_details.compact.xml", userDetails, userDetailsT},
	} {
		want := string(readSample(t, c.golden))
		if got := mustAppend(t, c.v, c.typ); got != want {
			t.Errorf("%s:\n got %s\nwant %s", c.golden, got, want)
		}
	}
}
