package formatter_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/formatter"
)

// checkSplit verifies that packets are whole split into MaxSend pieces:
// every packet but the last is exactly MaxSend bytes, the last is not
// empty, and the concatenation is whole.
func checkSplit(t *testing.T, packets []string, whole string) {
	t.Helper()
	wantN := (len(whole) + formatter.MaxSend - 1) / formatter.MaxSend
	if len(packets) != wantN {
		t.Fatalf("%d bytes sent as %d packets, want %d", len(whole), len(packets), wantN)
	}
	for i, p := range packets[:len(packets)-1] {
		if len(p) != formatter.MaxSend {
			t.Errorf("packet %d has %d bytes, want %d", i, len(p), formatter.MaxSend)
		}
	}
	if last := packets[len(packets)-1]; len(last) == 0 || len(last) > formatter.MaxSend {
		t.Errorf("last packet has %d bytes", len(last))
	}
	if got := strings.Join(packets, ""); got != whole {
		i := 0
		for i < len(got) && i < len(whole) && got[i] == whole[i] {
			i++
		}
		t.Errorf("concatenation differs from the whole at byte %d (len %d, want %d)", i, len(got), len(whole))
	}
}

func TestMaxSend(t *testing.T) {
	if formatter.MaxSend != 999_996 {
		t.Fatalf("MaxSend = %d", formatter.MaxSend)
	}
}

func TestLargeTextSplit(t *testing.T) {
	for _, n := range []int{formatter.MaxSend - 1, formatter.MaxSend, formatter.MaxSend + 1, 2 * formatter.MaxSend, 2*formatter.MaxSend + 12345} {
		text := strings.Repeat("0123456789abcde\n", n/16+1)[:n]
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			for _, mode := range []apimode.Mode{apimode.Off, apimode.On} {
				f, s := newF(mode, false)
				f.KVString("k", formatter.Null, text, "%s")
				if err := f.SendBuffer(); err != nil {
					t.Fatal(err)
				}
				checkSplit(t, s.take(), text)
				if err := f.Message(formatter.MsgInfo, text); err != nil {
					t.Fatal(err)
				}
				checkSplit(t, s.take(), text)
			}
		})
	}
}

func TestLargeJSONSplit(t *testing.T) {
	t.Parallel()
	row := strings.Repeat("x", 70) + "\t\"é"
	const rows = 30000
	for _, compact := range []bool{true, false} {
		f, s := newF(apimode.JSON, compact)
		m := newModel(apimode.JSON, compact)
		f.ArrayStart("rows", formatter.Null)
		m.ArrayStart("rows", formatter.Null)
		for i := range rows {
			f.ObjectStart(formatter.Null, formatter.Null)
			m.ObjectStart(formatter.Null, formatter.Null)
			f.KVUint("id", formatter.Null, uint64(i), formatter.Null)
			m.KVUint("id", formatter.Null, uint64(i), formatter.Null)
			f.KVString("text", formatter.Null, row, formatter.Null)
			m.KVStringWrap("text", formatter.Null, row, formatter.Null, -1)
			f.ObjectEnd(formatter.Null, formatter.Null)
			m.ObjectEnd(formatter.Null, formatter.Null)
		}
		// One value larger than a packet.
		big := strings.Repeat("ab\n", formatter.MaxSend/2)
		f.ArrayEnd("rows", formatter.Null)
		m.ArrayEnd("rows", formatter.Null)
		f.KVString("big", formatter.Null, big, formatter.Null)
		m.KVStringWrap("big", formatter.Null, big, formatter.Null, -1)
		f.AddLimitFilter(rows)
		m.AddLimitFilter(rows)
		if err := f.FinalizeResult(true); err != nil {
			t.Fatal(err)
		}
		m.FinalizeResult(true)
		whole := m.packets[0]
		if len(whole) < 3*formatter.MaxSend {
			t.Fatalf("test result only %d bytes", len(whole))
		}
		packets := s.take()
		checkSplit(t, packets, whole)
		if joined := strings.Join(packets, ""); !gjson.Valid(joined) ||
			gjson.Get(joined, "result.rows.29999.id").Int() != rows-1 ||
			gjson.Get(joined, "result.meta.range.limit").Int() != rows {
			t.Errorf("compact %v: joined packets are not the expected JSON", compact)
		}
		// The formatter is reusable afterwards.
		f.KVUint("k", formatter.Null, 1, formatter.Null)
		if got := finalizeJSON(t, f, s, true); gjson.Get(got, "result.k").Int() != 1 || len(got) > 100 {
			t.Errorf("next result: %q", got)
		}
	}
}

var errSink = errors.New("sink broke")

func TestSinkErrorsTextModes(t *testing.T) {
	for _, mode := range []apimode.Mode{apimode.Off, apimode.On} {
		t.Run("mode"+mode.String(), func(t *testing.T) {
			s := &packetSink{fail: errSink}
			f := formatter.New(s, formatter.Options{Mode: mode})
			if f.Err() != nil {
				t.Fatalf("Err() = %v before any send", f.Err())
			}
			check := func(what string, err error, want ...string) {
				t.Helper()
				if !errors.Is(err, formatter.ErrSend) || !errors.Is(err, errSink) {
					t.Errorf("%s returned %v, want ErrSend wrapping the sink's error", what, err)
				}
				if got := s.take(); strings.Join(got, "|") != strings.Join(want, "|") || len(got) != len(want) {
					t.Errorf("%s sent %q, want %q", what, got, want)
				}
			}
			f.KVString("a", "%s", "", "")
			check("SendBuffer", f.SendBuffer(), "a")
			if err := f.SendBuffer(); err != nil {
				t.Errorf("SendBuffer of the cleared buffer: %v", err)
			}
			f.KVString("b", "%s", "", "")
			f.ObjectEnd("c", "%s")
			// ObjectEnd has no error result; the buffer is cleared anyway.
			if got := s.take(); len(got) != 1 || got[0] != "bc" {
				t.Errorf("ObjectEnd sent %q", got)
			}
			check("Message", f.Message(formatter.MsgInfo, "m"), "m")
			check("empty Message", f.Message(formatter.MsgInfo, ""), "")
			f.KVString("d", "%s", "", "")
			check("FinalizeResult", f.FinalizeResult(true), "d")
			if err := f.FinalizeResult(true); err != nil {
				t.Errorf("FinalizeResult with nothing to send: %v", err)
			}
			if !errors.Is(f.Err(), errSink) {
				t.Errorf("Err() = %v", f.Err())
			}
			// A message of several packets: every piece is handed over.
			big := strings.Repeat("z", formatter.MaxSend+10)
			if err := f.Message(formatter.MsgInfo, big); !errors.Is(err, errSink) {
				t.Errorf("big Message: %v", err)
			}
			checkSplit(t, s.take(), big)
		})
	}
}

// Err keeps the first error.
func TestErrKeepsFirst(t *testing.T) {
	errs := []error{nil, errors.New("first"), errors.New("second"), nil}
	n := 0
	f := formatter.New(formatter.SinkFunc(func(p []byte) error {
		err := errs[n%len(errs)]
		n++
		return err
	}), formatter.Options{})
	for i := range 4 {
		err := f.Message(formatter.MsgInfo, "x")
		if (err != nil) != (errs[i] != nil) {
			t.Errorf("Message %d: %v", i, err)
		}
	}
	if f.Err() == nil || !strings.Contains(f.Err().Error(), "first") {
		t.Errorf("Err() = %v, want the first error", f.Err())
	}
}

// README §3.4.9: a failed mode-2 send is followed by a second packet that
// reports it; the result is reset anyway.
func TestSinkErrorJSON(t *testing.T) {
	for _, tt := range []struct {
		name  string
		value string
		long  bool
	}{
		{"short", "v", false},
		{"long", strings.Repeat("y", 2000), true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := &packetSink{fail: errSink}
			f := formatter.New(s, formatter.Options{Mode: apimode.JSON})
			f.KVString("k", formatter.Null, tt.value, formatter.Null)
			err := f.FinalizeResult(true)
			if !errors.Is(err, formatter.ErrSend) || !errors.Is(err, errSink) || !errors.Is(f.Err(), errSink) {
				t.Errorf("FinalizeResult = %v, Err() = %v", err, f.Err())
			}
			p := s.take()
			if len(p) != 2 {
				t.Fatalf("%d packets, want 2: %q", len(p), p)
			}
			prefix := fmt.Sprintf(`{ "jsonrpc": "2.0", "id": null, "error": { "message": "Failed to send json message (length=%d). `, len(p[0]))
			if !strings.HasPrefix(p[1], prefix) {
				t.Errorf("second packet %q does not start with %q", p[1], prefix)
			}
			if got := strings.Contains(p[1], "Maybe result message to long?"); got != tt.long {
				t.Errorf("second packet %q: 'Maybe result message to long?' present = %v", p[1], got)
			}
			if !strings.HasSuffix(p[1], "\"code\": 1 } }\n") {
				t.Errorf("second packet %q has the wrong end", p[1])
			}
			// Reset anyway.
			s.fail = nil
			if got, want := finalizeJSON(t, f, s, true), lines(`{`, `  "jsonrpc": "2.0",`, `  "id": null,`, `  "result": {}`, `}`); got != want {
				t.Errorf("next result %q", got)
			}
		})
	}
}

// After a failed mode-2 send the reference sends a second packet, the
// template of README §3.4.9 with the message inserted unescaped (invalid
// JSON). uaformat deliberately sends the same object as valid JSON: the
// decoded "message" is exactly the reference's text.
func TestJSONSendFailureSecondPacketIsValidJSON(t *testing.T) {
	for _, tt := range []struct {
		name  string
		value string
	}{
		{"short", "v"},                      // the m2_send_fails case
		{"long", strings.Repeat("y", 1100)}, // N >= 1024: no text
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := &packetSink{fail: errSink}
			f := formatter.New(s, formatter.Options{Mode: apimode.JSON})
			f.KVString("k", formatter.Null, tt.value, formatter.Null)
			if err := f.FinalizeResult(true); !errors.Is(err, formatter.ErrSend) {
				t.Fatalf("FinalizeResult = %v, want ErrSend", err)
			}
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
			const prefix = `{ "jsonrpc": "2.0", "id": null, "error": { "message": "`
			if !strings.HasPrefix(p[1], prefix) || !strings.HasSuffix(p[1], `", "code": 1 } }`+"\n") {
				t.Errorf("second packet does not follow the template: %q", p[1])
			}
			if !json.Valid([]byte(p[1])) {
				t.Fatalf("second packet is not valid JSON: %q", p[1])
			}
			if got := gjson.Get(p[1], "error.message").String(); got != msg {
				t.Errorf("error.message = %q, want %q", got, msg)
			}
			if got := gjson.Get(p[1], "error.code").Int(); got != 1 {
				t.Errorf("error.code = %d, want 1", got)
			}
		})
	}
}
