package hosts

import (
	"io"
	"io/fs"
	"sort"
	"strings"
	"time"
)

// mailFS joins the bundles' mail folders into one tree: "<host>/<file>"
// is "<file>" of that host's folder.
type mailFS map[string]fs.FS

func (m mailFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if name == "." {
		return &rootDir{m: m}, nil
	}
	host, rest, _ := strings.Cut(name, "/")
	sub, ok := m[host]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	if rest == "" {
		f, err := sub.Open(".")
		if err != nil {
			return nil, err
		}
		return hostDir{f, host}, nil
	}
	return sub.Open(rest)
}

// hostDir is a host's mail folder, named after the host.
type hostDir struct {
	fs.File
	name string
}

func (d hostDir) Stat() (fs.FileInfo, error) { return dirInfo(d.name), nil }

func (d hostDir) ReadDir(n int) ([]fs.DirEntry, error) {
	rd, ok := d.File.(fs.ReadDirFile)
	if !ok {
		return nil, &fs.PathError{Op: "readdir", Path: d.name, Err: fs.ErrInvalid}
	}
	return rd.ReadDir(n)
}

// rootDir lists one folder per host.
type rootDir struct {
	m   mailFS
	off int
}

func (d *rootDir) Stat() (fs.FileInfo, error) { return dirInfo("."), nil }
func (d *rootDir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: ".", Err: fs.ErrInvalid}
}
func (d *rootDir) Close() error { return nil }

func (d *rootDir) ReadDir(n int) ([]fs.DirEntry, error) {
	names := make([]string, 0, len(d.m))
	for k := range d.m {
		names = append(names, k)
	}
	sort.Strings(names)
	names = names[min(d.off, len(names)):]
	if n > 0 && len(names) > n {
		names = names[:n]
	}
	d.off += len(names)
	if n > 0 && len(names) == 0 {
		return nil, io.EOF
	}
	out := make([]fs.DirEntry, len(names))
	for i, k := range names {
		out[i] = fs.FileInfoToDirEntry(dirInfo(k))
	}
	return out, nil
}

type dirInfo string

func (i dirInfo) Name() string       { return string(i) }
func (i dirInfo) Size() int64        { return 0 }
func (i dirInfo) Mode() fs.FileMode  { return fs.ModeDir | 0o555 }
func (i dirInfo) ModTime() time.Time { return time.Time{} }
func (i dirInfo) IsDir() bool        { return true }
func (i dirInfo) Sys() any           { return nil }
