package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"legacygate/routes/contract"
	"legacygate/routes/contract/importer"
)

// contractImportCmd is `legacygate contract import FILE`: a starter
// contract drafted from a saved legacy help or metadata page.
func contractImportCmd(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "import" {
		return usagef("usage: legacygate contract import [--host NAME] [--out FILE] PAGE")
	}
	fs := flag.NewFlagSet("contract import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	host := fs.String("host", "", "contract host name (default: from the file name)")
	out := fs.String("out", "", "write the contract here instead of stdout")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: legacygate contract import [--host NAME] [--out FILE] PAGE\n\n"+
			"Drafts a host contract from a saved ASP.NET Web API help page (/Help/Api/...) or\n"+
			"ServiceStack metadata page (/json/metadata?op=...), as HTML or saved text. What the\n"+
			"page cannot say is listed at the top of the contract and on stderr.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	if fs.NArg() != 1 {
		return usagef("one PAGE file expected, got %d arguments", fs.NArg())
	}
	path := fs.Arg(0)
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	page, err := io.ReadAll(io.LimitReader(f, importer.MaxBytes+1))
	if err != nil {
		return err
	}
	name := *host
	if name == "" {
		name = strings.ToLower(strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)))
		name = strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' {
				return r
			}
			return '_'
		}, name)
		if name == "" || name[0] >= '0' && name[0] <= '9' {
			name = "host_" + name
		}
	}
	d, err := importer.Import(page, name, filepath.Base(path))
	if err != nil {
		return err
	}
	y := d.YAML()
	if _, err := contract.Load(name+".yaml", y); err != nil {
		return fmt.Errorf("the drafted contract does not load (please report this page): %w", err)
	}
	for _, r := range d.Report {
		fmt.Fprintln(stderr, "to check:", r)
	}
	if *out == "" {
		_, err = stdout.Write(y)
		return err
	}
	return os.WriteFile(*out, y, 0o644)
}
