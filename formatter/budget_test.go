package formatter_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/tidwall/gjson"
	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/formatter"
)

// testBudget grants up to limit bytes and records what is held.
type testBudget struct {
	limit, held, peak, grows int
}

func (b *testBudget) Grow(n int) error {
	b.grows++
	if b.held+n > b.limit {
		return errors.New("over")
	}
	b.held += n
	b.peak = max(b.peak, b.held)
	return nil
}

func (b *testBudget) Shrink(n int) { b.held -= n }

// rows builds a result of n rows of a few key/values each.
func rows(f *formatter.Formatter, n int) {
	f.ArrayStart("files", "")
	for i := range n {
		f.ObjectStart(formatter.Null, "")
		f.KVUint("FileId", "%s=", uint64(i), "%d ")
		f.KVString("Name", "%s=", strings.Repeat("n", 40), "%s\n")
		f.ObjectEnd(formatter.Null, "")
	}
	f.ArrayEnd("files", "")
}

func TestBudgetAccountsAndReleases(t *testing.T) {
	b := &testBudget{limit: 64 << 20}
	var out []byte
	f := formatter.New(formatter.SinkFunc(func(p []byte) error { out = append(out, p...); return nil }),
		formatter.Options{Mode: apimode.JSON, Compact: true, Budget: b})
	rows(f, 50_000)
	if b.held < 2<<20 {
		t.Errorf("%d bytes accounted for a 50,000-row result, want at least its tokens", b.held)
	}
	if err := f.FinalizeResult(true); err != nil {
		t.Fatal(err)
	}
	if b.held != 0 {
		t.Errorf("%d bytes still held after the result was sent", b.held)
	}
	if n := len(gjson.GetBytes(out, "result.files").Array()); n != 50_000 {
		t.Errorf("%d rows sent, want 50000", n)
	}
}

func TestBudgetRefusalDiscardsResult(t *testing.T) {
	b := &testBudget{limit: 512 << 10}
	var out []byte
	f := formatter.New(formatter.SinkFunc(func(p []byte) error { out = append(out, p...); return nil }),
		formatter.Options{Mode: apimode.JSON, Compact: true})
	f.SetBudget(b)
	rows(f, 100_000)
	if b.peak > b.limit {
		t.Errorf("peak %d over the limit %d", b.peak, b.limit)
	}
	grows := b.grows
	rows(f, 1000) // ignored once refused: no more requests
	if b.grows != grows {
		t.Errorf("%d more Grow calls after the refusal", b.grows-grows)
	}
	if err := f.FinalizeResult(true); !errors.Is(err, formatter.ErrDiscarded) {
		t.Errorf("FinalizeResult = %v, want ErrDiscarded", err)
	}
	if !gjson.ValidBytes(out) {
		t.Fatalf("invalid JSON: %.300s", out)
	}
	if got := gjson.GetBytes(out, "error.data.result").Raw; got != "{}" {
		t.Errorf("result %s, want {}", got)
	}
	if got := gjson.GetBytes(out, "error.data.messages.error.0").String(); got != formatter.DiscardedMessage {
		t.Errorf("error message %q", got)
	}
	if b.held != 0 {
		t.Errorf("%d bytes held after the discarded result", b.held)
	}

	// The next result is kept again.
	out = nil
	rows(f, 10)
	if err := f.FinalizeResult(true); err != nil {
		t.Fatal(err)
	}
	if n := len(gjson.GetBytes(out, "result.files").Array()); n != 10 {
		t.Errorf("next result: %d rows, want 10: %.300s", n, out)
	}
}
