package restoretree

import "strings"

// SetExtract marks (extract true) or unmarks node and everything below
// it, and the hard-linked data of a marked hard link, as the Director's
// SetExtract does; the ancestors learn whether something below them is
// marked. It returns the number of nodes whose mark changed, not counting
// directories known only from paths.
func (t *Tree) SetExtract(node *Node, extract bool) int {
	var following map[*Node]bool
	return t.setExtract(node, extract, &following)
}

func (t *Tree) setExtract(node *Node, extract bool, following *map[*Node]bool) int {
	count := 0
	if node.Extract() != extract && node.typ != TypeNewDir && node.typ != TypeRoot {
		count++
	}
	setFlag(node, fExtract, extract)
	if node.typ != TypeFile || (node.softLink() && len(node.children) > 0) {
		for _, c := range node.children {
			count += t.setExtract(c, extract, following)
		}
	} else if extract && node.flags&fHardLink != 0 {
		// Mark the file whose data the link shares. (The Director
		// would recurse forever on a cycle of links; a link already
		// being followed is not followed again.)
		if target := t.hardlinks[hlKey(node.jobID, node.fileIndex)]; target != nil && !(*following)[target] {
			if *following == nil {
				*following = map[*Node]bool{}
			}
			(*following)[target] = true
			count += t.setExtract(target, extract, following)
			delete(*following, target)
		}
	}
	if extract {
		for n := node; n.parent != nil && !n.parent.ExtractDescendant(); n = n.parent {
			setFlag(n.parent, fDescendant, true)
		}
	} else {
		for n := node; n.parent != nil && n.parent.ExtractDescendant(); n = n.parent {
			setFlag(n.parent, fDescendant, n.parent.nmarked > 0)
		}
	}
	return count
}

// stripTrailingSlash removes one trailing slash.
func stripTrailingSlash(s string) string { return strings.TrimSuffix(s, "/") }

// splitPath splits a mark argument at its slashes; an empty or "**" last
// component becomes "*".
func splitPath(v string) []string {
	parts := strings.Split(v, "/")
	if last := parts[len(parts)-1]; last == "" || last == "**" {
		parts[len(parts)-1] = "*"
	}
	return parts
}

// MarkElements marks or unmarks what each argument names, relative to
// cwd or, with a leading slash, to the root (the Director's
// MarkElements): every component is a wildcard pattern, "**" inside a
// path matches any number of directories, and a Windows drive ("C:")
// first is looked up among the root's drives. It returns the number of
// nodes whose mark changed.
func (t *Tree) MarkElements(cwd *Node, args []string, extract bool) int {
	count := 0
	type elem struct {
		node *Node
		part int
	}
	for _, arg := range args {
		parts := splitPath(stripTrailingSlash(arg))
		pats := make([]*Pattern, len(parts))
		pattern := func(i int) *Pattern {
			if pats[i] == nil {
				p := Compile(parts[i])
				pats[i] = &p
			}
			return pats[i]
		}
		var stack []elem
		switch {
		case parts[0] == "":
			if len(parts) == 1 {
				parts = append(parts, "*")
				pats = append(pats, nil)
			}
			stack = append(stack, elem{&t.root, 1})
		case len(parts[0]) == 2 && parts[0][1] == ':':
			found := false
			for _, c := range t.root.children {
				if c.typ == TypeDirWin && pattern(0).Match(c.name) {
					stack = append(stack, elem{c, 1})
					found = true
				}
			}
			if found {
				if len(parts) == 1 {
					parts = append(parts, "*")
					pats = append(pats, nil)
				}
			} else {
				stack = append(stack, elem{cwd, 0})
			}
		default:
			stack = append(stack, elem{cwd, 0})
		}
		// With "**" the same directory can be reached along many paths;
		// visiting it once per component keeps the work linear (the
		// result is the same: marking twice changes nothing).
		var seen map[elem]bool
		for _, p := range parts {
			if p == "**" {
				seen = map[elem]bool{}
				break
			}
		}
		push := func(e elem) {
			if seen != nil {
				if seen[e] {
					return
				}
				seen[e] = true
			}
			stack = append(stack, e)
		}
		for len(stack) > 0 {
			cur := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if parts[cur.part] == "**" {
				push(elem{cur.node, cur.part + 1})
				for _, c := range cur.node.children {
					if c.typ != TypeFile {
						push(elem{c, cur.part})
					}
				}
				continue
			}
			pat := pattern(cur.part)
			last := cur.part+1 == len(parts)
			for _, c := range cur.node.children {
				if !pat.Match(c.name) {
					continue
				}
				if last {
					count += t.SetExtract(c, extract)
				} else if c.typ != TypeFile {
					push(elem{c, cur.part + 1})
				}
			}
		}
	}
	return count
}
