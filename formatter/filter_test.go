package formatter_test

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/tidwall/gjson"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/formatter"
)

// README §3.4.7: limit/offset filters become result.meta.range.
func TestFiltersMeta(t *testing.T) {
	tests := []struct {
		name  string
		setup func(f *formatter.Formatter)
		want  string // compact result
	}{
		{"limit and offset", func(f *formatter.Formatter) {
			f.AddLimitFilter(10)
			f.AddOffsetFilter(5)
		}, `{"k":1,"meta":{"range":{"limit":10,"offset":5,"filtered":0}}}`},
		{"order of first addition", func(f *formatter.Formatter) {
			f.AddOffsetFilter(5)
			f.AddLimitFilter(10)
		}, `{"k":1,"meta":{"range":{"offset":5,"limit":10,"filtered":0}}}`},
		{"repeated kind replaced in place", func(f *formatter.Formatter) {
			f.AddLimitFilter(1)
			f.AddOffsetFilter(2)
			f.AddLimitFilter(3)
		}, `{"k":1,"meta":{"range":{"limit":3,"offset":2,"filtered":0}}}`},
		{"limit only", func(f *formatter.Formatter) { f.AddLimitFilter(0) },
			`{"k":1,"meta":{"range":{"limit":0,"filtered":0}}}`},
		{"signed 64-bit values", func(f *formatter.Formatter) {
			f.AddLimitFilter(math.MaxUint64)
			f.AddOffsetFilter(1 << 63)
		}, `{"k":1,"meta":{"range":{"limit":-1,"offset":-9223372036854775808,"filtered":0}}}`},
		{"existing meta replaced in place", func(f *formatter.Formatter) {
			f.KVString("META", N, "user", N)
			f.KVUint("z", N, 2, N)
			f.AddLimitFilter(7)
		}, `{"k":1,"meta":{"range":{"limit":7,"filtered":0}},"z":2}`},
		{"existing meta object replaced", func(f *formatter.Formatter) {
			f.ObjectStart("meta", N)
			f.KVUint("mine", N, 1, N)
			f.ObjectEnd("meta", N)
			f.AddOffsetFilter(4)
		}, `{"k":1,"meta":{"range":{"offset":4,"filtered":0}}}`},
		// The reference adds meta for any registered filter tuple
		// (HasFilters), so an ACL filter alone gives a range with only
		// "filtered".
		{"ACL filter only", func(f *formatter.Formatter) { f.AddACLFilter(1, 2) },
			`{"k":1,"meta":{"range":{"filtered":0}}}`},
		{"resource filters and limit", func(f *formatter.Formatter) {
			f.AddResourceFilter(0, 1)
			f.AddEnabledFilter(0, 1)
			f.AddLimitFilter(2)
			f.AddDisabledFilter(0, 1)
		}, `{"k":1,"meta":{"range":{"limit":2,"filtered":0}}}`},
		{"cleared filters", func(f *formatter.Formatter) {
			f.AddLimitFilter(2)
			f.ClearFilters()
		}, `{"k":1}`},
		{"meta after too many ends", func(f *formatter.Formatter) {
			f.ObjectEnd(N, N)
			f.ObjectEnd(N, N)
			f.AddLimitFilter(1)
		}, `{"k":1,"meta":{"range":{"limit":1,"filtered":0}}}`},
		{"meta after missing ends", func(f *formatter.Formatter) {
			f.ObjectStart("o", N)
			f.ArrayStart("a", N)
			f.AddLimitFilter(1)
		}, `{"k":1,"o":{"a":[]},"meta":{"range":{"limit":1,"filtered":0}}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, s := newF(apimode.JSON, true)
			f.KVUint("k", N, 1, N)
			tt.setup(f)
			if got, want := finalizeJSON(t, f, s, true), compactEnvelope(tt.want); got != want {
				t.Errorf("got\n%s\nwant\n%s", got, want)
			}
			// Filters are gone afterwards.
			if f.HasFilters() {
				t.Error("HasFilters() after FinalizeResult")
			}
			if got, want := finalizeJSON(t, f, s, true), compactEnvelope(`{}`); got != want {
				t.Errorf("next result: %s", got)
			}
		})
	}
}

// No meta on the error path, and the filters are cleared anyway.
func TestFiltersErrorPath(t *testing.T) {
	for _, fail := range []func(f *formatter.Formatter) bool{
		func(f *formatter.Formatter) bool { return false },
		func(f *formatter.Formatter) bool { f.Message(formatter.MsgError, "e"); return true },
	} {
		f, s := newF(apimode.JSON, true)
		f.AddLimitFilter(1)
		ok := fail(f)
		out := finalizeJSON(t, f, s, ok)
		if gjson.Get(out, "error.data.result.meta").Exists() {
			t.Errorf("meta on the error path: %s", out)
		}
		if f.HasFilters() {
			t.Error("filters not cleared on the error path")
		}
	}
}

// The filters have no visible effect in the text modes (README §3.1.6).
func TestFiltersTextModes(t *testing.T) {
	for _, mode := range []apimode.Mode{apimode.Off, apimode.On} {
		f, s := newF(mode, false)
		f.AddLimitFilter(1)
		f.AddOffsetFilter(2)
		f.AddACLFilter(0, 1)
		f.KVString("k", "%s=", "v", "%s")
		f.FinalizeResult(true)
		if d := cmp.Diff([]string{"k=v"}, s.take()); d != "" {
			t.Errorf("mode %v (-want +got):\n%s", mode, d)
		}
		if f.HasFilters() {
			t.Errorf("mode %v: filters survive FinalizeResult", mode)
		}
	}
}

func TestFilterList(t *testing.T) {
	f, _ := newF(apimode.JSON, false)
	if f.HasFilters() || f.HasACLFilters() || len(f.Filters()) != 0 {
		t.Fatal("new formatter has filters")
	}
	f.AddLimitFilter(10)
	f.AddOffsetFilter(20)
	f.AddResourceFilter(1, 2)
	if f.HasACLFilters() {
		t.Error("HasACLFilters() without an ACL filter")
	}
	f.AddACLFilter(3, 4)
	f.AddEnabledFilter(5, 6)
	f.AddDisabledFilter(7, 8)
	want := []formatter.Filter{
		{Kind: formatter.FilterLimit, Value: 10},
		{Kind: formatter.FilterOffset, Value: 20},
		{Kind: formatter.FilterResource, Column: 1, Type: 2},
		{Kind: formatter.FilterACL, Column: 3, Type: 4},
		{Kind: formatter.FilterEnabled, Column: 5, Type: 6},
		{Kind: formatter.FilterDisabled, Column: 7, Type: 8},
	}
	if d := cmp.Diff(want, f.Filters()); d != "" {
		t.Errorf("Filters() (-want +got):\n%s", d)
	}
	if !f.HasFilters() || !f.HasACLFilters() {
		t.Error("HasFilters/HasACLFilters false")
	}
	f.ClearFilters()
	if f.HasFilters() || f.HasACLFilters() || len(f.Filters()) != 0 {
		t.Error("ClearFilters left filters")
	}
}

// FilterRow asks the FilterFunc about every filter, in order, and applies
// the tri-state ACL rule of the reference.
func TestFilterRow(t *testing.T) {
	S, X, U := formatter.FilterShow, formatter.FilterSuppress, formatter.FilterUnknown
	acl := formatter.Filter{Kind: formatter.FilterACL, Column: 0, Type: 1}
	res := formatter.Filter{Kind: formatter.FilterResource, Column: 1, Type: 2}
	lim := formatter.Filter{Kind: formatter.FilterLimit, Value: 10}
	tests := []struct {
		name     string
		filters  []formatter.Filter
		verdicts []formatter.FilterState // by filter
		show     bool
		asked    int // how many filters the FilterFunc is asked about
	}{
		{"no filters", nil, nil, true, 0},
		{"acl show", []formatter.Filter{acl}, []formatter.FilterState{S}, true, 1},
		{"acl suppress", []formatter.Filter{acl}, []formatter.FilterState{X}, false, 1},
		{"acl unknown only", []formatter.Filter{acl}, []formatter.FilterState{U}, false, 1},
		{"acl unknown and show", []formatter.Filter{acl, acl}, []formatter.FilterState{U, S}, true, 2},
		{"acl show and unknown", []formatter.Filter{acl, acl}, []formatter.FilterState{S, U}, true, 2},
		{"two acl unknown", []formatter.Filter{acl, acl}, []formatter.FilterState{U, U}, false, 2},
		{"acl show then suppress", []formatter.Filter{acl, acl}, []formatter.FilterState{S, X}, false, 2},
		{"suppress stops asking", []formatter.Filter{res, acl, acl}, []formatter.FilterState{X, S, S}, false, 1},
		{"resource unknown does not count", []formatter.Filter{res}, []formatter.FilterState{U}, true, 1},
		{"resource show does not count for acl", []formatter.Filter{res, acl}, []formatter.FilterState{S, U}, false, 2},
		{"resource suppress", []formatter.Filter{res, acl}, []formatter.FilterState{X, S}, false, 1},
		{"limit asked too", []formatter.Filter{lim}, []formatter.FilterState{X}, false, 1},
		{"limit unknown ignored", []formatter.Filter{lim, acl}, []formatter.FilterState{U, S}, true, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, s := newF(apimode.JSON, true)
			var asked []formatter.Filter
			row := []string{"client1", "job"}
			f.SetFilterFunc(func(r []string, flt formatter.Filter) formatter.FilterState {
				if d := cmp.Diff(row, r); d != "" {
					t.Errorf("FilterFunc got row (-want +got):\n%s", d)
				}
				asked = append(asked, flt)
				return tt.verdicts[len(asked)-1]
			})
			for _, flt := range tt.filters {
				switch flt.Kind {
				case formatter.FilterACL:
					f.AddACLFilter(flt.Column, flt.Type)
				case formatter.FilterResource:
					f.AddResourceFilter(flt.Column, flt.Type)
				case formatter.FilterLimit:
					f.AddLimitFilter(flt.Value)
				}
			}
			if got := f.FilterRow(row); got != tt.show {
				t.Errorf("FilterRow = %v, want %v", got, tt.show)
			}
			if d := cmp.Diff(tt.filters[:tt.asked], asked, cmpopts.EquateEmpty()); d != "" {
				t.Errorf("filters asked (-want +got):\n%s", d)
			}
			wantFiltered := uint64(0)
			if !tt.show {
				wantFiltered = 1
			}
			if got := f.RowsFiltered(); got != wantFiltered {
				t.Errorf("RowsFiltered() = %d, want %d", got, wantFiltered)
			}
			out := finalizeJSON(t, f, s, true)
			if len(tt.filters) > 0 {
				if got := gjson.Get(out, "result.meta.range.filtered"); got.Int() != int64(wantFiltered) || got.Type != gjson.Number {
					t.Errorf("meta.range.filtered = %v in %s", got, out)
				}
			}
		})
	}
}

// Without a FilterFunc every row is shown, whatever the filters.
func TestFilterRowWithoutFunc(t *testing.T) {
	f, _ := newF(apimode.JSON, false)
	f.AddACLFilter(0, 0)
	if !f.FilterRow([]string{"x"}) || f.RowsFiltered() != 0 {
		t.Error("row suppressed without a FilterFunc")
	}
}

// An ACL-filtered listing: the count of suppressed rows ends up in
// meta.range.filtered, next to limit and offset; the FilterFunc stays set
// across results while the count starts again at zero.
func TestFilteredCount(t *testing.T) {
	f, s := newF(apimode.JSON, true)
	allowed := map[string]bool{"c1": true, "c3": true}
	f.SetFilterFunc(func(row []string, flt formatter.Filter) formatter.FilterState {
		if flt.Kind != formatter.FilterACL {
			return formatter.FilterShow
		}
		if allowed[row[flt.Column]] {
			return formatter.FilterShow
		}
		return formatter.FilterUnknown
	})
	for result := range 2 {
		f.AddLimitFilter(100)
		f.AddACLFilter(1, 0)
		f.AddOffsetFilter(0)
		f.ArrayStart("clients", N)
		for i, c := range []string{"c1", "c2", "c3", "c4", "c5"} {
			row := []string{string(rune('0' + i)), c}
			if !f.FilterRow(row) {
				continue
			}
			f.ObjectStart(N, N)
			f.KVString("name", N, c, N)
			f.ObjectEnd(N, N)
		}
		f.ArrayEnd("clients", N)
		got := finalizeJSON(t, f, s, true)
		want := compactEnvelope(`{"clients":[{"name":"c1"},{"name":"c3"}],"meta":{"range":{"limit":100,"offset":0,"filtered":3}}}`)
		if got != want {
			t.Errorf("result %d:\n got %s\nwant %s", result, got, want)
		}
	}
}
