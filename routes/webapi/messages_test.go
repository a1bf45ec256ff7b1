package webapi

import (
	"testing"

	"legacygate/codecs"
	"legacygate/routes/contract"
)

func TestDataAnnotationsMessages(t *testing.T) {
	pw := &contract.Member{Field: &codecs.Field{Name: "Password"}}
	confirm := &contract.Member{Field: &codecs.Field{Name: "ConfirmPassword"}, Display: "Confirm password"}
	tests := []struct {
		name   string
		give   contract.Rule
		member *contract.Member
		other  *contract.Member
		want   string
	}{
		{"required", contract.Rule{Kind: contract.RuleRequired}, pw, nil, "The Password field is required."},
		{"string length with minimum", contract.Rule{Kind: contract.RuleLength, Min: 4, Max: 100}, pw, nil, "The field Password must be a string with a minimum length of 4 and a maximum length of 100."},
		{"string length max only", contract.Rule{Kind: contract.RuleLength, Max: 256}, pw, nil, "The field Password must be a string with a maximum length of 256."},
		{"custom template {0} {2}", contract.Rule{Kind: contract.RuleLength, Min: 4, Max: 100, Message: "The {0} must be at least {2} characters long."}, pw, nil, "The Password must be at least 4 characters long."},
		{"maxlength quotes the number", contract.Rule{Kind: contract.RuleMaxLength, Max: 5}, pw, nil, "The field Password must be a string or array type with a maximum length of '5'."},
		{"compare uses display names", contract.Rule{Kind: contract.RuleCompare, Other: "Password"}, confirm, pw, "'Confirm password' and 'Password' do not match."},
		{"email", contract.Rule{Kind: contract.RuleEmail}, pw, nil, "The Password field is not a valid e-mail address."},
		{"phone", contract.Rule{Kind: contract.RulePhone}, pw, nil, "The Password field is not a valid phone number."},
		{"url", contract.Rule{Kind: contract.RuleURL}, pw, nil, "The Password field is not a valid fully-qualified http, https, or ftp URL."},
		{"literal braces", contract.Rule{Kind: contract.RuleRequired, Message: "{{0}} is {0} {9}"}, pw, nil, "{0} is Password {9}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := (DataAnnotations{}).Message(tt.give, tt.member, tt.other, codecs.Value{}); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
