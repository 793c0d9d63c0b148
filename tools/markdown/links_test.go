// Package markdown checks the repository's Markdown files: every relative link resolves to a file or folder
// of the repository and every #anchor to a heading of its target.
package markdown

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// root is the repository's top folder.
var root = filepath.Join("..", "..")

var (
	fence      = regexp.MustCompile("(?ms)^```.*?^```[ \t]*$")
	inlineLink = regexp.MustCompile(`\]\(([^)\s]+)(?:\s+"[^"]*")?\)`)
	refLink    = regexp.MustCompile(`(?m)^\s*\[[^\]]+\]:\s*(\S+)`)
	heading    = regexp.MustCompile(`(?m)^#{1,6}\s+(.+?)\s*#*\s*$`)
	scheme     = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)
)

// TestRelativeLinksResolve reads every Markdown file of the repository (outside hidden folders and
// _build) and checks each relative link.
func TestRelativeLinksResolve(t *testing.T) {
	files := markdownFiles(t)
	if len(files) < 3 {
		t.Fatalf("found %d Markdown files under %s, expected the README, the changelog and docs/", len(files), root)
	}
	anchors := map[string]map[string]bool{}
	for _, f := range files {
		text := prose(t, f)
		var targets []string
		for _, m := range inlineLink.FindAllStringSubmatch(text, -1) {
			targets = append(targets, m[1])
		}
		for _, m := range refLink.FindAllStringSubmatch(text, -1) {
			targets = append(targets, m[1])
		}
		rel, _ := filepath.Rel(root, f)
		for _, target := range targets {
			// <target> is a target written in angle brackets; `[comment]: <> (…)` is a comment.
			target = strings.TrimSuffix(strings.TrimPrefix(target, "<"), ">")
			if target == "" || scheme.MatchString(target) {
				continue
			}
			p, anchor, _ := strings.Cut(target, "#")
			dest := f
			if p != "" {
				dest = filepath.Join(filepath.Dir(f), filepath.FromSlash(p))
				if _, err := os.Stat(dest); err != nil {
					t.Errorf("%s: the link %s points to %s, which does not exist", rel, target, p)
					continue
				}
			}
			if anchor == "" {
				continue
			}
			if !strings.HasSuffix(dest, ".md") {
				t.Errorf("%s: the link %s has an anchor into a file that is not Markdown", rel, target)
				continue
			}
			if anchors[dest] == nil {
				anchors[dest] = headingAnchors(prose(t, dest))
			}
			if !anchors[dest][anchor] {
				t.Errorf("%s: the link %s names no heading of %s", rel, target, filepath.Base(dest))
			}
		}
	}
}

func TestHeadingAnchors(t *testing.T) {
	got := headingAnchors("# The records\n## What `make test` checks\n## Sizing\n## Sizing\n### Kubernetes › Sizing, etc.\n")
	for _, want := range []string{"the-records", "what-make-test-checks", "sizing", "sizing-1", "kubernetes--sizing-etc"} {
		if !got[want] {
			t.Errorf("no anchor %q in %v", want, got)
		}
	}
}

func markdownFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != root && (strings.HasPrefix(d.Name(), ".") || strings.HasPrefix(d.Name(), "_")) {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".md") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// prose is a Markdown file without its fenced code blocks, where neither a link nor a heading is one.
func prose(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return fence.ReplaceAllString(string(b), "")
}

// headingAnchors returns the anchors a Markdown renderer such as GitHub's gives the headings: lower case,
// punctuation dropped, spaces turned to hyphens, a repeated one numbered -1, -2, ….
func headingAnchors(text string) map[string]bool {
	anchors := map[string]bool{}
	seen := map[string]int{}
	for _, m := range heading.FindAllStringSubmatch(text, -1) {
		var b strings.Builder
		for _, r := range strings.ToLower(m[1]) {
			switch {
			case r == ' ':
				b.WriteRune('-')
			case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r):
				b.WriteRune(r)
			}
		}
		a := b.String()
		if n := seen[a]; n > 0 {
			anchors[a+"-"+strconv.Itoa(n)] = true
		} else {
			anchors[a] = true
		}
		seen[a]++
	}
	return anchors
}
