package formatter_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/formatter"
)

// packetSink records a copy of every packet. If fail is set, Send returns
// it after recording.
type packetSink struct {
	packets [][]byte
	fail    error
}

func (s *packetSink) Send(p []byte) error {
	s.packets = append(s.packets, bytes.Clone(p))
	return s.fail
}

// texts returns the packets as strings.
func (s *packetSink) texts() []string {
	if len(s.packets) == 0 {
		return nil
	}
	out := make([]string, len(s.packets))
	for i, p := range s.packets {
		out[i] = string(p)
	}
	return out
}

// take returns the packets sent so far as strings and forgets them.
func (s *packetSink) take() []string {
	out := s.texts()
	s.packets = nil
	return out
}

// newF returns a formatter in the given mode writing to a new packetSink.
func newF(mode apimode.Mode, compact bool) (*formatter.Formatter, *packetSink) {
	s := &packetSink{}
	return formatter.New(s, formatter.Options{Mode: mode, Compact: compact}), s
}

// one returns the only packet sent, failing the test if there is not
// exactly one.
func one(t *testing.T, s *packetSink) string {
	t.Helper()
	p := s.take()
	if len(p) != 1 {
		t.Fatalf("got %d packets %q, want 1", len(p), p)
	}
	return p[0]
}

// finalizeJSON finalizes a mode-2 result and returns its one packet.
func finalizeJSON(t *testing.T, f *formatter.Formatter, s *packetSink, ok bool) string {
	t.Helper()
	if err := f.FinalizeResult(ok); err != nil {
		t.Fatalf("FinalizeResult: %v", err)
	}
	return one(t, s)
}

// compactEnvelope wraps a compact result text the way a successful
// compact mode-2 response does.
func compactEnvelope(result string) string {
	return `{"jsonrpc":"2.0","id":null,"result":` + result + `}`
}

// compactError wraps compact result and messages texts in the error
// envelope.
func compactError(result, messages string) string {
	return `{"jsonrpc":"2.0","id":null,"error":{"code":1,"message":"failed","data":{"result":` +
		result + `,"messages":` + messages + `}}}`
}

// lines joins its arguments with newlines (for indented JSON).
func lines(l ...string) string { return strings.Join(l, "\n") }
