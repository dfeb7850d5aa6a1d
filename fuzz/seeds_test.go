package fuzz

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uaformat/uaformat/formatter"
	"github.com/uaformat/uaformat/golden"
)

var writeSeeds = flag.Bool("seeds", false, "rewrite the golden-derived seed corpora in testdata/fuzz")

// oracleDir holds the golden call scripts the formatter seeds come from.
var oracleDir = filepath.Join("..", "golden", "testdata", "oracle")

// programTargets are the fuzz targets whose input is a Program.
var programTargets = []string{"FuzzFormatter", "FuzzFormatterReuse", "FuzzFormatterTree"}

// corpusFile returns the text of a corpus file holding one []byte value.
func corpusFile(data []byte) []byte {
	return fmt.Appendf(nil, "go test fuzz v1\n[]byte(%q)\n", data)
}

// checkSeed compares the corpus file at path with data, or writes it with
// -seeds.
func checkSeed(t *testing.T, path string, data []byte) {
	t.Helper()
	want := corpusFile(data)
	if *writeSeeds {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./fuzz -run TestSeed -seeds)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s is out of date (run go test ./fuzz -run TestSeed -seeds)", path)
	}
}

// TestSeedFormatterCorpus checks that every golden oracle case, encoded as
// a Program, replays to exactly the oracle's packets (so the encoding and
// Call.Apply are faithful), and that the encoded case is in the seed
// corpus of every Program target.
func TestSeedFormatterCorpus(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join(oracleDir, "*.calls"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatalf("no oracle cases in %s", oracleDir)
	}
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), ".calls")
		t.Run(name, func(t *testing.T) {
			s, err := golden.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			p, err := FromScript(s)
			if err != nil {
				t.Fatal(err)
			}
			data := p.Encode()
			q := Decode(data)
			rec := &recorder{fail: q.SendFails}
			var sent [][]byte
			f := formatter.New(rec, formatter.Options{Mode: q.Mode, Compact: q.Compact})
			for i := range q.Calls {
				q.Calls[i].Apply(f)
				sent = append(sent, rec.take()...)
			}
			out, err := os.Open(strings.TrimSuffix(path, ".calls") + ".out")
			if err != nil {
				t.Fatal(err)
			}
			defer out.Close()
			want, err := golden.ReadOut(out)
			if err != nil {
				t.Fatal(err)
			}
			if d := golden.Diff(want, sent); d != "" {
				t.Fatalf("decoded program differs from the oracle:\n%s\nprogram:\n%s", d, q)
			}
			for _, target := range programTargets {
				checkSeed(t, filepath.Join("testdata", "fuzz", target, "golden-"+name), data)
			}
		})
	}
}

// TestDecodeEncode checks that Encode is the inverse of Decode on
// arbitrary input that Decode consumed completely.
func TestDecodeEncode(t *testing.T) {
	inputs := [][]byte{
		nil,
		{2},
		{0x0e, byte(OpKVString), 0xff, 3, 'a', 'b', 'c', 0xfe, 3, 0, 'x', 'y', 'z', 0},
		{0x02, byte(OpKVUint), 1, 'k', 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
		{0x01, byte(OpDecoration), 2, '%', 's', 3, 0, 1, 'x', 1, 0xf8, 200, 0, 0xff},
		{0x00, byte(OpFilterRow), 3, 1, 'a', 0xff, 0, byte(OpSetMode), 2, byte(OpAddACLFilter), 0x80, 0x7f},
	}
	for _, in := range inputs {
		p := Decode(in)
		q := Decode(p.Encode())
		if p.String() != q.String() {
			t.Errorf("Decode(%q):\n%s\nround trip:\n%s", in, p, q)
		}
	}
}
