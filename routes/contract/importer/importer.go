// Package importer turns a saved legacy documentation page — an ASP.NET
// Web API help page (/Help/Api/{id}) or a ServiceStack metadata page
// ({json|xml|jsv}/metadata?op=X), as HTML or as the text a browser saves —
// into a starter host contract, and reports what the page cannot say
// (authentication details, nullability, validation messages, mappings).
package importer

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"legacygate/routes/pagetext"
)

// Draft is what a page says about one host and operation.
type Draft struct {
	Host    string // contract host name
	Title   string
	Style   string // webapi or servicestack
	Prefix  string
	Naming  string // pascal or camel (ServiceStack)
	Source  string
	Formats []Format
	Op      Operation
	Types   []*Type // declaration order, request type first
	// Report lists what could not be inferred or was guessed.
	Report []string
	jsv    []string // a ServiceStack page's lines, for sample values
}

// Format is one wire format and its media types.
type Format struct {
	Name       string
	MediaTypes []string
	Write      bool
}

// Operation is the page's operation.
type Operation struct {
	Name, Summary string
	Action        string
	Routes        []Route
	Request       string
	Response      string // "" when the page shows none
	Bind          string
	Roles         []string
	Authenticate  bool
	Command       [][2]string // canonical field, member
}

// Route is a method and path template.
type Route struct{ Method, Path string }

// Type is an object or enum type.
type Type struct {
	Name      string
	Namespace string
	Base      string
	Enum      []string
	Members   []*Member
}

// Member is one member of a type.
type Member struct {
	Name    string
	Type    string // contract spec
	CLRType string
	Doc     string
	Rules   []string // YAML flow items
	Secret  bool
	From    string
}

func (d *Draft) reportf(format string, args ...any) {
	d.Report = append(d.Report, fmt.Sprintf(format, args...))
}

func (d *Draft) typ(name string) *Type {
	for _, t := range d.Types {
		if t.Name == name {
			return t
		}
	}
	return nil
}

// MaxBytes bounds the page Import reads.
const MaxBytes = pagetext.MaxBytes

// ErrUnknownPage is returned for a page that is neither kind.
var ErrUnknownPage = errors.New("import: neither a Web API help page (\"Request Information\", \"Body Parameters\") nor a ServiceStack metadata page (\"Parameters:\", \"The following routes are available\")")

// Import reads a saved page (HTML or text) and drafts its contract. host
// names the contract (a file-name-like identifier).
func Import(page []byte, host, source string) (*Draft, error) {
	if len(page) > MaxBytes {
		return nil, fmt.Errorf("import: page larger than %d bytes", MaxBytes)
	}
	text := string(page)
	trimmed := bytes.TrimSpace(page)
	if bytes.HasPrefix(trimmed, []byte("<")) && !bytes.HasPrefix(trimmed, []byte("<back")) {
		t, err := pagetext.Reduce(bytes.NewReader(page), pagetext.Options{Cells: "|"})
		if err != nil {
			return nil, fmt.Errorf("import: %w", err)
		}
		text = t
	}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	d := &Draft{Host: host, Source: source}
	switch {
	case strings.Contains(text, "Request Information") && strings.Contains(text, "Body Parameters"):
		d.Style = "webapi"
		if err := d.webAPI(text); err != nil {
			return nil, err
		}
	case strings.Contains(text, "The following routes are available") || regexp.MustCompile(`(?m)^\S+ Parameters:$`).MatchString(text):
		d.Style = "servicestack"
		if err := d.serviceStack(text); err != nil {
			return nil, err
		}
	default:
		return nil, ErrUnknownPage
	}
	d.guessCommand()
	return d, nil
}

// guessCommand maps the canonical registration fields to request members
// by their usual names.
func (d *Draft) guessCommand() {
	req := d.typ(d.Op.Request)
	if req == nil {
		return
	}
	all := d.members(req)
	find := func(names ...string) string {
		for _, n := range names {
			for _, m := range all {
				if strings.EqualFold(m.Name, n) {
					return m.Name
				}
			}
		}
		return ""
	}
	for _, f := range []struct {
		field string
		names []string
	}{
		{"username", []string{"UserName", "Username", "Login", "LoginName", "Email", "EMail"}},
		{"email", []string{"Email", "EMail", "NotificationEmail", "PrimaryEmail"}},
		{"password", []string{"Password"}},
		{"phone", []string{"PhoneNumber", "Phone"}},
		{"first_name", []string{"FirstName", "Name", "FriendlyName"}},
		{"last_name", []string{"LastName", "Surname"}},
	} {
		if m := find(f.names...); m != "" {
			d.Op.Command = append(d.Op.Command, [2]string{f.field, m})
		}
	}
	if d.Op.Action == "register" && (len(d.Op.Command) == 0 || d.Op.Command[0][0] != "username") {
		for _, m := range all {
			if m.Type == "string" {
				d.Op.Command = append([][2]string{{"username", m.Name}}, d.Op.Command...)
				d.reportf("command.username: no member has a user-name-like name; %s (the first string member) keys the account — change it", m.Name)
				break
			}
		}
	}
	d.reportf("command: the canonical fields were matched to request members by name (%s); check each", commandList(d.Op.Command))
	for _, m := range all {
		if strings.HasSuffix(strings.ToLower(m.Name), "password") && m.Type == "string" {
			m.Secret = true
		}
	}
	d.reportf("secret: string members whose name ends in \"password\" are marked secret; mark any other member that must never be stored or logged")
}

func commandList(c [][2]string) string {
	var s []string
	for _, kv := range c {
		s = append(s, kv[0]+"="+kv[1])
	}
	return strings.Join(s, ", ")
}

// members returns a type's own and inherited members.
func (d *Draft) members(t *Type) []*Member {
	out := append([]*Member{}, t.Members...)
	if b := d.typ(t.Base); b != nil && b != t {
		out = append(out, b.Members...)
	}
	return out
}

// responseFrom guesses response mappings from member names.
var responseFrom = map[string]string{
	"id": "user.id", "userid": "user.id", "username": "user.username", "email": "user.email",
	"primaryemail": "user.email", "notificationemail": "user.email", "phonenumber": "user.phone",
	"firstname": "user.first_name", "name": "user.first_name", "friendlyname": "user.first_name",
	"lastname": "user.last_name", "surname": "user.last_name", "roles": "user.roles", "login": "user.username",
	"createddate": "user.created", "sessionid": "session.id",
}
