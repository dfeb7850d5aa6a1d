package formatter

// FilterKind is the kind of an output filter tuple.
type FilterKind uint8

// The filter kinds of the reference (of_filter_type).
const (
	FilterLimit    FilterKind = iota // show at most Value rows
	FilterOffset                     // skip the first Value rows
	FilterACL                        // check column Column against ACL Type
	FilterResource                   // column Column must name a resource of type Type
	FilterEnabled                    // the resource in column Column must be enabled
	FilterDisabled                   // the resource in column Column must be disabled
)

// Filter is one filter tuple registered by a listing command. The
// formatter only stores filters and asks the FilterFunc about rows; what a
// filter means is up to that function. Limit and offset filters also show
// up in a mode-2 result's "meta.range".
type Filter struct {
	Kind   FilterKind
	Value  uint64 // FilterLimit, FilterOffset: the limit or offset
	Column int    // the other kinds: the row column to check
	Type   int    // FilterACL: the ACL type; resource kinds: the resource type
}

// FilterState is a FilterFunc's verdict on one row for one filter.
type FilterState uint8

// The verdicts. For ACL filters the rule is tri-state: a row is
// suppressed when no ACL filter answered FilterShow and at least one
// answered FilterUnknown.
const (
	FilterShow     FilterState = iota // the filter lets the row through
	FilterSuppress                    // the row is not shown
	FilterUnknown                     // the filter cannot decide
)

// FilterFunc decides about one row for one filter.
type FilterFunc func(row []string, f Filter) FilterState

// AddLimitFilter registers a limit filter.
func (f *Formatter) AddLimitFilter(n uint64) {
	f.filters = append(f.filters, Filter{Kind: FilterLimit, Value: n})
}

// AddOffsetFilter registers an offset filter.
func (f *Formatter) AddOffsetFilter(n uint64) {
	f.filters = append(f.filters, Filter{Kind: FilterOffset, Value: n})
}

// AddACLFilter registers an ACL filter on a row column.
func (f *Formatter) AddACLFilter(column, aclType int) {
	f.filters = append(f.filters, Filter{Kind: FilterACL, Column: column, Type: aclType})
}

// AddResourceFilter registers a resource-existence filter on a row column.
func (f *Formatter) AddResourceFilter(column, resType int) {
	f.filters = append(f.filters, Filter{Kind: FilterResource, Column: column, Type: resType})
}

// AddEnabledFilter registers an "enabled resources only" filter.
func (f *Formatter) AddEnabledFilter(column, resType int) {
	f.filters = append(f.filters, Filter{Kind: FilterEnabled, Column: column, Type: resType})
}

// AddDisabledFilter registers a "disabled resources only" filter.
func (f *Formatter) AddDisabledFilter(column, resType int) {
	f.filters = append(f.filters, Filter{Kind: FilterDisabled, Column: column, Type: resType})
}

// SetFilterFunc sets the function FilterRow asks about each filter. It
// stays set across results.
func (f *Formatter) SetFilterFunc(fn FilterFunc) { f.filterFn = fn }

// HasFilters reports whether any filter is registered. A successful
// mode-2 result then carries "meta": {"range": {...}}.
func (f *Formatter) HasFilters() bool { return len(f.filters) > 0 }

// HasACLFilters reports whether an ACL filter is registered.
func (f *Formatter) HasACLFilters() bool {
	for _, flt := range f.filters {
		if flt.Kind == FilterACL {
			return true
		}
	}
	return false
}

// Filters returns the registered filters, in order.
func (f *Formatter) Filters() []Filter { return f.filters }

// FilterRow reports whether row is to be shown. Every filter is put to the
// FilterFunc in order: FilterSuppress from any of them suppresses the row;
// otherwise the row is suppressed when the ACL filters gave no FilterShow
// but at least one FilterUnknown. A suppressed row is counted in
// RowsFiltered ("meta.range.filtered"). Without a FilterFunc every row is
// shown.
func (f *Formatter) FilterRow(row []string) bool {
	if f.filterFn == nil {
		return true
	}
	show, unknown := 0, 0
	for _, flt := range f.filters {
		switch f.filterFn(row, flt) {
		case FilterSuppress:
			f.filtered++
			return false
		case FilterShow:
			if flt.Kind == FilterACL {
				show++
			}
		case FilterUnknown:
			if flt.Kind == FilterACL {
				unknown++
			}
		}
	}
	if unknown > 0 && show == 0 {
		f.filtered++
		return false
	}
	return true
}

// RowsFiltered returns the number of rows FilterRow suppressed since the
// last FinalizeResult.
func (f *Formatter) RowsFiltered() uint64 { return f.filtered }

// ClearFilters removes all filters (FinalizeResult does it too).
func (f *Formatter) ClearFilters() { f.filters = f.filters[:0] }

// maxHiddenColumn is the highest column number that can be hidden (the
// reference's OF_MAX_NR_HIDDEN_COLUMNS).
const maxHiddenColumn = 64

// AddHiddenColumn hides a column (0..64) of the rows of a listing.
func (f *Formatter) AddHiddenColumn(col int) {
	if col < 0 || col > maxHiddenColumn {
		return
	}
	for len(f.hidden) <= col/64 {
		f.hidden = append(f.hidden, 0)
	}
	f.hidden[col/64] |= 1 << (col % 64)
}

// IsHiddenColumn reports whether a column was hidden.
func (f *Formatter) IsHiddenColumn(col int) bool {
	if col < 0 || col/64 >= len(f.hidden) {
		return false
	}
	return f.hidden[col/64]&(1<<(col%64)) != 0
}

// ClearHiddenColumns shows all columns again (FinalizeResult does it too).
func (f *Formatter) ClearHiddenColumns() { clear(f.hidden) }
