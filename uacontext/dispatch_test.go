package uacontext

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tidwall/gjson"
	"github.com/uaformat/uaformat/apimode"
)

// errCatalog stands for a back end that fails.
var errCatalog = errors.New("connection to catalog refused")

// contractTable holds commands that fail in each way the contract knows.
func contractTable() *Table {
	tab := DefaultTable()
	tab.Add(
		Command{Name: "ok", Handler: func(_ context.Context, ua *UA) error {
			ua.Formatter().KVString("k", "%s=", "v", "%s\n")
			return nil
		}},
		Command{Name: "backend", Handler: func(_ context.Context, ua *UA) error {
			ua.Formatter().KVString("k", "%s=", "v", "%s\n")
			return fmt.Errorf("list: %w", errCatalog)
		}},
		Command{Name: "director", Handler: func(context.Context, *UA) error {
			return Errorf("Unknown list keyword: %s\n", "x")
		}},
		Command{Name: "missing", Handler: func(context.Context, *UA) error {
			return fmt.Errorf("lookup: %w", NotFound("Job", "nightly"))
		}},
		Command{Name: "reported", Handler: func(_ context.Context, ua *UA) error {
			ua.ErrorMsg("my own words\n")
			return ErrReported
		}},
		Command{Name: "silent", Handler: func(context.Context, *UA) error {
			return ErrReported
		}},
		Command{Name: "gone", Handler: func(ctx context.Context, ua *UA) error {
			ua.Formatter().KVString("k", "%s=", "v", "%s\n")
			<-ctx.Done()
			return fmt.Errorf("query: %w", ctx.Err())
		}},
	)
	return tab
}

// TestDispatchErrors checks that every kind of handler error reaches the
// console the way the Director reports a failed command, in every mode.
func TestDispatchErrors(t *testing.T) {
	tests := []struct {
		line string
		msg  string // error message the console sees; "" none
	}{
		{"ok", ""},
		{"backend", "list: connection to catalog refused\n"},
		{"director", "Unknown list keyword: x\n"},
		{"missing", "Job \"nightly\" not found.\n"},
		{"reported", "my own words\n"},
		{"silent", ""},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			failed := tt.line != "ok"
			// Mode 0: the text, then the message as its own packet.
			ua, r := newContractUA(apimode.Off)
			err := ua.Execute(context.Background(), tt.line)
			if (err != nil) != failed {
				t.Fatalf("Execute = %v, want failure %v", err, failed)
			}
			var want []string
			if tt.line == "ok" || tt.line == "backend" {
				want = append(want, "k=v\n")
			}
			if tt.msg != "" {
				want = append(want, tt.msg)
			}
			if diff := cmp.Diff(want, r.take()); diff != "" {
				t.Errorf("mode 0 packets (-want +got):\n%s", diff)
			}

			// Mode 1: BNET_ERROR_MSG before the message, CMD_FAILED after.
			ua, r = newContractUA(apimode.On)
			ua.Execute(context.Background(), tt.line)
			pk := r.take()
			last := ""
			for _, p := range pk {
				if strings.HasPrefix(p, "BNET_CMD_") {
					last = p
				}
			}
			if failed && last != "BNET_CMD_FAILED" || !failed && last != "BNET_CMD_OK" {
				t.Errorf("mode 1: last command signal %q: %q", last, pk)
			}
			if tt.msg != "" {
				i := indexOf(pk, tt.msg)
				if i < 1 || pk[i-1] != "BNET_ERROR_MSG" {
					t.Errorf("mode 1: message not after BNET_ERROR_MSG: %q", pk)
				}
			} else if indexOf(pk, "BNET_ERROR_MSG") >= 0 {
				t.Errorf("mode 1: unexpected error message: %q", pk)
			}

			// Mode 2: the error envelope with the message, or the result.
			ua, r = newContractUA(apimode.JSON)
			ua.Execute(context.Background(), tt.line)
			doc := jsonPacket(t, r.take())
			switch {
			case !failed:
				if doc.Get("result.k").String() != "v" || doc.Get("error").Exists() {
					t.Errorf("mode 2 result: %s", doc.Raw)
				}
			case tt.msg != "":
				if doc.Get("error.code").Int() != 1 || doc.Get("error.data.messages.error.0").String() != tt.msg {
					t.Errorf("mode 2 error envelope: %s", doc.Raw)
				}
				if tt.line == "backend" && doc.Get("error.data.result.k").String() != "v" {
					t.Errorf("mode 2: partial result lost: %s", doc.Raw)
				}
			default:
				if doc.Get("error.data.messages.error").Exists() {
					t.Errorf("mode 2: unexpected error message: %s", doc.Raw)
				}
			}
		})
	}
}

// TestDispatchLogsErrors checks that failures are logged, back-end
// failures at level ERROR and those the console caused (shown to it) at
// DEBUG only.
func TestDispatchLogsErrors(t *testing.T) {
	var buf bytes.Buffer
	r := &recorder{}
	ua := NewUA(r, Options{Table: contractTable(), Log: slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	ua.Execute(context.Background(), "backend")
	ua.Execute(context.Background(), "missing")
	logs := buf.String()
	if !strings.Contains(logs, "level=ERROR") || !strings.Contains(logs, "connection to catalog refused") {
		t.Errorf("back-end failure not logged as error:\n%s", logs)
	}
	if !strings.Contains(logs, `level=DEBUG msg="command failed" command=missing`) {
		t.Errorf("not-found not logged:\n%s", logs)
	}
}

// TestDispatchAbandoned checks that a command whose context ended (the
// console went away) sends nothing more: no message, no CMD signal, no
// result, and that nothing is sent afterwards either.
func TestDispatchAbandoned(t *testing.T) {
	for _, mode := range []apimode.Mode{apimode.Off, apimode.On, apimode.JSON} {
		r := &recorder{}
		ua := NewUA(r, Options{Table: contractTable()})
		ua.SetMode(mode)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		err := ua.Execute(ctx, "gone")
		if !errors.Is(err, context.Canceled) {
			t.Errorf("mode %v: Execute = %v, want context.Canceled", mode, err)
		}
		pk := r.take()
		for _, p := range pk {
			if p == "BNET_CMD_FAILED" || p == "BNET_ERROR_MSG" || strings.Contains(p, "error") || strings.Contains(p, "k=v") {
				t.Errorf("mode %v: abandoned command sent %q", mode, pk)
			}
		}
		if ua.Err() == nil {
			t.Errorf("mode %v: the session does not know the console is gone", mode)
		}
		ua.Execute(context.Background(), "ok")
		if pk := r.take(); len(pk) != 0 {
			t.Errorf("mode %v: sent after an abandoned command: %q", mode, pk)
		}
	}
}

func newContractUA(mode apimode.Mode) (*UA, *recorder) {
	r := &recorder{}
	ua := NewUA(r, Options{Table: contractTable()})
	ua.SetMode(mode)
	return ua, r
}

func indexOf(s []string, x string) int {
	for i, v := range s {
		if v == x {
			return i
		}
	}
	return -1
}

// jsonPacket returns the one JSON document among the packets.
func jsonPacket(t *testing.T, pk []string) gjson.Result {
	t.Helper()
	var docs []string
	for _, p := range pk {
		if !strings.HasPrefix(p, "BNET_") {
			docs = append(docs, p)
		}
	}
	if len(docs) != 1 || !gjson.Valid(docs[0]) {
		t.Fatalf("want one JSON document, got %q", pk)
	}
	return gjson.Parse(docs[0])
}

func TestErrorValues(t *testing.T) {
	nf := fmt.Errorf("x: %w", NotFound("Client", "fd1"))
	if !errors.Is(nf, ErrNotFound) {
		t.Error("NotFound does not match ErrNotFound")
	}
	if msg, _ := consoleMessage(nf); msg != "Client \"fd1\" not found.\n" {
		t.Errorf("wrapped NotFound message = %q", msg)
	}
	ce := Errorf("Query failed: %s\n", errCatalog)
	if !errors.Is(ce, errCatalog) {
		t.Error("Errorf lost its cause")
	}
	if ce.Error() != "Query failed: connection to catalog refused" {
		t.Errorf("Errorf.Error() = %q", ce.Error())
	}
	if _, ok := consoleMessage(fmt.Errorf("w: %w", ErrReported)); ok {
		t.Error("ErrReported has a console message")
	}
}
