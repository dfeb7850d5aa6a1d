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
)

// op is one formatter call of a generated sequence.
type op struct {
	name       string
	s1, s2, s3 string // name/key/value/type/text and formats, by call
	s4         string
	u          uint64
	i          int64
	b          bool
	wrap       int
	mode       apimode.Mode
	flt        formatter.Filter
	row        []string
	decorArgs  []any
}

// String renders the call as Go source, for reports.
func (o op) String() string {
	q := func(s string) string {
		if s == formatter.Null {
			return "Null"
		}
		return strconv.Quote(s)
	}
	switch o.name {
	case "ObjectStart", "ObjectStartCaseSensitive", "ObjectEnd", "ArrayStart", "ArrayEnd":
		return fmt.Sprintf("%s(%s, %s)", o.name, q(o.s1), q(o.s2))
	case "KVBool":
		return fmt.Sprintf("KVBool(%s, %s, %v, %s)", q(o.s1), q(o.s2), o.b, q(o.s4))
	case "KVUint":
		return fmt.Sprintf("KVUint(%s, %s, %d, %s)", q(o.s1), q(o.s2), o.u, q(o.s4))
	case "KVInt":
		return fmt.Sprintf("KVInt(%s, %s, %d, %s)", q(o.s1), q(o.s2), o.i, q(o.s4))
	case "KVStringWrap":
		return fmt.Sprintf("KVStringWrap(%s, %s, %s, %s, %d)", q(o.s1), q(o.s2), q(o.s3), q(o.s4), o.wrap)
	case "ArrayItemBool":
		return fmt.Sprintf("ArrayItemBool(%v, %s)", o.b, q(o.s2))
	case "ArrayItemUint":
		return fmt.Sprintf("ArrayItemUint(%d, %s)", o.u, q(o.s2))
	case "ArrayItemString", "ArrayItemText":
		return fmt.Sprintf("%s(%s, %s)", o.name, q(o.s1), q(o.s2))
	case "Decoration":
		return fmt.Sprintf("Decoration(%s, %#v...)", q(o.s2), o.decorArgs)
	case "Message":
		return fmt.Sprintf("Message(%s, %s)", q(o.s1), q(o.s3))
	case "AddFilter":
		return fmt.Sprintf("AddFilter(%+v)", o.flt)
	case "FilterRow":
		return fmt.Sprintf("FilterRow(%q)", o.row)
	case "FinalizeResult":
		return fmt.Sprintf("FinalizeResult(%v)", o.b)
	case "SetMode":
		return fmt.Sprintf("SetMode(%d)", o.mode)
	case "SetCompact":
		return fmt.Sprintf("SetCompact(%v)", o.b)
	}
	return o.name + "()"
}

// run applies o to f and returns what the call reports (for comparison).
func (o op) run(f *formatter.Formatter) string {
	switch o.name {
	case "ObjectStart":
		f.ObjectStart(o.s1, o.s2)
	case "ObjectStartCaseSensitive":
		f.ObjectStartCaseSensitive(o.s1, o.s2)
	case "ObjectEnd":
		f.ObjectEnd(o.s1, o.s2)
	case "ArrayStart":
		f.ArrayStart(o.s1, o.s2)
	case "ArrayEnd":
		f.ArrayEnd(o.s1, o.s2)
	case "KVBool":
		f.KVBool(o.s1, o.s2, o.b, o.s4)
	case "KVUint":
		f.KVUint(o.s1, o.s2, o.u, o.s4)
	case "KVInt":
		f.KVInt(o.s1, o.s2, o.i, o.s4)
	case "KVStringWrap":
		f.KVStringWrap(o.s1, o.s2, o.s3, o.s4, o.wrap)
	case "ArrayItemBool":
		f.ArrayItemBool(o.b, o.s2)
	case "ArrayItemUint":
		f.ArrayItemUint(o.u, o.s2)
	case "ArrayItemString":
		f.ArrayItemString(o.s1, o.s2)
	case "ArrayItemText":
		f.ArrayItemText(o.s1, o.s2)
	case "Decoration":
		f.Decoration(o.s2, o.decorArgs...)
	case "Message":
		return errText(f.Message(o.s1, o.s3))
	case "SendBuffer":
		return errText(f.SendBuffer())
	case "AddFilter":
		switch o.flt.Kind {
		case formatter.FilterLimit:
			f.AddLimitFilter(o.flt.Value)
		case formatter.FilterOffset:
			f.AddOffsetFilter(o.flt.Value)
		case formatter.FilterACL:
			f.AddACLFilter(o.flt.Column, o.flt.Type)
		case formatter.FilterResource:
			f.AddResourceFilter(o.flt.Column, o.flt.Type)
		case formatter.FilterEnabled:
			f.AddEnabledFilter(o.flt.Column, o.flt.Type)
		case formatter.FilterDisabled:
			f.AddDisabledFilter(o.flt.Column, o.flt.Type)
		}
	case "FilterRow":
		return strconv.FormatBool(f.FilterRow(o.row))
	case "FinalizeResult":
		return errText(f.FinalizeResult(o.b))
	case "SetMode":
		f.SetMode(o.mode)
	case "SetCompact":
		f.SetCompact(o.b)
	}
	return ""
}

func errText(err error) string {
	if err != nil {
		return err.Error()
	}
	return ""
}

// apply applies o to the model; it returns what run returns.
func (o op) apply(m *model) string {
	switch o.name {
	case "ObjectStart":
		m.ObjectStart(o.s1, o.s2, false)
	case "ObjectStartCaseSensitive":
		m.ObjectStart(o.s1, o.s2, true)
	case "ObjectEnd":
		m.ObjectEnd(o.s1, o.s2)
	case "ArrayStart":
		m.ArrayStart(o.s1, o.s2)
	case "ArrayEnd":
		m.ArrayEnd(o.s1, o.s2)
	case "KVBool":
		m.KVBool(o.s1, o.s2, o.b, o.s4)
	case "KVUint":
		m.KVUint(o.s1, o.s2, o.u, o.s4)
	case "KVInt":
		m.KVInt(o.s1, o.s2, o.i, o.s4)
	case "KVStringWrap":
		m.KVStringWrap(o.s1, o.s2, o.s3, o.s4, o.wrap)
	case "ArrayItemBool":
		m.ArrayItemBool(o.b, o.s2)
	case "ArrayItemUint":
		m.ArrayItemUint(o.u, o.s2)
	case "ArrayItemString":
		m.ArrayItemString(o.s1, o.s2)
	case "ArrayItemText":
		m.ArrayItemText(o.s1, o.s2)
	case "Decoration":
		m.Decoration(o.s2, o.decorArgs...)
	case "Message":
		m.Message(o.s1, o.s3)
	case "SendBuffer":
		m.SendBuffer()
	case "AddFilter":
		m.AddFilter(o.flt)
	case "FilterRow":
		return strconv.FormatBool(m.FilterRow(o.row))
	case "FinalizeResult":
		m.FinalizeResult(o.b)
	case "SetMode":
		m.mode = o.mode
	case "SetCompact":
		m.compact = o.b
	}
	return ""
}

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
				ops = append(ops, op{name: "KVUint", s1: key(), s2: formatter.Null, u: r.Uint64N(1000), s4: "%d;"})
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
				op{name: start, s1: k, s2: formatter.Null},
				op{name: "ArrayItemUint", u: 1, s2: formatter.Null},
				op{name: "KVBool", s1: k, s2: formatter.Null, b: true, s4: formatter.Null},
				op{name: "ObjectEnd", s1: k, s2: formatter.Null},
				op{name: "ObjectStart", s1: k2, s2: formatter.Null})
			continue
		}
		var o op
		switch w := r.IntN(100); {
		case w < 12:
			o = op{name: "ObjectStart", s1: key(), s2: pick(r, genNameFmts)}
			if r.IntN(3) == 0 {
				o.s1 = formatter.Null
			}
			if r.IntN(10) == 0 {
				o.name = "ObjectStartCaseSensitive"
			}
		case w < 20:
			o = op{name: "ObjectEnd", s1: key(), s2: pick(r, genNameFmts)}
		case w < 29:
			o = op{name: "ArrayStart", s1: key(), s2: pick(r, genNameFmts)}
		case w < 34:
			o = op{name: "ArrayEnd", s1: key(), s2: pick(r, genNameFmts)}
		case w < 40:
			o = op{name: "KVBool", s1: key(), s2: pick(r, genNameFmts), b: r.IntN(2) == 0, s4: pick(r, genStrFmts)}
		case w < 46:
			o = op{name: "KVUint", s1: key(), s2: pick(r, genNameFmts), u: pick(r, genUints), s4: pick(r, genIntFmts)}
		case w < 50:
			o = op{name: "KVInt", s1: key(), s2: pick(r, genNameFmts), i: pick(r, genInts), s4: pick(r, genIntFmts)}
		case w < 60:
			o = op{name: "KVStringWrap", s1: key(), s2: pick(r, genNameFmts), s3: pick(r, genValues),
				s4: pick(r, genStrFmts), wrap: pick(r, []int{-1, -1, 0, 1, 4, 12})}
		case w < 64:
			o = op{name: "ArrayItemBool", b: r.IntN(2) == 0, s2: pick(r, genIntFmts)}
		case w < 68:
			o = op{name: "ArrayItemUint", u: pick(r, genUints), s2: pick(r, genIntFmts)}
		case w < 74:
			o = op{name: "ArrayItemString", s1: pick(r, genItems), s2: pick(r, genStrFmts)}
			if r.IntN(3) == 0 {
				o.name = "ArrayItemText"
				o.s2 = pick(r, genItems)
			}
		case w < 77:
			o = op{name: "Message", s1: pick(r, genTypes), s3: pick(r, genTexts)}
		case w < 81:
			kind := formatter.FilterKind(r.IntN(6))
			o = op{name: "AddFilter", flt: formatter.Filter{Kind: kind}}
			if kind == formatter.FilterLimit || kind == formatter.FilterOffset {
				o.flt.Value = pick(r, genUints)
			} else {
				o.flt.Column, o.flt.Type = r.IntN(3), r.IntN(4)
			}
		case w < 85:
			o = op{name: "FilterRow", row: []string{pick(r, genItems[:2]) + strconv.Itoa(r.IntN(9)), "x"}}
		case w < 89:
			o = op{name: "FinalizeResult", b: r.IntN(4) != 0}
		case w < 90:
			o = op{name: "SetCompact", b: r.IntN(2) == 0}
		case w < 93:
			o = op{name: "SetMode", mode: apimode.Mode(r.IntN(3))}
		case w < 96:
			o = op{name: "Decoration", s2: "D%s=%d;", decorArgs: []any{pick(r, genItems[:4]), int64(r.IntN(100) - 50)}}
		default:
			o = op{name: "SendBuffer"}
		}
		ops = append(ops, o)
	}
	return append(ops, op{name: "SetMode", mode: apimode.JSON}, op{name: "FinalizeResult", b: true},
		op{name: "SetMode", mode: apimode.Off}, op{name: "FinalizeResult", b: true})
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
	for i, o := range ops {
		got := o.run(f)
		want := o.apply(m)
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
		b.WriteString("\tf." + o.String() + "\n")
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
					ops = append(ops, op{name: "ArrayItemUint", u: pick(r, genUints), s2: formatter.Null})
				case 1:
					ops = append(ops, op{name: "ArrayItemString", s1: pick(r, genValues), s2: formatter.Null})
				default:
					ops = append(ops, op{name: "ArrayItemBool", b: r.IntN(2) == 0, s2: formatter.Null})
				}
			case inArray:
				ops = append(ops, op{name: "ObjectStart", s1: formatter.Null, s2: formatter.Null})
				fill(depth+1, false)
				ops = append(ops, op{name: "ObjectEnd", s1: formatter.Null, s2: formatter.Null})
			case w < 50:
				ops = append(ops, op{name: "KVStringWrap", s1: key(), s2: formatter.Null, s3: pick(r, genValues), s4: formatter.Null, wrap: -1})
			case w < 60:
				ops = append(ops, op{name: "KVInt", s1: key(), s2: formatter.Null, i: pick(r, genInts), s4: formatter.Null})
			case w < 78:
				ops = append(ops, op{name: "ObjectStart", s1: key(), s2: formatter.Null})
				fill(depth+1, false)
				ops = append(ops, op{name: "ObjectEnd", s1: formatter.Null, s2: formatter.Null})
			case w < 95:
				ops = append(ops, op{name: "ArrayStart", s1: key(), s2: formatter.Null})
				fill(depth+1, true)
				ops = append(ops, op{name: "ArrayEnd", s1: formatter.Null, s2: formatter.Null})
			default:
				ops = append(ops, op{name: "ObjectStart", s1: formatter.Null, s2: formatter.Null})
				fill(depth+1, false)
				ops = append(ops, op{name: "ObjectEnd", s1: formatter.Null, s2: formatter.Null})
			}
		}
	}
	for budget > 0 {
		fill(0, false)
		if r.IntN(4) == 0 {
			ops = append(ops, op{name: "AddFilter", flt: formatter.Filter{Kind: formatter.FilterLimit, Value: 5}})
		}
	}
	return append(ops, op{name: "FinalizeResult", b: true})
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
		ops = append(ops, op{name: "ArrayStart", s1: "List", s2: formatter.Null})
		for range 1500 {
			ops = append(ops, op{name: "ObjectStart", s1: formatter.Null, s2: formatter.Null})
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
				ops = append(ops, op{name: "KVUint", s1: k, s2: formatter.Null, u: uint64(result), s4: formatter.Null})
			}
			ops = append(ops, op{name: "ObjectEnd", s1: formatter.Null, s2: formatter.Null})
		}
		ops = append(ops, op{name: "ArrayEnd", s1: formatter.Null, s2: formatter.Null},
			op{name: "FinalizeResult", b: true})
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
	} {
		if stats[what] < 20 {
			t.Errorf("%q reached only %d times", what, stats[what])
		}
	}
	t.Logf("paths reached: %v", stats)
}
