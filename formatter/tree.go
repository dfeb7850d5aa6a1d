package formatter

// tree is the general form of a mode-2 result, used once a call changed an
// earlier part of the document (a replaced key, a re-opened object). Its
// stack can hold any node, scalars included, as the reference's can.
type tree struct {
	root   *node
	frames []*node // nil is a detached container whose content is discarded
}

// node is an object, array or scalar of the tree.
type node struct {
	tag   byte
	num   uint64
	str   []byte // escaped
	keys  []uint32
	kids  []*node
	index map[uint32]int
}

func (n *node) find(id uint32) int {
	if n.index != nil {
		if i, ok := n.index[id]; ok {
			return i
		}
		return -1
	}
	for i, k := range n.keys {
		if k == id {
			return i
		}
	}
	return -1
}

// set stores kid under id: in place if the key exists, else appended.
func (n *node) set(id uint32, kid *node) {
	if i := n.find(id); i >= 0 {
		n.kids[i] = kid
		return
	}
	n.keys = append(n.keys, id)
	n.kids = append(n.kids, kid)
	if n.index != nil {
		n.index[id] = len(n.kids) - 1
	} else if len(n.keys) >= bigObject {
		n.index = make(map[uint32]int, 2*len(n.keys))
		for i, k := range n.keys {
			n.index[k] = i
		}
	}
}

func scalarNode(v value) *node {
	n := &node{tag: v.tag, num: v.num}
	if v.tag == tStr {
		n.str = appendRepairedEscaped(nil, v.str)
	}
	return n
}

func (t *tree) top() (*node, bool) {
	if len(t.frames) == 0 {
		return nil, false
	}
	return t.frames[len(t.frames)-1], true
}

func (t *tree) objectStart(keys *keyTable, name string, caseSensitive bool) {
	top, ok := t.top()
	if !ok {
		return
	}
	if name == Null {
		if top != nil && top.tag == tArr {
			n := &node{tag: tObj}
			top.kids = append(top.kids, n)
			top = n
		}
		t.frames = append(t.frames, top)
		return
	}
	if top == nil || top.tag != tObj {
		t.frames = append(t.frames, nil)
		return
	}
	id, valid := keys.lookup(name, !caseSensitive)
	if !valid {
		t.frames = append(t.frames, nil)
		return
	}
	if i := top.find(id); i >= 0 {
		t.frames = append(t.frames, top.kids[i])
		return
	}
	n := &node{tag: tObj}
	top.set(id, n)
	t.frames = append(t.frames, n)
}

func (t *tree) arrayStart(keys *keyTable, name string) {
	top, ok := t.top()
	if !ok {
		return
	}
	if top == nil {
		t.frames = append(t.frames, nil)
		return
	}
	if top.tag != tObj {
		return
	}
	if name == Null {
		name = ""
	}
	id, valid := keys.lookup(name, true)
	if !valid {
		t.frames = append(t.frames, nil)
		return
	}
	if top.find(id) >= 0 {
		return
	}
	n := &node{tag: tArr}
	top.set(id, n)
	t.frames = append(t.frames, n)
}

func (t *tree) end() {
	if len(t.frames) > 0 {
		t.frames = t.frames[:len(t.frames)-1]
	}
}

func (t *tree) kv(keys *keyTable, key string, v value) {
	top, ok := t.top()
	if !ok || top == nil || top.tag != tObj {
		return
	}
	if key == Null {
		key = ""
	}
	id, valid := keys.lookup(key, true)
	if !valid {
		return
	}
	top.set(id, scalarNode(v))
}

func (t *tree) item(v value) {
	top, ok := t.top()
	if !ok || top == nil || top.tag != tArr {
		return
	}
	top.kids = append(top.kids, scalarNode(v))
}

// toTree converts the token document into a tree, with a stack that holds
// the same containers, and makes the tree the document's form.
func (d *doc) toTree() *tree {
	if d.tree != nil {
		return d.tree
	}
	root := &node{tag: tObj}
	conts := make([]*node, d.nconts+1)
	conts[0] = root
	stack := []*node{root}
	r := d.toks.reader()
	next := 1
	for {
		parent := stack[len(stack)-1]
		tk, ok := r.next(parent.tag == tObj)
		if !ok {
			break
		}
		var n *node
		switch tk.tag {
		case tEnd:
			stack = stack[:len(stack)-1]
			continue
		case tObj, tArr:
			n = &node{tag: tk.tag}
			conts[next] = n
			next++
		default:
			n = &node{tag: tk.tag, num: tk.num, str: append([]byte(nil), tk.str...)}
		}
		if parent.tag == tObj {
			parent.set(tk.key, n)
		} else {
			parent.kids = append(parent.kids, n)
		}
		if tk.tag == tObj || tk.tag == tArr {
			stack = append(stack, n)
		}
	}
	t := &tree{root: root, frames: make([]*node, 0, len(d.frames))}
	for _, f := range d.frames {
		switch {
		case f.alias:
			t.frames = append(t.frames, t.frames[len(t.frames)-1])
		case f.kind == tDetached:
			t.frames = append(t.frames, nil)
		default:
			t.frames = append(t.frames, conts[f.cont])
		}
	}
	d.toks.reset()
	d.frames = d.frames[:0]
	d.ids = d.ids[:0]
	d.tree = t
	return t
}

// encode writes the tree back as tokens into the document's arena (for
// the serializer), depth-first without recursion.
func (d *doc) encodeTree() {
	t := d.tree
	d.toks.reset()
	type pos struct {
		n *node
		i int
	}
	stack := []pos{{t.root, 0}}
	for len(stack) > 0 {
		p := &stack[len(stack)-1]
		if p.i == len(p.n.kids) {
			stack = stack[:len(stack)-1]
			if len(stack) > 0 {
				d.toks.put(tEnd, 0, false)
			}
			continue
		}
		kid := p.n.kids[p.i]
		keyed := p.n.tag == tObj
		var id uint32
		if keyed {
			id = p.n.keys[p.i]
		}
		p.i++
		switch kid.tag {
		case tObj, tArr:
			d.toks.put(kid.tag, id, keyed)
			stack = append(stack, pos{kid, 0})
		case tStr:
			putStr(&d.toks, id, keyed, kid.str)
		case tInt, tNeg:
			d.toks.putUint(kid.tag, id, keyed, kid.num)
		default:
			d.toks.put(kid.tag, id, keyed)
		}
	}
}
