package formatter

// DRAFT SURFACE — bodies are being written; signatures are final.

import "github.com/uaformat/uaformat/apimode"

// Null stands for a C NULL pointer where the reference takes a nullable
// string (names, keys, values, message types). Bareos strings are C
// strings and never contain NUL, so a lone NUL byte cannot be a real
// argument. Through %s it prints "(null)".
const Null = "\x00"

// MaxSend is the largest slice handed to Sink.Send.
const MaxSend = 999_996

// Sink receives output packets.
type Sink interface{ Send(p []byte) error }

// SinkFunc adapts a function to Sink.
type SinkFunc func(p []byte) error

// Send calls fn(p).
func (fn SinkFunc) Send(p []byte) error { return fn(p) }

// Options configure New.
type Options struct {
	Mode    apimode.Mode
	Compact bool
}

// Message types.
const (
	MsgInfo    = "info"
	MsgWarning = "warning"
	MsgError   = "error"
)

type FilterKind uint8

const (
	FilterLimit FilterKind = iota
	FilterOffset
	FilterACL
	FilterResource
	FilterEnabled
	FilterDisabled
)

type Filter struct {
	Kind   FilterKind
	Value  uint64 // limit or offset
	Column int
	Type   int // ACL type or resource type
}

type FilterState uint8

const (
	FilterShow FilterState = iota
	FilterSuppress
	FilterUnknown
)

type FilterFunc func(row []string, f Filter) FilterState

type Formatter struct{}

func New(sink Sink, opts Options) *Formatter                                      { return nil }
func (f *Formatter) Mode() apimode.Mode                                           { return 0 }
func (f *Formatter) SetMode(m apimode.Mode)                                       {}
func (f *Formatter) Compact() bool                                                { return false }
func (f *Formatter) SetCompact(c bool)                                            {}
func (f *Formatter) Decoration(format string, args ...any)                        {}
func (f *Formatter) ObjectStart(name, format string)                              {}
func (f *Formatter) ObjectStartCaseSensitive(name, format string)                 {}
func (f *Formatter) ObjectEnd(name, format string)                                {}
func (f *Formatter) ArrayStart(name, format string)                               {}
func (f *Formatter) ArrayEnd(name, format string)                                 {}
func (f *Formatter) ArrayItemBool(v bool, format string)                          {}
func (f *Formatter) ArrayItemUint(v uint64, format string)                        {}
func (f *Formatter) ArrayItemString(v, format string)                             {}
func (f *Formatter) ArrayItemText(v, text string)                                 {}
func (f *Formatter) KVBool(key, keyFormat string, v bool, valueFormat string)     {}
func (f *Formatter) KVUint(key, keyFormat string, v uint64, valueFormat string)   {}
func (f *Formatter) KVInt(key, keyFormat string, v int64, valueFormat string)     {}
func (f *Formatter) KVString(key, keyFormat, v, valueFormat string)               {}
func (f *Formatter) KVStringWrap(key, keyFormat, v, valueFormat string, wrap int) {}
func (f *Formatter) Message(typ, text string) error                               { return nil }
func (f *Formatter) SendBuffer() error                                            { return nil }
func (f *Formatter) FinalizeResult(ok bool) error                                 { return nil }
func (f *Formatter) Err() error                                                   { return nil }
func (f *Formatter) HasErrorMessage() bool                                        { return false }
func (f *Formatter) AddLimitFilter(n uint64)                                      {}
func (f *Formatter) AddOffsetFilter(n uint64)                                     {}
func (f *Formatter) AddACLFilter(column, aclType int)                             {}
func (f *Formatter) AddResourceFilter(column, resType int)                        {}
func (f *Formatter) AddEnabledFilter(column, resType int)                         {}
func (f *Formatter) AddDisabledFilter(column, resType int)                        {}
func (f *Formatter) SetFilterFunc(fn FilterFunc)                                  {}
func (f *Formatter) HasFilters() bool                                             { return false }
func (f *Formatter) HasACLFilters() bool                                          { return false }
func (f *Formatter) FilterRow(row []string) bool                                  { return true }
func (f *Formatter) ClearFilters()                                                {}
func (f *Formatter) RowsFiltered() uint64                                         { return 0 }
func (f *Formatter) AddHiddenColumn(col int)                                      {}
func (f *Formatter) IsHiddenColumn(col int) bool                                  { return false }
func (f *Formatter) ClearHiddenColumns()                                          {}
