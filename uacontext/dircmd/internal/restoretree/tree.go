// Package restoretree is the Director's in-memory restore tree and the
// "$" prompt commands that walk it (cd, ls, dir, mark, unmark, lsmark,
// estimate, count, find, pwd, help, done, quit, ...): the ports of
// core/src/lib/tree.cc and core/src/dird/ua_tree.cc.
//
// A Tree is built from the catalog's file list of the selected jobs (one
// Insert per file or directory row, newest version of each file, ordered
// by job and FileIndex), finished, and then browsed by a Shell, which
// executes one command line at a time and writes its answers to an
// Output. The marked nodes are what the restore job restores.
//
// Nodes are allocated in slabs and hold a compact form of the file's
// attributes, about 130 bytes per node plus the name; a tree refuses to
// grow beyond Options.MaxNodes nodes (ErrTooLarge).
package restoretree

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// NodeType is the kind of a tree node (the Director's tree_node_type).
type NodeType int8

// The node types.
const (
	TypeRoot   NodeType = iota // the root of the tree (path "/")
	TypeNewDir                 // a directory only known from a path (no row of its own)
	TypeDir                    // a directory with a row
	TypeDirWin                 // a Windows drive ("C:"), a directory without a leading slash
	TypeFile                   // a file (anything that is not a directory)
)

// Stat is the part of a file's attributes the tree keeps.
type Stat struct {
	Mode         uint32
	Nlink        uint32
	UID, GID     uint32
	Size         int64
	Mtime, Ctime int64
	// LinkFI is the FileIndex of the file whose data a hard link shares
	// (0: not a hard link to an earlier file).
	LinkFI int32
}

// The S_IFMT bits of Stat.Mode.
const (
	modeType = 0o170000
	modeReg  = 0o100000
	modeLink = 0o120000
)

// Entry is one row of the catalog's file list: a file (Name set) or a
// directory (Name empty, Path the directory with its trailing slash).
type Entry struct {
	Path      string
	Name      string
	FileIndex int32
	JobID     uint32
	DeltaSeq  int32
	Stat      Stat
}

// DeltaPart is an earlier part of a file saved as deltas.
type DeltaPart struct {
	JobID     uint32
	FileIndex int32
}

// Node flags.
const (
	fExtract    = 1 << iota // marked to be restored
	fDescendant             // something below is marked
	fHardLink               // a hard link to an earlier file of its job
	fSoftLink               // a symbolic link
	fInserted               // created by the last lookup
	fUnsorted               // children not in order (during the build)
	fHasStat                // stat came from a row
)

// Node is a file or directory of the tree.
type Node struct {
	name      string
	parent    *Node
	children  []*Node // in name order once the tree is finished
	next      *Node   // insertion order
	deltas    []DeltaPart
	stat      Stat
	jobID     uint32
	fileIndex int32
	deltaSeq  int32
	nmarked   int32 // children marked or with marked descendants
	typ       NodeType
	flags     uint8
}

// Name returns the node's name (a path component).
func (n *Node) Name() string { return n.name }

// Type returns the node's type.
func (n *Node) Type() NodeType { return n.typ }

// JobID returns the job whose version of the file the tree holds.
func (n *Node) JobID() uint32 { return n.jobID }

// FileIndex returns the file's index in its job.
func (n *Node) FileIndex() int32 { return n.fileIndex }

// Deltas returns the earlier delta parts of the file, oldest first.
func (n *Node) Deltas() []DeltaPart { return n.deltas }

// Stat returns the file's attributes and whether the tree has them (a
// directory only known from a path has none).
func (n *Node) Stat() (Stat, bool) { return n.stat, n.flags&fHasStat != 0 }

// Extract reports whether the node is marked to be restored.
func (n *Node) Extract() bool { return n.flags&fExtract != 0 }

// ExtractDescendant reports whether something below the node is marked.
func (n *Node) ExtractDescendant() bool { return n.flags&fDescendant != 0 }

// HasChildren reports whether the node has children.
func (n *Node) HasChildren() bool { return len(n.children) > 0 }

// Children returns the node's children in the tree's order. The slice
// must not be modified.
func (n *Node) Children() []*Node { return n.children }

// Parent returns the node's parent (nil for the root).
func (n *Node) Parent() *Node { return n.parent }

func (n *Node) softLink() bool { return n.flags&fSoftLink != 0 }
func (n *Node) marked() bool   { return n.flags&(fExtract|fDescendant) != 0 }

// Path returns the node's full path as the Director shows it (the
// Director's tree_getpath): directories end in a slash, the root is "/",
// and a Windows drive starts without one ("C:/").
func (n *Node) Path() string {
	return string(n.AppendPath(nil))
}

// AppendPath appends the node's Path to dst.
func (n *Node) AppendPath(dst []byte) []byte {
	depth := 0
	for x := n; x != nil; x = x.parent {
		depth++
	}
	var small [32]*Node
	chain := small[:0]
	if depth > len(small) {
		chain = make([]*Node, 0, depth)
	}
	for x := n; x != nil; x = x.parent {
		chain = append(chain, x)
	}
	start := len(dst)
	for i := len(chain) - 1; i >= 0; i-- {
		x := chain[i]
		isSlash := len(dst)-start == 1 && dst[start] == '/'
		if x.typ == TypeDirWin && isSlash {
			dst = dst[:start]
		}
		dst = append(dst, x.name...)
		isSlash = len(dst)-start == 1 && dst[start] == '/'
		if (x.typ != TypeFile && !isSlash) || (x.softLink() && len(x.children) > 0) {
			dst = append(dst, '/')
		}
	}
	return dst
}

// DefaultMaxNodes bounds a tree when Options.MaxNodes is zero: about
// 520 MB of nodes plus names.
const DefaultMaxNodes = 4_000_000

// ErrTooLarge is returned by Insert when the tree would exceed its
// MaxNodes.
var ErrTooLarge = errors.New("restoretree: too many files for the restore tree")

// ErrFinished is returned by Insert after Finish.
var ErrFinished = errors.New("restoretree: the tree is finished")

// Options configure New.
type Options struct {
	// All marks every inserted file and directory for extraction (the
	// "all" keyword of restore).
	All bool
	// DeltaCount and Progress: every time more than DeltaCount new files
	// were inserted since the last call, Progress is called (the
	// Director prints a "+"). DeltaCount 0 means never.
	DeltaCount int
	Progress   func()
	// Warn receives the Director's warnings during the build (broken
	// delta sequences); nil discards them.
	Warn func(text string)
	// MaxNodes bounds the number of nodes; zero means DefaultMaxNodes.
	MaxNodes int
}

const slabSize = 1024

// Tree is a restore tree. Build it with Insert and Finish; a finished
// tree is browsed and marked by a Shell. A Tree is not safe for
// concurrent use.
type Tree struct {
	root        Node
	first, last *Node
	slab        []Node
	nodes       int

	// build state
	cachedPath   string
	cachedParent *Node
	index        map[*Node]map[string]*Node // children of unsorted directories
	unsorted     []*Node
	hardlinks    map[uint64]*Node
	finished     bool

	opts                   Options
	fileCount, rows, ticks int
}

// New returns an empty tree.
func New(opts Options) *Tree {
	if opts.MaxNodes <= 0 {
		opts.MaxNodes = DefaultMaxNodes
	}
	t := &Tree{opts: opts}
	t.root.typ = TypeRoot
	t.root.deltaSeq = -1
	return t
}

// Root returns the root node.
func (t *Tree) Root() *Node { return &t.root }

// FileCount is the number of rows that created their node (the
// Director's tree.FileCount).
func (t *Tree) FileCount() int { return t.fileCount }

// Rows is the number of rows inserted (the Director's tree.cnt).
func (t *Tree) Rows() int { return t.rows }

// Nodes is the number of nodes besides the root.
func (t *Tree) Nodes() int { return t.nodes }

// Each calls fn for every node in the order the nodes were created
// (the Director's FirstTreeNode/NextTreeNode walk) until fn returns
// false.
func (t *Tree) Each(fn func(*Node) bool) {
	for n := t.first; n != nil; n = n.next {
		if !fn(n) {
			return
		}
	}
}

func (t *Tree) newNode() *Node {
	if len(t.slab) == 0 {
		t.slab = make([]Node, slabSize)
	}
	n := &t.slab[0]
	t.slab = t.slab[1:]
	n.deltaSeq = -1
	t.nodes++
	return n
}

// compareNames is the Director's NodeCompare: the first bytes compared
// as signed chars, then the whole names byte by byte.
func compareNames(a, b string) int {
	var ca, cb int8
	if a != "" {
		ca = int8(a[0])
	}
	if b != "" {
		cb = int8(b[0])
	}
	if ca != cb {
		return cmp.Compare(ca, cb)
	}
	return strings.Compare(a, b)
}

// lookup finds or creates the child of parent called name (the
// Director's search_and_insert_tree_node).
func (t *Tree) lookup(name string, typ NodeType, parent *Node) (*Node, error) {
	kids := parent.children
	pos := len(kids)
	if parent.flags&fUnsorted != 0 {
		if n := t.index[parent][name]; n != nil {
			n.flags &^= fInserted
			return n, nil
		}
	} else if len(kids) > 0 && compareNames(kids[len(kids)-1].name, name) >= 0 {
		i, found := slices.BinarySearchFunc(kids, name, func(n *Node, name string) int { return compareNames(n.name, name) })
		if found {
			kids[i].flags &^= fInserted
			return kids[i], nil
		}
		pos = i
	}
	if t.nodes >= t.opts.MaxNodes {
		return nil, ErrTooLarge
	}
	n := t.newNode()
	n.name = strings.Clone(name)
	n.parent = parent
	n.typ = typ
	n.flags = fInserted
	switch {
	case pos == len(kids):
		parent.children = append(kids, n)
		if parent.flags&fUnsorted != 0 {
			t.index[parent][n.name] = n
		}
	case len(kids) < 64:
		parent.children = slices.Insert(kids, pos, n)
	default:
		// Out of order in a big directory: keep appending and sort once
		// the tree is finished.
		parent.flags |= fUnsorted
		parent.children = append(kids, n)
		if t.index == nil {
			t.index = map[*Node]map[string]*Node{}
		}
		m := make(map[string]*Node, len(parent.children))
		for _, c := range parent.children {
			m[c.name] = c
		}
		t.index[parent] = m
		t.unsorted = append(t.unsorted, parent)
	}
	if t.first == nil {
		t.first = n
	} else {
		t.last.next = n
	}
	t.last = n
	return n, nil
}

// makePath makes sure every directory of path exists (the Director's
// make_tree_path) and returns the last one.
func (t *Tree) makePath(path string) (*Node, error) {
	if path == "" {
		return &t.root, nil
	}
	if path == t.cachedPath && t.cachedParent != nil {
		return t.cachedParent, nil
	}
	cur := &t.root
	first, rest, more := strings.Cut(path, "/")
	var err error
	if !more {
		cur, err = t.lookup(path, TypeDirWin, cur)
		if err != nil {
			return nil, err
		}
	} else {
		if first != "" {
			if cur, err = t.lookup(first, TypeDirWin, cur); err != nil {
				return nil, err
			}
		}
		for {
			var comp string
			comp, rest, more = strings.Cut(rest, "/")
			if cur, err = t.lookup(comp, TypeNewDir, cur); err != nil {
				return nil, err
			}
			if !more {
				break
			}
		}
	}
	t.cachedPath, t.cachedParent = path, cur
	return cur, nil
}

// insertNode is the Director's insert_tree_node for a row.
func (t *Tree) insertNode(path, fname string, typ NodeType) (*Node, error) {
	path = strings.TrimSuffix(path, "/")
	if fname == "" {
		if i := strings.LastIndexByte(path, '/'); i >= 0 {
			path, fname = path[:i], path[i+1:]
		}
	}
	if fname == "" {
		return t.lookup(path, typ, &t.root)
	}
	parent, err := t.makePath(path)
	if err != nil {
		return nil, err
	}
	return t.lookup(fname, typ, parent)
}

func hlKey(jobID uint32, fileIndex int32) uint64 {
	return uint64(jobID)<<32 | uint64(uint32(fileIndex))
}

// setFlag sets or clears flag f of n, keeping the parent's count of
// marked children.
func setFlag(n *Node, f uint8, on bool) {
	was := n.marked()
	if on {
		n.flags |= f
	} else {
		n.flags &^= f
	}
	if now := n.marked(); now != was && n.parent != nil {
		if now {
			n.parent.nmarked++
		} else {
			n.parent.nmarked--
		}
	}
}

// Insert adds one row of the file list (the Director's
// InsertTreeHandler): the first version of a file creates its node, a
// later row replaces the node's job, index and attributes (within one
// job the last row of a directory, the first of a hard-linked file wins).
func (t *Tree) Insert(e Entry) error {
	if t.finished {
		return ErrFinished
	}
	e.Path, e.Name = cString(e.Path), cString(e.Name)
	typ := TypeFile
	if e.Name == "" {
		typ = TypeDir
		if e.Path == "" || e.Path[0] != '/' {
			typ = TypeDirWin
		}
	}
	hardLink := e.Stat.LinkFI != 0
	n, err := t.insertNode(e.Path, e.Name, typ)
	if err != nil {
		return err
	}
	if e.DeltaSeq > 0 {
		if e.DeltaSeq == n.deltaSeq+1 {
			n.deltas = append(n.deltas, DeltaPart{JobID: n.jobID, FileIndex: n.fileIndex})
		} else {
			if n.deltaSeq == -1 {
				t.remove(n)
			} else if t.opts.Warn != nil {
				t.opts.Warn(fmt.Sprintf("Something is wrong with the Delta sequence of %s, skipping new parts. Current sequence is %d\n", e.Name, n.deltaSeq))
			}
			return nil
		}
	}
	ok := true
	if n.flags&fInserted == 0 && e.JobID == n.jobID {
		if (hardLink && e.FileIndex > n.fileIndex) || (!hardLink && e.FileIndex < n.fileIndex) {
			ok = false
		}
	}
	if ok {
		n.flags &^= fHardLink | fSoftLink
		if hardLink {
			n.flags |= fHardLink
		}
		if e.Stat.Mode&modeType == modeLink {
			n.flags |= fSoftLink
		}
		n.flags |= fHasStat
		n.fileIndex = e.FileIndex
		n.jobID = e.JobID
		n.typ = typ
		n.deltaSeq = e.DeltaSeq
		n.stat = e.Stat
		if t.opts.All {
			setFlag(n, fExtract, true)
		}
		if e.Stat.Nlink > 1 && typ != TypeDir && typ != TypeDirWin {
			if t.hardlinks == nil {
				t.hardlinks = map[uint64]*Node{}
			}
			if !hardLink {
				t.hardlinks[hlKey(e.JobID, e.FileIndex)] = n
			} else if first := t.hardlinks[hlKey(e.JobID, e.Stat.LinkFI)]; first != nil {
				t.hardlinks[hlKey(e.JobID, e.FileIndex)] = first
			}
		}
	}
	if n.flags&fInserted != 0 {
		t.fileCount++
		if t.opts.DeltaCount > 0 && t.fileCount-t.ticks > t.opts.DeltaCount {
			if t.opts.Progress != nil {
				t.opts.Progress()
			}
			t.ticks = t.fileCount
		}
	}
	t.rows++
	return nil
}

// remove takes a node just created by a broken delta row out of the
// tree again.
func (t *Tree) remove(n *Node) {
	p := n.parent
	if i := slices.Index(p.children, n); i >= 0 {
		p.children = slices.Delete(p.children, i, i+1)
	}
	if m := t.index[p]; m != nil {
		delete(m, n.name)
	}
	if n.marked() {
		p.nmarked--
	}
	if t.cachedParent == n {
		t.cachedPath, t.cachedParent = "", nil
	}
	if t.last == n && len(n.children) == 0 {
		// Unlink the last node of the creation order.
		if t.first == n {
			t.first, t.last = nil, nil
		} else {
			for x := t.first; x != nil; x = x.next {
				if x.next == n {
					x.next, t.last = nil, x
					break
				}
			}
		}
	}
}

// Finish ends the build: children are put in order and the build's
// indexes released. Inserting afterwards fails.
func (t *Tree) Finish() {
	for _, p := range t.unsorted {
		slices.SortFunc(p.children, func(a, b *Node) int { return compareNames(a.name, b.name) })
		p.flags &^= fUnsorted
	}
	t.unsorted, t.index = nil, nil
	t.cachedPath, t.cachedParent = "", nil
	t.slab = nil
	t.finished = true
}

// Cwd resolves path from node as the Director's tree_cwd does: ".",
// "..", absolute and relative paths, each component matched exactly or
// as a wildcard pattern. It returns nil if there is no such directory.
func (t *Tree) Cwd(path string, node *Node) *Node {
	path = cString(path)
	for {
		if path == "." {
			return node
		}
		if strings.HasPrefix(path, "..") && (len(path) == 2 || path[2] == '/') {
			parent := node.parent
			if parent == nil {
				parent = node
			}
			if len(path) == 2 {
				return parent
			}
			path, node = path[3:], parent
			continue
		}
		if strings.HasPrefix(path, "/") {
			return t.relCwd(path[1:], &t.root)
		}
		return t.relCwd(path, node)
	}
}

// relCwd is the Director's tree_relcwd.
func (t *Tree) relCwd(path string, node *Node) *Node {
	for {
		if path == "" {
			return node
		}
		seg, rest, more := strings.Cut(path, "/")
		var pat *Pattern
		var cd *Node
		for _, c := range node.children {
			if c.name == seg {
				cd = c
				break
			}
			if pat == nil {
				p := Compile(seg)
				pat = &p
			}
			if pat.Match(c.name) {
				cd = c
				break
			}
		}
		if cd == nil || (cd.typ == TypeFile && len(cd.children) == 0) {
			return nil
		}
		if !more {
			return cd
		}
		path, node = rest, cd
	}
}
