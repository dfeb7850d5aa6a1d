// Package workload drives the formatter with the pinned performance
// workload of shared/perf/README.md: a `.bvfs_lsfiles`-shaped mode-2 result
// of N rows with 19 key/values each (8 in the row object, 11 in its nested
// "stat" object). BuildText sends the same rows through the text modes.
//
// The calls, keys (mixed case on purpose) and values are exactly the
// workload's, so the output bytes can be checked against its sha256
// values. Row strings are generated into one reused buffer, as the
// reference generates them with snprintf: the formatter copies every value
// it is given and never keeps the caller's strings.
package workload

import (
	"unsafe"

	"github.com/uaformat/uaformat/apimode"
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
		f.KVString("lstat", "", str(lstat(buf[:0], i)), "")
		f.KVString("Name", "", str(name(buf[:0], i)), "")
		f.KVString("Fullpath", "", str(fullpath(buf[:0], i)), "")
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

// Text-mode formats of BuildText: a key right-aligned to 16 columns (20
// for the members of "stat", which get a heading line of their own), then
// the value, one line per key/value.
const (
	keyFmt     = "%16s: "
	statKeyFmt = "%20s: "
	statFmt    = "%16s:\n"
	strFmt     = "%s\n"
	uintFmt    = "%d\n"
)

// BuildText makes the text-mode workload's calls for n rows on f (in mode
// 0 or 1): the rows and values of Build, printed as a Director prints a
// long listing — one "key: value" line per key/value, a blank line after
// each row (a decoration: mode 0 only) — and sent as one packet per row
// (the text modes send the buffer at ObjectEnd). The members of "stat"
// follow a heading line of their own; the text modes have no nesting, so
// "stat" is not closed by an ObjectEnd, which would send half a row. The
// caller calls FinalizeResult.
func BuildText(f *formatter.Formatter, n uint64) {
	var buf [128]byte
	f.ArrayStart("files", "")
	for i := uint64(0); i < n; i++ {
		f.ObjectStart(formatter.Null, "")
		f.KVString("Type", keyFmt, "F", strFmt)
		f.KVUint("PathId", keyFmt, i/100+1, uintFmt)
		f.KVUint("FileId", keyFmt, i+1, uintFmt)
		f.KVUint("JobId", keyFmt, 42+i%7, uintFmt)
		f.KVString("lstat", keyFmt, str(lstat(buf[:0], i)), strFmt)
		f.KVString("Name", keyFmt, str(name(buf[:0], i)), strFmt)
		f.KVString("Fullpath", keyFmt, str(fullpath(buf[:0], i)), strFmt)
		f.ObjectStart("stat", statFmt)
		f.KVUint("dev", statKeyFmt, 2049, uintFmt)
		f.KVUint("ino", statKeyFmt, 1000000+i, uintFmt)
		f.KVUint("mode", statKeyFmt, 33188, uintFmt)
		f.KVUint("nlink", statKeyFmt, 1, uintFmt)
		f.KVUint("uid", statKeyFmt, 1000+i%3, uintFmt)
		f.KVUint("gid", statKeyFmt, 1000, uintFmt)
		f.KVUint("rdev", statKeyFmt, 0, uintFmt)
		f.KVUint("size", statKeyFmt, (i*7919)%10000000, uintFmt)
		f.KVUint("atime", statKeyFmt, 1700000000+i, uintFmt)
		f.KVUint("mtime", statKeyFmt, 1690000000+3*i, uintFmt)
		f.KVUint("ctime", statKeyFmt, 1690000000+3*i+1, uintFmt)
		f.KVUint("LinkFileIndex", keyFmt, i%3, uintFmt)
		f.Decoration("\n")
		f.ObjectEnd(formatter.Null, "")
	}
	f.ArrayEnd("files", "")
}

// lstat, name and fullpath append the row's three generated strings.
func lstat(b []byte, i uint64) []byte {
	b = append(b, "P0C "...)
	b = appendPadded(b, 1000000+i, 0)
	b = append(b, " IGk B Po Po A "...)
	b = appendPadded(b, (i*7919)%10000000, 0)
	return append(b, " BAA I"...)
}

func name(b []byte, i uint64) []byte {
	b = append(b, "file-"...)
	b = appendPadded(b, i, 7)
	return append(b, ".dat"...)
}

func fullpath(b []byte, i uint64) []byte {
	b = append(b, "/srv/data/dir"...)
	b = appendPadded(b, i%1000, 3)
	b = append(b, "/file-"...)
	b = appendPadded(b, i, 7)
	return append(b, ".dat"...)
}

// str views b as a string without copying; valid until b is overwritten,
// which is after the formatter has copied it.
func str(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// appendPadded appends v in decimal, zero-padded to width digits (%0Nd),
// writing the digits in place from the last.
func appendPadded(b []byte, v uint64, width int) []byte {
	n := 1
	for p := uint64(10); n < 20 && v >= p; p *= 10 {
		n++
	}
	for ; width > n; width-- {
		b = append(b, '0')
	}
	start := len(b)
	b = append(b, "00000000000000000000"[:n]...)
	for i := start + n - 1; v > 0; i-- {
		b[i] = byte('0' + v%10)
		v /= 10
	}
	return b
}

// Expected output sizes and sha256 values of the workload's single
// response: from shared/perf/README.md for 1,000 and 100,000 rows; the
// project pins its own values for 1,000,000 rows (the reference's were not
// recorded), as the formatter produced them before its serializer was
// rewritten for speed (commit 8fe3d10).
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
	{1000000, false, 599555905, "ddbe8693b3ea52f0228349b44cc9d7bb20d39f4e194bbe8a4b5d6b87d710fcf3"},
	{1000000, true, 354555878, "4f2927a64db84168dceb134b230a111e530275793e25e08e5c93130a29896ec7"},
}

// ExpectedText pins the output of BuildText in mode 0 and mode 1: the
// total size and sha256 of all packets (one per row), as the formatter's
// text path produced them before it was optimized (commit 8fe3d10).
var ExpectedText = []struct {
	Rows    uint64
	Mode    apimode.Mode
	Bytes   int64
	Packets int
	SHA256  string
}{
	{1000, apimode.Off, 582703, 1000, "2a341f2e600be6e916683d9ae8ef40d142c0b12181399b109c6ebcf18b250726"},
	{1000, apimode.On, 581703, 1000, "b09326d0db31d6b9613f8c75735daf6b289cf446245d1689d28d317da4e9c9a3"},
	{100000, apimode.Off, 58655713, 100000, "2ce63ece9d1b89db5edec81ee8db29bd798120176858711c3a7e7791b3357729"},
	{100000, apimode.On, 58555713, 100000, "2358cdf3a2c316480ecf471c577db578070a6c8ea44974aae139968bd21fbda5"},
	{1000000, apimode.Off, 588555830, 1000000, "677c8736b5eeabf5e017762a92207034d7b03cebf86de39fb5d7800524ce1f7e"},
	{1000000, apimode.On, 587555830, 1000000, "908d2daf146356f340d3dbf8a2b8e652a35fbad320b59331fa6dc0d03843a09c"},
}
