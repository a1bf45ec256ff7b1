package mapping

import (
	"strconv"
	"time"

	"legacygate/backend"
	"legacygate/codecs"
	"legacygate/codecs/registry"
	"legacygate/routes/contract"
	"legacygate/routes/pipeline/bind"
)

// Command maps a bound, validated request to the canonical command. Mapped
// members fill the command's fields; every other member the request carried
// (except secrets such as ConfirmPassword) becomes an attribute, in member
// order.
func Command(op *contract.Operation, bound codecs.Value, realm string) backend.RegisterCommand {
	cmd := backend.RegisterCommand{Realm: realm, Roles: append([]string(nil), op.DefaultRoles...)}
	mapped := make(map[string]bool, len(op.Mapping))
	for field, member := range op.Mapping {
		mapped[member] = true
		v, ok := Mapped(op, bound, field)
		if !ok {
			continue
		}
		switch field {
		case "username":
			cmd.Username = Text(v)
		case "email":
			cmd.Email = Text(v)
		case "password":
			cmd.Password = backend.Password(Text(v))
		case "phone":
			cmd.Phone = Text(v)
		case "first_name":
			cmd.FirstName = Text(v)
		case "last_name":
			cmd.LastName = Text(v)
		case "roles":
			for _, it := range v.Items {
				cmd.Roles = append(cmd.Roles, Text(it))
			}
			if v.Kind != codecs.Array && v.Kind != codecs.Null {
				cmd.Roles = append(cmd.Roles, Text(v))
			}
		}
	}
	for _, m := range op.Request.AllMembers() {
		if mapped[m.Name] || m.Secret {
			continue
		}
		if v, ok := bound.Get(m.Name); ok && v.Kind != codecs.Null {
			cmd.Attributes = append(cmd.Attributes, backend.Attribute{Name: m.Name, Value: Text(v)})
		}
	}
	return cmd
}

// Mapped returns the bound value the command mapping names for a
// canonical field ("username", "code", …): a member of the request, or the
// whole request when it is a scalar or collection mapped with ".".
func Mapped(op *contract.Operation, bound codecs.Value, field string) (codecs.Value, bool) {
	member, ok := op.Mapping[field]
	if !ok {
		return codecs.Value{}, false
	}
	if member == contract.WholeRequest && op.Request != nil && op.Request.Ref != nil {
		return bound, bound.Kind != codecs.Null
	}
	return bound.Get(member)
}

// Text renders a bound value as an attribute's text: a scalar as its plain
// text (codecs.Text); a list or an object, which has none, as the compact
// Json.NET text attributes have always held (written by the registry's
// json/newtonsoft writer, without a schema). Null is "".
func Text(v codecs.Value) string {
	if v.Kind != codecs.Object && v.Kind != codecs.Array {
		return codecs.Text(v)
	}
	b, err := containerText(nil, v, nil, codecs.WriteOptions{})
	if err != nil {
		return ""
	}
	return string(b)
}

// containerText writes a list or object attribute.
var containerText = func() codecs.Writer {
	c, ok := registry.Lookup("json", registry.Newtonsoft)
	if !ok {
		panic("mapping: no json/newtonsoft writer registered")
	}
	return c.Write
}()

// Source is what a response is mapped from.
type Source struct {
	User    backend.User
	Request codecs.Value // the bound request
	// Location is the server's time zone for Local times.
	Location *time.Location
	// Session is the id of a session opened for the user, if any.
	Session string
}

// Respond maps a source to the operation's response type.
func Respond(op *contract.Operation, src Source) codecs.Value {
	if r := op.Response.Ref; r != nil {
		// A list, set, dictionary or scalar answered as a whole: mapped
		// as a member of that type would be.
		return member(&contract.Member{Field: &codecs.Field{Name: op.Response.Name, Type: r.Type, Order: -1}, Type: *r, From: op.ResponseFrom}, src, nil)
	}
	if op.Response.Primitive {
		return codecs.Value{}
	}
	return object(op.Response, src, nil)
}

func object(t *contract.Type, src Source, item *string) codecs.Value {
	members := t.AllMembers()
	out := codecs.Value{Kind: codecs.Object, Members: make([]codecs.Member, 0, len(members))}
	for _, m := range members {
		out.Members = append(out.Members, codecs.Member{Name: m.Name, Value: member(m, src, item)})
	}
	return out
}

// raw is an expression's value before conversion to the member's type.
type raw struct {
	ok   bool
	s    string
	list []string
	t    time.Time
	v    *codecs.Value // set when the expression yields a value as is
}

func eval(e *contract.Expr, src Source, item *string) raw {
	u := src.User
	switch e.Kind {
	case contract.ExprLiteral:
		v := e.Literal
		return raw{ok: true, v: &v}
	case contract.ExprItem:
		if item == nil {
			return raw{}
		}
		return raw{ok: true, s: *item}
	case contract.ExprAttr:
		s, ok := u.Attr(e.Name)
		return raw{ok: ok, s: s}
	case contract.ExprRequest:
		v, ok := src.Request.Get(e.Name)
		return raw{ok: ok, v: &v}
	case contract.ExprSession:
		return raw{ok: src.Session != "", s: src.Session}
	}
	switch e.Name {
	case "id":
		return raw{ok: true, s: strconv.FormatInt(u.ID, 10)}
	case "uuid":
		return raw{ok: true, s: u.UUID}
	case "realm":
		return raw{ok: true, s: u.Realm}
	case "username":
		return raw{ok: true, s: u.Username}
	case "email":
		return raw{ok: u.Email != "", s: u.Email}
	case "phone":
		return raw{ok: u.Phone != "", s: u.Phone}
	case "first_name":
		return raw{ok: u.FirstName != "", s: u.FirstName}
	case "last_name":
		return raw{ok: u.LastName != "", s: u.LastName}
	case "roles":
		return raw{ok: true, list: u.Roles}
	case "active":
		return raw{ok: true, s: strconv.FormatBool(u.Active)}
	case "created":
		loc := src.Location
		if loc == nil {
			loc = time.UTC
		}
		return raw{ok: true, t: u.Created.In(loc)}
	}
	return raw{}
}

func member(m *contract.Member, src Source, item *string) codecs.Value {
	unset := func() codecs.Value {
		if m.Default != nil {
			return m.Default.Literal
		}
		return zero(m.Type)
	}
	if m.From == nil {
		return unset()
	}
	r := eval(m.From, src, item)
	if !r.ok {
		return unset()
	}
	if r.v != nil {
		if r.v.Kind == codecs.Null {
			return unset()
		}
		return *r.v
	}
	if m.Type.List() {
		items := make([]codecs.Value, 0, len(r.list))
		for i := range r.list {
			it := r.list[i]
			if m.Type.Elem.Object != nil {
				items = append(items, object(m.Type.Elem.Object, src, &it))
				continue
			}
			items = append(items, scalar(*m.Type.Elem, raw{ok: true, s: it}))
		}
		return codecs.Value{Kind: codecs.Array, Items: items}
	}
	if m.Type.Object != nil {
		return object(m.Type.Object, src, item)
	}
	return scalar(m.Type, r)
}

func scalar(ref contract.TypeRef, r raw) codecs.Value {
	if !r.t.IsZero() {
		return codecs.TimeV(r.t, ref.TimeKind)
	}
	v, err := bind.ScalarWith(ref, codecs.Str(r.s), bind.Options{TextSpans: true})
	if err != nil || v.Kind == codecs.Null {
		return zero(ref)
	}
	return v
}

// zero is what .NET writes for a member nobody set: null for reference and
// Nullable types, the default of a value type otherwise.
func zero(ref contract.TypeRef) codecs.Value {
	if ref.Nullable {
		return codecs.Value{}
	}
	return codecs.Default(ref.Schema())
}
