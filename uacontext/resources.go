package uacontext

import "github.com/uaformat/uaformat/formatter"

// ResourceLookup answers the resource-based output filters of a session
// (the "current", "enabled" and "disabled" keywords of the listings)
// from the Director's configuration. dircmd.ResourceFilter adapts a
// dircmd.Resources to it.
type ResourceLookup interface {
	// Resource reports whether a resource of type t named name is
	// configured and, for clients, jobs, storages and schedules, whether
	// it is enabled.
	Resource(t ResourceType, name string) (found, enabled bool)
}

// ResourceType is a Director resource type code (R_DIRECTOR ...), used as
// the resource type of formatter resource and enabled/disabled filters.
type ResourceType int

// The Director's resource type codes.
const (
	ResDirector ResourceType = iota
	ResClient
	ResJobDefs
	ResJob
	ResStorage
	ResCatalog
	ResSchedule
	ResFileSet
	ResPool
	ResMsgs
	ResCounter
	ResProfile
	ResConsole
	ResUser
)

// ACLKind returns the ACL kind that guards resources of type t, and false
// for types without one (the Director then asks the Command ACL for
// "configure").
func (t ResourceType) ACLKind() (ACLKind, bool) {
	switch t {
	case ResClient:
		return ACLClient, true
	case ResJobDefs, ResJob:
		return ACLJob, true
	case ResStorage:
		return ACLStorage, true
	case ResCatalog:
		return ACLCatalog, true
	case ResSchedule:
		return ACLSchedule, true
	case ResFileSet:
		return ACLFileSet, true
	case ResPool:
		return ACLPool, true
	}
	return 0, false
}

// ResourceAllowed reports whether the console may see the resource of
// type t named name: the ACL of the type's kind, or for types without an
// ACL kind the Command ACL entry "configure".
func (ua *UA) ResourceAllowed(t ResourceType, name string) bool {
	if k, ok := t.ACLKind(); ok {
		return ua.ACLAccessOK(k, name)
	}
	return ua.ACLAccessOK(ACLCommand, "configure")
}

// Filter is the formatter filter callback of the session (installed by
// NewUA), the Director's filterit:
//
//   - limit and offset filters: show;
//   - ACL filters (Type = ACLKind): unknown if the column is missing or
//     empty, suppress if the console may not access the value, else show;
//   - resource filters (Type = ResourceType): unknown if the column is
//     empty, suppress if no such resource is configured;
//   - enabled/disabled filters: unknown if the column is empty; for
//     clients, jobs, storages and schedules suppress unless the resource
//     exists, the console may access it, and its enabled state is the one
//     wanted; other types show;
//   - any other filter kind: suppress.
//
// Without Resources, resource and enabled/disabled filters show the row.
func (ua *UA) Filter(row []string, f formatter.Filter) formatter.FilterState {
	col := ""
	if f.Column >= 0 && f.Column < len(row) {
		col = row[f.Column]
	}
	switch f.Kind {
	case formatter.FilterLimit, formatter.FilterOffset:
		return formatter.FilterShow
	case formatter.FilterACL:
		if col == "" || col == null {
			return formatter.FilterUnknown
		}
		if !ua.ACLAccessOK(ACLKind(f.Type), col) {
			return formatter.FilterSuppress
		}
		return formatter.FilterShow
	case formatter.FilterResource:
		if col == "" || col == null {
			return formatter.FilterUnknown
		}
		if ua.Resources == nil {
			return formatter.FilterShow
		}
		if found, _ := ua.Resources.Resource(ResourceType(f.Type), col); !found {
			return formatter.FilterSuppress
		}
		return formatter.FilterShow
	case formatter.FilterEnabled, formatter.FilterDisabled:
		if col == "" || col == null {
			return formatter.FilterUnknown
		}
		want := f.Kind == formatter.FilterEnabled
		switch t := ResourceType(f.Type); t {
		case ResClient, ResJob, ResStorage, ResSchedule:
			if ua.Resources == nil {
				return formatter.FilterShow
			}
			k, _ := t.ACLKind()
			if !ua.ACLAccessOK(k, col) {
				return formatter.FilterSuppress
			}
			found, enabled := ua.Resources.Resource(ResourceType(f.Type), col)
			if !found || enabled != want {
				return formatter.FilterSuppress
			}
		}
		return formatter.FilterShow
	}
	return formatter.FilterSuppress
}

// AddACLFilter makes the formatter drop the rows whose column col names
// an item of kind the console may not access (the Director's
// SetAclFilter); see Filter.
func (ua *UA) AddACLFilter(col int, kind ACLKind) { ua.out.AddACLFilter(col, int(kind)) }

// AddResourceFilter makes the formatter drop the rows whose column col
// names no configured resource of type t (the "current" keyword).
func (ua *UA) AddResourceFilter(col int, t ResourceType) { ua.out.AddResourceFilter(col, int(t)) }

// AddEnabledFilter makes the formatter keep only the rows whose column col
// names an enabled resource of type t (the "enabled" keyword).
func (ua *UA) AddEnabledFilter(col int, t ResourceType) { ua.out.AddEnabledFilter(col, int(t)) }

// AddDisabledFilter makes the formatter keep only the rows whose column
// col names a disabled resource of type t (the "disabled" keyword).
func (ua *UA) AddDisabledFilter(col int, t ResourceType) { ua.out.AddDisabledFilter(col, int(t)) }
