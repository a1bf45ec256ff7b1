// Package hosts reads legacy host bundles. A bundle is a folder named after
// nothing in particular (the contract's host: key names the host):
//
//	<bundle>/contract.yaml      the host contract (required)
//	<bundle>/mail/<lang>.txt    its activation email templates (optional)
//	<bundle>/fixtures.yaml      accounts its golden exchanges sign in with (tests only)
//
// A plain <name>.yaml file is a bundle holding only a contract. The bundles
// shipped with the gateway are embedded from this folder; an operator's
// contracts_dir is read at start-up and overlays them: a bundle whose host
// has the name of an embedded one replaces it, any other is added. Which
// hosts are served, and where, is still the configuration's hosts[] list.
//
// prelude/<style>.yaml holds what a style brings to every host of it (the
// framework's own DTOs and services); contract.LoadWith merges it.
package hosts

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"legacygate/backend/mailer"
	"legacygate/routes/contract"
)

//go:embed */contract.yaml */mail/*.txt */fixtures.yaml
var embedded embed.FS

// The styles' preludes: prelude/<style>.yaml, merged into every host of
// that style (see contract.LoadWith).
//
//go:embed prelude/*.yaml
var preludeFiles embed.FS

// Preludes returns the styles' preludes.
func Preludes() contract.Preludes {
	p := contract.Preludes{}
	entries, _ := fs.ReadDir(preludeFiles, "prelude")
	for _, e := range entries {
		data, err := fs.ReadFile(preludeFiles, "prelude/"+e.Name())
		if err != nil {
			panic(err) // embedded
		}
		p[contract.Style(strings.TrimSuffix(e.Name(), ".yaml"))] = data
	}
	return p
}

// Embedded is the shipped bundles' file system.
func Embedded() fs.FS { return embedded }

// Bundle is one host's folder.
type Bundle struct {
	Host *contract.Host
	// Dir is the bundle's path in its layer ("shop", or "acme.yaml" for a
	// contract-only file); Source names the layer ("embedded" or the
	// contracts_dir).
	Dir, Source string
	// FS is the bundle folder (nil for a contract-only file).
	FS fs.FS
}

// Set is the bundles in force after overlaying, sorted by host name.
type Set struct {
	Bundles []*Bundle
}

// Load returns the embedded hosts' contracts, sorted by host name.
func Load() ([]*contract.Host, error) {
	s, err := Open("")
	if err != nil {
		return nil, err
	}
	return s.Hosts(), nil
}

// Open reads the embedded bundles and overlays those of dir ("" for none).
func Open(dir string) (*Set, error) {
	base, err := ReadLayer(embedded, "embedded")
	if err != nil {
		return nil, err
	}
	if dir == "" {
		return newSet(base), nil
	}
	if st, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("contracts_dir: %w", err)
	} else if !st.IsDir() {
		return nil, fmt.Errorf("contracts_dir: %s is not a directory", dir)
	}
	over, err := ReadLayer(os.DirFS(dir), dir)
	if err != nil {
		return nil, err
	}
	byName := map[string]*Bundle{}
	for _, b := range base {
		byName[b.Host.Name] = b
	}
	for _, b := range over {
		byName[b.Host.Name] = b // same host name: the operator's replaces the shipped one
	}
	all := make([]*Bundle, 0, len(byName))
	for _, b := range byName {
		all = append(all, b)
	}
	return newSet(all), nil
}

func newSet(bs []*Bundle) *Set {
	sort.Slice(bs, func(i, j int) bool { return bs[i].Host.Name < bs[j].Host.Name })
	return &Set{Bundles: bs}
}

// Hosts returns the contracts of the set, sorted by host name.
func (s *Set) Hosts() []*contract.Host {
	out := make([]*contract.Host, len(s.Bundles))
	for i, b := range s.Bundles {
		out[i] = b.Host
	}
	return out
}

// Shipped reports whether the gateway ships a host of that name.
func Shipped(host string) bool {
	bs, err := ReadLayer(embedded, "embedded")
	if err != nil {
		return false
	}
	for _, b := range bs {
		if b.Host.Name == host {
			return true
		}
	}
	return false
}

// Bundle returns the bundle of a host, or nil.
func (s *Set) Bundle(host string) *Bundle {
	for _, b := range s.Bundles {
		if b.Host.Name == host {
			return b
		}
	}
	return nil
}

// ReadLayer loads every bundle at the top of fsys: each folder holding a
// contract.yaml and each *.yaml file. Hidden entries and a folder named
// prelude (the styles' preludes, in the shipped tree) are not bundles. Every error is reported, not only
// the first; two bundles declaring one host name is an error.
func ReadLayer(fsys fs.FS, source string) ([]*Bundle, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	var out []*Bundle
	var errs []error
	seen := map[string]string{}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") || name == "prelude" && e.IsDir() {
			continue
		}
		if !e.IsDir() && !strings.HasSuffix(name, ".yaml") && !strings.HasSuffix(name, ".yml") {
			continue
		}
		b, err := ReadBundle(fsys, name, source)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if prev, ok := seen[b.Host.Name]; ok {
			errs = append(errs, fmt.Errorf("%s: host %q is also declared by %s", displayPath(source, name), b.Host.Name, displayPath(source, prev)))
			continue
		}
		seen[b.Host.Name] = name
		out = append(out, b)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

// ReadBundle loads the bundle at name in fsys: a folder holding
// contract.yaml, or a contract file.
func ReadBundle(fsys fs.FS, name, source string) (*Bundle, error) {
	st, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("%s: no such file or folder", displayPath(source, name))
	}
	var b *Bundle
	if st.IsDir() {
		if _, serr := fs.Stat(fsys, path.Join(name, "contract.yaml")); serr != nil {
			return nil, fmt.Errorf("%s: folder has no contract.yaml, so it is not a host bundle", displayPath(source, name))
		}
		sub, _ := fs.Sub(fsys, name)
		b, err = readBundle(sub, displayPath(source, name))
	} else {
		b, err = readContract(fsys, name, displayPath(source, name))
	}
	if err != nil {
		return nil, err
	}
	b.Dir, b.Source = name, source
	return b, nil
}

func displayPath(source, name string) string {
	if source == "embedded" {
		return "routes/hosts/" + name
	}
	return path.Join(strings.ReplaceAll(source, "\\", "/"), name)
}

func readContract(fsys fs.FS, file, display string) (*Bundle, error) {
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, err
	}
	h, err := contract.LoadWith(display, data, Preludes())
	if err != nil {
		return nil, err
	}
	return &Bundle{Host: h}, nil
}

// readBundle loads a bundle folder and checks its other files: the mail
// templates parse and the fixtures decode.
func readBundle(sub fs.FS, display string) (*Bundle, error) {
	b, err := readContract(sub, "contract.yaml", path.Join(display, "contract.yaml"))
	if err != nil {
		return nil, err
	}
	b.FS = sub
	var errs []error
	entries, err := fs.ReadDir(sub, ".")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		switch n := e.Name(); {
		case n == "contract.yaml" || n == "fixtures.yaml" || strings.HasPrefix(n, "."):
		case n == "mail" && e.IsDir():
			errs = append(errs, checkMail(sub, display)...)
		case n == "golden" && e.IsDir():
		default:
			errs = append(errs, fmt.Errorf("%s: unknown bundle entry %q (a bundle holds contract.yaml, mail/, fixtures.yaml, golden/)", display, n))
		}
	}
	if _, err := readFixtures(sub, display); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return b, nil
}

func checkMail(sub fs.FS, display string) []error {
	entries, err := fs.ReadDir(sub, "mail")
	if err != nil {
		return []error{err}
	}
	var errs []error
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !strings.HasSuffix(n, ".txt") {
			errs = append(errs, fmt.Errorf("%s/mail/%s: a mail template is a file <language>.txt", display, n))
			continue
		}
	}
	if mail, err := fs.Sub(sub, "mail"); err == nil {
		if err := mailer.CheckTemplates(mail); err != nil {
			errs = append(errs, fmt.Errorf("%s/mail: %s", display, strings.TrimPrefix(err.Error(), "mailer: ")))
		}
	}
	return errs
}

// Mail returns the set's mail templates laid out as the mailer reads them,
// <host>/<language>.txt: each bundle's mail/ folder under its host's name
// (the name a contract's activation template key refers to).
func (s *Set) Mail() fs.FS {
	m := mailFS{}
	for _, b := range s.Bundles {
		if b.FS == nil {
			continue
		}
		if sub, err := fs.Sub(b.FS, "mail"); err == nil {
			if _, err := fs.Stat(b.FS, "mail"); err == nil {
				m[b.Host.Name] = sub
			}
		}
	}
	return m
}

// FixtureUser is an account a bundle's golden exchanges sign in with.
type FixtureUser struct {
	Username string   `yaml:"username"`
	Email    string   `yaml:"email"`
	Password string   `yaml:"password"`
	Roles    []string `yaml:"roles"`
}

type fixtures struct {
	Users []FixtureUser `yaml:"users"`
}

// Fixtures returns the accounts of the bundle's fixtures.yaml (none when
// it has no such file).
func (b *Bundle) Fixtures() ([]FixtureUser, error) {
	if b.FS == nil {
		return nil, nil
	}
	return readFixtures(b.FS, displayPath(b.Source, b.Dir))
}

func readFixtures(fsys fs.FS, display string) ([]FixtureUser, error) {
	data, err := fs.ReadFile(fsys, "fixtures.yaml")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var f fixtures
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, contract.YAMLError(display+"/fixtures.yaml", data, err)
	}
	return f.Users, nil
}
