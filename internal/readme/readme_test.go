// Package readme checks that the README's Go snippets are the bodies of
// compiled, tested Example functions, so that no snippet can drift from
// the code that go test runs.
//
// Each ```go block in README.md must follow a marker line
//
//	<!-- example: DIR FuncName -->
//
// naming a package directory (relative to the repository root) and an
// Example function in one of its _test.go files. The block must equal the
// function's body, dedented by one tab, without its "// Output:" comment
// block.
//
// A whole program (the README's "Your own Director") follows instead
//
//	<!-- program: DIR TestName -->
//
// naming the test that extracts the block after that marker, builds it and
// runs it; the block must be a main package and the test must exist.
package readme

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var (
	markerRE  = regexp.MustCompile(`^<!-- example: (\S+) (Example\w*) -->$`)
	programRE = regexp.MustCompile(`^<!-- program: (\S+) (Test\w*) -->$`)
)

type snippet struct {
	line      int
	dir, name string
	program   bool // a whole program built and run by test name, not an Example body
	code      string
}

// readmeSnippets returns the Go snippets of the Markdown file at path and
// the problems found (a snippet without a marker).
func readmeSnippets(path string) ([]snippet, []error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, []error{err}
	}
	defer f.Close()
	var (
		out     []snippet
		errs    []error
		pending *snippet
		inGo    bool
		code    strings.Builder
		cur     snippet
	)
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case inGo && line == "```":
			inGo = false
			cur.code = code.String()
			out = append(out, cur)
		case inGo:
			code.WriteString(line)
			code.WriteByte('\n')
		case strings.HasPrefix(line, "```go"):
			if pending == nil {
				errs = append(errs, fmt.Errorf("%s:%d: a Go snippet without an <!-- example: DIR ExampleName --> marker before it", filepath.Base(path), n))
				cur = snippet{line: n}
			} else {
				cur = *pending
				cur.line = n
			}
			pending = nil
			inGo = true
			code.Reset()
		default:
			if m := markerRE.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
				pending = &snippet{line: n, dir: m[1], name: m[2]}
			} else if m := programRE.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
				pending = &snippet{line: n, dir: m[1], name: m[2], program: true}
			} else if strings.TrimSpace(line) != "" {
				pending = nil
			}
		}
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, err)
	}
	return out, errs
}

// findFunc returns the named top-level function of the _test.go files of
// dir, with the file set and source it was parsed from.
func findFunc(dir, name string) (*ast.FuncDecl, *token.FileSet, []byte, error) {
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join(dir, "*_test.go"))
	if err != nil {
		return nil, nil, nil, err
	}
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			return nil, nil, nil, err
		}
		f, err := parser.ParseFile(fset, file, src, parser.ParseComments)
		if err != nil {
			return nil, nil, nil, err
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if ok && fn.Recv == nil && fn.Name.Name == name && fn.Body != nil {
				return fn, fset, src, nil
			}
		}
	}
	return nil, nil, nil, fmt.Errorf("no function %s in %s/*_test.go", name, dir)
}

// exampleBody returns the body of the named function in the _test.go
// files of dir, dedented by one tab, without the trailing output comment.
func exampleBody(dir, name string) (string, error) {
	fn, fset, src, err := findFunc(dir, name)
	if err != nil {
		return "", err
	}
	start := fset.Position(fn.Body.Lbrace).Offset + 1
	end := fset.Position(fn.Body.Rbrace).Offset
	lines := strings.Split(strings.Trim(string(src[start:end]), "\n"), "\n")
	// Drop the output comment block and what follows it.
	for i, l := range lines {
		tl := strings.TrimSpace(l)
		if tl == "// Output:" || tl == "// Unordered output:" || strings.HasPrefix(tl, "// Output: ") {
			lines = lines[:i]
			break
		}
	}
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(strings.TrimPrefix(l, "\t"))
		b.WriteByte('\n')
	}
	return b.String(), nil
}

// checkProgram reports whether code is a main package and dir has the
// named test, which builds and runs it.
func checkProgram(dir, name, code string) error {
	f, err := parser.ParseFile(token.NewFileSet(), "main.go", code, 0)
	if err != nil {
		return fmt.Errorf("the program does not parse: %w", err)
	}
	if f.Name.Name != "main" {
		return fmt.Errorf("the program is package %s, want main", f.Name.Name)
	}
	if _, _, _, err := findFunc(dir, name); err != nil {
		return err
	}
	return nil
}

func TestSnippetsAreExamples(t *testing.T) {
	root := filepath.Join("..", "..")
	snippets, errs := readmeSnippets(filepath.Join(root, "README.md"))
	for _, err := range errs {
		t.Error(err)
	}
	if len(snippets) == 0 {
		t.Fatal("README.md has no Go snippet")
	}
	for _, s := range snippets {
		if s.name == "" {
			continue // reported above
		}
		dir := filepath.Join(root, filepath.FromSlash(s.dir))
		if s.program {
			if err := checkProgram(dir, s.name, s.code); err != nil {
				t.Errorf("README.md:%d: %v", s.line, err)
			}
			continue
		}
		body, err := exampleBody(dir, s.name)
		if err != nil {
			t.Errorf("README.md:%d: %v", s.line, err)
			continue
		}
		if d := cmp.Diff(body, s.code); d != "" {
			t.Errorf("README.md:%d: snippet differs from %s %s (-example +readme):\n%s", s.line, s.dir, s.name, d)
		}
	}
}

func TestExampleBody(t *testing.T) {
	dir := t.TempDir()
	src := "package x\n\nfunc ExampleA() {\n\tx := 1\n\tif x > 0 {\n\t\tprintln(x)\n\t}\n\n\t// Output:\n\t// 1\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "a_test.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := exampleBody(dir, "ExampleA")
	if err != nil {
		t.Fatal(err)
	}
	want := "x := 1\nif x > 0 {\n\tprintln(x)\n}\n"
	if got != want {
		t.Errorf("exampleBody = %q, want %q", got, want)
	}
	if _, err := exampleBody(dir, "ExampleB"); err == nil {
		t.Error("a missing example is not reported")
	}
	readme := filepath.Join(dir, "README.md")
	md := "text\n<!-- example: ./x ExampleA -->\n```go\nx := 1\n```\n\n```go\ny\n```\n<!-- program: ./x TestA -->\n```go\npackage main\n```\n"
	if err := os.WriteFile(readme, []byte(md), 0o644); err != nil {
		t.Fatal(err)
	}
	snips, errs := readmeSnippets(readme)
	if len(snips) != 3 || snips[0].name != "ExampleA" || snips[0].dir != "./x" || snips[0].code != "x := 1\n" || snips[1].name != "" ||
		!snips[2].program || snips[2].name != "TestA" || snips[0].program {
		t.Errorf("snippets = %+v", snips)
	}
	if err := checkProgram(dir, "ExampleA", snips[2].code); err != nil {
		t.Errorf("checkProgram: %v", err)
	}
	if err := checkProgram(dir, "TestA", snips[2].code); err == nil {
		t.Error("checkProgram: a missing test is not reported")
	}
	if err := checkProgram(dir, "ExampleA", "package x\n"); err == nil {
		t.Error("checkProgram: a program that is not package main is not reported")
	}
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "README.md:7: a Go snippet without") {
		t.Errorf("errors = %v, want one for the unmarked snippet at line 7", errs)
	}
}
