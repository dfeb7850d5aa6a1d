package logbound

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestCut(t *testing.T) {
	for _, tt := range []struct {
		s    string
		max  int
		want string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"0123456789abc", 10, "0123456789…[13 bytes]"},
		{"ééééé", 3, "é…[10 bytes]"}, // not inside a character
		{"", 0, ""},
	} {
		if got := Cut(tt.s, tt.max); got != tt.want {
			t.Errorf("Cut(%q, %d) = %q, want %q", tt.s, tt.max, got, tt.want)
		}
	}
}

type stringer struct{ s string }

func (s stringer) String() string { return s.s }

func TestHandlerCutsEverything(t *testing.T) {
	var buf bytes.Buffer
	long := strings.Repeat("x", 10_000)
	log := slog.New(New(slog.NewTextHandler(&buf, nil), 50)).With("with", long)
	log.WithGroup("g").Info(long, "s", long, "err", errors.New(long), "str", stringer{long},
		"bytes", []byte(long), "n", 12345, "d", time.Second, slog.Group("sub", "inner", long))
	out := buf.String()
	if len(out) > 1000 {
		t.Errorf("record of %d bytes:\n%s", len(out), out)
	}
	if strings.Count(out, "…[10000 bytes]") != 7 {
		t.Errorf("want 7 cut values (message, with, s, err, str, bytes, inner):\n%s", out)
	}
	for _, want := range []string{"n=12345", "d=1s"} {
		if !strings.Contains(out, want) {
			t.Errorf("%q missing:\n%s", want, out)
		}
	}
}

func TestNewDoesNotWrapTwice(t *testing.T) {
	h := New(slog.DiscardHandler, 0)
	if New(h, 500) != h {
		t.Error("a Handler with a smaller bound was wrapped again")
	}
	if New(h, 10) == h {
		t.Error("a tighter bound was not applied")
	}
}

func TestLimiter(t *testing.T) {
	var buf bytes.Buffer
	l := NewLimiter(slog.NewTextHandler(&buf, nil), 2, 3)
	now := time.Unix(1000, 0)
	l.state.now = func() time.Time { return now }
	log := slog.New(l).With("session", 1)
	for i := range 10 {
		log.Info("flood", "i", i)
	}
	if n := strings.Count(buf.String(), "msg=flood"); n != 3 {
		t.Fatalf("%d records passed at once, want the burst of 3:\n%s", n, buf.String())
	}
	if l.Suppressed() != 7 {
		t.Errorf("Suppressed() = %d, want 7", l.Suppressed())
	}
	log.InfoContext(Always(context.Background()), "session ended")
	if !strings.Contains(buf.String(), `msg="session ended" session=1 suppressed=7`) {
		t.Errorf("the Always record does not pass with the count:\n%s", buf.String())
	}
	buf.Reset()
	now = now.Add(time.Second) // two more tokens
	for range 5 {
		log.Info("later")
	}
	if n := strings.Count(buf.String(), "msg=later"); n != 2 {
		t.Errorf("%d records after a second at rate 2, want 2:\n%s", n, buf.String())
	}
}

// TestLimiterBoundsBytes floods a bounded, limited logger the way a
// console sending huge junk could: the output stays within burst records
// of bounded size.
func TestLimiterBoundsBytes(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(NewLimiter(New(slog.NewTextHandler(&buf, nil), 0), 1, 5))
	junk := strings.Repeat("j", 1<<20)
	for range 100 {
		log.Warn("command failed", "err", errors.New(junk))
	}
	if buf.Len() > 5*(DefaultMax+200) {
		t.Errorf("%d bytes of log for 100 records of 1 MB", buf.Len())
	}
}
