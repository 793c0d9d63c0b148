// Command vulndb writes the Go vulnerability database that govulncheck reads with -db file:///<dir>, from
// one version of the golang.org/x/vulndb module fetched through the module proxy, so that a vulnerability
// check needs no network service and always checks against the same, pinned data:
//
//	vulndb -version v0.0.0-20261105234957-e22db6528018 -o _build/vulndb
//
// It runs `go mod download -json golang.org/x/vulndb@<version>` (GOPROXY, GOFLAGS and the module cache
// as the go command has them) and converts the module's OSV entries (package vulndb).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"time"

	"github.com/datableio/oktareceiver/internal/tools/vulndb"
)

const modulePath = "golang.org/x/vulndb"

func main() {
	version := flag.String("version", "", "the golang.org/x/vulndb module version (a pseudo-version: v0.0.0-<date>-<commit>)")
	out := flag.String("o", "", "the directory to write the database to (replaced)")
	flag.Parse()
	if *version == "" || *out == "" || flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: vulndb -version <golang.org/x/vulndb version> -o <dir>")
		os.Exit(2)
	}
	if err := run(context.Background(), *version, *out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(ctx context.Context, version, out string) error {
	cmd := exec.CommandContext(ctx, "go", "mod", "download", "-json", modulePath+"@"+version)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, runErr := cmd.Output()
	dir, snapshot, err := located(stdout)
	if err != nil {
		if runErr != nil {
			return fmt.Errorf("go mod download %s@%s: %w: %s%s", modulePath, version, runErr, stderr.Bytes(), err)
		}
		return err
	}
	sum, err := vulndb.Convert(dir, out, snapshot)
	if err != nil {
		return err
	}
	fmt.Printf("vulndb: %s@%s (%s): %d entries, %d modules in %s\n",
		modulePath, version, sum.Modified.Format(time.DateOnly), sum.Entries, sum.Modules, out)
	return nil
}

// located reads `go mod download -json`'s answer: the module's directory, and the time of its version from
// the .info file (the vulndb commit's time).
func located(downloadJSON []byte) (dir string, snapshot time.Time, err error) {
	var m struct {
		Path, Version, Error string
		Dir, Info            string
	}
	if err := json.Unmarshal(downloadJSON, &m); err != nil {
		return "", time.Time{}, fmt.Errorf("vulndb: go mod download -json printed %q: %w", downloadJSON, err)
	}
	if m.Error != "" {
		return "", time.Time{}, fmt.Errorf("vulndb: %s@%s: %s", m.Path, m.Version, m.Error)
	}
	if m.Dir == "" || m.Info == "" {
		return "", time.Time{}, errors.New("vulndb: go mod download -json named no Dir or Info for " + m.Path + "@" + m.Version)
	}
	b, err := os.ReadFile(m.Info)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("vulndb: %w", err)
	}
	var info struct{ Time time.Time }
	if err := json.Unmarshal(b, &info); err != nil || info.Time.IsZero() {
		return "", time.Time{}, fmt.Errorf("vulndb: %s holds no version time: %q", m.Info, b)
	}
	return m.Dir, info.Time, nil
}
