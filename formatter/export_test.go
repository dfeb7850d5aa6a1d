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
	return f.writeResponse(f.HasErrorMessage(), false)
}

// DiscardResult drops f's mode-2 result without sending it.
func DiscardResult(f *Formatter) { f.doc.reset() }

// tinyTuning makes every result of more than a few tokens span many arena
// chunks and be serialized in parallel by three workers, in pieces of a
// few bytes.
var tinyTuning = tuning{chunkMin: 16, chunkMax: 96, parallelMin: 1, stretchMin: 40, pieceSize: 64, workers: 3}

// UseTinyTuning gives f tiny arena chunks and the parallel writer for
// every result (tests of the parallel writer on small results).
func UseTinyTuning(f *Formatter) {
	f.doc.toks.tune = &tinyTuning
	f.doc.reset()
}
