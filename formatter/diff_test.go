package formatter_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/formatter"
	"github.com/uaformat/uaformat/internal/calls"
)

// op is one formatter call of a generated sequence: a call of the shared
// call-surface description (internal/calls), made on the formatter and on
// the model alike.
type op = calls.Call

// mk returns the call of the named method.
func mk(name string, args ...any) op { return calls.Make(name, args...) }

// outcome is what a call returned, for comparison.
func outcome(b bool, err error) string {
	if err != nil {
		return "error: " + err.Error()
	}
	return strconv.FormatBool(b)
}

// run makes o on the formatter's target (the formatter and its resource
// printer).
func run(o op, t calls.Target) string { return outcome(o.Do(t)) }

// apply makes o on the model.
func apply(o op, m *model) string { return outcome(o.Do(m.target())) }

var _ calls.Formatter = (*model)(nil)

// testVerdict is the FilterFunc of the differential test: a fixed
// function of the row and the filter.
func testVerdict(row []string, f formatter.Filter) formatter.FilterState {
	h := int(f.Kind)*5 + f.Column*7 + f.Type*3
	for _, c := range row {
		h += len(c) * 11
		if len(c) > 0 {
			h += int(c[0])
		}
	}
	return formatter.FilterState(h % 3)
}

// ---------------------------------------------------------------------------
// The generator.

var (
	genKeys = []string{
		"a", "A", "b", "B", "aB", "Ab", "meta", "Meta", "META", "range",
		"", formatter.Null, "k\"q", "t\tx\x1b", "É", "é", "x\xffy", "\xc3",
		"limit", "filtered", "ä/\u2028",
	}
	genValues = []string{
		"v", "", formatter.Null, "x\xffy", "a\tb\nc d", "é€😀", "\x01\x1b/\x7f<&>",
		"a|b [c d] e", " lead", "\xe2\x82", "\u2028\u2029", `q"\`, "\xf0\x9f\x98\x79",
		"\xc0\xaf\x80", "long value with | pipes and [brackets here] and more words",
		strings.Repeat("0123456789abcdef\n", 40), // 680 bytes: arena chunks fill up
	}
	genItems    = []string{"i", "", formatter.Null, "\xff", "é", "\n\"", "%d%%"}
	genNameFmts = []string{formatter.Null, "", "<%s>", "%-8s|", "%8s|"}
	genStrFmts  = []string{formatter.Null, "", "%s;", "[%-6s]", "%5s", "%.3s|", "%-10.2s;", "%%%s%%", "%06.0s"}
	genIntFmts  = []string{formatter.Null, "%d;", "%05d|", "%-4d|", "%.3d", "%8.5d|", "%-08d", "%.0d%%"}
	genUints    = []uint64{0, 1, 42, 1 << 63, math.MaxUint64, 12345678901}
	genInts     = []int64{0, -1, 7, math.MinInt64, math.MaxInt64, -42}
	genTypes    = []string{formatter.MsgInfo, formatter.MsgWarning, formatter.MsgError, "ERROR", "", "custom", formatter.Null}
	genTexts    = []string{"text", "", "bad \xff", "é\n\"x\""}
)

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

// genOps generates a call sequence. wide adds 40 more distinct keys so that
// objects outgrow small-object lookups.
func genOps(r *rand.Rand, n int, wide bool) []op {
	keys := genKeys
	if wide {
		keys = append([]string(nil), genKeys...)
		for i := range 40 {
			keys = append(keys, "c"+strconv.Itoa(i))
		}
	}
	key := func() string {
		if wide && r.IntN(2) == 0 {
			return keys[len(genKeys)+r.IntN(40)]
		}
		return pick(r, keys)
	}
	ops := make([]op, 0, n)
	for len(ops) < n {
		if wide && r.IntN(40) == 0 {
			// A burst of members: objects beyond the small-object size.
			for range 20 + r.IntN(20) {
				ops = append(ops, mk("KVUint", key(), formatter.Null, r.Uint64N(1000), "%d;"))
			}
			continue
		}
		if r.IntN(30) == 0 {
			// Close a container and open the same name again (another
			// case of the same key, sometimes): re-opened objects and
			// arrays.
			k := pick(r, []string{"a", "B", "meta", "c1", "É"})
			k2 := pick(r, []string{k, strings.ToUpper(k), strings.ToLower(k)})
			start := pick(r, []string{"ObjectStart", "ArrayStart"})
			ops = append(ops,
				mk(start, k, formatter.Null),
				mk("ArrayItemUint", uint64(1), formatter.Null),
				mk("KVBool", k, formatter.Null, true, formatter.Null),
				mk("ObjectEnd", k, formatter.Null),
				mk("ObjectStart", k2, formatter.Null))
			continue
		}
		if r.IntN(4) == 0 {
			ops = append(ops, genResourceOp(r, key))
			continue
		}
		var o op
		switch w := r.IntN(100); {
		case w < 12:
			name := key()
			if r.IntN(3) == 0 {
				name = formatter.Null
			}
			o = mk("ObjectStart", name, pick(r, genNameFmts))
			if r.IntN(10) == 0 {
				o = mk("ObjectStart", name, pick(r, genNameFmts), true)
			}
		case w < 20:
			o = mk("ObjectEnd", key(), pick(r, genNameFmts))
		case w < 29:
			o = mk("ArrayStart", key(), pick(r, genNameFmts))
		case w < 34:
			o = mk("ArrayEnd", key(), pick(r, genNameFmts))
		case w < 40:
			o = mk("KVBool", key(), pick(r, genNameFmts), r.IntN(2) == 0, pick(r, genStrFmts))
		case w < 46:
			o = mk("KVUint", key(), pick(r, genNameFmts), pick(r, genUints), pick(r, genIntFmts))
		case w < 50:
			o = mk("KVInt", key(), pick(r, genNameFmts), pick(r, genInts), pick(r, genIntFmts))
		case w < 60:
			o = mk("KVString", key(), pick(r, genNameFmts), pick(r, genValues), pick(r, genStrFmts),
				pick(r, []int{-1, -1, 0, 1, 4, 12}))
		case w < 64:
			o = mk("ArrayItemBool", r.IntN(2) == 0, pick(r, genIntFmts))
		case w < 68:
			o = mk("ArrayItemUint", pick(r, genUints), pick(r, genIntFmts))
		case w < 74:
			o = mk("ArrayItemString", pick(r, genItems), pick(r, genStrFmts))
			if r.IntN(3) == 0 {
				o = mk("ArrayItemString", pick(r, genItems), pick(r, genItems), false)
			}
		case w < 77:
			o = mk("Message", pick(r, genTypes), pick(r, genTexts))
		case w < 81:
			switch kind := formatter.FilterKind(r.IntN(6)); kind {
			case formatter.FilterLimit:
				o = mk("AddLimitFilter", pick(r, genUints))
			case formatter.FilterOffset:
				o = mk("AddOffsetFilter", pick(r, genUints))
			default:
				name := map[formatter.FilterKind]string{formatter.FilterACL: "AddACLFilter",
					formatter.FilterResource: "AddResourceFilter", formatter.FilterEnabled: "AddEnabledFilter",
					formatter.FilterDisabled: "AddDisabledFilter"}[kind]
				o = mk(name, r.IntN(3), r.IntN(4))
			}
		case w < 85:
			o = mk("FilterRow", []string{pick(r, genItems[:2]) + strconv.Itoa(r.IntN(9)), "x"})
		case w < 89:
			o = mk("FinalizeResult", r.IntN(4) != 0)
		case w < 90:
			o = mk("SetCompact", r.IntN(2) == 0)
		case w < 93:
			o = mk("SetMode", apimode.Mode(r.IntN(3)))
		case w < 96:
			o = mk("Decoration", "D%s=%d;", pick(r, genItems[:4]), int64(r.IntN(100)-50))
		default:
			o = mk("SendBuffer")
		}
		ops = append(ops, o)
	}
	return append(ops, mk("SetMode", apimode.JSON), mk("FinalizeResult", true),
		mk("SetMode", apimode.Off), mk("FinalizeResult", true))
}

// Arguments of the resource printer's calls. Type names and baseformats
// use only the conversions the reference defines (one %s, %%).
var (
	genGroups     = []string{"Clients", "jobs", formatter.Null, "Director", "É"}
	genTypeNames  = []string{"Client", "Job", "", "%s", "%%x%-8s|", "T%.3s"}
	genResNames   = []string{"bareos-fd", "Fd", formatter.Null, "a", "x\xffy"}
	genSubNames   = []string{"Options", "ipv4", formatter.Null, "runscript", "A"}
	genBaseStarts = []string{formatter.Null, "", "%s = {\n", "%-6s[\n", "%.3s {\n", "{\n"}
	genBaseEnds   = []string{formatter.Null, "", "}\n", "] %s\n", "%%}\n"}
	genListItems  = []string{"a", "", formatter.Null, `q"b`, `e\"c`, `e\\"d`, "(x)<y>'z'", "\xff", "é,"}
	genLevels     = []int{-2, -1, 0, 1, 3}
)

func genList(r *rand.Rand, nulls bool) []string {
	if nulls && r.IntN(6) == 0 {
		return nil
	}
	list := make([]string, r.IntN(4))
	for i := range list {
		list[i] = pick(r, genListItems)
		if !nulls && list[i] == formatter.Null {
			list[i] = "n"
		}
	}
	return list
}

// genResourceOp returns one call of the resource printer.
func genResourceOp(r *rand.Rand, key func() string) op {
	c := r.IntN(4) == 0
	switch w := r.IntN(100); {
	case w < 3:
		return mk("ResourceIndent", pick(r, genLevels))
	case w < 13:
		return mk("ResourceStart", pick(r, genGroups), pick(r, genTypeNames), pick(r, genResNames), c)
	case w < 21:
		return mk("ResourceEnd", pick(r, genGroups), pick(r, genTypeNames), pick(r, genResNames), c)
	case w < 29:
		return mk("SubResourceStart", pick(r, genSubNames), c, pick(r, genBaseStarts))
	case w < 36:
		return mk("SubResourceEnd", pick(r, genSubNames), c, pick(r, genBaseEnds))
	case w < 41:
		return mk("ResourceArrayStart", key(), c, pick(r, genBaseStarts))
	case w < 45:
		return mk("ResourceArrayEnd", key(), c, pick(r, genBaseEnds))
	case w < 52:
		return mk("KeyBool", key(), r.IntN(2) == 0, c)
	case w < 57:
		return mk("KeySignedInt", key(), pick(r, genInts), c)
	case w < 62:
		return mk("KeyUnsignedInt", key(), int64(pick(r, genUints)), c)
	case w < 75:
		name := pick(r, []string{"KeyString", "KeyQuotedString", "KeyUnquotedString"})
		return mk(name, key(), pick(r, genValues), c)
	case w < 85:
		return mk("KeyMultipleStringsInOneLine", key(), genList(r, true), c, r.IntN(3) != 0)
	default:
		name := pick(r, []string{"KeyMultipleStringsOnePerLine", "KeyMultipleStringsOnePerLineVector"})
		return mk(name, key(), genList(r, name == "KeyMultipleStringsOnePerLine"), c, r.IntN(3) != 0, r.IntN(4) == 0)
	}
}

// ---------------------------------------------------------------------------
// Running and comparing.

// diffRun runs ops through a new Formatter and the model and returns a
// description of the first difference, or "".
func diffRun(ops []op, mode apimode.Mode, compact bool) (out string) {
	return diffRunStats(ops, mode, compact, nil)
}

func diffRunStats(ops []op, mode apimode.Mode, compact bool, stats map[string]int) (out string) {
	return diffRunTuned(ops, mode, compact, stats, false)
}

// diffRunTuned is diffRunStats; tiny selects tiny arena chunks and the
// parallel writer for every result (formatter.UseTinyTuning).
func diffRunTuned(ops []op, mode apimode.Mode, compact bool, stats map[string]int, tiny bool) (out string) {
	sink := &packetSink{}
	f := formatter.New(sink, formatter.Options{Mode: mode, Compact: compact})
	if tiny {
		formatter.UseTinyTuning(f)
	}
	f.SetFilterFunc(testVerdict)
	m := newModel(mode, compact)
	m.filterFn = testVerdict
	m.stats = stats
	defer func() {
		if p := recover(); p != nil {
			out = fmt.Sprintf("panic: %v", p)
		}
	}()
	target := calls.New(f)
	for i, o := range ops {
		got := run(o, target)
		want := apply(o, m)
		if got != want {
			return fmt.Sprintf("call %d %v returned %q, model %q", i, o, got, want)
		}
		if g, w := f.HasErrorMessage(), m.HasErrorMessage(); g != w {
			return fmt.Sprintf("after call %d %v: HasErrorMessage() = %v, model %v", i, o, g, w)
		}
		if g, w := f.RowsFiltered(), m.filtered; g != w {
			return fmt.Sprintf("after call %d %v: RowsFiltered() = %d, model %d", i, o, g, w)
		}
		if g, w := f.HasFilters(), len(m.filters) > 0; g != w {
			return fmt.Sprintf("after call %d %v: HasFilters() = %v, model %v", i, o, g, w)
		}
		if g, w := len(sink.packets), len(m.packets); g != w {
			return fmt.Sprintf("after call %d %v: %d packets, model %d:\n%s", i, o, g, w,
				cmp.Diff(m.packets, sink.texts()))
		}
		if len(sink.packets) > 0 {
			if g, w := string(sink.packets[len(sink.packets)-1]), m.packets[len(m.packets)-1]; g != w {
				return fmt.Sprintf("after call %d %v: packet differs (-model +formatter):\n%s", i, o, cmp.Diff(w, g))
			}
		}
	}
	return ""
}

// shrink removes calls from ops while the sequence still fails.
func shrink(ops []op, fails func([]op) bool) []op {
	for chunk := len(ops) / 2; chunk >= 1; chunk /= 2 {
		for i := 0; i+chunk <= len(ops); {
			try := append(append([]op(nil), ops[:i]...), ops[i+chunk:]...)
			if fails(try) {
				ops = try
				continue
			}
			i++
		}
	}
	return ops
}

func formatOps(ops []op) string {
	var b strings.Builder
	for _, o := range ops {
		b.WriteString("\t" + o.String() + "\n")
	}
	return b.String()
}

// genStructured generates mostly well-formed nesting (objects with members,
// arrays with items and nameless objects) of about budget calls, with
// fresh keys most of the time so that the result grows large in its fast
// form, and now and then a duplicate key, a re-opened name or a nameless
// object inside an object, which change earlier parts of the result.
func genStructured(r *rand.Rand, budget int) []op {
	var ops []op
	fresh := 0
	key := func() string {
		if r.IntN(25) == 0 {
			return pick(r, []string{"a", "A", "b", "meta", "c3", "k1", "K2"})
		}
		fresh++
		return "k" + strconv.Itoa(fresh%700)
	}
	var fill func(depth int, inArray bool)
	fill = func(depth int, inArray bool) {
		for n := 1 + r.IntN(10); n > 0 && budget > 0; n-- {
			budget--
			w := r.IntN(100)
			if depth > 12 {
				w = 0 // scalars only
			}
			switch {
			case inArray && w < 55:
				switch r.IntN(3) {
				case 0:
					ops = append(ops, mk("ArrayItemUint", pick(r, genUints), formatter.Null))
				case 1:
					ops = append(ops, mk("ArrayItemString", pick(r, genValues), formatter.Null))
				default:
					ops = append(ops, mk("ArrayItemBool", r.IntN(2) == 0, formatter.Null))
				}
			case inArray:
				ops = append(ops, mk("ObjectStart", formatter.Null, formatter.Null))
				fill(depth+1, false)
				ops = append(ops, mk("ObjectEnd", formatter.Null, formatter.Null))
			case w < 50:
				ops = append(ops, mk("KVString", key(), formatter.Null, pick(r, genValues), formatter.Null))
			case w < 60:
				ops = append(ops, mk("KVInt", key(), formatter.Null, pick(r, genInts), formatter.Null))
			case w < 78:
				ops = append(ops, mk("ObjectStart", key(), formatter.Null))
				fill(depth+1, false)
				ops = append(ops, mk("ObjectEnd", formatter.Null, formatter.Null))
			case w < 95:
				ops = append(ops, mk("ArrayStart", key(), formatter.Null))
				fill(depth+1, true)
				ops = append(ops, mk("ArrayEnd", formatter.Null, formatter.Null))
			default:
				ops = append(ops, mk("ObjectStart", formatter.Null, formatter.Null))
				fill(depth+1, false)
				ops = append(ops, mk("ObjectEnd", formatter.Null, formatter.Null))
			}
		}
	}
	for budget > 0 {
		fill(0, false)
		if r.IntN(4) == 0 {
			ops = append(ops, mk("AddLimitFilter", uint64(5)))
		}
	}
	return append(ops, mk("FinalizeResult", true))
}

// TestDifferentialManyKeys runs results with ever new keys (beyond what
// the formatter keeps between results) through the model, with key strings
// built anew each time and constant ones mixed in.
func TestDifferentialManyKeys(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(7, 7))
	var ops []op
	next := 0
	for result := range 8 {
		ops = append(ops, mk("ArrayStart", "List", formatter.Null))
		for range 1500 {
			ops = append(ops, mk("ObjectStart", formatter.Null, formatter.Null))
			for range 1 + r.IntN(4) {
				var k string
				switch r.IntN(3) {
				case 0:
					k = pick(r, genKeys)
				case 1:
					k = "key" + strconv.Itoa(r.IntN(next+1)) // an old key, new string
				default:
					next++
					k = "Key" + strconv.Itoa(next)
				}
				ops = append(ops, mk("KVUint", k, formatter.Null, uint64(result), formatter.Null))
			}
			ops = append(ops, mk("ObjectEnd", formatter.Null, formatter.Null))
		}
		ops = append(ops, mk("ArrayEnd", formatter.Null, formatter.Null), mk("FinalizeResult", true))
	}
	if msg := diffRun(ops, apimode.JSON, true); msg != "" {
		if len(msg) > 2000 {
			msg = msg[:2000] + "..."
		}
		t.Errorf("%d keys: %s", next, msg)
	}
}

// TestDifferentialLong compares large results (many arena chunks) that
// leave the fast form late, or never; every other seed with tiny chunks
// and the parallel writer.
func TestDifferentialLong(t *testing.T) {
	t.Parallel()
	for seed := range uint64(16) {
		r := rand.New(rand.NewPCG(seed, 0x10ff))
		// Two results in a row: the second reuses what the first left.
		ops := genStructured(r, 1000+r.IntN(3000))
		ops = append(ops, genStructured(r, 200+r.IntN(1000))...)
		compact := seed%3 == 0
		tiny := seed%2 == 1
		stats := map[string]int{}
		if msg := diffRunTuned(ops, apimode.JSON, compact, stats, tiny); msg != "" {
			run := func(o []op) string { return diffRunTuned(o, apimode.JSON, compact, nil, tiny) }
			min := shrink(ops, func(o []op) bool { return run(o) != "" })
			t.Errorf("seed %d (tiny %v): %s\nminimal sequence:\n%s=> %s", seed, tiny, msg, formatOps(min), run(min))
			continue
		}
		t.Logf("seed %d: %d calls, result %d bytes, %d replaced, %d re-opened", seed, len(ops),
			stats["largest result"], stats["value replaced"], stats["reopen object"]+stats["reopen array"]+stats["reopen scalar"])
	}
}

func TestDifferential(t *testing.T) {
	t.Parallel()
	const seeds = 3000
	n := 0
	stats := map[string]int{}
	for seed := range uint64(seeds) {
		r := rand.New(rand.NewPCG(seed, 0x5eed))
		mode := apimode.JSON
		if seed%5 == 0 {
			mode = apimode.Mode(seed / 5 % 3)
		}
		compact := seed%3 == 0
		wide := seed%4 == 1
		tiny := seed%7 == 3
		ops := genOps(r, 20+r.IntN(120), wide)
		msg := diffRunTuned(ops, mode, compact, stats, tiny)
		if msg == "" {
			continue
		}
		run := func(o []op) string { return diffRunTuned(o, mode, compact, nil, tiny) }
		min := shrink(ops, func(o []op) bool { return run(o) != "" })
		t.Errorf("seed %d (mode %d, compact %v, tiny %v): %s\nminimal sequence:\n%s=> %s",
			seed, mode, compact, tiny, msg, formatOps(min), run(min))
		if n++; n >= 5 {
			t.Fatal("too many differences")
		}
	}
	// The sequences must reach every path of README §3.4.2-3.4.7 often,
	// or the comparison proves little.
	for _, what := range []string{
		"nameless object in array", "nameless object merges", "nameless object on scalar",
		"nameless object in detached", "detached object", "reopen object", "reopen array",
		"reopen scalar", "array start refused", "end on empty stack", "invalid key dropped",
		"value replaced", "wide object", "meta replaced", "meta with filtered rows",
		"error envelope with several message types",
		"negative indentation", "format in a type name", "escaped list item",
	} {
		if stats[what] < 20 {
			t.Errorf("%q reached only %d times", what, stats[what])
		}
	}
	t.Logf("paths reached: %v", stats)
}
