package contract

import (
	"strings"
	"time"

	"legacygate/codecs"
	"legacygate/codecs/jsvcodec"
	"legacygate/routes/netregex"
)

// Style is the family of a legacy host; it decides error envelopes,
// negotiation and binding rules.
type Style string

// The host styles.
const (
	WebAPI       Style = "webapi"
	ServiceStack Style = "servicestack"
)

// Action is what an operation does with the backend.
type Action string

// The actions.
const (
	ActionRegister    Action = "register"
	ActionIsAvailable Action = "is_available"
	// ActionAuthenticate checks a username and password and opens a
	// session (ServiceStack's /auth/credentials).
	ActionAuthenticate Action = "authenticate"
	// ActionActivate consumes an activation code and activates the user.
	ActionActivate Action = "activate"
	// ActionLookup serves one of the host's lookup lists.
	ActionLookup Action = "lookup"
)

// BindSource says where an operation's request data comes from.
type BindSource string

// The binding sources.
const (
	FromBody  BindSource = "body"
	FromQuery BindSource = "query"
)

// Host is a compiled legacy host contract.
type Host struct {
	Name    string // realm and log name
	Title   string
	Style   Style
	Source  string // where the contract was read from (seed file)
	Formats []Format
	// Operations in file order.
	Operations []*Operation
	// Types by name.
	Types map[string]*Type
	// TimeKind is how the host writes DateTime values it generates
	// (DateTime.Now → Local).
	TimeKind codecs.TimeKind
	// Naming is how JSON and JSV member names are written (ServiceStack's
	// JsConfig EmitCamelCaseNames); XML always keeps the contract names.
	Naming Naming
	// ServiceStack is the ServiceStack release line the host reproduces
	// (contract key servicestack, default DefaultServiceStack) and JSV the
	// JSV reader and writer of that line.
	ServiceStack string
	JSV          jsvcodec.Release
	// Prefix is where the legacy host was mounted (ServiceStack's
	// HandlerFactoryPath, "/service"); the default mount prefix.
	Prefix string
	// Lookups are the host's code lists (languages, time zones), served by
	// lookup operations and checked by "in" rules.
	Lookups map[string][]LookupItem
	// Auth lists the host's authentication providers (ServiceStack), first
	// provider first: it names the WWW-Authenticate challenge.
	Auth       HostAuth
	formatters []codecs.Formatter
}

// LookupItem is one entry of a lookup list.
type LookupItem struct {
	Code string
	Name string
}

// Activation is how a register operation asks for email activation: the
// outbox event's template and language, and the link the email carries.
type Activation struct {
	Template string // mail template name
	Language string // request member holding the language code
	// Link is the activation link; {public_url}, {request.<Member>} and
	// {?} ("?" or "&", whichever continues the URL) are filled in by the
	// gateway, {code} and {user} by the backend.
	Link string
	// Callback names the request member with the client's own URL, and
	// CallbackFlag the boolean member that asks for the code to go to that
	// URL instead of to Link (an ActivateViaCallbackUrl member).
	Callback, CallbackFlag string
}

// Redirect is where an activation sends the browser: the URL is read from
// a user attribute; CodeIf names a boolean attribute that, when true, asks
// for the code to be appended.
type Redirect struct {
	URL    string
	CodeIf string
}

// Naming is a member-name convention of a host's JSON and JSV.
type Naming string

// Namings.
const (
	PascalCase Naming = "pascal" // as declared
	CamelCase  Naming = "camel"
)

// HostAuth configures a host's authentication.
type HostAuth struct {
	Providers  []string // basic, credentials, apikey
	SessionTTL time.Duration
}

// AuthProviders are the providers a host may list.
var AuthProviders = []string{"basic", "credentials", "apikey"}

// Format is one wire format the host reads and/or writes, in the host's
// formatter order (the negotiation tie-breaker).
type Format struct {
	Name       string   // json, xml, form, jsv
	MediaTypes []string // in formatter order
	Read       bool
	Write      bool
	Charsets   []string
	// StringEnums (json, Web API): Json.NET's StringEnumConverter writes
	// enum names; without it enums are numbers.
	StringEnums bool
}

// Formatters returns the host's formats in the negotiation package's terms
// (computed once at load; callers must not modify it).
func (h *Host) Formatters() []codecs.Formatter { return h.formatters }

// Route is one method and path template of an operation.
type Route struct {
	Method string // upper case; "*" for all verbs
	Path   string // template, e.g. /Account/Register
}

// Operation is one service operation of a host.
type Operation struct {
	Name    string
	Summary string
	Action  Action
	Routes  []Route
	// Request is the request type; Bind where its data comes from.
	Request *Type
	Bind    BindSource
	// Parameter is the action parameter name (Web API's ModelState key
	// prefix, commonly "model").
	Parameter string
	// RequireQuery lists query keys that must be present for the route to
	// match at all (Web API action selection on simple parameters).
	RequireQuery []string
	// Response is the response type; ResponseFrom, for a response that is
	// a list, set, dictionary or scalar as a whole (Response.Ref), the
	// expression it is mapped from.
	Response     *Type
	ResponseFrom *Expr
	// Mapping maps canonical command fields to request member names.
	Mapping map[string]string
	// DefaultRoles are given to every user this operation registers.
	DefaultRoles []string
	// Conflicts says how a taken username or email is reported.
	Conflicts map[string]Conflict
	// Authenticate requires a signed-in caller; Roles are all required
	// (ServiceStack's [Authenticate] and [RequiredRole]).
	Authenticate bool
	Roles        []string
	// Activation, on a register operation, creates the user inactive and
	// mails an activation link.
	Activation *Activation
	// Lookup names the host lookup list a lookup operation serves.
	Lookup string
	// Redirect, on an activate operation, redirects after activation.
	Redirect *Redirect
	// AutoLogin names the boolean request member that asks for a session
	// to be opened for the new user (ServiceStack's Register.AutoLogin).
	AutoLogin string
	// RolePolicy, on a register operation, says which roles a request may
	// assign; nil allows none.
	RolePolicy *RolePolicy
	host       *Host
}

// Host returns the operation's host.
func (o *Operation) Host() *Host { return o.host }

// Conflict is how one kind of uniqueness failure is reported.
type Conflict struct {
	Key     string // error key (ModelState key, FieldName)
	Code    string // error code (ServiceStack ErrorCode)
	Message string // may name the taken value, see ConflictPlaceholder
}

// ConflictPlaceholder is how a conflict message of a host of style s names
// the taken value: the style's one placeholder syntax, as its rule
// messages use it ({0} as ASP.NET Identity's "Name {0} is already
// taken."; FluentValidation's {PropertyValue}).
func ConflictPlaceholder(s Style) string {
	if s == ServiceStack {
		return "{PropertyValue}"
	}
	return "{0}"
}

// Type annotates one node of the host's schema tree: an object or enum
// type the contract declares, or a primitive response. The structure (name,
// XML namespace, shape, fields and their order, enum members and values,
// base, nullability) is the embedded [codecs.Type], the one tree codecs read
// and write with; a Type only adds what the contract says beyond it.
type Type struct {
	*codecs.Type
	// Members annotate the node's own fields, index for index: rules,
	// display names, secrets, response expressions, docs.
	Members []*Member
	// Primitive is set for built-in scalar types used directly as an
	// operation's response (for example bool).
	Primitive bool
	// Void marks an operation that answers with an empty body (Web API's
	// Ok()).
	Void bool
	// Ref is set when an operation's request or response is a list, set,
	// dictionary, scalar or enum as a whole (Web API's
	// Post([FromBody] List<Item> items), a List<T> or int response); such
	// a type has no members and Primitive is set.
	Ref *TypeRef
	// noWire marks a pseudo type (void, lookup) that has a name but no
	// schema on the wire.
	noWire bool
	host   *Host     // resolves Parent
	all    []*Member // own then inherited members, see AllMembers
}

// Schema returns the type's node of the schema tree, nil for a response
// that has none on the wire (void, lookup lists).
func (t *Type) Schema() *codecs.Type {
	if t == nil || t.noWire {
		return nil
	}
	return t.Type
}

// Parent returns the annotations of the base type, nil without a base.
func (t *Type) Parent() *Type {
	if t == nil || t.Type == nil || t.Type.Base == nil || t.host == nil {
		return nil
	}
	return t.host.Types[t.Type.Base.Name]
}

// CLRNamespace is the .NET namespace the type's XML namespace was derived
// from ("Acme.Server.Models"), empty when the contract gave a namespace URI
// of its own or none.
func (t *Type) CLRNamespace() string {
	if ns, ok := strings.CutPrefix(t.Namespace, dataContractBase); ok {
		return ns
	}
	return ""
}

// Member annotates one field of an object node. Its name, schema type and
// DataMember order are the embedded [codecs.Field] (the field in the
// schema tree itself, not a copy).
type Member struct {
	*codecs.Field
	Display string // display name used in messages; Name when empty
	// Type says how the contract wrote the field's type; its structure is
	// Field.Type.
	Type   TypeRef
	Secret bool // never stored as an attribute, never logged
	Rules  []Rule
	From   *Expr // response mapping; nil → Default, null or the type's default
	// Default is what a response member holds when From yields nothing
	// (a constructor's initial value, such as an empty list).
	Default *Expr
	Doc     string
	// CLRType is the member's .NET type as the legacy pages printed it
	// ("string[]", "Dictionary<string, HashSet<String>>") when the type
	// spec alone does not say (documentation only).
	CLRType string
}

// DisplayName returns the name used in validation messages.
func (m *Member) DisplayName() string {
	if m.Display != "" {
		return m.Display
	}
	return m.Name
}

// TypeRef is a member's type: the schema node (embedded: shape, scalar,
// nullability), how the contract wrote it, and the annotations of the
// object or enum type it names.
type TypeRef struct {
	*codecs.Type
	Spec string // as written, e.g. "int?", "[]UserPartnerRoles"
	// Object annotates an object node, Enum an enum one.
	Object *Type
	Enum   *Type
	// Elem annotates the item node of a list or the value node of a map.
	Elem     *TypeRef
	TimeKind codecs.TimeKind
}

// Schema returns the node of the schema tree.
func (r TypeRef) Schema() *codecs.Type { return r.Type }

// List reports a list node.
func (r TypeRef) List() bool { return r.Type != nil && r.Shape == codecs.ListShape }

// Map reports a Dictionary<string, Elem> node.
func (r TypeRef) Map() bool { return r.Type != nil && r.Shape == codecs.MapShape }

// RuleKind names a validation rule.
type RuleKind string

// The validation rules. Each has one implementation; messages come from the
// host style's catalog unless the rule carries its own.
const (
	RuleRequired  RuleKind = "required"
	RuleLength    RuleKind = "length"    // StringLength(max, MinimumLength=min)
	RuleMaxLength RuleKind = "maxlength" // MaxLength(n)
	RuleMinLength RuleKind = "minlength" // MinLength(n)
	RuleCompare   RuleKind = "compare"   // Compare(other)
	RuleEmail     RuleKind = "email"
	RuleRegex     RuleKind = "regex" // RegularExpression(pattern), .NET syntax
	RulePhone     RuleKind = "phone" // [Phone]
	RuleURL       RuleKind = "url"   // [Url]
	RuleRange     RuleKind = "range"
	RuleIn        RuleKind = "in"       // one of a host lookup list's codes
	RulePassword  RuleKind = "password" // a password policy
)

// Rule is one validation rule of a member.
type Rule struct {
	Kind    RuleKind
	Min     int
	Max     int
	Other   string // compare: the other member
	Pattern string
	Message string // overrides the style's default message
	Code    string // overrides the style's default error code (ServiceStack)
	// Lookup names the host lookup list of an "in" rule; Codes holds its
	// codes, upper-cased (read-only once loaded).
	Lookup string
	Codes  map[string]bool
	// Upper, Lower, Digit and NoSpace are a password rule's requirements
	// (with Min and Max as its length bounds).
	Upper, Lower, Digit, NoSpace bool
	// WhenSet skips the rule while the member is null (FluentValidation's
	// .When(x => x.Member != null)).
	WhenSet bool
	// Regex is a regex rule's compiled Pattern (.NET syntax).
	Regex *netregex.Regexp
	// Binary marks a rule of a byte[] member, whose value is Base64 text.
	Binary bool
}

// URLMembers lists the request members whose values become URLs in the
// activation email: those the link template names ({request.<Member>}) and
// the callback member.
func (a *Activation) URLMembers() []string {
	var out []string
	rest := a.Link
	for {
		i := strings.Index(rest, "{request.")
		if i < 0 {
			break
		}
		rest = rest[i+len("{request."):]
		j := strings.IndexByte(rest, '}')
		if j < 0 {
			break
		}
		out = append(out, rest[:j])
		rest = rest[j+1:]
	}
	if a.Callback != "" {
		out = append(out, a.Callback)
	}
	return out
}

// DefaultServiceStack is the release line of a servicestack host whose
// contract does not name one: the newest, whose JSV is what
// docs/legacy/jsv.md describes.
const DefaultServiceStack = "latest"
