package formatter_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tidwall/gjson"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/formatter"
)

const N = formatter.Null

// README §3.1: what sends a packet in the text modes.
func TestTextModeFlushes(t *testing.T) {
	for _, mode := range []apimode.Mode{apimode.Off, apimode.On} {
		t.Run("mode"+mode.String(), func(t *testing.T) {
			f, s := newF(mode, false)
			step := func(what string, want ...string) {
				t.Helper()
				if d := cmp.Diff(want, s.take()); d != "" {
					t.Errorf("%s (-want +got):\n%s", what, d)
				}
			}
			f.ObjectStart("o", "<%s>")
			f.ArrayStart("a", "[%s]")
			f.ArrayItemUint(1, "%d,")
			f.ArrayEnd("a", "[/%s]")
			step("ArrayEnd must not flush")
			f.ObjectEnd("o", "</%s>")
			step("ObjectEnd flushes", "<o>[a]1,[/a]</o>")
			f.ObjectEnd("o", N)
			step("ObjectEnd with an empty buffer sends nothing")
			f.ObjectEnd("o", "")
			step("ObjectEnd with an empty format sends nothing")
			f.KVString("k", "%s=", "v", "%s")
			f.Message(formatter.MsgInfo, "msg")
			step("Message overtakes the buffer", "msg")
			f.Message(N, "")
			step("empty message is an empty packet", "")
			f.SendBuffer()
			step("SendBuffer flushes", "k=v")
			f.SendBuffer()
			step("empty SendBuffer sends nothing")
			f.KVUint("n", "%s=", 5, "%d")
			f.FinalizeResult(false)
			step("FinalizeResult(false) flushes", "n=5")
			f.FinalizeResult(true)
			step("empty FinalizeResult sends nothing")
		})
	}
}

// Decoration only prints in mode 0; the other formats print in modes 0 and 1.
func TestDecorationModes(t *testing.T) {
	for _, tt := range []struct {
		mode apimode.Mode
		want []string
	}{
		{apimode.Off, []string{"+--+\nk: v\n"}},
		{apimode.On, []string{"k: v\n"}},
		{apimode.JSON, nil},
	} {
		f, s := newF(tt.mode, true)
		f.Decoration("+%s+\n", "--")
		f.KVString("k", "%s: ", "v", "%s\n")
		f.SendBuffer()
		if tt.mode == apimode.JSON {
			if got := s.take(); len(got) != 0 {
				t.Errorf("mode 2 sent %q before FinalizeResult", got)
			}
			continue
		}
		if d := cmp.Diff(tt.want, s.take()); d != "" {
			t.Errorf("mode %v (-want +got):\n%s", tt.mode, d)
		}
	}
}

// README §3.4: mode 2 sends nothing before FinalizeResult; Message,
// SendBuffer, ObjectEnd send nothing.
func TestJSONNothingBeforeFinalize(t *testing.T) {
	f, s := newF(apimode.JSON, true)
	f.Decoration("deco")
	f.ObjectStart("o", "%s")
	f.ObjectEnd("o", "%s")
	if err := f.Message(formatter.MsgInfo, "m"); err != nil {
		t.Fatal(err)
	}
	if err := f.SendBuffer(); err != nil {
		t.Fatal(err)
	}
	if got := s.take(); len(got) != 0 {
		t.Fatalf("sent %q before FinalizeResult", got)
	}
	if got, want := finalizeJSON(t, f, s, true), compactEnvelope(`{"o":{}}`); got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// README §3.4.5: messages and the error envelope.
func TestMessages(t *testing.T) {
	tests := []struct {
		name string
		msgs [][2]string
		ok   bool
		want string // the whole compact packet
	}{
		{"no messages, success", nil, true, compactEnvelope(`{"r":1}`)},
		{"no messages, failure", nil, false, compactError(`{"r":1}`, `{}`)},
		{"info and warning are not shown on success",
			[][2]string{{"info", "i"}, {"warning", "w"}, {"custom", "c"}}, true, compactEnvelope(`{"r":1}`)},
		{"ERROR is not an error", [][2]string{{"ERROR", "E"}, {"Error", "E"}}, true, compactEnvelope(`{"r":1}`)},
		{"grouped by type in first-use order",
			[][2]string{{"info", "i1"}, {"error", "e1"}, {"warning", "w1"}, {"info", "i2"}, {"ERROR", "E"},
				{"", "empty type"}, {"error", "e2"}},
			true, compactError(`{"r":1}`, `{"info":["i1","i2"],"error":["e1","e2"],"warning":["w1"],"ERROR":["E"],"":["empty type"]}`)},
		{"failure shows all messages", [][2]string{{"info", "i"}}, false, compactError(`{"r":1}`, `{"info":["i"]}`)},
		{"invalid text creates the type's array", [][2]string{{"warning", "\xff"}, {"error", "e"}}, true,
			compactError(`{"r":1}`, `{"warning":[],"error":["e"]}`)},
		{"an error message with invalid text still fails", [][2]string{{"error", "\xC0\xAF"}}, true,
			compactError(`{"r":1}`, `{"error":[]}`)},
		{"null type is lost", [][2]string{{N, "lost"}, {"error", "e"}}, true,
			compactError(`{"r":1}`, `{"error":["e"]}`)},
		{"empty texts", [][2]string{{"error", ""}, {"error", ""}}, true, compactError(`{"r":1}`, `{"error":["",""]}`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, s := newF(apimode.JSON, true)
			f.KVUint("r", N, 1, N)
			wantErr := false
			for _, m := range tt.msgs {
				if err := f.Message(m[0], m[1]); err != nil {
					t.Fatal(err)
				}
				wantErr = wantErr || m[0] == formatter.MsgError
				if f.HasErrorMessage() != wantErr {
					t.Fatalf("after Message(%q): HasErrorMessage() = %v", m[0], !wantErr)
				}
			}
			if got := finalizeJSON(t, f, s, tt.ok); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
			if f.HasErrorMessage() {
				t.Error("HasErrorMessage() still true after FinalizeResult")
			}
			// The next result starts without messages.
			f.Message(formatter.MsgInfo, "next")
			if got := finalizeJSON(t, f, s, false); got != compactError(`{}`, `{"info":["next"]}`) {
				t.Errorf("next result: %s", got)
			}
		})
	}
}

// README §3.4.1: everything is reset after a mode-2 FinalizeResult, and
// the compact flag may change between results.
func TestJSONStateReset(t *testing.T) {
	f, s := newF(apimode.JSON, false)
	f.SetFilterFunc(func([]string, formatter.Filter) formatter.FilterState { return formatter.FilterSuppress })
	f.ObjectStart("deep", N)
	f.ArrayStart("list", N)
	f.Message(formatter.MsgError, "e")
	f.AddLimitFilter(3)
	f.AddHiddenColumn(2)
	if f.FilterRow([]string{"x"}) {
		t.Fatal("row not suppressed")
	}
	if f.RowsFiltered() != 1 || !f.HasFilters() || !f.IsHiddenColumn(2) || !f.HasErrorMessage() {
		t.Fatal("state not recorded")
	}
	out := finalizeJSON(t, f, s, true)
	if !gjson.Get(out, "error.data.result.deep.list").IsArray() {
		t.Errorf("first result: %s", out)
	}
	if f.RowsFiltered() != 0 || f.HasFilters() || f.IsHiddenColumn(2) || f.HasErrorMessage() {
		t.Error("state survived FinalizeResult")
	}
	f.SetCompact(true)
	if !f.Compact() {
		t.Error("Compact() = false after SetCompact(true)")
	}
	f.KVUint("k", N, 1, N)
	if got, want := finalizeJSON(t, f, s, true), compactEnvelope(`{"k":1}`); got != want {
		t.Errorf("second result: got %s, want %s", got, want)
	}
	if got, want := finalizeJSON(t, f, s, true), compactEnvelope(`{}`); got != want {
		t.Errorf("third result: got %s, want %s", got, want)
	}
}

// README §3.2: the text buffer and the JSON result are independent and
// survive mode switches.
func TestModeSwitching(t *testing.T) {
	f, s := newF(apimode.Off, false)
	if f.Mode() != apimode.Off {
		t.Fatalf("Mode() = %v", f.Mode())
	}
	step := func(what string, want ...string) {
		t.Helper()
		if d := cmp.Diff(want, s.take()); d != "" {
			t.Errorf("%s (-want +got):\n%s", what, d)
		}
	}
	f.Decoration("text0;")
	f.SetMode(apimode.JSON)
	if f.Mode() != apimode.JSON {
		t.Fatalf("Mode() = %v", f.Mode())
	}
	f.SetCompact(true)
	f.KVString("k", "%s", "v", "%s")
	f.Decoration("ignored")
	f.Message(formatter.MsgError, "json error")
	f.SetMode(apimode.On)
	f.KVString("t", "%s=", "1", "%s;")
	f.Message(formatter.MsgError, "text error") // sent at once, not collected
	step("mode 1 message", "text error")
	f.AddLimitFilter(5)
	f.FinalizeResult(true) // text flush; the JSON result stays
	step("text flush keeps the text of both text modes", "text0;t=1;")
	f.SetMode(apimode.JSON)
	f.KVUint("n", N, 2, N)
	f.FinalizeResult(true)
	// The error message recorded in mode 2 is still there; the filter was
	// cleared by the text-mode FinalizeResult (no meta would show anyway on
	// the error path).
	step("JSON result survives text detour", compactError(`{"k":"v","n":2}`, `{"error":["json error"]}`))

	// A text-mode FinalizeResult clears filters: no meta afterwards.
	f.AddLimitFilter(5)
	f.SetMode(apimode.Off)
	f.FinalizeResult(true)
	step("nothing buffered")
	f.SetMode(apimode.JSON)
	f.FinalizeResult(true)
	step("no meta after a text-mode FinalizeResult", compactEnvelope(`{}`))

	// Text buffered before a mode-2 FinalizeResult is not sent by it.
	f.SetMode(apimode.Off)
	f.Decoration("pending")
	f.SetMode(apimode.JSON)
	f.FinalizeResult(true)
	step("mode-2 FinalizeResult sends JSON only", compactEnvelope(`{}`))
	f.SetMode(apimode.On)
	f.SendBuffer()
	step("pending text flushed later", "pending")
}

func TestHiddenColumns(t *testing.T) {
	f, _ := newF(apimode.Off, false)
	for _, c := range []int{0, 5, 63, 64} {
		f.AddHiddenColumn(c)
	}
	f.AddHiddenColumn(-1)
	f.AddHiddenColumn(65)
	f.AddHiddenColumn(1 << 30)
	for c := -2; c < 70; c++ {
		want := c == 0 || c == 5 || c == 63 || c == 64
		if got := f.IsHiddenColumn(c); got != want {
			t.Errorf("IsHiddenColumn(%d) = %v, want %v", c, got, want)
		}
	}
	if f.IsHiddenColumn(1 << 30) {
		t.Error("IsHiddenColumn(1<<30) = true")
	}
	f.ClearHiddenColumns()
	for c := range 65 {
		if f.IsHiddenColumn(c) {
			t.Errorf("column %d hidden after ClearHiddenColumns", c)
		}
	}
	f.AddHiddenColumn(7)
	f.FinalizeResult(true)
	if f.IsHiddenColumn(7) {
		t.Error("FinalizeResult did not clear hidden columns")
	}
	f.AddHiddenColumn(8)
	if !f.IsHiddenColumn(8) || f.IsHiddenColumn(7) {
		t.Error("hidden columns wrong after reuse")
	}
}
