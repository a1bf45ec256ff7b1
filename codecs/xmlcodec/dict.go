package xmlcodec

import (
	"crypto/md5"
	"encoding/base64"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"legacygate/codecs"
)

// Dictionaries (MapShape, a .NET Dictionary<string, T>) are
// DataContractSerializer collections whose items are the class contract
// KeyValue<string, T> (System.Runtime.Serialization.KeyValue`2, in the
// Arrays namespace, members Key then Value, both IsRequired):
//
//	<Meta xmlns:d2p1="…/Arrays"><d2p1:KeyValueOfstringstring><d2p1:Key>k</d2p1:Key><d2p1:Value>v</d2p1:Value></d2p1:KeyValueOfstringstring></Meta>
//
// The item contract is named by DataContract.GetDefaultStableLocalName:
// "KeyValueOf" + key name + value name, followed by the namespaces digest
// when a generic argument's namespace is not built in (XSD or
// Serialization): a list, class, enum or DateTimeOffset value gets it, so a
// Dictionary<string, List<string>> item is KeyValueOfstringArrayOfstringty7Ep6D1
// and the dictionary ArrayOfKeyValueOfstringArrayOfstringty7Ep6D1.

// dict is the wire shape of a dictionary contract.
type dict struct {
	name string // the dictionary's contract name (root or list item)
	ns   string // the dictionary's namespace, that of its items and of Key/Value
	item string // the KeyValue item's element name
	elem *codecs.Type
	// valueDecl is the namespace DCS declares on the Value element (the
	// KeyValue class's child element namespace), or "".
	valueDecl string
}

var dictCache sync.Map // *codecs.Type -> *dict

// anyStringT stands in for a missing Elem, as for lists.
var anyStringT = &codecs.Type{Shape: codecs.ScalarShape, Scalar: codecs.StringT, Nullable: true}

// keyT is the string key of every dictionary.
var keyT = &codecs.Type{Name: "string", Namespace: serializationNS, Shape: codecs.ScalarShape, Scalar: codecs.StringT, Nullable: true}

// dictFor returns the (cached) wire shape of map type t.
func dictFor(t *codecs.Type) *dict {
	if d, ok := dictCache.Load(t); ok {
		return d.(*dict)
	}
	d := &dict{ns: t.Namespace, elem: t.Elem}
	if d.ns == "" {
		d.ns = arraysNS
	}
	valueName, valueNS := "anyType", serializationNS
	if d.elem == nil {
		d.elem = anyStringT
	} else {
		valueName, valueNS = contractOf(d.elem)
	}
	d.item = "KeyValueOfstring" + valueName
	if !builtInNS(valueNS) {
		// GetDefaultStableLocalName: " " + the generic parameter count,
		// then " " + each argument's namespace (string is in XSD's).
		d.item += namespacesDigest(" 2 " + xsdNS + " " + valueNS)
	}
	// A name the contract compiler derived without the digest (or none)
	// is DCS's "ArrayOf" + item name; any other name is kept.
	d.name = t.Name
	if d.name == "" || d.name == "ArrayOfKeyValueOfstring"+valueName {
		d.name = "ArrayOf" + d.item
	}
	if cns := contractNS(d.elem); cns != d.ns {
		d.valueDecl = cns
	}
	actual, _ := dictCache.LoadOrStore(t, d)
	return actual.(*dict)
}

// contractOf is the stable name and namespace of a dictionary's value type.
func contractOf(e *codecs.Type) (name, ns string) {
	switch e.Shape {
	case codecs.ListShape:
		name = e.Name
		if name == "" {
			name = "ArrayOf" + itemName(e)
		}
		return name, listNS(e)
	case codecs.MapShape:
		d := dictFor(e)
		return d.name, d.ns
	case codecs.ObjectShape:
		return e.Name, e.Namespace
	}
	name = e.Name
	if name == "" {
		name = dcsName(e.Scalar)
	}
	switch e.Scalar {
	case codecs.DateTimeOffsetT:
		return name, systemNS
	case codecs.EnumT:
		if e.Namespace != "" {
			return name, e.Namespace
		}
	case codecs.GuidT:
		return name, serializationNS
	}
	return name, xsdNS
}

// builtInNS is DataContract.IsBuiltInNamespace.
func builtInNS(ns string) bool { return ns == xsdNS || ns == serializationNS }

// namespacesDigest is DataContract.GetNamespacesDigest: the first six
// bytes of the MD5 hash of the UTF-8 namespaces string, in base64 without
// padding, '/' written "_S" and '+' written "_P".
func namespacesDigest(namespaces string) string {
	sum := md5.Sum([]byte(namespaces))
	s := base64.StdEncoding.EncodeToString(sum[:6])
	if strings.ContainsAny(s, "/+") {
		s = strings.NewReplacer("/", "_S", "+", "_P").Replace(s)
	}
	return s
}

// wireKey is the key a reader gets back from a written key: line ends read
// as "\n" and ill-formed UTF-8 is written as U+FFFD. Keys equal on the
// wire are one dictionary entry.
func wireKey(s string) string {
	if strings.IndexByte(s, '\r') < 0 && utf8.ValidString(s) {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	if strings.IndexByte(s, '\r') < 0 {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// dict writes the items of dictionary v. Members whose keys are equal on
// the wire are one entry, at the first one's position with the last one's
// value (what the reader makes of such a document).
func (w *writer) dict(v codecs.Value, t *codecs.Type) error {
	if v.Kind != codecs.Object {
		return kindErr(v, "dictionary")
	}
	d := dictFor(t)
	ms := v.Members
	if len(ms) <= 8 {
		for i := range ms {
			k := wireKey(ms[i].Name)
			first, last := true, i
			for j := range ms {
				if j != i && wireKey(ms[j].Name) == k {
					if j < i {
						first = false
						break
					}
					last = j
				}
			}
			if first {
				if err := w.entry(d, k, ms[last].Value); err != nil {
					return err
				}
			}
		}
		return nil
	}
	keys := make([]string, len(ms))
	last := make(map[string]int, len(ms))
	for i := range ms {
		keys[i] = wireKey(ms[i].Name)
		last[keys[i]] = i
	}
	for _, k := range keys {
		j, ok := last[k]
		if !ok {
			continue // written at its first position
		}
		delete(last, k)
		if err := w.entry(d, k, ms[j].Value); err != nil {
			return err
		}
	}
	return nil
}

// entry writes one KeyValue item.
func (w *writer) entry(d *dict, key string, val codecs.Value) error {
	prefix, mark := w.start(d.item, d.ns, "", false)
	w.buf = append(w.buf, '>')
	gt := len(w.buf)
	if err := w.element("Key", d.ns, "", codecs.Str(key), keyT); err != nil {
		return err
	}
	if val.Kind == codecs.Null && isValueType(d.elem) {
		val = defaultValue(d.elem)
	}
	if err := w.element("Value", d.ns, d.valueDecl, val, d.elem); err != nil {
		return wrapErr(err, "["+strconv.Quote(key)+"]", -1)
	}
	w.finish(prefix, d.item, gt, mark, false)
	return nil
}

// readMap binds the items of dictionary contract t into an Object whose
// member names are the keys in wire order; a repeated key keeps its first
// position and takes the later value. Elements other than the item
// contract are skipped, as in any collection.
func (d *decoder) readMap(e *elem, t *codecs.Type) (codecs.Value, error) {
	members := []codecs.Member{}
	dc := dictFor(t)
	var index map[string]int // key -> position, once there are many
	var err error
	for d.nextChild(e, &err) {
		c := d.el
		if c.local != dc.item || c.ns != dc.ns {
			if err = d.skip(&c); err != nil {
				break
			}
			continue
		}
		var key string
		var v codecs.Value
		if key, v, err = d.readEntry(&c, dc); err != nil {
			break
		}
		at := -1
		if index != nil {
			if i, ok := index[key]; ok {
				at = i
			}
		} else {
			for i := range members {
				if members[i].Name == key {
					at = i
					break
				}
			}
		}
		if at >= 0 {
			members[at].Value = v
			continue
		}
		members = append(members, codecs.Member{Name: key, Value: v})
		if index == nil && len(members) > 16 {
			index = make(map[string]int, 2*len(members))
			for i := range members {
				index[members[i].Name] = i
			}
		} else if index != nil {
			index[key] = len(members) - 1
		}
	}
	if err != nil {
		return codecs.Value{}, err
	}
	return codecs.Value{Kind: codecs.Object, Members: members}, nil
}

// readEntry reads one KeyValue item (a class contract whose members Key and
// Value are both required; see GetMemberIndexWithRequiredMembers).
func (d *decoder) readEntry(e *elem, dc *dict) (string, codecs.Value, error) {
	if e.hasNil {
		isNil, ok := parseBool(e.nilAttr)
		if !ok {
			return "", codecs.Value{}, d.convErr(e.end, e.nilAttr, "Boolean")
		}
		if isNil {
			return "", codecs.Value{}, d.errAt(e.end, "ValueType 'System.Runtime.Serialization.KeyValue`2' cannot be null.")
		}
	}
	if e.hasType {
		if err := d.checkTypeName(e, dc.item, dc.ns); err != nil {
			return "", codecs.Value{}, err
		}
	}
	names := [2]string{"Key", "Value"}
	have := 0
	missing := func() error {
		// As readDTO reports a required member missing at the end.
		return d.serErr(d.pos, "'EndElement' 'EndElement' from namespace '' is not expected. Expecting element '"+names[have]+"'.")
	}
	var (
		key string
		val codecs.Value
	)
	var err error
	for d.nextChild(e, &err) {
		c := d.el
		switch {
		case c.ns != dc.ns || have == 2 || have == 1 && c.local != "Value" || have == 0 && c.local != "Key" && c.local != "Value":
			if err = d.skip(&c); err != nil {
				return "", codecs.Value{}, err
			}
		case have == 0 && c.local == "Value":
			return "", codecs.Value{}, d.serErr(c.end, "'Element' 'Value' from namespace '"+c.ns+"' is not expected. Expecting element 'Key'.")
		case have == 0:
			off := c.end
			kv, err := d.readValue(&c, keyT)
			if err != nil {
				return "", codecs.Value{}, err
			}
			if kv.Kind == codecs.Null {
				// Dictionary.Add(null, …)
				return "", codecs.Value{}, d.errAt(off, "Value cannot be null.\r\nParameter name: key")
			}
			key = kv.Str
			have = 1
		default:
			v, err := d.readValue(&c, dc.elem)
			if err != nil {
				return "", codecs.Value{}, err
			}
			val = v
			have = 2
		}
	}
	if err != nil {
		return "", codecs.Value{}, err
	}
	if have < 2 {
		return "", codecs.Value{}, missing()
	}
	return key, val, nil
}
