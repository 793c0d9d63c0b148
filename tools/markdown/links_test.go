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
	anchors := map[string]map[string]int{}
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
			if err := anchorProblem(anchors[dest], anchor); err != "" {
				t.Errorf("%s: the link %s %s of %s", rel, target, err, filepath.Base(dest))
			}
		}
	}
}

// anchorProblem says what is wrong with a link to anchor among a file's headings: none has it, or two
// headings have the same text, so that the link lands on the first whichever was meant. "" when the link
// names a heading that exists once.
func anchorProblem(anchors map[string]int, anchor string) string {
	switch n := anchors[anchor]; {
	case n == 0:
		return "names no heading"
	case n > 1:
		return "names a heading that appears " + strconv.Itoa(n) + " times (give each its own text)"
	}
	return ""
}

func TestHeadingAnchors(t *testing.T) {
	got := headingAnchors("# The records\n## What `make test` checks\n## Sizing\n## Sizing\n### Kubernetes › Sizing, etc.\n")
	for _, want := range []string{"the-records", "what-make-test-checks", "sizing", "sizing-1", "kubernetes--sizing-etc"} {
		if got[want] == 0 {
			t.Errorf("no anchor %q in %v", want, got)
		}
	}
	if p := anchorProblem(got, "sizing"); !strings.Contains(p, "2 times") {
		t.Errorf("a link to a repeated heading is not refused: %q", p)
	}
	if p := anchorProblem(got, "the-records"); p != "" {
		t.Errorf("a link to a heading that exists once is refused: %q", p)
	}
	if p := anchorProblem(got, "nowhere"); p != "names no heading" {
		t.Errorf("a link to no heading: %q", p)
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

// headingAnchors returns the anchors a Markdown renderer such as GitHub's gives the headings (lower case,
// punctuation dropped, spaces turned to hyphens, a repeated one numbered -1, -2, …), each with the number of
// headings whose text gives it: more than one for the first anchor of a repeated heading.
func headingAnchors(text string) map[string]int {
	anchors := map[string]int{}
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
			anchors[a+"-"+strconv.Itoa(n)]++
		}
		anchors[a]++
		seen[a]++
	}
	return anchors
}
