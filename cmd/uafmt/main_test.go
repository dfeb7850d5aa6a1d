package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/uaformat/uaformat/golden"
)

const oracleDir = "../../golden/testdata/oracle"

// TestReplayOracle runs uafmt on a few oracle scripts, from a file and from
// standard input, and requires the recorded .out bytes exactly.
func TestReplayOracle(t *testing.T) {
	for _, name := range []string{"m0_list_jobs_table", "m1_defaults_sendbuffer", "m2_bvfs_lsfiles", "m2_send_fails", "m0_messages",
		"r_show_client_m0", "r_fileset_m2c", "r_indent_m1"} {
		callsPath := filepath.Join(oracleDir, name+".calls")
		want, err := os.ReadFile(filepath.Join(oracleDir, name+".out"))
		if err != nil {
			t.Fatal(err)
		}
		script, err := os.ReadFile(callsPath)
		if err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{{callsPath}, {"-"}} {
			var stdout, stderr bytes.Buffer
			code := run(args, bytes.NewReader(script), &stdout, &stderr)
			if code != 0 || stderr.Len() != 0 {
				t.Errorf("uafmt %s: exit %d, stderr %q", args[0], code, stderr.String())
			}
			if !bytes.Equal(stdout.Bytes(), want) {
				wantP, _ := golden.ReadOut(bytes.NewReader(want))
				gotP, err := golden.ReadOut(bytes.NewReader(stdout.Bytes()))
				if err != nil {
					t.Errorf("uafmt %s (%s): output is not .out format: %v", args[0], name, err)
					continue
				}
				t.Errorf("uafmt %s (%s): output differs:\n%s", args[0], name, golden.Diff(wantP, gotP))
			}
		}
	}
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.calls")
	if err := os.WriteFile(bad, []byte(`{"mode":0}`+"\n\n"+`["KVUint", "k", null, -1, null]`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	badHeader := filepath.Join(dir, "hdr.calls")
	if err := os.WriteFile(badHeader, []byte(`{"mode":0,"colour":true}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args   []string
		stdin  string
		code   int
		stderr string // exact, or a prefix if it ends in "..."
	}{
		{[]string{bad}, "", 2, "uafmt: " + bad + ":3: KVUint: argument 3: want an unsigned 64-bit integer, got -1\n"},
		{[]string{badHeader}, "", 2, "uafmt: " + badHeader + `:1: header: unknown key "colour" (known: mode, compact, send_fails, note)` + "\n"},
		{[]string{"-"}, `{"mode":1}` + "\n" + `["Nope"]`, 2, "uafmt: <stdin>:2: unknown method \"Nope\"\n"},
		{[]string{"-"}, "", 2, "uafmt: <stdin>:1: empty script: missing header line\n"},
		{[]string{filepath.Join(dir, "missing.calls")}, "", 1, "uafmt: open " + filepath.Join(dir, "missing.calls") + ": no such file or directory\n"},
		{nil, "", 2, "uafmt: want exactly one script file, got 0 arguments\nusage: uafmt..."},
		{[]string{bad, bad}, "", 2, "uafmt: want exactly one script file, got 2 arguments\nusage: uafmt..."},
		{[]string{"-nosuchflag", bad}, "", 2, "flag provided but not defined: -nosuchflag\nusage: uafmt..."},
		{[]string{"-h"}, "", 0, "usage: uafmt..."},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := run(tt.args, strings.NewReader(tt.stdin), &stdout, &stderr)
		if code != tt.code {
			t.Errorf("uafmt %q: exit %d, want %d", tt.args, code, tt.code)
		}
		if stdout.Len() != 0 {
			t.Errorf("uafmt %q: stdout %q, want nothing", tt.args, stdout.String())
		}
		got := stderr.String()
		if prefix, ok := strings.CutSuffix(tt.stderr, "..."); ok {
			if !strings.HasPrefix(got, prefix) {
				t.Errorf("uafmt %q: stderr %q, want it to start with %q", tt.args, got, prefix)
			}
		} else if got != tt.stderr {
			t.Errorf("uafmt %q:\nstderr %q\n  want %q", tt.args, got, tt.stderr)
		}
	}
}

// errWriter fails every write.
type errWriter struct{}

func (errWriter) Write([]byte) (int, error) { return 0, os.ErrClosed }

func TestWriteError(t *testing.T) {
	var stderr bytes.Buffer
	script := `{"mode":0}` + "\n" + `["Message", "info", "hello"]` + "\n"
	code := run([]string{"-"}, strings.NewReader(script), errWriter{}, &stderr)
	// Until the formatter sends anything there is nothing to fail on.
	if code != 1 && !(code == 0 && stderr.Len() == 0) {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
	if code == 1 && !strings.HasPrefix(stderr.String(), "uafmt: writing output: ") {
		t.Errorf("stderr %q, want a write error", stderr.String())
	}
}

// TestNoTestingInBinaries checks that no command of the module links
// package testing or go-cmp (test helpers such as golden must stay out of
// them): go list -deps of every cmd/ package.
func TestNoTestingInBinaries(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command in PATH")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, gobin, "list", "-deps", "github.com/uaformat/uaformat/cmd/...")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list -deps listed only %q", deps)
	}
	for _, d := range deps {
		if d == "testing" || strings.HasPrefix(d, "testing/") || strings.HasPrefix(d, "github.com/google/go-cmp") {
			t.Errorf("a command links %s", d)
		}
	}
}
