package formatter

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Parallel serialization of a large result.
//
// The arena records the nesting at the start of each of its chunks (see
// mark), so a worker can render a stretch of chunks without the tokens
// before it: the same writer.stretch, with the nesting taken from the
// mark, into pieces of its own. The caller's goroutine takes the pieces
// stretch by stretch, in document order, and cuts them into the packets
// (writer.write), so the packets are exactly those of the sequential
// writer. A stretch is rendered only once the one as many stretches
// before it as there are workers has been sent, and each holds at most one
// finished piece and the one being rendered: the memory beyond the arena
// is a few pieces per worker.

// tuning holds the sizes that steer the arena and the parallel writer.
// The package tests give a formatter tiny ones, so that small results
// have many chunks and are serialized in parallel.
type tuning struct {
	chunkMin, chunkMax int // arena chunk sizes
	parallelMin        int // arena size from which to serialize in parallel
	stretchMin         int // least token bytes of a stretch
	pieceSize          int // output a worker collects before handing it over
	workers            int // upper bound of the workers (0: GOMAXPROCS)
}

var defaultTuning = tuning{
	chunkMin:    1 << 10,
	chunkMax:    1 << 20,
	parallelMin: 4 << 20,
	stretchMin:  512 << 10,
	pieceSize:   2 << 20,
}

// parallelMemory is what the parallel writer with workers workers holds
// at most besides the arena: its pieces of output (the free list, those
// queued for the writer, those being rendered).
func parallelMemory(t *tuning, workers int) int {
	lookahead := workers + 1
	return (2*lookahead + 2 + 2*lookahead + workers) * (t.pieceSize + t.pieceSize/4)
}

// stretchTask is one stretch of the arena: chunks [first, end).
type stretchTask struct {
	first, end int
	start      chan struct{} // closed when the task may be rendered
	out        chan []byte   // its pieces in order, closed after the last
}

// workerCount returns the number of workers to use for a, 0 for none.
func workerCount(a *arena) int {
	n := runtime.GOMAXPROCS(0)
	if a.tune.workers > 0 {
		n = a.tune.workers
	}
	if n < 2 || a.Len() < a.tune.parallelMin {
		return 0
	}
	return n
}

// stretches splits the arena at chunk starts with a usable mark into
// stretches of at least stretchMin bytes.
func stretches(a *arena) []stretchTask {
	var tasks []stretchTask
	size := 0
	for i := range a.chunks() {
		if len(tasks) == 0 || size >= a.tune.stretchMin && a.marks[i].usable() {
			tasks = append(tasks, stretchTask{first: i})
			size = 0
		}
		tasks[len(tasks)-1].end = i + 1
		size += len(a.chunk(i))
	}
	return tasks
}

// tokensParallel writes the members of the result object, which w has
// just opened, like tokens, with workers goroutines rendering.
func (w *writer) tokensParallel(a *arena, workers int) {
	tasks := stretches(a)
	workers = min(workers, len(tasks))
	lookahead := workers
	for i := range tasks {
		tasks[i].start = make(chan struct{})
		tasks[i].out = make(chan []byte, 1)
	}
	for i := range min(lookahead, len(tasks)) {
		close(tasks[i].start)
	}
	free := make(chan []byte, 2*lookahead+2)
	get := func() []byte {
		select {
		case b := <-free:
			return b
		default:
			b := make([]byte, a.tune.pieceSize+64<<10) // room for the token that ends a piece

			populate(b)
			return b[:0]
		}
	}
	// The workers share no state with w (which stays on the caller's
	// stack): they get a copy of what they need.
	cfg := &writer{compact: w.compact, keyText: w.keyText, keyAt: w.keyAt,
		depth: w.depth} // the depth of the result object's members
	// If the sink panics, the workers stop before the panic goes on.
	done := make(chan struct{})
	var wg sync.WaitGroup
	defer func() {
		close(done)
		wg.Wait()
	}()
	var next atomic.Int64
	for range workers {
		wg.Go(func() {
			for {
				k := int(next.Add(1) - 1)
				if k >= len(tasks) {
					return
				}
				t := &tasks[k]
				select {
				case <-t.start:
				case <-done:
					return
				}
				renderTask(cfg, a, t, get, done)
			}
		})
	}
	w.spill() // from here on buf stays below MaxSend
	for i := range tasks {
		for p := range tasks[i].out {
			w.write(p)
			select {
			case free <- p[:0]:
			default:
			}
		}
		if j := i + lookahead; j < len(tasks) {
			close(tasks[j].start)
		}
	}
	w.first = false // the arena was not empty
}

// renderTask renders the chunks of t into pieces sent on t.out, with the
// settings of cfg, whose depth is that of the result object's members. It
// ends its goroutine when done is closed before a piece is taken.
func renderTask(cfg *writer, a *arena, t *stretchTask, get func() []byte, done <-chan struct{}) {
	m := a.marks[t.first]
	r := writer{
		buf:     get(),
		compact: cfg.compact,
		depth:   cfg.depth + m.depth,
		first:   m.open,
		keyText: cfg.keyText,
		keyAt:   cfg.keyAt,
		spillAt: a.tune.pieceSize,
	}
	r.objs = make([]bool, m.depth+1, m.depth+16)
	for d := range r.objs {
		r.objs[d] = m.objs>>d&1 != 0
	}
	send := func(p []byte) {
		select {
		case t.out <- p:
		case <-done:
			runtime.Goexit()
		}
	}
	r.hand = func(p []byte) []byte {
		send(p)
		return get()
	}
	for c := t.first; c < t.end; c++ {
		r.stretch(a.chunk(c))
	}
	if len(r.buf) > 0 {
		send(r.buf)
	}
	close(t.out)
}
