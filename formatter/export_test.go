package formatter

// Hooks for the package's benchmarks, which live in package formatter_test
// so that they can drive the formatter with internal/workload.

// SerializeResult sends f's mode-2 result as FinalizeResult(true) does,
// but keeps it, so that the serialization alone can be measured again.
func SerializeResult(f *Formatter) error {
	f.doc.closeAll()
	if f.doc.tree != nil {
		f.doc.encodeTree()
	}
	return f.writeResponse(f.HasErrorMessage())
}

// DiscardResult drops f's mode-2 result without sending it.
func DiscardResult(f *Formatter) { f.doc.reset() }
