package config

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// BenchmarkLoadLayout loads the packaged-installation layout (21 files),
// what a daemon does at start and on every reload.
func BenchmarkLoadLayout(b *testing.B) {
	fsys := os.DirFS("testdata/layout")
	for b.Loop() {
		if _, err := Load("/etc/bareos", Options{FS: fsys}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseConsoles parses configurations of n consoles sharing a
// profile; ns/op per console should stay flat as n grows.
func BenchmarkParseConsoles(b *testing.B) {
	for _, n := range []int{100, 10000} {
		var sb strings.Builder
		sb.WriteString("Profile { Name = p; Command ACL = list, .jobs, \"!.bvfs_.*\", *all* }\n")
		for i := range n {
			fmt.Fprintf(&sb, "Console {\n  Name = c%d\n  Password = \"pw%d\"\n  Job ACL = Backup.*, !BackupCatalog\n  Profile = p\n}\n", i, i)
		}
		src := []byte(sb.String())
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				cfg, err := Parse("bench.conf", src, Options{})
				if err != nil || len(cfg.Consoles) != n {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/console")
		})
	}
}
