package uacontext

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func names(cmds []Command) []string {
	var out []string
	for _, c := range cmds {
		out = append(out, c.Name)
	}
	return out
}

func TestReferenceCommands(t *testing.T) {
	ref := ReferenceCommands()
	if len(ref) != 88 {
		t.Fatalf("%d reference commands, want 88", len(ref))
	}
	if ref[0].Name != "." || ref[len(ref)-1].Name != "whoami" {
		t.Errorf("first/last = %q/%q", ref[0].Name, ref[len(ref)-1].Name)
	}
	loc, ok := Reference(".locations")
	if !ok || loc.Help != null || loc.Usage != null {
		t.Errorf(".locations = %+v, %v; want Null help and usage", loc, ok)
	}
	quit, _ := Reference("quit")
	if quit.Usage != "" || quit.Help != "Terminate Bconsole session" {
		t.Errorf("quit = %+v", quit)
	}
	for _, c := range ref {
		if c.Handler != nil {
			t.Errorf("%s has a handler", c.Name)
		}
	}
}

func TestBuiltinsOrder(t *testing.T) {
	got := names(DefaultTable().Commands())
	want := []string{".", ".api", ".help", ".messages", ".quit", "autodisplay", "exit", "gui", "help", "messages", "quit", "version", "whoami"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
	for _, c := range Builtins() {
		if c.Handler == nil {
			t.Errorf("builtin %s without handler", c.Name)
		}
		if ref, _ := Reference(c.Name); ref.Help != c.Help || ref.Usage != c.Usage {
			t.Errorf("builtin %s: help/usage differ from the reference", c.Name)
		}
	}
}

func TestLookup(t *testing.T) {
	full := NewTable(Builtins()...)
	full.Add(ReferenceCommands()...)
	small := DefaultTable()
	tests := []struct {
		word        string
		full, small string // "" = not found
	}{
		{"q", "quit", "quit"},
		{"qu", "quit", "quit"},
		{"que", "query", ""},
		{"QUIT", "quit", "quit"},
		{"quitx", "", ""},
		{"ver", "version", "version"},
		{"v", "var", "version"},
		{"me", "messages", "messages"},
		{"mem", "memory", ""},
		{"h", "help", "help"},
		{"l", "label", ""},
		{"li", "list", ""},
		{"ll", "llist", ""},
		{"s", "status", ""},
		{".", ".", "."},
		{".h", ".help", ".help"},
		{".m", ".messages", ".messages"},
		{".s", ".sql", ""},
		{".st", ".status", ""},
		{"e", "enable", "exit"},
		{"ex", "exit", "exit"},
		{"w", "wait", "whoami"},
		{"wh", "whoami", "whoami"},
		{"", ".", "."},
		{"nosuch", "", ""},
	}
	for _, tt := range tests {
		for _, c := range []struct {
			tab  *Table
			want string
		}{{full, tt.full}, {small, tt.small}} {
			got, ok := c.tab.Lookup(tt.word)
			if (c.want == "") == ok || got.Name != c.want {
				t.Errorf("Lookup(%q) in %d-entry table = %q, %v; want %q", tt.word, c.tab.Len(), got.Name, ok, c.want)
			}
		}
	}
}

func TestTableAdd(t *testing.T) {
	h := func(context.Context, *UA) error { return nil }
	tab := NewTable(Command{Name: "zzz", Handler: h}, Command{Name: "version", Handler: h})
	tab.Add(Command{Name: "list", Handler: h}, Command{Name: "aaa", Handler: h}, Command{Name: ".", Handler: h}, Command{})
	want := []string{".", "list", "version", "zzz", "aaa"}
	if diff := cmp.Diff(want, names(tab.Commands())); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}

	// Stubs never replace commands with handlers, in either order.
	a := DefaultTable()
	a.Add(ReferenceCommands()...)
	b := NewTable(ReferenceCommands()...)
	b.Add(Builtins()...)
	for _, tab := range []*Table{a, b} {
		if tab.Len() != 88 {
			t.Errorf("Len = %d, want 88", tab.Len())
		}
		if c, _ := tab.Get("whoami"); c.Handler == nil {
			t.Error("whoami lost its handler")
		}
		if c, _ := tab.Get("list"); c.Handler != nil {
			t.Error("list has a handler")
		}
	}
	if diff := cmp.Diff(names(ReferenceCommands()), names(a.Commands())); diff != "" {
		t.Errorf("full table order (-want +got):\n%s", diff)
	}

	// A command with a handler replaces one in place.
	a.Add(Command{Name: "list", Help: "mine", Handler: h})
	if c, _ := a.Get("list"); c.Help != "mine" || c.Handler == nil {
		t.Errorf("list not replaced: %+v", c)
	}
	a.Remove("list")
	if _, ok := a.Get("list"); ok {
		t.Error("list not removed")
	}
	if c, ok := a.Lookup("li"); ok {
		t.Errorf("li after removing list = %q", c.Name)
	}
}
