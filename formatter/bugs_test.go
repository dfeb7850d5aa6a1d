package formatter_test

// Tests for behaviour where the formatter differs from the reference as
// the oracle README (../shared/golden-oracle/README.md) or the reference
// source describes it. They fail until the formatter is fixed (or the
// difference is accepted and the test removed).

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/formatter"
)

// BUG 1. README §3.4.9: after a failed mode-2 send, the second packet is
// the fixed template with MSG inserted WITHOUT any escaping ("this packet
// is normally not valid JSON"); the recorded case m2_send_fails shows the
// raw newlines and quotes. The formatter escapes MSG (sendJSONError), and
// the copy of that case in golden/testdata/oracle was edited to match, so
// TestOracle passes while the recording in
// /work/shared/golden-oracle/cases/m2_send_fails.out fails:
//
//	UAFORMAT_ORACLE_DIR=/work/shared/golden-oracle/cases go test -run TestOracle ./golden
//
// A held-back acceptance case with send_fails in mode 2 would fail the same
// way. Even the long form differs: its MSG ends in a raw "\n", which the
// formatter writes as `\n`.
func TestBugJSONSendFailureTemplateIsUnescaped(t *testing.T) {
	const template = `{ "jsonrpc": "2.0", "id": null, "error": { "message": "%s", "code": 1 } }` + "\n"
	for _, tt := range []struct {
		name  string
		value string
	}{
		{"short", "v"},                      // the m2_send_fails case
		{"long", strings.Repeat("y", 1100)}, // N >= 1024
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := &packetSink{fail: errSink}
			f := formatter.New(s, formatter.Options{Mode: apimode.JSON})
			f.KVString("k", formatter.Null, tt.value, formatter.Null)
			f.FinalizeResult(true)
			p := s.take()
			if len(p) != 2 {
				t.Fatalf("%d packets, want 2", len(p))
			}
			msg := fmt.Sprintf("Failed to send json message (length=%d). ", len(p[0]))
			if len(p[0]) < 1024 {
				msg += "Message: " + p[0] + "\n"
			} else {
				msg += "Maybe result message to long?\n"
			}
			if d := cmp.Diff(fmt.Sprintf(template, msg), p[1]); d != "" {
				t.Errorf("second packet (-README +got):\n%s", d)
			}
		})
	}
}

// BUG 2. Message with a NULL type in mode 2. The reference
// (JsonAddMessage, output_formatter.cc) looks the NULL type up as
// "normal": only when no "normal" array exists does it go on to the
// use-after-free that README §3.4.5 describes as "lost". When a message of
// type "normal" was recorded before, the array exists and the text is
// appended to it — defined behaviour. The formatter drops the message in
// both cases. (README §3.4.5 does not record this case; it follows from
// the reference source at the oracle's commit.)
func TestBugNullMessageTypeJoinsExistingNormal(t *testing.T) {
	f, s := newF(apimode.JSON, true)
	f.Message("normal", "first")
	f.Message(formatter.Null, "second") // appended to "normal" in the reference
	f.Message(formatter.MsgError, "e")
	got := finalizeJSON(t, f, s, true)
	want := compactError(`{}`, `{"normal":["first","second"],"error":["e"]}`)
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
