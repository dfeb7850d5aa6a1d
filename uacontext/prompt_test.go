package uacontext

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/uaformat/uaformat/apimode"
)

func TestDoPrompt(t *testing.T) {
	items := []string{"alpha", "beta", "gamma"}
	tests := []struct {
		name    string
		api     apimode.Mode
		items   []string
		answers []string
		idx     int
		err     error
		pkts    []string
	}{
		{"mode0", apimode.Off, items, []string{"0", "4", "2"}, 1, nil, []string{
			"Header:\n", "1: alpha\n2: beta\n3: gamma\n",
			"Select it (1-3): ", "BNET_SUB_PROMPT", "<< 0",
			"Please enter a number between 1 and 3\n",
			"Select it (1-3): ", "BNET_SUB_PROMPT", "<< 4",
			"Please enter a number between 1 and 3\n",
			"Select it (1-3): ", "BNET_SUB_PROMPT", "<< 2",
		}},
		{"mode1", apimode.On, items, []string{"3"}, 2, nil, []string{
			"BNET_START_SELECT", "Header:\n", "alpha", "beta", "gamma", "BNET_END_SELECT",
			"BNET_SELECT_INPUT", "BNET_TEXT_INPUT", "Select it (1-3): ", "<< 3",
		}},
		{"cancel", apimode.Off, items, []string{"."}, -1, ErrCanceled, []string{
			"Header:\n", "1: alpha\n2: beta\n3: gamma\n",
			"Select it (1-3): ", "BNET_SUB_PROMPT", "<< .",
			"Selection aborted, nothing done.\n",
		}},
		{"single mode0", apimode.Off, items[:1], nil, 0, nil, []string{"Automatically selected Thing: alpha\n"}},
		{"single mode1", apimode.On, items[:1], nil, 0, nil, nil},
		{"empty", apimode.Off, nil, nil, -1, ErrEmptySelection, []string{
			"Header:\n", "", "Selection list for \"Thing\" is empty!\n",
		}},
		{"batch", apimode.JSON, items, nil, -1, ErrBatch, nil},
		{"uint32 wrap", apimode.Off, items, []string{"4294967297"}, 0, nil, []string{
			"Header:\n", "1: alpha\n2: beta\n3: gamma\n",
			"Select it (1-3): ", "BNET_SUB_PROMPT", "<< 4294967297",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ua, c := newScriptUA(tt.api, tt.answers...)
			ua.StartPrompt("Header:\n")
			for _, it := range tt.items {
				ua.AddPrompt(it)
				ua.AddPrompt(it) // duplicates are dropped
			}
			idx, item, err := ua.DoPrompt(context.Background(), "Thing", "Select it")
			if idx != tt.idx || !errors.Is(err, tt.err) {
				t.Errorf("DoPrompt = %d, %q, %v; want %d, %v", idx, item, err, tt.idx, tt.err)
			}
			if idx >= 0 && item != tt.items[idx] {
				t.Errorf("item %q, want %q", item, tt.items[idx])
			}
			if diff := cmp.Diff(tt.pkts, c.pkts); diff != "" {
				t.Errorf("packets (-want +got):\n%s", diff)
			}
			if len(ua.PromptItems()) != 0 {
				t.Error("selection list not emptied")
			}
		})
	}
}

func TestDoPromptBatchText(t *testing.T) {
	ua, c := newScriptUA(apimode.On)
	ua.Batch = true
	ua.StartPrompt("Header:\n")
	ua.AddPrompt("a")
	ua.AddPrompt("b")
	if _, _, err := ua.DoPrompt(context.Background(), "Job", "Select"); !errors.Is(err, ErrBatch) {
		t.Fatal(err)
	}
	want := []string{"Header:\n", "1: a\n2: b\n",
		"Your request has multiple choices for \"Job\". Selection is not possible in batch mode.\n"}
	if diff := cmp.Diff(want, c.pkts); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}

	ua, c = newScriptUA(apimode.JSON)
	ua.Formatter().SetCompact(true)
	ua.StartPrompt("Header:\n")
	ua.AddPrompt("a")
	ua.AddPrompt("b")
	ua.DoPrompt(context.Background(), "Job", "Select")
	ua.Formatter().FinalizeResult(false)
	wantJSON := `{"jsonrpc":"2.0","id":null,"error":{"code":1,"message":"failed","data":{"result":{},"messages":{"error":["Your request has multiple choices for \"Job\". Selection is not possible in batch mode.\n"]}}}}`
	if diff := cmp.Diff([]string{wantJSON}, c.pkts); diff != "" {
		t.Errorf("mode 2 (-want +got):\n%s", diff)
	}
}

func TestFormatPrompts(t *testing.T) {
	var items []string
	for i := 1; i <= 23; i++ {
		items = append(items, fmt.Sprintf("item%d", i))
	}
	got := FormatPrompts(items, 80, 20)
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	// cell width: 6 + 2 + 4 - 1 = 11 → 7 per line, 4 lines, numbered down the columns.
	if len(lines) != 4 {
		t.Fatalf("%d lines:\n%s", len(lines), got)
	}
	if want := " 1: item1   5: item5   9: item9  13: item13 17: item17 21: item21 "; lines[0] != want {
		t.Errorf("line 1 = %q\nwant     %q", lines[0], want)
	}
	if want := " 4: item4   8: item8  12: item12 16: item16 20: item20 "; lines[3] != want {
		t.Errorf("line 4 = %q\nwant     %q", lines[3], want)
	}
	if got := FormatPrompts(items[:20], 80, 20); !strings.HasPrefix(got, " 1: item1\n 2: item2\n") {
		t.Errorf("single column: %q", got)
	}
}
