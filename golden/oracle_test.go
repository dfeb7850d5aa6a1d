package golden

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// oracleDirEnv names an extra directory of oracle cases (NAME.calls +
// NAME.out) to run besides testdata/oracle, e.g. a held-back acceptance set.
const oracleDirEnv = "UAFORMAT_ORACLE_DIR"

// TestOracle replays every recorded oracle case through the formatter and
// requires byte-identical packets.
func TestOracle(t *testing.T) {
	dirs := []string{filepath.Join("testdata", "oracle")}
	if extra := os.Getenv(oracleDirEnv); extra != "" {
		dirs = append(dirs, extra)
	}
	for _, dir := range dirs {
		calls, err := filepath.Glob(filepath.Join(dir, "*.calls"))
		if err != nil {
			t.Fatal(err)
		}
		if len(calls) == 0 {
			t.Fatalf("%s: no *.calls files", dir)
		}
		for _, path := range calls {
			name := strings.TrimSuffix(filepath.Base(path), ".calls")
			if len(dirs) > 1 {
				name = filepath.Base(dir) + "/" + name
			}
			t.Run(name, func(t *testing.T) { runOracleCase(t, path) })
		}
	}
}

func runOracleCase(t *testing.T, callsPath string) {
	t.Parallel()
	s, err := ParseFile(callsPath)
	if err != nil {
		t.Fatal(err)
	}
	outPath := strings.TrimSuffix(callsPath, ".calls") + ".out"
	f, err := os.Open(outPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want, err := ReadOut(f)
	if err != nil {
		t.Fatalf("%s: %v", outPath, err)
	}
	got, err := s.Output()
	if err != nil {
		t.Fatal(err)
	}
	if d := Diff(want, got); d != "" {
		t.Errorf("%s (%s) differs from %s:\n%s", callsPath, s.Header.Note, outPath, d)
	}
}
