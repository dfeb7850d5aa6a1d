package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/uaformat/uaformat/console"
)

// readmeDaemon returns the Go program of README's "Your own Director",
// the block after its program marker.
func readmeDaemon(t *testing.T) string {
	t.Helper()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	// internal/readme checks that this marker names this test.
	const marker = "\n<!-- program: internal/e2e TestReadmeDaemon -->\n```go\n"
	_, code, ok := strings.Cut(string(readme), marker)
	if !ok {
		t.Fatalf("README has no Go program after %q", strings.TrimSpace(marker))
	}
	code, _, ok = strings.Cut(code, "\n```\n")
	if !ok {
		t.Fatal("README's daemon program does not end")
	}
	return code + "\n"
}

// TestReadmeDaemon builds README's daemon as a module of its own (the
// repository replaced by this checkout, no network), runs it and talks to
// it with the Go client: its own command and the catalog commands on its
// own catalog. It takes a build of the daemon: skipped with -short.
func TestReadmeDaemon(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	code := readmeDaemon(t)
	if n := strings.Count(code, "\n"); n >= 50 {
		t.Errorf("README's daemon has %d lines, want fewer than 50", n)
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	if !strings.Contains(code, `"127.0.0.1:9101"`) {
		t.Fatal("README's daemon does not listen on 127.0.0.1:9101")
	}
	code = strings.Replace(code, `"127.0.0.1:9101"`, `"`+addr+`"`, 1)

	dir := t.TempDir()
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	mod := "module example.com/mydir\n\ngo 1.26.0\n\nrequire github.com/uaformat/uaformat v0.0.0\n\nreplace github.com/uaformat/uaformat => " + root + "\n"
	for name, data := range map[string][]byte{"main.go": []byte(code), "go.mod": []byte(mod), "go.sum": sum} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	env := append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=mod", "GOWORK=off")
	for _, args := range [][]string{{"mod", "tidy"}, {"build", "-o", "mydir", "."}} {
		cmd := exec.CommandContext(ctx, goBin, args...)
		cmd.Dir, cmd.Env = dir, env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}

	_, c := startProcess(ctx, t, addr, console.Options{Password: "secret", JSON: true, Timeout: 10 * time.Second}, filepath.Join(dir, "mydir"))
	hello, err := c.CallJSON(ctx, "hello client=web-fd")
	if err != nil || hello.Get("greeting").String() != "hello web-fd" {
		t.Errorf("hello: %s, %v", hello.Raw, err)
	}
	files, err := c.CallJSON(ctx, ".bvfs_lsfiles jobid=1 path=/srv/www/")
	if got := files.Get("files.#.name").String(); err != nil || got != `["app.js","index.html"]` {
		t.Errorf(".bvfs_lsfiles: %s, %v", got, err)
	}
	status, err := c.CallJSON(ctx, "status director")
	if err != nil || status.Get("header.binary_info").String() != "my-daemon" {
		t.Errorf("status director: %s, %v", status.Get("header").Raw, err)
	}
	if _, err := c.CallJSON(ctx, "hello client=nobody"); err == nil || !strings.Contains(err.Error(), `Client "nobody" not found.`) {
		t.Errorf("hello client=nobody: %v", err)
	}
}
