package resource

import (
	"fmt"
	"github.com/uaformat/uaformat/internal/ascii"
	"strings"
)

// MessageTypes are the message types of a Messages destination, in the
// Director's order.
var MessageTypes = []string{
	"debug", "abort", "fatal", "error", "warning", "info", "saved", "notsaved",
	"skipped", "mount", "Terminate", "restored", "security", "alert", "volmgmt", "audit",
}

// Destination is one destination of a Messages resource, e.g.
// mail = root = all, !skipped.
type Destination struct {
	// Kind is the destination: syslog, mail, file, append, stdout,
	// stderr, director, operator, console, mailonerror, mailonsuccess or
	// catalog.
	Kind string
	// Where is the address, file or director of the kinds that have one
	// (mail, file, append, director, operator, mailonerror,
	// mailonsuccess).
	Where string
	// Types are the message types sent there (names of MessageTypes,
	// ignoring case).
	Types []string
}

var destinationKinds = []struct {
	name  string
	where bool
}{
	{"syslog", false}, {"mail", true}, {"file", true}, {"append", true},
	{"stdout", false}, {"stderr", false}, {"director", true}, {"operator", true},
	{"console", false}, {"mailonerror", true}, {"mailonsuccess", true}, {"catalog", false},
}

// AllTypes returns every message type except those listed, the way a
// configuration writes "all, !skipped, !saved".
func AllTypes(except ...string) []string {
	var out []string
	for _, t := range MessageTypes {
		skip := false
		for _, e := range except {
			if ascii.EqualFold(e, t) {
				skip = true
			}
		}
		if !skip {
			out = append(out, t)
		}
	}
	return out
}

// AddDestination adds a destination to a Messages resource. The
// Director keeps destinations newest first, so show prints them in the
// reverse order of their addition.
func (r *Resource) AddDestination(d Destination) error {
	if r.typ != Messages {
		return fmt.Errorf("%w: %s has no message destinations", ErrBadValue, r.typ)
	}
	ok := false
	for _, k := range destinationKinds {
		if k.name == strings.ToLower(d.Kind) {
			d.Kind, ok = k.name, true
			if !k.where {
				d.Where = ""
			}
		}
	}
	if !ok {
		return fmt.Errorf("%w: unknown message destination %q", ErrBadValue, d.Kind)
	}
	for _, t := range d.Types {
		if keywordOf(MessageTypes, t) == "" {
			return fmt.Errorf("%w: unknown message type %q", ErrBadValue, t)
		}
	}
	r.dests = append([]Destination{d}, r.dests...)
	return nil
}

// Destinations returns the destinations of a Messages resource in the
// Director's order (newest first).
func (r *Resource) Destinations() []Destination { return append([]Destination(nil), r.dests...) }

// typesString is the Director's rendering of a destination's types:
// verbose lists the set types and then the unset ones with '!';
// otherwise "all" with the unset ones when more are set than unset,
// else the set ones.
func (d Destination) typesString(verbose bool) string {
	var set, unset []string
	for _, t := range MessageTypes {
		if keywordOf(d.Types, t) != "" {
			set = append(set, t)
		} else {
			unset = append(unset, "!"+t)
		}
	}
	switch {
	case verbose:
		return strings.Join(append(set, unset...), ",")
	case len(set) > len(unset):
		return strings.Join(append([]string{"all"}, unset...), ",")
	}
	return strings.Join(set, ",")
}

func hasWhere(kind string) bool {
	for _, k := range destinationKinds {
		if k.name == kind {
			return k.where
		}
	}
	return false
}

func (r *Resource) printMessages(p Printer, verbose bool) {
	p.ResourceStart("Messages", "Messages", r.name, false)
	p.KeyQuotedString("Name", r.name, false)
	for _, key := range []string{"MailCommand", "OperatorCommand", "TimestampFormat"} {
		if s := r.String(key); s != "" {
			p.KeyQuotedString(key, Escape(s), false)
		}
	}
	f := p.Formatter()
	for _, d := range r.dests {
		f.ObjectStart(d.Kind, p.KeyFormat(false, "%s"))
		if hasWhere(d.Kind) {
			f.KVString("where", null, d.Where, " = %s")
		}
		f.KVString("what", null, d.typesString(verbose), " = %s")
		f.ObjectEnd(d.Kind, "\n")
	}
	p.ResourceEnd("Messages", r.name, false)
}
