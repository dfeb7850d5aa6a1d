// Package resource models the configuration resources of a Bareos
// Director the way the Director prints them with show and configure
// export: every resource type with its directives in the Director's
// order, their value types and defaults, and resources that hold the
// directives a configuration sets.
//
// A Resource remembers which directives were set explicitly. Print
// renders it exactly like the Director's resource printer does: a
// directive that was not set (or that a Job inherits from its JobDefs)
// is an inherited value, left out normally and shown as a "# " comment
// with verbose; a value equal to the directive's default is shown only
// with verbose, as a comment; required directives are always shown.
// FileSet, Messages, Schedule runs, RunScripts and Director addresses
// have their own layouts, as in the Director.
//
// Print writes to a Printer, the resource printer of the output
// formatter (OutputFormatterResource in the Director), so the same calls
// give Bareos configuration syntax in the text API modes and JSON
// objects grouped by resource type in API mode 2.
package resource
