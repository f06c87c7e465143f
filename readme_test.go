package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The README's flag table is --help's, flag by flag: a newcomer who reads only
// the README sees every flag (--validate and --namespace were once missing).
func TestReadmeFlagsAreHelpFlags(t *testing.T) {
	flags := func(text string, re *regexp.Regexp) []string {
		var out []string
		for _, m := range re.FindAllStringSubmatch(text, -1) {
			for _, f := range regexp.MustCompile(`--?[a-z][a-z-]*`).FindAllString(m[1], -1) {
				out = append(out, f)
			}
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	helpFlags := usage[strings.Index(usage, "\nFlags:\n"):]
	help := flags(helpFlags, regexp.MustCompile(`(?m)^  (--[a-z-]+)`))
	help = append(help, "-n") // --help documents -n in --namespace's line
	slices.Sort(help)
	readme := readFile(t, "README.md")
	table := readme[strings.Index(readme, "| flag | meaning |"):]
	table = table[:strings.Index(table, "\n\n")]
	listed := flags(table, regexp.MustCompile("(?m)^\\| ([^|]+) \\|"))
	if !slices.Equal(help, listed) {
		t.Errorf("--help lists %v, the README's table %v", help, listed)
	}
	if !strings.Contains(usage, "(-n)") {
		t.Errorf("--help no longer names -n")
	}
	for _, code := range []string{"0 on success", "1 when an error result exists", "2 for a usage error"} {
		if !strings.Contains(readme, code) {
			t.Errorf("the README does not document exit code %q", code)
		}
	}
}

// --help opens with the README's summary: one text, two places.
func TestReadmeSummaryIsHelp(t *testing.T) {
	readme := readFile(t, "README.md")
	start := strings.Index(readme, "<!-- summary")
	end := strings.Index(readme, "<!-- /summary -->")
	if start < 0 || end < start {
		t.Fatal("the README has no summary block")
	}
	summary := readme[strings.Index(readme[start:], "-->\n")+start+4 : end]
	words := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	if !strings.HasPrefix(words(usage), words(summary)) {
		t.Errorf("--help does not open with the README's summary:\n%s\n---\n%s", words(summary), words(usage)[:len(words(summary))])
	}
}

// Every relative link of the README, the reference pages and the examples'
// READMEs leads to a file that exists, and an anchor to a heading there.
func TestDocsLinksResolve(t *testing.T) {
	pages := []string{"README.md"}
	for _, glob := range []string{"docs/*.md", "examples/*/README.md", "examples/*/*/README.md"} {
		m, _ := filepath.Glob(glob)
		pages = append(pages, m...)
	}
	link := regexp.MustCompile(`\]\(([^)\s]+)\)`)
	for _, page := range pages {
		text := readFile(t, page)
		for _, m := range link.FindAllStringSubmatch(stripFences(text), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			path, anchor, _ := strings.Cut(target, "#")
			file := page
			if path != "" {
				file = filepath.Join(filepath.Dir(page), path)
				if _, err := os.Stat(file); err != nil {
					t.Errorf("%s links to %s, which does not exist", page, target)
					continue
				}
			}
			if anchor != "" && strings.HasSuffix(file, ".md") && !slices.Contains(anchors(readFile(t, file)), anchor) {
				t.Errorf("%s links to %s: %s has no such heading", page, target, file)
			}
		}
	}
}

func stripFences(s string) string {
	var out []string
	fence := false
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, "```") {
			fence = !fence
			continue
		}
		if !fence {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// anchors are a Markdown page's heading anchors, as GitHub makes them.
func anchors(page string) []string {
	var out []string
	for _, l := range strings.Split(stripFences(page), "\n") {
		if m := regexp.MustCompile(`^#{1,6} (.*)$`).FindStringSubmatch(l); m != nil {
			h := strings.ToLower(strings.TrimSpace(m[1]))
			h = regexp.MustCompile(`[^\w\- ]`).ReplaceAllString(h, "")
			out = append(out, strings.ReplaceAll(h, " ", "-"))
		}
	}
	return out
}

// The README, the reference pages and the examples describe no one machine: a
// newcomer elsewhere reads how to get each tool, not where it sits here.
func TestNoMachineSpecificText(t *testing.T) {
	machine := regexp.MustCompile(`(?i)these machines|this machine has|/usr/bin/kpt|on the build machines|kpt 1\.0\.0-beta\.\d+ at`)
	err := filepath.Walk(".", func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if info.IsDir() && (strings.HasPrefix(info.Name(), ".") && path != ".") {
			return filepath.SkipDir
		}
		if info.IsDir() || !strings.HasSuffix(path, ".md") {
			return nil
		}
		if m := machine.FindString(readFile(t, path)); m != "" {
			t.Errorf("%s describes one machine: %q", path, m)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// The Go the README asks for is go.mod's.
func TestReadmeGoVersionIsGoMod(t *testing.T) {
	m := regexp.MustCompile(`(?m)^go (\S+)$`).FindStringSubmatch(readFile(t, "go.mod"))
	if m == nil {
		t.Fatal("go.mod has no go line")
	}
	if !strings.Contains(readFile(t, "README.md"), "needs only Go ("+m[1]+" or later, as `go.mod` says)") {
		t.Errorf("the README does not ask for go.mod's Go %s", m[1])
	}
}

// metadata.yaml has every field of the kpt catalog's entries (functions/go/
// set-namespace/metadata.yaml): image, description, tags, sourceURL, the
// example package, the maintainers' emails and the license.
func TestCatalogMetadata(t *testing.T) {
	meta := readFile(t, "metadata.yaml")
	for _, field := range []string{"image", "description", "tags", "sourceURL", "examplePackageURLs", "emails", "license"} {
		if !regexp.MustCompile(`(?m)^` + field + `:`).MatchString(meta) {
			t.Errorf("metadata.yaml lacks %s", field)
		}
	}
	emails := meta[strings.Index(meta, "\nemails:"):]
	if !regexp.MustCompile(`(?m)^- [^@\s]+@[^@\s]+\.[a-z]+$`).MatchString(emails) {
		t.Errorf("metadata.yaml's emails hold no address:\n%s", emails)
	}
}
