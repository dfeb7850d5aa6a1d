// Package workload drives the formatter with the pinned performance
// workload of shared/perf/README.md: a `.bvfs_lsfiles`-shaped mode-2 result
// of N rows with 19 key/values each (8 in the row object, 11 in its nested
// "stat" object).
//
// The calls, keys (mixed case on purpose) and values are exactly the
// workload's, so the output bytes can be checked against its sha256
// values. Row strings are generated into one reused buffer, as the
// reference generates them with snprintf: the formatter copies every value
// it is given and never keeps the caller's strings.
package workload

import (
	"strconv"
	"unsafe"

	"github.com/uaformat/uaformat/formatter"
)

// KVPerRow is the number of key/value calls per row.
const KVPerRow = 19

// Build makes the workload's calls for n rows on f (which must be in mode
// 2), up to and including ArrayEnd; the caller calls FinalizeResult.
func Build(f *formatter.Formatter, n uint64) {
	var buf [128]byte
	f.ArrayStart("files", "")
	for i := uint64(0); i < n; i++ {
		f.ObjectStart(formatter.Null, "")
		f.KVString("Type", "", "F", "")
		f.KVUint("PathId", "", i/100+1, "")
		f.KVUint("FileId", "", i+1, "")
		f.KVUint("JobId", "", 42+i%7, "")

		b := append(buf[:0], "P0C "...)
		b = strconv.AppendUint(b, 1000000+i, 10)
		b = append(b, " IGk B Po Po A "...)
		b = strconv.AppendUint(b, (i*7919)%10000000, 10)
		b = append(b, " BAA I"...)
		f.KVString("lstat", "", str(b), "")

		b = append(buf[:0], "file-"...)
		b = appendPadded(b, i, 7)
		b = append(b, ".dat"...)
		f.KVString("Name", "", str(b), "")

		b = append(buf[:0], "/srv/data/dir"...)
		b = appendPadded(b, i%1000, 3)
		b = append(b, "/file-"...)
		b = appendPadded(b, i, 7)
		b = append(b, ".dat"...)
		f.KVString("Fullpath", "", str(b), "")

		f.ObjectStart("stat", "")
		f.KVUint("dev", "", 2049, "")
		f.KVUint("ino", "", 1000000+i, "")
		f.KVUint("mode", "", 33188, "")
		f.KVUint("nlink", "", 1, "")
		f.KVUint("uid", "", 1000+i%3, "")
		f.KVUint("gid", "", 1000, "")
		f.KVUint("rdev", "", 0, "")
		f.KVUint("size", "", (i*7919)%10000000, "")
		f.KVUint("atime", "", 1700000000+i, "")
		f.KVUint("mtime", "", 1690000000+3*i, "")
		f.KVUint("ctime", "", 1690000000+3*i+1, "")
		f.ObjectEnd("stat", "")
		f.KVUint("LinkFileIndex", "", i%3, "")
		f.ObjectEnd(formatter.Null, "")
	}
	f.ArrayEnd("files", "")
}

// str views b as a string without copying; valid until b is overwritten,
// which is after the formatter has copied it.
func str(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// appendPadded appends v in decimal, zero-padded to width digits (%0Nd).
func appendPadded(b []byte, v uint64, width int) []byte {
	var d [20]byte
	s := strconv.AppendUint(d[:0], v, 10)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// Expected output sizes and sha256 values of the workload's single
// response, from shared/perf/README.md.
var Expected = []struct {
	Rows    uint64
	Compact bool
	Bytes   int64
	SHA256  string
}{
	{1000, false, 593778, "4d91852c139ed60887944874e1882936165c6de42cc71563fd66b3d9b9112b86"},
	{1000, true, 348751, "967ad14e9043d3a605bf4f1b756bdeb84db1cd4c673b1a41cc12cb937c31eeb3"},
	{100000, false, 59755788, "faab1d6b29ce7843bae3c79cfad8987187df90e01341ddb785912eefd1912c7d"},
	{100000, true, 35255761, "a348b22407be1d7239c22b7dcc471a8392b2a97e4cd764a9760c3983a056309e"},
	{1000000, false, 599555905, ""},
	{1000000, true, 354555878, ""},
}
