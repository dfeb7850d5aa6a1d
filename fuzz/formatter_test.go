package fuzz

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/formatter"
	"github.com/uaformat/uaformat/fuzz/internal/program"
	"github.com/uaformat/uaformat/internal/calls"
)

// recorder is the sink of the fuzz harness: it keeps the packets of the
// current call and counts all bytes.
type recorder struct {
	fail    bool
	packets [][]byte
	total   int
}

var errFuzzSink = errors.New("fuzz sink: send fails")

func (r *recorder) Send(p []byte) error {
	r.packets = append(r.packets, bytes.Clone(p))
	r.total += len(p)
	if r.fail {
		return errFuzzSink
	}
	return nil
}

func (r *recorder) take() [][]byte {
	p := r.packets
	r.packets = nil
	return p
}

// Output limits of the formatter's printf (see the budget below).
const (
	// printfCap is the formatter's cap on printf widths and precisions
	// (written or taken from a '*' argument), for every verb.
	printfCap = 1 << 16
)

// convBudget bounds the text one printf format can produce, given the
// total length of the string arguments available to it.
func convBudget(format string, argBytes int) int {
	n := len(format)
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		j := i + 1
		for j < len(format) && strings.IndexByte("-0+ #.*0123456789hlLqjzt", format[j]) >= 0 {
			j++
		}
		// width/precision padding, plus the argument itself written at
		// most 10 bytes per byte (%q and %x of strings), plus fmt's
		// complaints ("%!v(MISSING)", "%!(NOVERB)", integers).
		n += printfCap + 10*argBytes + 64
		i = j
	}
	return n
}

// budget bounds the total number of bytes the formatter may send for p:
// linear in the input for text, plus indentation: the JSON indentation,
// which can grow with the nesting depth on every line (two spaces per
// level, as jansson writes it), and the resource printer's, which grows
// with its start calls (two spaces per level on every line it prints).
func budget(p program.Program) int {
	total := 0
	starts := 0 // calls that may open a JSON container
	level := 0  // bound of the resource printer's level
	for _, c := range p.Calls {
		strs := c.Strings()
		strBytes := 0
		for _, s := range strs {
			strBytes += len(s)
		}
		lines := 2 // lines of output of the call, in JSON and in text
		for _, a := range c.Args {
			switch a := a.(type) {
			case int64:
				strBytes += 24 // an integer printed by a format
			case []string:
				lines += len(a)
			}
		}
		switch c.Method.Name {
		case "ObjectStart", "ArrayStart", "SubResourceStart", "KeyMultipleStringsInOneLine",
			"KeyMultipleStringsOnePerLine", "KeyMultipleStringsOnePerLineVector":
			starts++
		case "ResourceArrayStart":
			starts++
			level++
		case "ResourceStart":
			starts += 2
			level++
		case "ResourceIndent":
			level = max(level, c.Args[0].(int))
		}
		if c.Method.Name == "SubResourceStart" {
			level++
		}
		// Text: every string of the call may be a format (the keyword/value
		// text of the call goes through them), rewrap's expansion included
		// (3x).
		for _, s := range strs {
			total += convBudget(s, 3*strBytes)
		}
		total += strBytes // Message, ArrayItemText: text as is
		// The resource printer: on every line the indentation, "# ", the
		// key and an item escaped (2x).
		total += lines * (2*level + 8 + 2*strBytes)
		// JSON: escaping (at most 6 bytes per byte), the key, separators and
		// the lines' indentation at the deepest possible level.
		total += 6*strBytes + 64*lines + lines*(2*(starts+8)+2)
		if c.Method.Name == "FinalizeResult" {
			// envelope, meta, the error packet of a failed send.
			total += 16 << 10
		}
	}
	return total + 16<<10
}

// model tracks what the harness knows the formatter's state must be.
type model struct {
	mode     apimode.Mode
	compact  bool
	errMsg   bool // an "error" message was recorded in mode 2
	filters  []formatter.Filter
	fnSeed   int
	filtered uint64
	hidden   map[int]bool
	sendErr  bool // the sink has failed
	level    int  // the resource printer's indentation level
}

// closing is the text of ResourceEnd's own packet at level (after the
// end): the indentation, "# " for a comment, the brace and an empty line.
func closing(level int, comment bool) string {
	s := strings.Repeat("  ", min(max(level, 0), 1<<15))
	if comment {
		s += "# "
	}
	return s + "}\n\n"
}

// levelStep is how a printer call with a baseformat argument (absent or
// null: def) changes the level.
func levelStep(a []any, i int, def string) int {
	b, _ := a[i].(string)
	if b == formatter.Null {
		b = def
	}
	if b == "" {
		return 0
	}
	return 1
}

func (m *model) filterRow(row []string) bool {
	fn := calls.FilterFunc(m.fnSeed)
	if fn == nil {
		return true
	}
	show, unknown := 0, 0
	for _, f := range m.filters {
		switch fn(row, f) {
		case formatter.FilterSuppress:
			return false
		case formatter.FilterShow:
			if f.Kind == formatter.FilterACL {
				show++
			}
		case formatter.FilterUnknown:
			if f.Kind == formatter.FilterACL {
				unknown++
			}
		}
	}
	return !(unknown > 0 && show == 0)
}

// filled returns c's arguments with the defaults of left-out optional
// parameters.
func filled(c calls.Call) []any {
	a := slices.Clone(c.Args)
	for i := len(a); i < len(c.Method.Params); i++ {
		a = append(a, c.Method.Params[i].Default)
	}
	return a
}

// sending lists the methods that may send in text mode.
var sending = map[string]bool{"Message": true, "FinalizeResult": true, "SendBuffer": true, "ObjectEnd": true,
	"ResourceEnd": true, "SubResourceEnd": true}

// filterSum stands for a filter list in the observations of runChecked:
// its length and an FNV-1a hash of its tuples. A copy of the list after
// every call would make the harness's own allocation quadratic in the
// number of filters (a program of 1,338 AddLimitFilter calls allocated
// 31 MB that way) and count against the formatter's memory bound.
type filterSum struct {
	n    int
	hash uint64
}

// sumFilters returns the filterSum of fs; it does not allocate.
func sumFilters(fs []formatter.Filter) filterSum {
	h := uint64(14695981039346656037)
	mix := func(v uint64) {
		for range 8 {
			h ^= v & 0xff
			h *= 1099511628211
			v >>= 8
		}
	}
	for _, f := range fs {
		mix(uint64(f.Kind))
		mix(f.Value)
		mix(uint64(int64(f.Column)))
		mix(uint64(int64(f.Type)))
	}
	return filterSum{n: len(fs), hash: h}
}

// replayFilters runs p's calls up to and including call i on a new
// formatter and returns its filters then, for a failure message.
func replayFilters(p program.Program, i int) []formatter.Filter {
	f := formatter.New(&recorder{fail: p.SendFails}, formatter.Options{Mode: p.Mode, Compact: p.Compact})
	target := calls.Target{F: f, P: formatter.NewResourcePrinter(f)}
	for _, c := range p.Calls[:i+1] {
		c.Do(target)
	}
	return slices.Clone(f.Filters())
}

// runChecked runs p on a new formatter and checks every call's output.
func runChecked(t *testing.T, p program.Program) {
	rec := &recorder{fail: p.SendFails}
	f := formatter.New(rec, formatter.Options{Mode: p.Mode, Compact: p.Compact})
	printer := formatter.NewResourcePrinter(f)
	target := calls.Target{F: f, P: printer}
	m := model{mode: p.Mode, compact: p.Compact, hidden: map[int]bool{}}
	fail := func(i int, format string, args ...any) {
		t.Helper()
		t.Fatalf("call %d (%v): %s\nprogram:\n%s", i, p.Calls[i], fmt.Sprintf(format, args...), p)
	}
	// First run every call, recording what it did, then check: so that
	// the allocation of the formatter (and of the recorder's copies) can
	// be measured apart from the checks.
	type observed struct {
		err        error
		result     bool
		packets    [][]byte
		mode       apimode.Mode
		compact    bool
		filtered   uint64
		filters    filterSum
		hasACL     bool
		hasFilters bool
		level      int
		hasErrMsg  bool
		sinkErr    error
	}
	obs := make([]observed, len(p.Calls))
	alloc := allocated(func() {
		for i := range p.Calls {
			result, err := p.Calls[i].Do(target)
			obs[i] = observed{err: err, result: result, packets: rec.take(), mode: f.Mode(), compact: f.Compact(),
				filtered: f.RowsFiltered(), filters: sumFilters(f.Filters()), hasACL: f.HasACLFilters(),
				hasErrMsg: f.HasErrorMessage(), sinkErr: f.Err()}
			obs[i].hasFilters = f.HasFilters()
			obs[i].level = printer.Indent()
		}
	})
	b := budget(p)
	if rec.total > b {
		t.Fatalf("sent %d bytes for an input of %d calls, more than the bound %d\nprogram:\n%s",
			rec.total, len(p.Calls), b, p)
	}
	// The formatter's memory follows its output: allocation is bounded by
	// a multiple of the output bound (the recorder's copies included).
	if limit := uint64(8*b) + allocSlack; alloc > limit {
		t.Fatalf("allocated %d bytes for an input of %d calls (output bound %d, limit %d)\nprogram:\n%s",
			alloc, len(p.Calls), b, limit, p)
	}
	for i := range p.Calls {
		c := p.Calls[i]
		name := c.Method.Name
		a := filled(c)
		before := m.mode
		err, result, packets := obs[i].err, obs[i].result, obs[i].packets
		for _, pk := range packets {
			if len(pk) > formatter.MaxSend {
				fail(i, "packet of %d bytes, more than MaxSend", len(pk))
			}
		}
		if err != nil && !errors.Is(err, formatter.ErrSend) {
			fail(i, "error does not wrap ErrSend: %v", err)
		}
		if err != nil && len(packets) == 0 {
			fail(i, "error without a send: %v", err)
		}
		if !p.SendFails && err != nil {
			fail(i, "error from a working sink: %v", err)
		}
		if len(packets) > 0 && !sending[name] {
			fail(i, "%d packets sent", len(packets))
		}
		if p.SendFails && len(packets) > 0 {
			m.sendErr = true
		}

		switch {
		case before == apimode.JSON && name == "FinalizeResult":
			checkResponse(t, p, i, packets, a[0].(bool), &m)
		case before == apimode.JSON:
			if len(packets) > 0 {
				fail(i, "mode 2 sent %d packets before FinalizeResult: %.80q", len(packets), packets[0])
			}
		case name == "ResourceEnd":
			// Two messages: the buffered body (if any), then the closing
			// brace at the level after the end.
			want := closing(m.level-1, a[3].(bool))
			if len(packets) == 0 || string(packets[len(packets)-1]) != want {
				fail(i, "ResourceEnd sent %.80q, want the last packet %q", packets, want)
			}
			if body := packets[:len(packets)-1]; len(body) > 1 && !p.SendFails {
				for _, pk := range body[:len(body)-1] {
					if len(pk) != formatter.MaxSend {
						fail(i, "text message split into a packet of %d bytes before its end", len(pk))
					}
				}
			}
		case name == "SubResourceEnd":
			// A flush; with the default baseformat the text ends with the
			// closing brace at the level after the end.
			if b := a[2].(string); b == formatter.Null {
				want := strings.TrimSuffix(closing(m.level-1, a[1].(bool)), "\n")
				if len(packets) == 0 || !bytes.HasSuffix(bytes.Join(packets, nil), []byte(want)) {
					fail(i, "SubResourceEnd sent %.80q, want it to end with %q", packets, want)
				}
			}
			if len(packets) > 1 && !p.SendFails {
				for _, pk := range packets[:len(packets)-1] {
					if len(pk) != formatter.MaxSend {
						fail(i, "text message split into a packet of %d bytes before its end", len(pk))
					}
				}
			}
		case name == "Message":
			text := a[1].(string)
			if text == formatter.Null {
				text = "" // a NULL text is sent as an empty packet
			}
			got := bytes.Join(packets, nil)
			if string(got) != text {
				fail(i, "text-mode message sent %.80q, want %.80q", got, text)
			}
			if want := max(1, (len(text)+formatter.MaxSend-1)/formatter.MaxSend); len(packets) != want {
				fail(i, "text-mode message of %d bytes in %d packets, want %d", len(text), len(packets), want)
			}
		default:
			if len(packets) > 1 && !p.SendFails {
				for _, pk := range packets[:len(packets)-1] {
					if len(pk) != formatter.MaxSend {
						fail(i, "text message split into a packet of %d bytes before its end", len(pk))
					}
				}
			}
			if name == "Decoration" && before == apimode.On && len(packets) > 0 {
				fail(i, "Decoration sent in mode 1")
			}
		}

		// Keep the model in step.
		addFilter := func(kind formatter.FilterKind) {
			m.filters = append(m.filters, formatter.Filter{Kind: kind, Column: a[0].(int), Type: a[1].(int)})
		}
		switch name {
		case "SetMode":
			m.mode = a[0].(apimode.Mode)
		case "SetCompact":
			m.compact = a[0].(bool)
		case "Message":
			if before == apimode.JSON && a[0].(string) == formatter.MsgError {
				m.errMsg = true
			}
		case "FinalizeResult":
			if before == apimode.JSON {
				m.errMsg = false
			}
			m.filters = nil
			m.filtered = 0
			clear(m.hidden)
		case "AddLimitFilter":
			m.filters = append(m.filters, formatter.Filter{Kind: formatter.FilterLimit, Value: a[0].(uint64)})
		case "AddOffsetFilter":
			m.filters = append(m.filters, formatter.Filter{Kind: formatter.FilterOffset, Value: a[0].(uint64)})
		case "AddACLFilter":
			addFilter(formatter.FilterACL)
		case "AddResourceFilter":
			addFilter(formatter.FilterResource)
		case "AddEnabledFilter":
			addFilter(formatter.FilterEnabled)
		case "AddDisabledFilter":
			addFilter(formatter.FilterDisabled)
		case "ClearFilters":
			m.filters = nil
		case "SetFilterFunc":
			m.fnSeed = a[0].(int)
		case "FilterRow":
			if want := m.filterRow(a[0].([]string)); result != want {
				fail(i, "FilterRow = %t, want %t (filters %+v)", result, want, m.filters)
			}
			if !result {
				m.filtered++
			}
		case "AddHiddenColumn":
			if col := a[0].(int); col >= 0 && col <= 64 {
				m.hidden[col] = true
			}
		case "IsHiddenColumn":
			if want := m.hidden[a[0].(int)]; result != want {
				fail(i, "IsHiddenColumn(%d) = %t, want %t", a[0], result, want)
			}
		case "ClearHiddenColumns":
			clear(m.hidden)
		case "HasErrorMessage":
			if result != m.errMsg {
				fail(i, "HasErrorMessage = %t, want %t", result, m.errMsg)
			}
		case "ResourceIndent":
			m.level = a[0].(int)
		case "ResourceStart":
			m.level++
		case "ResourceEnd":
			m.level--
		case "SubResourceStart":
			m.level += levelStep(a, 2, "%s {\n")
		case "SubResourceEnd":
			m.level -= levelStep(a, 2, "}\n")
		case "ResourceArrayStart":
			m.level += levelStep(a, 2, "")
		case "ResourceArrayEnd":
			m.level -= levelStep(a, 2, "")
		}
		o := obs[i]
		if o.mode != m.mode || o.compact != m.compact {
			fail(i, "mode/compact %v/%t, want %v/%t", o.mode, o.compact, m.mode, m.compact)
		}
		if o.filtered != m.filtered {
			fail(i, "RowsFiltered = %d, want %d", o.filtered, m.filtered)
		}
		if o.filters != sumFilters(m.filters) {
			fail(i, "Filters = %+v, want %+v", replayFilters(p, i), m.filters)
		}
		if o.level != m.level {
			fail(i, "the printer's level is %d, want %d", o.level, m.level)
		}
		if o.hasFilters != (len(m.filters) > 0) {
			fail(i, "HasFilters = %t with filters %+v", o.hasFilters, m.filters)
		}
		if want := slices.ContainsFunc(m.filters, func(f formatter.Filter) bool { return f.Kind == formatter.FilterACL }); o.hasACL != want {
			fail(i, "HasACLFilters = %t, want %t", o.hasACL, want)
		}
		if o.hasErrMsg != m.errMsg {
			fail(i, "HasErrorMessage = %t, want %t", o.hasErrMsg, m.errMsg)
		}
		if (o.sinkErr != nil) != m.sendErr {
			fail(i, "Err = %v, want an error: %t", o.sinkErr, m.sendErr)
		}
	}
}

// checkResponse checks the packets of a mode-2 FinalizeResult(ok).
func checkResponse(t *testing.T, p program.Program, i int, packets [][]byte, ok bool, m *model) {
	t.Helper()
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("call %d (FinalizeResult): %s\nprogram:\n%s", i, fmt.Sprintf(format, args...), p)
	}
	if p.SendFails {
		// The first packet is handed over, fails, and is followed by the
		// error packet (valid JSON in this implementation).
		if len(packets) != 2 {
			fail("failing sink: %d packets, want 2", len(packets))
		}
		first, ep := packets[0], packets[1]
		facts, err := walkJSON(ep)
		if err != nil {
			fail("error packet: %v: %.200q", err, ep)
		}
		if fmt.Sprint(facts.topKeys) != "[jsonrpc id error]" {
			fail("error packet keys %q", facts.topKeys)
		}
		msg := gjson.GetBytes(ep, "error.message").String()
		if gjson.GetBytes(ep, "error.code").Raw != "1" {
			fail("error packet code %s", gjson.GetBytes(ep, "error.code").Raw)
		}
		if len(first) < formatter.MaxSend {
			checkJSONResponse(t, p, i, first, ok, m)
			want := fmt.Sprintf("Failed to send json message (length=%d). ", len(first))
			if len(first) < 1024 {
				want += "Message: " + string(first) + "\n"
			} else {
				want += "Maybe result message to long?\n"
			}
			if msg != want {
				fail("error packet message %.200q, want %.200q", msg, want)
			}
		} else if !strings.HasPrefix(msg, "Failed to send json message (length=") {
			fail("error packet message %.200q", msg)
		}
		return
	}
	if len(packets) == 0 {
		fail("no packet")
	}
	for _, pk := range packets[:len(packets)-1] {
		if len(pk) != formatter.MaxSend {
			fail("response split into a packet of %d bytes before its end", len(pk))
		}
	}
	checkJSONResponse(t, p, i, bytes.Join(packets, nil), ok, m)
}

// checkJSONResponse checks one complete mode-2 response.
func checkJSONResponse(t *testing.T, p program.Program, i int, resp []byte, ok bool, m *model) {
	t.Helper()
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("call %d (FinalizeResult): %s\nresponse: %.400q\nprogram:\n%s", i, fmt.Sprintf(format, args...), resp, p)
	}
	facts, err := walkJSON(resp)
	if err != nil {
		fail("%v", err)
	}
	if err := checkLayout(resp, m.compact); err != nil {
		fail("%v", err)
	}
	wantErr := !ok || m.errMsg
	want := "[jsonrpc id result]"
	if wantErr {
		want = "[jsonrpc id error]"
	}
	if got := fmt.Sprint(facts.topKeys); got != want {
		fail("top-level keys %s, want %s", got, want)
	}
	if r := gjson.GetBytes(resp, "jsonrpc"); r.Type != gjson.String || r.Str != "2.0" {
		fail("jsonrpc = %s", r.Raw)
	}
	if r := gjson.GetBytes(resp, "id"); r.Type != gjson.Null {
		fail("id = %s", r.Raw)
	}
	result := gjson.GetBytes(resp, "result")
	if wantErr {
		e := gjson.GetBytes(resp, "error")
		var keys []string
		e.ForEach(func(k, _ gjson.Result) bool { keys = append(keys, k.Str); return true })
		if fmt.Sprint(keys) != "[code message data]" {
			fail("error keys %q", keys)
		}
		if e.Get("code").Raw != "1" || e.Get("message").Raw != `"failed"` {
			fail("error code/message %s %s", e.Get("code").Raw, e.Get("message").Raw)
		}
		keys = nil
		e.Get("data").ForEach(func(k, _ gjson.Result) bool { keys = append(keys, k.Str); return true })
		if fmt.Sprint(keys) != "[result messages]" {
			fail("error.data keys %q", keys)
		}
		msgs := e.Get("data.messages")
		if !msgs.IsObject() {
			fail("messages is not an object")
		}
		msgs.ForEach(func(_, v gjson.Result) bool {
			if !v.IsArray() {
				fail("a message group is not an array: %s", v.Raw)
			}
			return true
		})
		result = e.Get("data.result")
	}
	if !result.IsObject() {
		fail("result is not an object: %.80s", result.Raw)
	}
	if wantErr || len(m.filters) == 0 {
		return
	}
	// A successful result with filters carries meta.range.
	rng := result.Get("meta.range")
	if !rng.IsObject() {
		fail("filters set, but no meta.range in %.200s", result.Raw)
	}
	var keys []string
	vals := map[string]string{}
	wantVals := map[string]string{}
	var wantKeys []string
	for _, flt := range m.filters {
		var k string
		switch flt.Kind {
		case formatter.FilterLimit:
			k = "limit"
		case formatter.FilterOffset:
			k = "offset"
		default:
			continue
		}
		if _, seen := wantVals[k]; !seen {
			wantKeys = append(wantKeys, k)
		}
		wantVals[k] = strconv.FormatInt(int64(flt.Value), 10)
	}
	wantKeys = append(wantKeys, "filtered")
	wantVals["filtered"] = strconv.FormatInt(int64(m.filtered), 10)
	rng.ForEach(func(k, v gjson.Result) bool {
		keys = append(keys, k.Str)
		vals[k.Str] = v.Raw
		return true
	})
	if fmt.Sprint(keys) != fmt.Sprint(wantKeys) {
		fail("meta.range keys %q, want %q", keys, wantKeys)
	}
	for k, v := range wantVals {
		if vals[k] != v {
			fail("meta.range.%s = %s, want %s", k, vals[k], v)
		}
	}
}

// FuzzFormatter runs decoded call sequences and checks the output of every
// call (see runChecked).
func FuzzFormatter(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		runChecked(t, program.Decode(data))
	})
}

// TestManyFilters runs programs with thousands of filters through the
// harness: its observations must not make the allocation quadratic in
// the number of filters (the fuzzer's program of 1,338 AddLimitFilter
// calls failed the memory bound on the harness's own copies).
func TestManyFilters(t *testing.T) {
	limit, offset, acl := calls.MustLookup("AddLimitFilter"), calls.MustLookup("AddOffsetFilter"),
		calls.MustLookup("AddACLFilter")
	finalize := calls.MustLookup("FinalizeResult")
	for _, tc := range []struct {
		name string
		p    program.Program
	}{
		{"limit filters, send fails", program.Program{Mode: apimode.JSON, Compact: true, SendFails: true}},
		{"mixed filters", program.Program{Mode: apimode.JSON}},
		{"text mode", program.Program{Mode: apimode.Off}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for i := range 3000 {
				switch {
				case tc.name != "mixed filters" || i%3 == 0:
					tc.p.Calls = append(tc.p.Calls, calls.Call{Method: limit, Args: []any{uint64(14)}})
				case i%3 == 1:
					tc.p.Calls = append(tc.p.Calls, calls.Call{Method: offset, Args: []any{uint64(i)}})
				default:
					tc.p.Calls = append(tc.p.Calls, calls.Call{Method: acl, Args: []any{i % 7, i % 5}})
				}
			}
			tc.p.Calls = append(tc.p.Calls, calls.Call{Method: finalize, Args: []any{true}})
			runChecked(t, tc.p)
			// The same program through the fuzz encoding.
			runChecked(t, program.Decode(tc.p.Encode()))
		})
	}
}
