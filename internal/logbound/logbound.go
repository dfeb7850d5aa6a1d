// Package logbound keeps what reaches a log in proportion: a Handler
// that cuts every value of a record to a bounded prefix, and a Limiter
// that lets records through at a bounded rate and counts the rest.
//
// A console can put arbitrary text into a log record (a command line, a
// name in an error, a Hello); without a bound, a client sending 1 MB
// command lines grows the log by megabytes per second. Both wrappers are
// slog.Handlers, so every log site of a package is covered by wrapping
// its logger once.
package logbound

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"
)

// DefaultMax is the default bound, in bytes, of the message and of each
// value of a record.
const DefaultMax = 200

// Cut returns s if it is at most max bytes long, and otherwise its first
// bytes (cut at a character boundary) followed by "…" and the length of
// s, so that a reader sees the text was cut and how long it was.
func Cut(s string, max int) string {
	if len(s) <= max {
		return s
	}
	n := max
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…[" + strconv.Itoa(len(s)) + " bytes]"
}

// Handler is a slog.Handler that cuts the message and every value (of
// records and of attributes added with WithAttrs) to Max bytes (see Cut)
// before passing the record on. Values that are not strings (errors,
// Stringers, other types) are turned into text first; numbers, booleans,
// times and durations pass as they are.
type Handler struct {
	h   slog.Handler
	max int
}

// New returns a Handler writing to h; max <= 0 means DefaultMax. A
// Handler wrapping a Handler is not wrapped again.
func New(h slog.Handler, max int) *Handler {
	if max <= 0 {
		max = DefaultMax
	}
	if b, ok := h.(*Handler); ok && b.max <= max {
		return b
	}
	return &Handler{h: h, max: max}
}

// Enabled reports whether the wrapped handler handles records of level.
func (b *Handler) Enabled(ctx context.Context, level slog.Level) bool {
	return b.h.Enabled(ctx, level)
}

// Handle cuts the record's message and values and hands it on.
func (b *Handler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, Cut(r.Message, b.max), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(b.attr(a))
		return true
	})
	return b.h.Handle(ctx, out)
}

// WithAttrs returns a Handler whose attributes are cut as well.
func (b *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	cut := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		cut[i] = b.attr(a)
	}
	return &Handler{h: b.h.WithAttrs(cut), max: b.max}
}

// WithGroup returns a Handler for the group.
func (b *Handler) WithGroup(name string) slog.Handler {
	return &Handler{h: b.h.WithGroup(Cut(name, b.max)), max: b.max}
}

func (b *Handler) attr(a slog.Attr) slog.Attr {
	a.Key = Cut(a.Key, b.max)
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		v = slog.StringValue(Cut(v.String(), b.max))
	case slog.KindGroup:
		g := v.Group()
		cut := make([]slog.Attr, len(g))
		for i, ga := range g {
			cut[i] = b.attr(ga)
		}
		v = slog.GroupValue(cut...)
	case slog.KindAny:
		var s string
		switch x := v.Any().(type) {
		case error:
			s = x.Error()
		case fmt.Stringer:
			s = x.String()
		case []byte:
			s = string(x)
		default:
			s = fmt.Sprint(x)
		}
		v = slog.StringValue(Cut(s, b.max))
	}
	a.Value = v
	return a
}

// Limiter is a slog.Handler that passes records at a bounded rate (a
// token bucket: Burst records at once, Rate per second on average) and
// drops the others. The next record that passes carries the number of
// records dropped before it ("suppressed"). Records logged with a
// context from Always pass regardless (and count against the bucket).
//
// A Limiter and the handlers derived from it with WithAttrs and
// WithGroup share one bucket.
type Limiter struct {
	h     slog.Handler
	state *bucket
}

type bucket struct {
	mu         sync.Mutex
	rate       float64
	burst      float64
	tokens     float64
	last       time.Time
	suppressed int64
	now        func() time.Time
}

// NewLimiter returns a Limiter writing to h that lets burst records
// through at once and rate records per second on average.
func NewLimiter(h slog.Handler, rate float64, burst int) *Limiter {
	return &Limiter{h: h, state: &bucket{rate: rate, burst: float64(burst), tokens: float64(burst), now: time.Now}}
}

type alwaysKey struct{}

// Always returns a context whose records a Limiter never drops (such as
// the one record that says a session ended, with its reason).
func Always(ctx context.Context) context.Context {
	return context.WithValue(ctx, alwaysKey{}, true)
}

// Enabled reports whether the wrapped handler handles records of level.
func (l *Limiter) Enabled(ctx context.Context, level slog.Level) bool {
	return l.h.Enabled(ctx, level)
}

// Handle passes the record on if the bucket has a token (or ctx is from
// Always), adding the count of records dropped since the last one that
// passed; otherwise it drops the record.
func (l *Limiter) Handle(ctx context.Context, r slog.Record) error {
	always, _ := ctx.Value(alwaysKey{}).(bool)
	n, ok := l.state.take(always)
	if !ok {
		return nil
	}
	if n > 0 {
		r = r.Clone()
		r.AddAttrs(slog.Int64("suppressed", n))
	}
	return l.h.Handle(ctx, r)
}

// Suppressed returns the number of records dropped since the last one
// that passed.
func (l *Limiter) Suppressed() int64 {
	l.state.mu.Lock()
	defer l.state.mu.Unlock()
	return l.state.suppressed
}

// take takes a token; it returns the count of dropped records to report
// and whether the record passes.
func (b *bucket) take(always bool) (int64, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	if !b.last.IsZero() {
		b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	}
	b.last = now
	if b.tokens < 1 && !always {
		b.suppressed++
		return 0, false
	}
	b.tokens = max(b.tokens-1, 0)
	n := b.suppressed
	b.suppressed = 0
	return n, true
}

// WithAttrs returns a Limiter with the attributes, sharing the bucket.
func (l *Limiter) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &Limiter{h: l.h.WithAttrs(attrs), state: l.state}
}

// WithGroup returns a Limiter for the group, sharing the bucket.
func (l *Limiter) WithGroup(name string) slog.Handler {
	return &Limiter{h: l.h.WithGroup(name), state: l.state}
}
